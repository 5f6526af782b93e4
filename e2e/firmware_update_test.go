package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/firmware/boards"
	"github.com/hearth-home/hearth/firmware/image"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
	"github.com/hearth-home/hearth/hearthtest/ntptest"
)

// fwStatus is the firmware part of a member in `hearth pool ls -o json`
// (docs/firmware.md, "Device status").
type fwStatus struct {
	Board        string `json:"board"`
	Version      string `json:"version"`
	Slot         string `json:"slot"`
	Trial        bool   `json:"trial"`
	LastRollback *struct {
		From, To, Reason string
	} `json:"last_rollback"`
}

// memberFirmware is the firmware status of the member called name, or nil.
func memberFirmware(ctx context.Context, h *home.Home, name string) (*fwStatus, error) {
	var ms []struct {
		State api.MemberState `json:"state"`
		Node  struct {
			Name string `json:"name"`
		} `json:"node"`
		Firmware *fwStatus `json:"firmware"`
	}
	if err := h.CLIJSON(ctx, &ms, "pool", "ls"); err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Node.Name == name && m.State == api.MemberReady {
			return m.Firmware, nil
		}
	}
	return nil, nil
}

// waitFirmware waits until name reports firmware for which ok holds; v
// is its VM, nil for a device that is not one.
func waitFirmware(t *testing.T, h *home.Home, v *vm, name string, within time.Duration, what string, ok func(*fwStatus) bool) *fwStatus {
	t.Helper()
	var vmDone <-chan error
	if v != nil {
		vmDone = v.done
	}
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	var last *fwStatus
	for {
		fw, err := memberFirmware(ctx, h, name)
		if err == nil && fw != nil {
			last = fw
			if ok(fw) {
				return fw
			}
		}
		select {
		case err := <-vmDone:
			t.Fatalf("QEMU ended while waiting for %s: %v", what, err)
		case <-ctx.Done():
			t.Fatalf("%s: not within %s (last firmware status %+v)", what, within, last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

var (
	goodBinsMu  sync.Mutex
	goodBinsDir = map[string]string{}
)

// goodBins builds the programs an update's slot holds (no gateway) for
// the board, once per test binary.
func goodBins(b *boards.Board) (string, error) {
	goodBinsMu.Lock()
	defer goodBinsMu.Unlock()
	if dir, ok := goodBinsDir[b.Name]; ok {
		return dir, nil
	}
	if _, err := testRelease(); err != nil {
		return "", err
	}
	dir := filepath.Join(fwDir, "bins-"+b.Name) // removed by TestMain
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, pkg := range image.Binaries {
		if pkg == "hearth-gateway" {
			continue
		}
		tags := ""
		if pkg == "hearth-agent" {
			tags = "nethttpomithttp2,nocontainerd"
		}
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-tags", tags, "-o", dir+"/", "./cmd/"+pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+b.GOARCH, "GOARM="+b.GOARM)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	goodBinsDir[b.Name] = dir
	return dir, nil
}

// brokenBins fills dir with the board's binaries, one of them (name)
// replaced with a program that does what broken is ("exit" exits 1,
// "hang" sleeps forever), for a release that must roll back.
func brokenBins(b *boards.Board, dir, name, broken string) error {
	good, err := goodBins(b)
	if err != nil {
		return err
	}
	for _, pkg := range image.Binaries {
		if _, err := os.Stat(filepath.Join(good, pkg)); err == nil {
			if out, err := exec.Command("cp", "-p", filepath.Join(good, pkg), dir).CombinedOutput(); err != nil {
				return fmt.Errorf("cp %s: %v: %s", pkg, err, out)
			}
		}
	}
	body := map[string]string{
		"exit": `package main

import "os"

func main() { os.Stderr.WriteString("broken on purpose\n"); os.Exit(1) }
`,
		"hang": `package main

import "time"

func main() { time.Sleep(1000 * time.Hour) }
`,
	}[broken]
	src := filepath.Join(dir, "src", "main.go")
	if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(src, []byte(body), 0o644); err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Dir(src))
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+b.GOARCH, "GOARM="+b.GOARM, "GO111MODULE=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the broken %s: %v\n%s", name, err, out)
	}
	return nil
}

// slotRelease is a release a firmware test publishes: its version; for a
// broken one, which program (name) does what (broken: "exit" or "hang",
// see brokenBins) and what its rollback must say (reason); gateway: the
// slot of gateway-role appliances.
type slotRelease struct {
	version, name, broken, reason string
	gateway                       bool
}

// builtSlot is a release's slot image, built in dir.
type builtSlot struct {
	slot, dir string
	err       error
}

// buildReleases builds the releases' slots one after the other in the
// background, from before the device boots and while it tries the release
// before: the timings start at the import, as an owner's would. The test's
// end stops and waits for it.
func buildReleases(t *testing.T, ctx context.Context, b *boards.Board, releases []slotRelease) []chan builtSlot {
	ctx, cancel := context.WithCancel(ctx)
	slots := make([]chan builtSlot, len(releases))
	dirs := make([][2]string, len(releases)) // binaries (none: the builder's own), output
	for i, r := range releases {
		slots[i] = make(chan builtSlot, 1)
		dirs[i][1] = t.TempDir()
		if r.broken != "" {
			dirs[i][0] = t.TempDir()
		}
	}
	building := make(chan struct{})
	go func() {
		defer close(building)
		for i, r := range releases {
			var err error
			if r.broken != "" {
				err = brokenBins(b, dirs[i][0], r.name, r.broken)
			}
			var res *image.Result
			if err == nil {
				res, err = image.Build(ctx, image.Options{Board: b, Version: r.version, OutDir: dirs[i][1], Src: root, BinDir: dirs[i][0],
					SlotOnly: true, GatewaySlot: r.gateway, TUFRoot: fwRel.rootFile, Log: slog.New(slog.DiscardHandler)})
			}
			if err != nil {
				slots[i] <- builtSlot{err: fmt.Errorf("building %s: %w", r.version, err)}
				return
			}
			slots[i] <- builtSlot{slot: res.SlotZst, dir: dirs[i][1]}
		}
	}()
	t.Cleanup(func() { cancel(); <-building }) // before the directories go
	return slots
}

// importRelease waits for the release's slot, signs it into the test's
// release repository and imports the bundle with `hearth firmware import`
// through cli.
func importRelease(t *testing.T, b *boards.Board, r slotRelease, slot <-chan builtSlot, cli func(args ...string) ([]byte, error)) {
	t.Helper()
	s := <-slot
	if s.err != nil {
		t.Fatal(s.err)
	}
	bundle := filepath.Join(s.dir, "bundle.tar")
	add := fwRel.AddSlot
	if r.gateway {
		add = fwRel.AddGatewaySlot
	}
	if err := fwRel.publish(add, b.Name, r.version, s.slot, bundle); err != nil {
		t.Fatal(err)
	}
	if out, err := cli("firmware", "import", bundle); err != nil {
		t.Fatalf("hearth firmware import: %v\n%s", err, out)
	}
}

// A device takes a release its gateway imported and commits it once it
// pairs again; releases that break (the agent exits, init dies and the
// kernel panics, the agent hangs) roll back by themselves to the one
// before, which reports why, and the gateway's rollout stops there.
//
//	BENCH firmware.update_commit_s <n> s   import to the new slot committed and paired
//	BENCH firmware.rollback_s <n> s        import of a broken release to the old slot paired again (goal <= 60)
//	BENCH firmware.e2e_s <n> s             the firmware tests, the image's build included (goal <= 300)
func TestFirmwareUpdatesAndRollsBack(t *testing.T) {
	b, res, bios := firmwareImage(t)
	h := startHome(t, home.Options{Agents: 1, GatewayOnly: true, Prefix: "fu",
		GatewayArgs: []string{"--firmware-root", fwRel.rootFile}})
	// A 30 s trial window: a hung release is undone after it. The owner
	// may log in over SSH.
	me := newOwner(t)
	// A time server on the home's network whose clock is an hour ahead of
	// this machine's: the device takes its time from it (hearth.txt's ntp).
	gwIP, _, _ := net.SplitHostPort(h.GwAddr)
	pc, err := netnstest.ListenPacket(h.Gateway.NS, "udp4", net.JoinHostPort(gwIP, "123"))
	if err != nil {
		t.Fatal(err)
	}
	ts := ntptest.Serve(pc, time.Hour)
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	// A good release, then broken ones: each must roll back to 1.1.0.
	releases := []slotRelease{
		{version: "1.1.0"},
		{version: "1.2.0", name: "hearth-agent", broken: "exit", reason: "exited 3 times"},
		{version: "1.3.0", name: "hearth-init", broken: "exit", reason: "no reason recorded"},
		{version: "1.4.0", name: "hearth-agent", broken: "hang", reason: "not paired again"},
	}
	slots := buildReleases(t, ctx, b, releases)
	v := bootVM(t, h, b, res, bios, 0, "--token", h.Token, "--name", "armvm", "--trial-timeout", "30s", "--ssh-key", me.Line+" owner@e2e",
		"--ntp", gwIP)
	waitMember(t, h, v, "armvm", 3*time.Minute)
	if out := sshRun(t, h, v, me, "cat /slot/etc/hearth/version; ls /data/log"); !strings.Contains(out, "agent.log") {
		t.Errorf("over SSH the device says %q; want its version and its logs", out)
	}
	out := strings.TrimSpace(sshRun(t, h, v, me, "date +%s"))
	if secs, err := strconv.ParseInt(out, 10, 64); err != nil || time.Unix(secs, 0).Sub(time.Now().Add(time.Hour)).Abs() > time.Minute {
		t.Errorf("the device's clock says %q (%v), want this machine's and an hour, as its time server says (answers: %d)", out, err, ts.Answered.Load())
	}
	if c := v.Console(); !strings.Contains(c, "clock set from the network") {
		t.Error("the console does not say that the clock was set from the network")
	}
	release := func(i int) {
		importRelease(t, b, releases[i], slots[i], func(args ...string) ([]byte, error) { return h.CLI(ctx, args...) })
	}

	// The good release: installed into slot B, tried, committed.
	release(0)
	start := time.Now()
	fw := waitFirmware(t, h, v, "armvm", 5*time.Minute, "1.1.0 committed", func(f *fwStatus) bool {
		return f.Version == "1.1.0" && !f.Trial
	})
	if fw.Slot != "B" {
		t.Errorf("1.1.0 runs from slot %q, want B", fw.Slot)
	}
	fmt.Printf("BENCH firmware.update_commit_s %.1f s\n", time.Since(start).Seconds())
	if c := v.Console(); !strings.Contains(c, "hearth-init: committed slot B") {
		t.Error("the console does not say that slot B was committed")
	}
	// An update's slot has SSH too (and no gateway).
	if out := sshRun(t, h, v, me, "cat /slot/etc/hearth/version; ls /slot/bin"); !strings.Contains(out, "1.1.0") ||
		strings.Contains(out, "hearth-gateway") || !strings.Contains(out, "hearth-agent") {
		t.Errorf("over SSH on 1.1.0 the device says %q; want 1.1.0, its agent and no gateway", out)
	}

	// The broken releases: each rolls back to 1.1.0 in slot B.
	for i, tc := range releases[1:] {
		release(i + 1)
		start := time.Now()
		fw := waitFirmware(t, h, v, "armvm", 5*time.Minute, tc.version+" rolled back", func(f *fwStatus) bool {
			return f.LastRollback != nil && f.LastRollback.To == tc.version
		})
		took := time.Since(start)
		if fw.Version != "1.1.0" || fw.Slot != "B" || fw.Trial {
			t.Errorf("after %s rolled back the device runs %s from slot %s (trial %v), want 1.1.0 from B, committed", tc.version, fw.Version, fw.Slot, fw.Trial)
		}
		if !strings.Contains(fw.LastRollback.Reason, tc.reason) {
			t.Errorf("%s rolled back because %q, want it to say %q", tc.version, fw.LastRollback.Reason, tc.reason)
		}
		if tc.version == "1.2.0" {
			fmt.Printf("BENCH firmware.rollback_s %.1f s\n", took.Seconds())
		}
		var st map[string]any
		if err := h.CLIJSON(ctx, &st, "firmware", "status"); err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(st); !strings.Contains(s, "stopped") {
			t.Errorf("after %s rolled back, hearth firmware status says %s; want its rollout stopped", tc.version, s)
		}
	}
	fmt.Printf("BENCH firmware.e2e_s %.0f s\n", time.Since(fwStart).Seconds())
}

// The plug pulled while a release is written to the other slot, at a
// different moment each time: the device always comes back on a committed
// slot and pairs again; the write starts over when the gateway offers
// the release again, and the release is committed once it can finish.
// HEARTH_FIRMWARE_POWERCUTS sets how many cuts (default 10, spread over
// the write).
func TestFirmwarePowerCutDuringUpdate(t *testing.T) {
	b, res, bios := firmwareImage(t)
	cuts := 10
	if n, err := strconv.Atoi(os.Getenv("HEARTH_FIRMWARE_POWERCUTS")); err == nil && n > 0 {
		cuts = n
	}
	h := startHome(t, home.Options{Agents: 1, GatewayOnly: true, Prefix: "fp",
		GatewayArgs: []string{"--firmware-root", fwRel.rootFile}})
	v := bootVM(t, h, b, res, bios, 0, "--token", h.Token, "--name", "armvm")
	waitMember(t, h, v, "armvm", 3*time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	// 2.0.0: above what the other tests of this binary published in the
	// same repository (the image pins its keys), so that it is the
	// rollout's target whatever ran before.
	const v2 = "2.0.0"
	bins, err := goodBins(b)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	r, err := image.Build(ctx, image.Options{Board: b, Version: v2, OutDir: out, Src: root, BinDir: bins,
		SlotOnly: true, TUFRoot: fwRel.rootFile, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(out, "bundle.tar")
	if err := fwRel.publish(fwRel.AddSlot, b.Name, v2, r.SlotZst, bundle); err != nil {
		t.Fatal(err)
	}
	const writing = "writing the inactive slot"
	prev := strings.Count(v.Console(), writing)
	if out, err := h.CLI(ctx, "firmware", "import", bundle); err != nil {
		t.Fatalf("hearth firmware import: %v\n%s", err, out)
	}

	rng := rand.New(rand.NewPCG(16, 10))
	for i := range cuts {
		// Wait for this attempt's write to start, then cut at a moment
		// somewhere in it.
		deadline := time.Now().Add(3 * time.Minute)
		for strings.Count(v.Console(), writing) <= prev {
			if time.Now().After(deadline) {
				t.Fatalf("cut %d: the device did not start writing the release", i+1)
			}
			time.Sleep(200 * time.Millisecond)
		}
		prev = strings.Count(v.Console(), writing)
		// The cuts spread over the first 8 s of the write, one in each
		// of as many equal parts, at a random moment of its part.
		delay := time.Duration(float64(8*time.Second) * (float64(i) + rng.Float64()) / float64(cuts))
		time.Sleep(delay)
		v.stop()
		t.Logf("cut %d: the plug pulled %s into the write", i+1, delay.Round(time.Millisecond))
		paired := strings.Count(v.Console(), "paired with gateway")
		v.start(t)
		deadline = time.Now().Add(3 * time.Minute)
		for strings.Count(v.Console(), "paired with gateway") <= paired {
			if time.Now().After(deadline) {
				t.Fatalf("cut %d: the device did not pair again after the cut", i+1)
			}
			time.Sleep(250 * time.Millisecond)
		}
		time.Sleep(2 * time.Second) // a heartbeat with this boot's status
		fw, err := memberFirmware(ctx, h, "armvm")
		if err != nil || fw == nil {
			t.Fatalf("cut %d: no firmware status (%v)", i+1, err)
		}
		if fw.Version != fwV1 && fw.Version != v2 {
			t.Errorf("cut %d: the device runs %q", i+1, fw.Version)
		}
		t.Logf("cut %d: back on %s from slot %s (trial %v)", i+1, fw.Version, fw.Slot, fw.Trial)
		if fw.LastRollback != nil && fw.LastRollback.To == v2 {
			// The cut fell on the trial boot itself: the device went back
			// to the committed slot, as it must, and the rollout stopped.
			t.Logf("cut %d hit the trial boot: rolled back (%s)", i+1, fw.LastRollback.Reason)
			return
		}
		if fw.Version == v2 {
			break // the cut came after the trial was armed: it is being tried
		}
	}
	// Left alone, the release is written, tried and committed.
	fw := waitFirmware(t, h, v, "armvm", 5*time.Minute, v2+" committed after the cuts", func(f *fwStatus) bool {
		return f.Version == v2 && !f.Trial
	})
	if fw.Slot != "B" {
		t.Errorf("%s runs from slot %q, want B", v2, fw.Slot)
	}
}

// A gateway-role appliance (hearth.txt: role = gateway) updates itself:
// its gateway imports a release that carries the gateway's slot
// (hearth-os-gateway), installs it from its own mirror into the other
// slot and reboots; hearth-init commits the slot once the gateway listens
// again. A release whose gateway exits rolls back by itself to the one
// before, which the gateway then reports and never installs again. The
// owner drives it with the credentials the appliance left on its boot
// partition.
//
//	BENCH firmware.gateway_update_s <n> s     import to the gateway's new slot committed and serving
//	BENCH firmware.gateway_rollback_s <n> s   import of a broken release to the old slot serving again (goal <= 60)
func TestFirmwareGatewayUpdatesItself(t *testing.T) {
	b, res, bios := firmwareImage(t)
	// The home's network, for the appliance and the owner's CLI; the
	// home's own gateway is not used.
	h := startHome(t, home.Options{Agents: 1, GatewayOnly: true, Prefix: "fg"})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	// The releases, built while the appliance boots: 1.1.0 good, 1.2.0
	// with a gateway that exits.
	releases := []slotRelease{
		{version: "1.1.0", gateway: true},
		{version: "1.2.0", gateway: true, name: "hearth-gateway", broken: "exit", reason: "exited 3 times"},
	}
	slots := buildReleases(t, ctx, b, releases)

	// The appliance, on a 2 GiB card: its data partition, grown to the
	// card, holds the mirror.
	v := bootVM(t, h, b, res, bios, 2<<30, "--role", "gateway", "--name", "gwvm", "--trial-timeout", "30s")
	creds := filepath.Join(t.TempDir(), "credentials.json")
	waitCredentials(t, v, creds, 3*time.Minute)
	cli := func(ctx context.Context, args ...string) ([]byte, error) { return h.CLIAs(ctx, creds, args...) }
	self := func(what string, within time.Duration, ok func(*api.FirmwareStatus) bool) *api.FirmwareStatus {
		t.Helper()
		deadline := time.Now().Add(within)
		var last any
		for {
			out, err := cli(ctx, "firmware", "status", "-o", "json")
			var st api.Firmware
			if err == nil && json.Unmarshal(out, &st) == nil && st.Gateway != nil && st.Gateway.Firmware != nil {
				last = *st.Gateway
				if ok(st.Gateway.Firmware) {
					return st.Gateway.Firmware
				}
			} else if err != nil {
				last = err
			}
			select {
			case err := <-v.done:
				t.Fatalf("QEMU ended while waiting for %s: %v", what, err)
			case <-time.After(time.Until(deadline)):
				t.Fatalf("%s: not within %s (last: %+v)", what, within, last)
			case <-time.After(time.Second):
			}
		}
	}
	fw := self("the appliance's own status", 2*time.Minute, func(*api.FirmwareStatus) bool { return true })
	if fw.Version != fwV1 || fw.Slot != "A" || fw.Board != b.Name {
		t.Fatalf("the gateway says its appliance runs %+v, want %s %s from slot A", fw, b.Name, fwV1)
	}
	release := func(i int) {
		importRelease(t, b, releases[i], slots[i], func(args ...string) ([]byte, error) { return cli(ctx, args...) })
	}

	release(0)
	start := time.Now()
	fw = self("1.1.0 committed", 5*time.Minute, func(f *api.FirmwareStatus) bool { return f.Version == "1.1.0" && !f.Trial })
	if fw.Slot != "B" {
		t.Errorf("1.1.0 runs from slot %q, want B", fw.Slot)
	}
	fmt.Printf("BENCH firmware.gateway_update_s %.1f s\n", time.Since(start).Seconds())
	if c := v.Console(); !strings.Contains(c, "hearth-init: committed slot B") || !strings.Contains(c, "trial boot: waiting for the gateway") {
		t.Error("the console does not say that the gateway's trial of slot B committed")
	}

	release(1)
	start = time.Now()
	fw = self("1.2.0 rolled back", 5*time.Minute, func(f *api.FirmwareStatus) bool {
		return f.LastRollback != nil && f.LastRollback.To == "1.2.0"
	})
	took := time.Since(start)
	if fw.Version != "1.1.0" || fw.Slot != "B" || fw.Trial || !strings.Contains(fw.LastRollback.Reason, releases[1].reason) {
		t.Errorf("after 1.2.0 rolled back the appliance runs %+v, want 1.1.0 from B, committed, and why (the gateway exited)", fw)
	}
	fmt.Printf("BENCH firmware.gateway_rollback_s %.1f s\n", took.Seconds())
	// It does not try 1.2.0 again.
	out, err := cli(ctx, "firmware", "status")
	if err != nil || !strings.Contains(string(out), "rolled back from 1.2.0") {
		t.Errorf("hearth firmware status after the rollback: %v\n%s", err, out)
	}
}

// waitCredentials waits for the owner's credentials that a gateway-role
// appliance leaves on its boot partition, and copies them to dst.
func waitCredentials(t *testing.T, v *vm, dst string, within time.Duration) {
	t.Helper()
	disk := filepath.Join(filepath.Dir(v.console), "disk.img")
	deadline := time.After(within)
	for {
		if b, err := image.ReadBootFile(disk, "hearth-credentials.json"); err == nil && json.Valid(b) {
			if err := os.WriteFile(dst, b, 0o600); err != nil {
				t.Fatal(err)
			}
			return
		}
		select {
		case err := <-v.done:
			t.Fatalf("QEMU ended before the appliance left its credentials: %v", err)
		case <-deadline:
			t.Fatalf("no hearth-credentials.json on the boot partition within %s:\n%s", within, tail(v.Console(), 40))
		case <-time.After(time.Second):
		}
	}
}
