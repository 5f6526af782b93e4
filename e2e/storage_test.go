package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestResticBacksUpToTheGateway: Debian's restic against `hearth-gateway
// --dev`'s backup storage: a user made with `hearth storage user add`
// inits a repository, backs up a generated tree (thousands of small
// files, a few large ones, duplicates), `restic check --read-data` passes
// and a restore is byte-identical. A wrong password and another user's
// repository are refused; an append-only user cannot delete; a full quota
// stops restic with a clear error and leaves a repository that checks.
func TestResticBacksUpToTheGateway(t *testing.T) {
	restic := lookTool(t, "restic")
	env, banner := startDev(t, nil)
	if !strings.Contains(lineOf(banner, "backups:"), "https://127.0.0.1:") {
		t.Fatalf("the banner names no backup storage:\n%s", banner)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	certDir := t.TempDir()
	addUser := func(name string, flags ...string) (repo, cert string) {
		t.Helper()
		cert = filepath.Join(certDir, name+".pem")
		out, err := env.hearth(ctx, append([]string{"storage", "user", "add", name, "--cert-out", cert}, flags...)...)
		if err != nil {
			t.Fatalf("hearth storage user add %s: %v\n%s", name, err, out)
		}
		repo = strings.TrimSpace(strings.TrimPrefix(lineOf(out, "Repository:"), "Repository:"))
		if !strings.HasPrefix(repo, "rest:https://"+name+":") {
			t.Fatalf("no repository in:\n%s", out)
		}
		return repo, cert
	}
	run := func(repo, cert string, args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, restic, append([]string{"-r", repo, "--cacert", cert, "--no-cache"}, args...)...)
		cmd.Env = append(env.env, "RESTIC_PASSWORD=correct horse battery staple")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(repo, cert string, args ...string) string {
		t.Helper()
		out, err := run(repo, cert, args...)
		if err != nil {
			t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}

	src := genTree(t, t.TempDir())
	mb := float64(treeSize(t, src)) / 1e6
	laptop, cert := addUser("laptop")
	must(laptop, cert, "init")
	start := time.Now()
	must(laptop, cert, "backup", src)
	backup := time.Since(start)
	must(laptop, cert, "check", "--read-data")
	dst := t.TempDir()
	start = time.Now()
	must(laptop, cert, "restore", "latest", "--target", dst)
	restore := time.Since(start)
	sameTree(t, src, filepath.Join(dst, src))
	// The gateway keeps restic's own layout: its directory is a local
	// repository too (for prune on an append-only user, or a rescue).
	if out := must(filepath.Join(env.home, "state", "hearth", "dev", "storage", "laptop"), cert, "snapshots"); !strings.Contains(out, "1 snapshots") {
		t.Errorf("the gateway's directory as a local repository:\n%s", out)
	}
	// The same with a repository in a local directory, in this run: the
	// peer the figures compare with.
	local := filepath.Join(t.TempDir(), "repo")
	must(local, cert, "init")
	start = time.Now()
	must(local, cert, "backup", src)
	localBackup := time.Since(start)
	start = time.Now()
	must(local, cert, "restore", "latest", "--target", t.TempDir())
	localRestore := time.Since(start)
	fmt.Printf("BENCH storage.gateway_tree_mb %.1f MB\n", mb)
	fmt.Printf("BENCH storage.gateway_backup_mb_per_s %.1f MB/s\n", mb/backup.Seconds())
	fmt.Printf("BENCH storage.gateway_restore_mb_per_s %.1f MB/s\n", mb/restore.Seconds())
	fmt.Printf("BENCH storage.gateway_local_backup_mb_per_s %.1f MB/s\n", mb/localBackup.Seconds())
	fmt.Printf("BENCH storage.gateway_local_restore_mb_per_s %.1f MB/s\n", mb/localRestore.Seconds())
	fmt.Printf("BENCH storage.gateway_backup_ratio_to_local %.2f\n", localBackup.Seconds()/backup.Seconds())
	fmt.Printf("BENCH storage.gateway_restore_ratio_to_local %.2f\n", localRestore.Seconds()/restore.Seconds())

	// Refusals.
	wrong := strings.Replace(laptop, "rest:https://laptop:", "rest:https://laptop:x", 1)
	if out, err := run(wrong, cert, "snapshots"); err == nil {
		t.Errorf("a wrong password opened the repository:\n%s", out)
	}
	other, _ := addUser("phone")
	pass := strings.SplitN(strings.TrimPrefix(other, "rest:https://phone:"), "@", 2)[0]
	theirs := strings.Replace(laptop, "laptop:"+strings.SplitN(strings.TrimPrefix(laptop, "rest:https://laptop:"), "@", 2)[0]+"@", "phone:"+pass+"@", 1)
	if out, err := run(theirs, cert, "snapshots"); err == nil || !strings.Contains(out, "403") {
		t.Errorf("phone read laptop's repository: %v\n%s", err, out)
	}

	// Append-only: restic forget --prune cannot delete.
	vault, _ := addUser("vault", "--append-only")
	must(vault, cert, "init")
	must(vault, cert, "backup", filepath.Join(src, "small"))
	must(vault, cert, "backup", filepath.Join(src, "small"))
	if out, err := run(vault, cert, "forget", "--keep-last", "1", "--prune"); err == nil {
		t.Errorf("forget --prune on an append-only repository succeeded:\n%s", out)
	}
	if out := must(vault, cert, "snapshots", "--json"); strings.Count(out, `"id"`) != 2 {
		t.Errorf("the append-only repository lost a snapshot: %s", out)
	}
	// A direct DELETE, as a thief would send it.
	pem, _ := os.ReadFile(cert)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	base := strings.TrimPrefix(vault, "rest:")
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"snapshots/", nil)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list bytes.Buffer
	list.ReadFrom(resp.Body)
	resp.Body.Close()
	first := strings.Trim(strings.SplitN(strings.Trim(list.String(), "[]\n"), ",", 2)[0], `"`)
	req, _ = http.NewRequestWithContext(ctx, "DELETE", base+"snapshots/"+first, nil)
	if resp, err := hc.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("DELETE of a snapshot in an append-only repository: %v %v, want 403", resp.Status, err)
	}

	// A full quota: restic stops, says so, and the repository checks.
	tiny, tcert := addUser("tiny", "--quota", "2M")
	must(tiny, tcert, "init")
	start = time.Now()
	out, err := run(tiny, tcert, "backup", src)
	t.Logf("the backup past the quota stopped after %v", time.Since(start).Round(time.Millisecond))
	if err == nil || !strings.Contains(out, "507") && !strings.Contains(strings.ToLower(out), "insufficient storage") {
		t.Errorf("a backup past the quota: %v\n%s", err, out)
	}
	must(tiny, tcert, "unlock")
	must(tiny, tcert, "check")
	if out, err := env.hearth(ctx, "storage", "user", "ls"); err != nil || !strings.Contains(lineOf(out, "tiny"), "2Mi") {
		t.Errorf("hearth storage user ls: %v\n%s", err, out)
	}
}

// TestResticSurvivesGatewayKill: the gateway, keeping the files on its own
// disk (--storage-on gateway), is killed with SIGKILL in
// the middle of a backup and started again; restic (retrying) or its next
// run completes the backup, and check --read-data finds every file it was
// told was stored.
func TestResticSurvivesGatewayKill(t *testing.T) {
	restic := lookTool(t, "restic")
	bin := filepath.Join(root, "bin", "hearth-gateway")
	if _, err := os.Stat(bin); err != nil {
		t.Skip("run `make build` first")
	}
	data := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	storageAddr := ln.Addr().String()
	ln.Close()
	var gw *exec.Cmd
	start := func() {
		gw = exec.Command(bin, "--data-dir", data, "--listen", "127.0.0.1:0", "--no-mdns", "--storage", storageAddr, "--storage-on", "gateway", "--dashboard", "off")
		gw.Stderr = &tlog{t: t, prefix: "gateway| "}
		if err := gw.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if c, err := net.Dial("tcp", storageAddr); err == nil {
				c.Close()
				return
			}
		}
		t.Fatal("the gateway's storage did not listen within 15 s")
	}
	start()
	t.Cleanup(func() { gw.Process.Kill(); gw.Wait() })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cert := filepath.Join(t.TempDir(), "gw.pem")
	cli := exec.CommandContext(ctx, filepath.Join(root, "bin", "hearth"), "storage", "user", "add", "laptop", "--cert-out", cert)
	cli.Env = append(os.Environ(), "HEARTH_CREDENTIALS="+filepath.Join(data, "credentials.json"))
	out, err := cli.CombinedOutput()
	repo := strings.TrimSpace(strings.TrimPrefix(lineOf(string(out), "Repository:"), "Repository:"))
	if err != nil || repo == "" {
		t.Fatalf("hearth storage user add: %v\n%s", err, out)
	}
	run := func(args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, restic, append([]string{"-r", repo, "--cacert", cert, "--no-cache"}, args...)...)
		cmd.Env = append(os.Environ(), "RESTIC_PASSWORD=correct horse battery staple")
		return cmd
	}
	if out, err := run("init").CombinedOutput(); err != nil {
		t.Fatalf("restic init: %v\n%s", err, out)
	}
	src := genTree(t, t.TempDir())
	// More data, so that the kill lands mid-backup: 8 random files of 6 MiB.
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 6<<20)
	for i := range 8 {
		for j := range buf {
			buf[j] = byte(rng.IntN(256))
		}
		os.WriteFile(filepath.Join(src, "large", fmt.Sprintf("more%d.bin", i)), buf, 0o644)
	}
	backup := run("backup", src)
	var log bytes.Buffer
	backup.Stdout, backup.Stderr = &log, &log
	if err := backup.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once packs are landing: mid-upload.
	packs := func() int {
		m, _ := filepath.Glob(filepath.Join(data, "storage", "laptop", "data", "*", "*"))
		return len(m)
	}
	for deadline := time.Now().Add(30 * time.Second); packs() < 2 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
	}
	if packs() < 2 {
		t.Fatalf("no packs landed within 30 s:\n%s", log.String())
	}
	gw.Process.Kill() // SIGKILL, mid-backup
	gw.Wait()
	time.Sleep(2 * time.Second)
	start()
	err = backup.Wait()
	t.Logf("the backup across the kill: %v\n%s", err, log.String())
	if err != nil {
		// restic gave up while the gateway was away: its next run
		// completes the backup.
		run("unlock").Run()
		if out, err := run("backup", src).CombinedOutput(); err != nil {
			t.Fatalf("restic backup after the gateway came back: %v\n%s\nthe first run:\n%s", err, out, log.String())
		}
	}
	if out, err := run("check", "--read-data").CombinedOutput(); err != nil {
		t.Fatalf("restic check --read-data after the kill: %v\n%s", err, out)
	}
	dst := t.TempDir()
	if out, err := run("restore", "latest", "--target", dst).CombinedOutput(); err != nil {
		t.Fatalf("restic restore: %v\n%s", err, out)
	}
	sameTree(t, src, filepath.Join(dst, src))
}

// lookTool finds a program a test drives (restic, chromium): CI must have
// it, as .ci/run installs it from Debian; elsewhere the test is skipped.
func lookTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed: .ci/run installs Debian's %s", name, name)
		}
		t.Skipf("install Debian's %s to run this test", name)
	}
	return path
}

// genTree writes a tree to back up: 2,000 small files in 20 directories,
// three files of 6 MiB of random bytes, and copies of some of them.
func genTree(t *testing.T, root string) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 6<<20)
	for d := range 20 {
		dir := filepath.Join(root, "small", fmt.Sprintf("d%02d", d))
		os.MkdirAll(dir, 0o755)
		for f := range 100 {
			b := buf[:512+rng.IntN(4096)]
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.txt", f)), b, 0o644)
		}
	}
	os.MkdirAll(filepath.Join(root, "large"), 0o755)
	for i := range 3 {
		for j := range buf {
			buf[j] = byte(rng.IntN(256))
		}
		os.WriteFile(filepath.Join(root, "large", fmt.Sprintf("big%d.bin", i)), buf, 0o644)
		if i == 0 {
			os.WriteFile(filepath.Join(root, "large", "copy-of-big0.bin"), buf, 0o644)
		}
	}
	return root
}

// treeSize is the bytes of root's files.
func treeSize(t *testing.T, root string) int64 {
	var n int64
	filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return err
	})
	return n
}

// sameTree fails unless b holds exactly a's files, byte for byte.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	sums := func(root string) map[string][32]byte {
		out := map[string][32]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			raw, err := os.ReadFile(p)
			if err == nil {
				rel, _ := filepath.Rel(root, p)
				out[rel] = sha256.Sum256(raw)
			}
			return err
		})
		return out
	}
	sa, sb := sums(a), sums(b)
	if len(sa) != len(sb) {
		t.Fatalf("restored %d files, backed up %d", len(sb), len(sa))
	}
	for p, s := range sa {
		if sb[p] != s {
			t.Fatalf("restored %s differs", p)
		}
	}
}
