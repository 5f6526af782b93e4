package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

// A system that keeps its OS (the .deb) updates its agent binary as Hearth
// OS updates a slot: hearth-update supervise runs the packaged agent, the
// gateway offers a signed newer one, hearth-update fetches and checks it,
// the supervisor tries it and keeps it once it pairs again and answers;
// releases that exit or hang roll back by themselves to the one before,
// which says why, and the gateway's rollout stops. Three devices: the
// rollout goes to one (the canary) first, to the others once it
// committed, and a broken release never gets past the canary. Real
// processes: the gateway, and each device's supervisor and agent, in the
// home's namespaces.
func TestDebAgentUpdatesAndRollsBack(t *testing.T) {
	netnstest.Require(t)
	dir := t.TempDir()
	rel, err := newRelease(filepath.Join(dir, "release"))
	if err != nil {
		t.Fatal(err)
	}
	build := func(name, pkg, version string, extra ...string) string {
		t.Helper()
		out := filepath.Join(dir, name)
		args := append([]string{"build", "-trimpath", "-o", out, "-ldflags", "-X main.version=" + version}, extra...)
		cmd := exec.Command("go", append(args, pkg)...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
		return out
	}
	updater := build("hearth-update", "./cmd/hearth-update", "test")
	packaged := build("hearth-agent-1.0.0", "./cmd/hearth-agent", "1.0.0", "-tags", "nethttpomithttp2,nocontainerd")
	good := build("hearth-agent-1.1.0", "./cmd/hearth-agent", "1.1.0", "-tags", "nethttpomithttp2,nocontainerd")
	// Broken agents answer --version (the updater checks that a download
	// runs here), then fail at their work.
	broken := func(version, does string) string {
		t.Helper()
		src := filepath.Join(t.TempDir(), "main.go")
		body := fmt.Sprintf(`package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Println("hearth-agent %s")
		return
	}
	if %q == "hang" {
		time.Sleep(1000 * time.Hour)
	}
	fmt.Fprintln(os.Stderr, "broken on purpose")
	os.Exit(1)
}
`, version, does)
		if err := os.WriteFile(src, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "broken-"+version)
		cmd := exec.Command("go", "build", "-o", out, src)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GO111MODULE=off")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building the broken %s: %v\n%s", version, err, b)
		}
		return out
	}

	platform := "linux-" + runtime.GOARCH
	names := []string{"debpi-1", "debpi-2", "debpi-3"}
	updDir := func(name string) string { return filepath.Join(dir, "update-"+name) }
	var agents []home.AgentOptions
	for _, n := range names {
		agents = append(agents, home.AgentOptions{Name: n, Binary: packaged,
			Wrapper: []string{updater, "supervise", "--dir", updDir(n), "--root", rel.rootFile, "--trial-timeout", "20s", "--"}})
	}
	h := startHome(t, home.Options{Agents: len(names), Prefix: "du",
		GatewayArgs: []string{"--firmware-root", rel.rootFile}, PerAgent: agents})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	fleet := waitFleet(t, h, names, time.Minute, "the packaged agents reported", func(fs map[string]*fwStatus) bool {
		return all(fs, func(f *fwStatus) bool { return f.Version == "1.0.0" && !f.Trial })
	})
	for n, fw := range fleet {
		if fw.Board != platform {
			t.Errorf("%s reports board %q, want %s", n, fw.Board, platform)
		}
	}

	publish := func(version, file string) {
		t.Helper()
		if err := rel.AddAgent(platform, version, file); err != nil {
			t.Fatal(err)
		}
		if err := rel.Publish(); err != nil {
			t.Fatal(err)
		}
		bundle := filepath.Join(t.TempDir(), "bundle.tar")
		if err := rel.WriteBundle(bundle); err != nil {
			t.Fatal(err)
		}
		if out, err := h.CLI(ctx, "firmware", "import", bundle); err != nil {
			t.Fatalf("hearth firmware import: %v\n%s", err, out)
		}
	}
	state := func(name string) (st struct {
		Current, Previous *struct{ Version, File string }
		Trial             any
	}) {
		t.Helper()
		raw, err := os.ReadFile(filepath.Join(updDir(name), "state.json"))
		if err == nil {
			err = json.Unmarshal(raw, &st)
		}
		if err != nil {
			t.Fatalf("%s: state.json: %v", name, err)
		}
		return st
	}
	// offers is the gateway's offers of version, in order: whether each
	// went to the canary, and how many devices had committed it before.
	offers := func(version string) (canary []bool, committedBefore []int) {
		committed := 0
		for l := range strings.Lines(h.Gateway.Log()) {
			if !strings.Contains(l, "version="+version+" ") {
				continue
			}
			switch {
			case strings.Contains(l, `msg="firmware update offered"`):
				canary = append(canary, strings.Contains(l, "canary=true"))
				committedBefore = append(committedBefore, committed)
			case strings.Contains(l, `msg="firmware update committed"`):
				committed++
			}
		}
		return canary, committedBefore
	}

	// A good release: the canary first, then the others; each fetches it,
	// tries it and commits it.
	publish("1.1.0", good)
	start := time.Now()
	waitFleet(t, h, names, 2*time.Minute, "1.1.0 committed everywhere", func(fs map[string]*fwStatus) bool {
		return all(fs, func(f *fwStatus) bool { return f.Version == "1.1.0" && !f.Trial })
	})
	t.Logf("1.1.0 committed on %d devices %.1f s after its import", len(names), time.Since(start).Seconds())
	if canary, before := offers("1.1.0"); len(canary) != len(names) || !canary[0] || before[0] != 0 ||
		slices.Contains(canary[1:], true) || slices.Contains(before[1:], 0) {
		t.Errorf("offers of 1.1.0: canary %v, committed before each %v; want the canary alone first, the others after it committed", canary, before)
	}
	for _, n := range names {
		if st := state(n); st.Current == nil || st.Current.Version != "1.1.0" || st.Trial != nil {
			t.Errorf("%s: after the commit the state is %+v, want 1.1.0 current and no trial", n, st)
		}
		if _, err := os.Stat(filepath.Join(updDir(n), "bin", "hearth-agent-1.1.0")); err != nil {
			t.Errorf("%s: the committed agent is not kept: %v", n, err)
		}
	}

	// Broken releases: each rolls back to 1.1.0 on the canary, which says
	// why, and the rollout stops there: the other devices never get it.
	for _, tc := range []struct{ version, does, reason string }{
		{"1.2.0", "exit", "exited 3 times"},
		{"1.3.0", "hang", "not paired again within 20s"},
	} {
		publish(tc.version, broken(tc.version, tc.does))
		start := time.Now()
		var canary string
		fleet := waitFleet(t, h, names, 3*time.Minute, tc.version+" rolled back", func(fs map[string]*fwStatus) bool {
			for n, f := range fs {
				if f.LastRollback != nil && f.LastRollback.To == tc.version && f.Version == "1.1.0" {
					canary = n
					return true
				}
			}
			return false
		})
		t.Logf("%s rolled back on %s %.1f s after its import", tc.version, canary, time.Since(start).Seconds())
		if fw := fleet[canary]; fw.Trial || !strings.Contains(fw.LastRollback.Reason, tc.reason) {
			t.Errorf("after %s: trial %v, rollback reason %q; want committed 1.1.0 and %q", tc.version, fw.Trial, fw.LastRollback.Reason, tc.reason)
		}
		if _, err := os.Stat(filepath.Join(updDir(canary), "bin", "hearth-agent-"+tc.version)); err == nil {
			t.Errorf("the rolled-back %s is still kept", tc.version)
		}
		var st map[string]any
		if err := h.CLIJSON(ctx, &st, "firmware", "status"); err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(st); !strings.Contains(s, "stopped") {
			t.Errorf("after %s rolled back, hearth firmware status says %s; want its rollout stopped", tc.version, s)
		}
		time.Sleep(3 * time.Second) // heartbeats in which the others could be offered it
		if canary, _ := offers(tc.version); len(canary) != 1 {
			t.Errorf("%s was offered %d times; want once, to the canary, and the rollout stopped", tc.version, len(canary))
		}
		for n, f := range waitFleet(t, h, names, time.Minute, "the fleet", func(map[string]*fwStatus) bool { return true }) {
			if n != canary && (f.Version != "1.1.0" || f.Trial || f.LastRollback != nil && f.LastRollback.To == tc.version) {
				t.Errorf("%s, not the canary, after %s: %+v", n, tc.version, f)
			}
		}
	}
	for _, n := range names {
		if st := state(n); st.Current == nil || st.Current.Version != "1.1.0" || st.Trial != nil {
			t.Errorf("%s: at the end the state is %+v, want 1.1.0 current and no trial", n, st)
		}
	}
}

// waitFleet waits until the firmware that the ready members called names
// report makes ok true, and returns it.
func waitFleet(t *testing.T, h *home.Home, names []string, within time.Duration, what string, ok func(map[string]*fwStatus) bool) map[string]*fwStatus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	var last map[string]*fwStatus
	for {
		fs := map[string]*fwStatus{}
		for _, n := range names {
			if f, err := memberFirmware(ctx, h, n); err == nil && f != nil {
				fs[n] = f
			}
		}
		if len(fs) == len(names) {
			last = fs
			if ok(fs) {
				return fs
			}
		}
		select {
		case <-ctx.Done():
			var b strings.Builder
			for n, f := range last {
				fmt.Fprintf(&b, " %s: %+v", n, *f)
			}
			t.Fatalf("%s: not within %s (last:%s)", what, within, b.String())
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func all(fs map[string]*fwStatus, ok func(*fwStatus) bool) bool {
	for _, f := range fs {
		if !ok(f) {
			return false
		}
	}
	return true
}
