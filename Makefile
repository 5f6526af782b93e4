# Hearth. `make help` lists the targets.
GO       ?= go
BIN      := bin
DIST     := dist
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
CMDS     := hearth hearth-agent hearth-gateway
# The agent speaks HTTP/1.1 to its gateway; leaving net/http's bundled
# HTTP/2 out saves ~0.3 MB on ARM, where every megabyte of a plug counts,
# and grpcnotrace keeps gRPC's debug pages (text/template) out of the
# containerd client. The nocontainerd variant runs wasm tasks only.
AGENT_TAGS := nethttpomithttp2,grpcnotrace
SMALL_AGENT_TAGS := nethttpomithttp2,nocontainerd
export CGO_ENABLED ?= 0

.PHONY: help build ui examples release test demo bench bench-run bench-scale vet clean contracts contracts-check image image-test

help:
	@echo "make build     build hearth, hearth-agent, hearth-gateway into $(BIN)/ and the example apps"
	@echo "make test      vet and run every test (root runs the namespace and multi-process tests too)"
	@echo "make demo      a mixed home: gateway, 2 amd64 agents with containerd, an emulated arm/v6 wasm-only agent (root)"
	@echo "make bench     print the benchmark figures as BENCH lines (root for the pool figures)"
	@echo "make bench-scale one gateway against simulated devices: SCALE_DEVICES=\"100 300 1000 3000\"; the curve in bin/scale.svg (docs/scale.md)"
	@echo "make release   static binaries for the supported devices into $(DIST)/, with their sizes"
	@echo "make deb       Debian packages (agent, gateway, CLI) for amd64, arm64 and armhf into $(DIST)/"
	@echo "make image     an SD card image for BOARD (generic-arm64, generic-armhf, rpi-arm64, rpi-armel) into $(DIST)/ (PINS=latest: Debian's newest kernel)"
	@echo "make image-test build every board's image, boot each under QEMU (the generic ones pair with a gateway), print BENCH figures (root)"
	@echo "make ui        fetch the dashboard's chart library from npm (pinned by its lockfile) for embedding"
	@echo "make examples  build the example apps (examples/vanity/vanity.wasm and vanity.oci.tar, examples/streams/*/*.wasm)"
	@echo "make contracts compile gateway/contracts (solc from npm) and regenerate the Go bindings"

build: examples ui
	@mkdir -p $(BIN)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/hearth ./cmd/hearth-gateway
	$(GO) build -trimpath -tags '$(AGENT_TAGS)' -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/hearth-agent
	$(GO) build -trimpath -o $(BIN)/ ./cmd/hearth-sim
	$(GO) build -trimpath -o $(BIN)/vanity ./examples/vanity

# The dashboard's chart library (uPlot), from npm at the version
# package-lock.json pins, copied next to the dashboard's own assets, which
# the gateway and the CLI embed. Not committed (.gitignore); a build
# without it serves the dashboard without charts and says so.
UI := gateway/dashboard
UI_VENDOR := $(UI)/assets/vendor/uPlot.iife.min.js
ui: $(UI_VENDOR)
$(UI_VENDOR): $(UI)/web/package-lock.json
	cd $(UI)/web && npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(UI)/assets/vendor
	cp $(UI)/web/node_modules/uplot/dist/uPlot.iife.min.js $(UI)/web/node_modules/uplot/dist/uPlot.min.css $(UI)/assets/vendor/
	cp $(UI)/web/node_modules/uplot/LICENSE $(UI)/assets/vendor/uPlot.LICENSE

# The examples as WASI modules, and vanity and the average window function
# as OCI images for the devices that run containers, packed without Docker:
# one static build per platform.
VANITY_OCI := amd64 arm64 arm/7 arm/6

examples:
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -o examples/vanity/vanity.wasm ./examples/vanity
	@set -e; for f in alert average; do \
	  GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -o examples/streams/$$f/$$f.wasm ./examples/streams/$$f; \
	done
	@mkdir -p $(BIN)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/hearth ./cmd/hearth
	@set -e; for app in vanity streams/average; do \
	  name=$${app##*/}; pairs=; for t in $(VANITY_OCI); do \
	    arch=$${t%%/*}; v=$${t#*/}; [ "$$v" = "$$t" ] && v=; suffix=$$arch$${v:+v$$v}; \
	    GOOS=linux GOARCH=$$arch GOARM=$$v $(GO) build -trimpath -ldflags '-s -w' -o $(BIN)/$$name-linux-$$suffix ./examples/$$app; \
	    pairs="$$pairs linux/$$arch$${v:+/v$$v}=$(BIN)/$$name-linux-$$suffix"; \
	  done; \
	  $(BIN)/hearth image pack -o examples/$$app/$$name.oci.tar $$pairs; \
	done

# Agents for every device class; gateway and CLI for the boards that can
# host a pool's coordinator.
AGENT_TARGETS   := arm/5 arm/6 arm/7 arm64 amd64
GATEWAY_TARGETS := arm64 arm/7 amd64
release: ui
	@mkdir -p $(DIST)
	@set -e; for t in $(AGENT_TARGETS); do \
	  arch=$${t%%/*}; v=$${t#*/}; [ "$$v" = "$$t" ] && v=; suffix=$$arch$${v:+v$$v}; \
	  GOOS=linux GOARCH=$$arch GOARM=$$v $(GO) build -trimpath -tags '$(AGENT_TAGS)' -ldflags '$(LDFLAGS)' -o $(DIST)/hearth-agent-linux-$$suffix ./cmd/hearth-agent; \
	  GOOS=linux GOARCH=$$arch GOARM=$$v $(GO) build -trimpath -tags '$(SMALL_AGENT_TAGS)' -ldflags '$(LDFLAGS)' -o $(DIST)/hearth-agent-nocontainerd-linux-$$suffix ./cmd/hearth-agent; \
	done
	@set -e; for t in $(GATEWAY_TARGETS); do \
	  arch=$${t%%/*}; v=$${t#*/}; [ "$$v" = "$$t" ] && v=; suffix=$$arch$${v:+v$$v}; \
	  for c in hearth-gateway hearth; do \
	    GOOS=linux GOARCH=$$arch GOARM=$$v $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(DIST)/$$c-linux-$$suffix ./cmd/$$c; \
	  done; \
	done
	@cd $(DIST) && for f in *; do stat -c '%n %s' $$f | awk '{printf "%-46s %6.2f MiB %11d bytes\n", $$1, $$2/1048576, $$2}'; done

# Debian packages for people who keep their OS (docs/install-deb.md):
# built without root or debhelper by packaging/deb/build.sh.
DEB_ARCHES := amd64 arm64 armhf
.PHONY: deb
deb: ui
	GO='$(GO)' VERSION='$(VERSION)' LDFLAGS='$(LDFLAGS)' AGENT_TAGS='$(AGENT_TAGS)' TUF_ROOT='$(TUF_ROOT)' packaging/deb/build.sh -o $(DIST) $(DEB_ARCHES)

# Appliance images (docs/firmware.md): Debian's kernel, hearth-init and
# Hearth's binaries, built without root. The test boots one under QEMU
# alone, after the other tests: an emulated machine takes a whole core.
BOARD ?= generic-arm64
image: ui
	$(GO) run ./cmd/hearth-image --board $(BOARD) --version $(VERSION) --out $(DIST) $(if $(filter latest,$(PINS)),--latest) $(if $(GATEWAY_SLOT),--gateway-slot)

image-test: build
	@mkdir -p $(DIST)
	HEARTH_FIRMWARE_TEST=1 CGO_ENABLED=0 $(GO) test -count=1 -timeout 30m -p 1 -run '^TestFirmware' -v ./e2e/ > $(DIST)/image-test.log 2>&1; \
	  rc=$$?; grep -E '^(BENCH|--- |ok|FAIL|panic)' $(DIST)/image-test.log; \
	  [ $$rc -eq 0 ] || { tail -n 80 $(DIST)/image-test.log; echo "make image-test failed: $(DIST)/image-test.log has it all"; }; exit $$rc

# The market contract: solc from npm at the version package-lock.json pins,
# then abigen (a go tool pinned in go.mod) for the Go bindings. The ABI,
# bytecode and bindings are committed; contracts-check fails when they differ
# from what the sources give (CI runs it).
CONTRACTS := gateway/contracts
contracts:
	cd $(CONTRACTS) && npm ci --no-audit --no-fund --loglevel=error && node build.js
	cd $(CONTRACTS) && $(GO) tool abigen --v2 --abi HearthMarket.abi --bin HearthMarket.bin --pkg contracts --type HearthMarket --out hearthmarket.go

contracts-check: contracts
	@git diff --exit-code --stat -- $(CONTRACTS) || { echo "the committed contract artifacts differ from the sources: run 'make contracts' and commit the result"; exit 1; }

vet:
	$(GO) vet ./...

# Container tests need a containerd: scripts/containerd.sh runs a private
# one for the duration when it can (root, containerd installed).
WITH_CONTAINERD := scripts/containerd.sh run

# The governor's timing tests hold a budget against the wall clock: beside
# other packages' tests (and the linking of their test binaries) they
# measure the machine's load, not the governor. The scale test (100
# simulated devices: bench-scale's short form) pins the gateway and the
# simulator to a core each. They run after the rest, alone.
QUIET_PKGS := ./agent/governor/ ./e2e/scale/
test: build vet
	$(WITH_CONTAINERD) env CGO_ENABLED=0 sh -c '$(GO) test -count=1 -timeout 25m $$($(GO) list ./... | grep -v -e "/agent/governor$$" -e "/e2e/scale$$") && $(GO) test -count=1 -timeout 10m -p 1 $(QUIET_PKGS)'

demo: build
	$(WITH_CONTAINERD) $(GO) run ./e2e/demo

bench: build
	$(WITH_CONTAINERD) $(MAKE) --no-print-directory bench-run

bench-run:
	$(GO) test -run '^$$' -bench . -benchtime 200x ./sandbox/wasm/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 $(GO) test -run '^$$' -bench . -benchtime 30x ./sandbox/containerd/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 $(GO) test -run '^$$' -bench . -benchtime 30x ./sandbox/runc/ | grep -E '^BENCH' || true
	HEARTH_THROUGHPUT_TASKS=3000 $(GO) test -count=1 -run '^TestThroughput$$' -v ./agent/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 HEARTH_POWER_BENCH=1 $(GO) test -count=1 -timeout 30m -run '^TestPowerBench$$' -v ./agent/governor/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 HEARTH_STREAM_BENCH=1 $(GO) test -count=1 -timeout 20m -run '^TestStreamBench$$' -v ./agent/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 $(GO) test -count=1 -timeout 10m -run '^TestStreams$$' -v ./e2e/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 HEARTH_CERT_BENCH=1 $(GO) test -count=1 -run '^TestCertBench$$' -v ./gateway/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 $(GO) test -count=1 -run '^TestMarketGas$$' -v ./gateway/contracts/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 HEARTH_MARKET_BENCH=1 $(GO) test -count=1 -run '^TestMarketBench$$' -v ./gateway/market/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 $(GO) test -count=1 -run '^TestAssets$$' -v ./gateway/dashboard/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 $(GO) test -count=1 -run '^TestDashboardInChromium$$' -v ./e2e/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 $(GO) test -count=1 -run '^TestResticBacksUpToTheGateway$$' -v ./e2e/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 $(GO) test -count=1 -run '^TestResticOnTheDevices$$' -v ./e2e/ | grep -E '^BENCH' || true
	CGO_ENABLED=0 HEARTH_LIGHT_BENCH=1 $(GO) test -count=1 -timeout 30m -run '^TestLightClientBench$$' -v ./gateway/chain/link/ | grep -E '^BENCH' || true
	$(GO) run ./e2e/bench -agent-tags '$(AGENT_TAGS)' -small-agent-tags '$(SMALL_AGENT_TAGS)'

# One gateway against simulated devices (hearth-sim: the real agent, a
# sandbox that only sleeps), each a process pinned to a core of its own.
SCALE_DEVICES ?= 100 300 1000 3000
bench-scale: build
	@HEARTH_SCALE_DEVICES='$(SCALE_DEVICES)' HEARTH_SCALE_CALIBRATE=1 CGO_ENABLED=0 $(GO) test -count=1 -timeout 90m -run '^(TestScale|TestCalibration)$$' -v ./e2e/scale/ > $(BIN)/bench-scale.log 2>&1; \
	  s=$$?; grep -E '^BENCH|^(---|ok|FAIL)|scale_test.go|calibrate_test.go' $(BIN)/bench-scale.log; \
	  $(GO) run ./hearthtest/scaleplot -o $(BIN)/scale.svg $(BIN)/bench-scale.log || true; exit $$s

clean:
	rm -rf $(BIN) $(DIST) examples/vanity/vanity.wasm examples/vanity/vanity.oci.tar examples/streams/*/*.wasm examples/streams/average/average.oci.tar
