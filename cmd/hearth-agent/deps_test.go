package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/hearthtest/depstest"
)

// TestDeps keeps heavy and server-side code out of the agent binary, which
// must stay small enough for plug computers: go-ethereum never, and of the
// gateway only its public API package. The small build for the smallest
// plugs (-tags nocontainerd) also leaves out net/http and YAML; the
// default build has them through containerd's client. (regexp came in
// with gopsutil's temperatures, 0.25 MiB.)
func TestDeps(t *testing.T) {
	for _, build := range []struct {
		tags  string
		small bool
	}{{"nethttpomithttp2,grpcnotrace", false}, {"nocontainerd,nethttpomithttp2", true}} {
		const gw = "github.com/hearth-home/hearth/gateway"
		deps := depstest.List(t, build.tags, "github.com/hearth-home/hearth/agent")
		hasContainerd := slices.Contains(deps, "github.com/hearth-home/hearth/sandbox/containerd")
		if hasContainerd == build.small {
			t.Errorf("-tags %s: sandbox/containerd linked = %v", build.tags, hasContainerd)
		}
		for _, dep := range deps {
			switch {
			case strings.Contains(dep, "github.com/ethereum/go-ethereum"):
				t.Errorf("hearth-agent depends on %s; the agent must never link go-ethereum", dep)
			case build.small && (dep == "net/http" || strings.HasPrefix(dep, "net/http/") || dep == "gopkg.in/yaml.v3"):
				// Each costs the binary half a megabyte or more on ARM,
				// for what the agent does not need.
				t.Errorf("hearth-agent -tags %s depends on %s; keep it out (gateway/api speaks HTTP/1.1 via internal/http1)", build.tags, dep)
			case strings.HasPrefix(dep, "github.com/hearth-home/hearth/firmware/ota") || strings.HasPrefix(dep, "github.com/theupdateframework/"):
				// The updater is a program of its own (hearth-update): TUF
				// costs the small agent 2.6 MiB (docs/firmware-updates.md).
				t.Errorf("hearth-agent -tags %s depends on %s; firmware updates are checked by hearth-update, not the agent", build.tags, dep)
			case dep == "golang.org/x/net/trace":
				t.Errorf("hearth-agent -tags %s links %s; build with -tags grpcnotrace", build.tags, dep)
			case dep == gw || strings.HasPrefix(dep, gw+"/") && dep != gw+"/api":
				t.Errorf("hearth-agent depends on %s; it may use only %s/api of the gateway", dep, gw)
			}
		}
	}
}

// TestSmallDeps: the small build runs containers through runc (sandbox/runc), with
// containerd's archive package to unpack images but nothing of its spec
// package, which brings protobuf along: 2 MB on ARM.
func TestSmallDeps(t *testing.T) {
	deps := depstest.List(t, "nocontainerd,nethttpomithttp2", "github.com/hearth-home/hearth/cmd/hearth-agent")
	if !slices.Contains(deps, "github.com/hearth-home/hearth/sandbox/runc") {
		t.Error("the small build does not link sandbox/runc")
	}
	for _, dep := range deps {
		if strings.HasPrefix(dep, "google.golang.org/protobuf/") || dep == "github.com/containerd/containerd/v2/pkg/oci" {
			t.Errorf("the small build links %s; keep protobuf out (ocitask builds specs from runtime-spec values)", dep)
		}
		if strings.HasPrefix(dep, "github.com/hearth-home/hearth/firmware/ota") || strings.HasPrefix(dep, "github.com/theupdateframework/") {
			t.Errorf("the small build links %s; TUF belongs to hearth-update, which the agent runs", dep)
		}
	}
}

// TestMethodsPruned keeps the linker pruning unused methods. One
// reachable call that looks methods up by a computed name (the
// reflect.Type.Method family, or MethodByName with a non-constant name)
// makes it keep every exported method of every linked type: 3 MB more on
// ARM when protobuf 1.36.11 did it through reflect's Go 1.26 Methods
// iterator (reached because descfmt asked MethodByName("Methods"): a
// constant name keeps the methods of that name, reflect's among them).
// The linker marks such functions <ReflectMethod> in -dumpdep;
// the error prints how one was reached.
func TestMethodsPruned(t *testing.T) {
	if testing.Short() {
		t.Skip("links the agent twice")
	}
	for _, tags := range []string{"nethttpomithttp2,grpcnotrace", "nocontainerd,nethttpomithttp2"} {
		dump, err := linkDump(t, tags)
		if err != nil {
			t.Fatalf("-tags %s: %v", tags, err)
		}
		if chain := reflectMethodChain(dump); chain != nil {
			t.Errorf("-tags %s: the linker keeps every exported method, because this reaches a method lookup by computed name:\n\t%s",
				tags, strings.Join(chain, "\n\t<- "))
		}
	}
}

// linkDump links the agent built with tags and returns the linker's
// -dumpdep output. It runs the linker itself on the packages go list
// compiled: through `go build -ldflags=-dumpdep`, the go command would keep
// the dump as the output of the link and print it again at a later
// `go build` of the agent.
func linkDump(t *testing.T, tags string) (string, error) {
	const self = "github.com/hearth-home/hearth/cmd/hearth-agent"
	list := exec.Command("go", "list", "-trimpath", "-tags", tags, "-export", "-deps",
		"-f", "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", ".")
	list.Env = append(os.Environ(), "CGO_ENABLED=0")
	cfg, err := list.Output()
	if err != nil {
		return "", fmt.Errorf("go list -export: %w", err)
	}
	var archive string
	for line := range strings.Lines(string(cfg)) {
		if a, ok := strings.CutPrefix(strings.TrimSpace(line), "packagefile "+self+"="); ok {
			archive = a
		}
	}
	if archive == "" {
		return "", fmt.Errorf("go list -export names no archive for %s", self)
	}
	dir := t.TempDir()
	importcfg := filepath.Join(dir, "importcfg.link")
	if err := os.WriteFile(importcfg, cfg, 0o644); err != nil {
		return "", err
	}
	// The linker maps its output file: /dev/null will not do.
	link := exec.Command("go", "tool", "link", "-importcfg", importcfg, "-dumpdep", "-o", filepath.Join(dir, "agent"), archive)
	link.Env = append(os.Environ(), "CGO_ENABLED=0")
	var dump bytes.Buffer
	link.Stdout, link.Stderr = &dump, &dump
	if err := link.Run(); err != nil {
		return "", fmt.Errorf("go tool link -dumpdep: %v\n%.2000s", err, dump.String())
	}
	return dump.String(), nil
}

// reflectMethodChain reads -dumpdep output ("from -> to" lines, each
// symbol maybe followed by flags such as <ReflectMethod>) and returns the
// first <ReflectMethod> symbol with the chain that reached it, or nil.
func reflectMethodChain(dump string) []string {
	const flag = "<ReflectMethod>"
	parent := map[string]string{}
	sym := func(s string) string { return strings.Fields(s + " _")[0] }
	for line := range strings.Lines(dump) {
		from, to, ok := strings.Cut(strings.TrimSpace(line), " -> ")
		if !ok {
			continue
		}
		if _, seen := parent[sym(to)]; !seen {
			parent[sym(to)] = sym(from)
		}
		if strings.Contains(to, flag) || strings.Contains(from, flag) {
			s := sym(to)
			if strings.Contains(from, flag) {
				s = sym(from)
			}
			chain := []string{s}
			for p := parent[s]; p != "" && p != "_" && len(chain) < 20; p = parent[p] {
				chain = append(chain, p)
			}
			return chain
		}
	}
	return nil
}
