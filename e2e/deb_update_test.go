package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
// which says why, and the gateway's rollout stops. Real processes: the
// gateway, the supervisor and each agent, in the home's namespaces.
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
	updDir := filepath.Join(dir, "update")
	h := startHome(t, home.Options{Agents: 1, Prefix: "du",
		GatewayArgs: []string{"--firmware-root", rel.rootFile},
		PerAgent: []home.AgentOptions{{Name: "debpi", Binary: packaged,
			Wrapper: []string{updater, "supervise", "--dir", updDir, "--root", rel.rootFile, "--trial-timeout", "20s", "--"}}}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	fw := waitFirmware(t, h, nil, "debpi", time.Minute, "the packaged agent reported", func(f *fwStatus) bool {
		return f.Version == "1.0.0" && !f.Trial
	})
	if fw.Board != platform {
		t.Errorf("the .deb agent reports board %q, want %s", fw.Board, platform)
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
	state := func() (st struct {
		Current, Previous *struct{ Version, File string }
		Trial             any
	}) {
		t.Helper()
		raw, err := os.ReadFile(filepath.Join(updDir, "state.json"))
		if err == nil {
			err = json.Unmarshal(raw, &st)
		}
		if err != nil {
			t.Fatalf("state.json: %v", err)
		}
		return st
	}

	// A good release: fetched, tried, committed.
	publish("1.1.0", good)
	start := time.Now()
	waitFirmware(t, h, nil, "debpi", 2*time.Minute, "1.1.0 committed", func(f *fwStatus) bool {
		return f.Version == "1.1.0" && !f.Trial
	})
	t.Logf("1.1.0 committed %.1f s after its import", time.Since(start).Seconds())
	if st := state(); st.Current == nil || st.Current.Version != "1.1.0" || st.Trial != nil {
		t.Errorf("after the commit the state is %+v, want 1.1.0 current and no trial", st)
	}
	if _, err := os.Stat(filepath.Join(updDir, "bin", "hearth-agent-1.1.0")); err != nil {
		t.Errorf("the committed agent is not kept: %v", err)
	}

	// Broken releases: each rolls back to 1.1.0, which says why.
	for _, tc := range []struct{ version, does, reason string }{
		{"1.2.0", "exit", "exited 3 times"},
		{"1.3.0", "hang", "not paired again within 20s"},
	} {
		publish(tc.version, broken(tc.version, tc.does))
		start := time.Now()
		fw := waitFirmware(t, h, nil, "debpi", 3*time.Minute, tc.version+" rolled back", func(f *fwStatus) bool {
			return f.LastRollback != nil && f.LastRollback.To == tc.version && f.Version == "1.1.0"
		})
		t.Logf("%s rolled back %.1f s after its import", tc.version, time.Since(start).Seconds())
		if fw.Trial || !strings.Contains(fw.LastRollback.Reason, tc.reason) {
			t.Errorf("after %s: trial %v, rollback reason %q; want committed 1.1.0 and %q", tc.version, fw.Trial, fw.LastRollback.Reason, tc.reason)
		}
		if _, err := os.Stat(filepath.Join(updDir, "bin", "hearth-agent-"+tc.version)); err == nil {
			t.Errorf("the rolled-back %s is still kept", tc.version)
		}
		var st map[string]any
		if err := h.CLIJSON(ctx, &st, "firmware", "status"); err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(st); !strings.Contains(s, "stopped") {
			t.Errorf("after %s rolled back, hearth firmware status says %s; want its rollout stopped", tc.version, s)
		}
	}
	if st := state(); st.Current == nil || st.Current.Version != "1.1.0" || st.Trial != nil {
		t.Errorf("at the end the state is %+v, want 1.1.0 current and no trial", st)
	}
}
