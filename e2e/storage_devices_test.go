package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

// TestResticOnTheDevices: Debian's restic backs a generated tree up to a
// gateway that keeps it on five agents (each a process in a network
// namespace of its own, with --storage-dir), coded 3+2. Two agents are
// killed with SIGKILL and their storage directories deleted: `restic
// check --read-data` passes and a restore is byte-identical, rebuilt from
// the three left. Prints the pool's figures beside restic's against a
// local directory in the same run.
func TestResticOnTheDevices(t *testing.T) {
	restic := lookTool(t, "restic")
	base := t.TempDir()
	dirs := make([]string, 5)
	per := make([]home.AgentOptions, 5)
	for i := range dirs {
		dirs[i] = filepath.Join(base, fmt.Sprintf("shards-%d", i+1))
		per[i] = home.AgentOptions{Args: []string{"--storage-dir", dirs[i]}}
	}
	h := startHome(t, home.Options{Agents: 5, Prefix: "hk", PerAgent: per,
		GatewayArgs: []string{"--storage", ":7480", "--storage-on", "devices"}})
	waitReady(t, h, 5)
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	status := func() api.StorageStatus {
		t.Helper()
		var st api.StorageStatus
		if err := h.CLIJSON(ctx, &st, "storage", "status"); err != nil {
			t.Fatal(err)
		}
		return st
	}
	// tryStatus is the status, or none while the gateway (re)starts.
	tryStatus := func() api.StorageStatus {
		var st api.StorageStatus
		h.CLIJSON(ctx, &st, "storage", "status")
		return st
	}
	waitLive := func(n int) api.StorageStatus {
		t.Helper()
		deadline := time.Now().Add(40 * time.Second)
		for {
			st := tryStatus()
			live := 0
			for _, d := range st.Devices {
				if d.Live {
					live++
				}
			}
			if live == n {
				return st
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d storage devices connected, want %d: %+v", live, n, st.Devices)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	if st := waitLive(5); st.K != 3 || st.M != 2 {
		t.Fatalf("five devices code files as %d+%d, want 3+2", st.K, st.M)
	}

	cert := filepath.Join(base, "gw.pem")
	out, err := h.CLI(ctx, "storage", "user", "add", "laptop", "--cert-out", cert)
	repo := strings.TrimSpace(strings.TrimPrefix(lineOf(string(out), "Repository:"), "Repository:"))
	if err != nil || repo == "" {
		t.Fatalf("hearth storage user add: %v\n%s", err, out)
	}
	// restic runs in the gateway's namespace, where the home's addresses
	// are; the repository's address names the gateway's.
	run := func(repo string, args ...string) (string, error) {
		cmd := netnstest.CommandContext(ctx, h.Gateway.NS, restic, append([]string{"-r", repo, "--cacert", cert, "--no-cache"}, args...)...)
		cmd.Env = append(os.Environ(), "RESTIC_PASSWORD=correct horse battery staple")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(repo string, args ...string) string {
		t.Helper()
		out, err := run(repo, args...)
		if err != nil {
			t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	src := genTree(t, filepath.Join(base, "src"))
	mb := float64(treeSize(t, src)) / 1e6
	must(repo, "init")
	start := time.Now()
	must(repo, "backup", src)
	backup := time.Since(start)
	must(repo, "check", "--read-data")
	start = time.Now()
	dst := filepath.Join(base, "restore-healthy")
	must(repo, "restore", "latest", "--target", dst)
	restore := time.Since(start)
	sameTree(t, src, filepath.Join(dst, src))

	// What the devices hold against what restic stored.
	st := status()
	var onDisk int64 // the shards; the gateway's catalogs are beside them
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && !strings.HasPrefix(e.Name(), "catalog-") {
				if info, err := e.Info(); err == nil {
					onDisk += info.Size()
				}
			}
			return nil
		})
	}
	if onDisk != st.Stored {
		t.Errorf("the devices' directories hold %d bytes, the gateway counts %d", onDisk, st.Stored)
	}
	overhead := float64(onDisk) / float64(st.Bytes)
	if overhead < 1.6 || overhead > 2.0 {
		t.Errorf("stored %d bytes for restic's %d: %.2fx, want about 5/3", onDisk, st.Bytes, overhead)
	}

	// A shard damaged on a device's disk: the gateway catches it by its
	// hash and reads the file from the others; a scrub finds it and
	// rebuilds it.
	var victim string
	filepath.WalkDir(dirs[4], func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && victim == "" {
			if info, _ := d.Info(); info.Size() > 1<<20 {
				victim = p
			}
		}
		return nil
	})
	if victim == "" {
		t.Fatalf("no shard over 1 MiB in %s", dirs[4])
	}
	raw, _ := os.ReadFile(victim)
	raw[len(raw)/2] ^= 0xff
	os.WriteFile(victim, raw, 0o600)
	must(repo, "check", "--read-data")
	// The read marked the file for the next pass, which may be the
	// gateway's own (every 30 s) or this one: either way the damaged
	// shard is rebuilt elsewhere, and deleted.
	out, err = h.CLI(ctx, "storage", "repair", "--scrub")
	if err != nil || !strings.Contains(string(out), "0 lost") {
		t.Errorf("hearth storage repair --scrub after a shard was damaged: %v\n%s", err, out)
	}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(victim); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the damaged shard %s is still there after the repair:\n%s", victim, out)
		}
	}

	// Two devices die and their disks with them.
	for _, i := range []int{0, 1} {
		h.Agents[i].Kill()
		if err := os.RemoveAll(dirs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if st := waitLive(3); st.AtRisk == 0 {
		t.Errorf("two devices away and no file at risk: %+v", st)
	}
	if out, err := h.CLI(ctx, "storage", "status"); err != nil || !strings.Contains(string(out), "away") {
		t.Errorf("hearth storage status with two devices away: %v\n%s", err, out)
	} else {
		t.Logf("hearth storage status:\n%s", out)
	}
	must(repo, "check", "--read-data")
	start = time.Now()
	dst = filepath.Join(base, "restore-degraded")
	must(repo, "restore", "latest", "--target", dst)
	degraded := time.Since(start)
	sameTree(t, src, filepath.Join(dst, src))

	// Repair: the files are coded anew for the three left (2+1), so that
	// a third device lost later loses nothing.
	out, err = h.CLI(ctx, "storage", "repair", "--now")
	if err != nil || !strings.Contains(string(out), "0 lost") {
		t.Fatalf("hearth storage repair --now: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	// (A small file whose three copies all sat on the three left needs
	// nothing.)
	if st := status(); st.AtRisk != 0 || st.Repair.Recoded == 0 || st.Repair.Lost != 0 {
		t.Errorf("after the repair: %d files at risk, %d recoded, %d rebuilt, %d lost of %d", st.AtRisk, st.Repair.Recoded, st.Repair.Rebuilt, st.Repair.Lost, st.Files)
	}
	h.Agents[2].Kill()
	os.RemoveAll(dirs[2])
	waitLive(2)
	must(repo, "check", "--read-data")

	// The lost devices come back, wiped (new identities: they pair again
	// with the token). The gateway is killed with SIGKILL in the middle
	// of a backup: restic's next run completes it and every file it was
	// told is stored checks.
	for _, i := range []int{1, 2, 3} {
		if _, err := h.AddAgent(i); err != nil {
			t.Fatal(err)
		}
	}
	waitLive(5)
	more := filepath.Join(src, "more")
	os.MkdirAll(more, 0o755)
	buf := make([]byte, 4<<20)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 10 {
		for j := range buf {
			buf[j] = byte(rng.Uint32()) // restic compresses anything less random
		}
		os.WriteFile(filepath.Join(more, fmt.Sprintf("m%d.bin", i)), buf, 0o644)
	}
	before := status().Files
	backupRun := netnstest.CommandContext(ctx, h.Gateway.NS, restic, "-r", repo, "--cacert", cert, "--no-cache", "backup", src)
	backupRun.Env = append(os.Environ(), "RESTIC_PASSWORD=correct horse battery staple")
	var blog strings.Builder
	backupRun.Stdout, backupRun.Stderr = &blog, &blog
	if err := backupRun.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); tryStatus().Files < before+2; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no new file stored within 60 s:\n%s", blog.String())
		}
	}
	h.Gateway.Kill()
	time.Sleep(time.Second)
	if err := h.Gateway.Start(); err != nil {
		t.Fatal(err)
	}
	err = backupRun.Wait()
	t.Logf("the backup across the gateway's kill: %v\n%s", err, blog.String())
	waitLive(5)
	if err != nil {
		run(repo, "unlock")
		must(repo, "backup", src)
	}
	must(repo, "check", "--read-data")
	dst = filepath.Join(base, "restore-after-kill")
	must(repo, "restore", "latest", "--target", dst)
	sameTree(t, src, filepath.Join(dst, src))

	// The peer: restic against a local directory, in this run.
	local := filepath.Join(base, "local-repo")
	must(local, "init")
	start = time.Now()
	must(local, "backup", src)
	localBackup := time.Since(start)
	start = time.Now()
	must(local, "restore", "latest", "--target", filepath.Join(base, "restore-local"))
	localRestore := time.Since(start)

	fmt.Printf("BENCH storage.devices 5\n")
	fmt.Printf("BENCH storage.tree_mb %.1f MB\n", mb)
	fmt.Printf("BENCH storage.backup_mb_per_s %.1f MB/s\n", mb/backup.Seconds())
	fmt.Printf("BENCH storage.restore_mb_per_s %.1f MB/s\n", mb/restore.Seconds())
	fmt.Printf("BENCH storage.local_backup_mb_per_s %.1f MB/s\n", mb/localBackup.Seconds())
	fmt.Printf("BENCH storage.local_restore_mb_per_s %.1f MB/s\n", mb/localRestore.Seconds())
	fmt.Printf("BENCH storage.backup_ratio_to_local %.2f\n", localBackup.Seconds()/backup.Seconds())
	fmt.Printf("BENCH storage.restore_ratio_to_local %.2f\n", localRestore.Seconds()/restore.Seconds())
	fmt.Printf("BENCH storage.restore_degraded_ratio %.2f\n", degraded.Seconds()/restore.Seconds())
	fmt.Printf("BENCH storage.overhead %.2f\n", overhead)
	raw, _ = json.Marshal(st)
	t.Logf("status before the losses: %s", raw)
}

// TestRecoverALostGateway: the gateway's disk is lost after a backup to
// three agents. A new gateway is set up in its place, the agents (with
// their identities and storage directories) pair with it, and `hearth
// storage recover` with the old credentials file rebuilds the metadata and
// the users from the catalogs the agents keep: restic, with its old
// password and the new gateway's certificate, checks and restores the
// backup byte for byte.
func TestRecoverALostGateway(t *testing.T) {
	restic := lookTool(t, "restic")
	base := t.TempDir()
	per := make([]home.AgentOptions, 3)
	for i := range per {
		per[i] = home.AgentOptions{Args: []string{"--storage-dir", filepath.Join(base, fmt.Sprintf("shards-%d", i+1))}}
	}
	h := startHome(t, home.Options{Agents: 3, Prefix: "hr", PerAgent: per,
		GatewayArgs: []string{"--storage", ":7480", "--storage-on", "devices"}})
	waitReady(t, h, 3)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	waitLive := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(40 * time.Second); ; time.Sleep(500 * time.Millisecond) {
			var st api.StorageStatus
			h.CLIJSON(ctx, &st, "storage", "status")
			live := 0
			for _, d := range st.Devices {
				if d.Live {
					live++
				}
			}
			if live == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d storage devices connected, want %d", live, n)
			}
		}
	}
	waitLive(3)
	cert := filepath.Join(base, "gw.pem")
	out, err := h.CLI(ctx, "storage", "user", "add", "laptop", "--cert-out", cert)
	repo := strings.TrimSpace(strings.TrimPrefix(lineOf(string(out), "Repository:"), "Repository:"))
	if err != nil || repo == "" {
		t.Fatalf("hearth storage user add: %v\n%s", err, out)
	}
	must := func(cert string, args ...string) string {
		t.Helper()
		cmd := netnstest.CommandContext(ctx, h.Gateway.NS, restic, append([]string{"-r", repo, "--cacert", cert, "--no-cache"}, args...)...)
		cmd.Env = append(os.Environ(), "RESTIC_PASSWORD=correct horse battery staple")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	src := genTree(t, filepath.Join(base, "src"))
	must(cert, "init")
	must(cert, "backup", src)
	// The catalogs follow a change within ten seconds.
	time.Sleep(12 * time.Second)

	old := filepath.Join(base, "old-credentials.json")
	raw, err := os.ReadFile(h.Creds)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(old, raw, 0o600)
	if err := h.ReplaceGateway(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if err := h.RejoinAgent(i); err != nil {
			t.Fatal(err)
		}
	}
	waitLive(3)
	if out, err := h.CLI(ctx, "storage", "recover", "--old-credentials", h.Creds); err == nil {
		t.Errorf("recover with the new gateway's own credentials succeeded:\n%s", out)
	}
	out, err = h.CLI(ctx, "storage", "recover", "--old-credentials", old)
	if err != nil || !strings.Contains(string(out), "1 user") {
		t.Fatalf("hearth storage recover: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	// The new gateway's certificate, from a user made on it.
	newCert := filepath.Join(base, "new-gw.pem")
	if out, err := h.CLI(ctx, "storage", "user", "add", "phone", "--cert-out", newCert); err != nil {
		t.Fatalf("hearth storage user add on the new gateway: %v\n%s", err, out)
	}
	must(newCert, "check", "--read-data")
	dst := filepath.Join(base, "restore")
	must(newCert, "restore", "latest", "--target", dst)
	sameTree(t, src, filepath.Join(dst, src))
	if out, err := h.CLI(ctx, "storage", "recover", "--old-credentials", old); err == nil {
		t.Errorf("a second recover over the recovered backups succeeded:\n%s", out)
	}
}
