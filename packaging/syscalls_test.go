package packaging

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestGatewaySyscalls runs the packaged gateway under strace while an
// agent pairs and the CLI lists the pool, and fails on any system call
// that the unit's filter (SystemCallFilter=@system-service ~@privileged)
// would refuse. systemd cannot run the unit here (it is not PID 1), so this
// is how the filter is tried against the real program.
func TestGatewaySyscalls(t *testing.T) {
	need(t, "strace", "strace")
	need(t, "systemd-analyze", "systemd")
	if out, err := exec.Command("strace", "-o", "/dev/null", "true").CombinedOutput(); err != nil {
		t.Skipf("strace cannot trace here (a container that forbids ptrace?): %v\n%s", err, out)
	}
	b := debs(t)
	arch := hostArch()
	if b.arches[0] != arch {
		t.Skipf("no packages built for this machine's %s", arch)
	}
	allowed := filterSet(t, "@system-service")
	for call := range filterSet(t, "@privileged") {
		delete(allowed, call)
	}
	root := extract(t, b.deb("hearth-agent", arch), b.deb("hearth-gateway", arch), b.deb("hearth", arch))
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	trace := filepath.Join(dir, "trace")
	var gwLog syncBuffer
	gw := exec.CommandContext(ctx, "strace", "-f", "-qq", "-o", trace, filepath.Join(root, "usr/bin/hearth-gateway"),
		"--data-dir", filepath.Join(dir, "gateway"), "--listen", "127.0.0.1:0", "--no-mdns")
	gw.Stdout, gw.Stderr = &gwLog, &gwLog
	// Its own process group: a failed test kills the gateway with strace.
	gw.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	gw.WaitDelay = 5 * time.Second
	if err := gw.Start(); err != nil {
		t.Fatal(err)
	}
	defer gw.Wait()
	defer syscall.Kill(-gw.Process.Pid, syscall.SIGKILL)
	addr := waitFor(t, &gwLog, regexp.MustCompile(`"gateway serving" addr=(\S+)`))
	token := waitFor(t, &gwLog, regexp.MustCompile(`join_token=(\S+)`))

	agent := exec.CommandContext(ctx, filepath.Join(root, "usr/bin/hearth-agent"), "--data-dir", filepath.Join(dir, "agent"),
		"--join", addr, "--token", token, "--containerd", "off", "--runc", "off", "--local-api", "off")
	var agentLog syncBuffer
	agent.Stdout, agent.Stderr = &agentLog, &agentLog
	agent.WaitDelay = 5 * time.Second
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	defer agent.Wait()
	defer agent.Process.Kill()
	waitFor(t, &gwLog, regexp.MustCompile(`(node paired) with join token`))
	for _, args := range [][]string{{"status"}, {"pool", "ls", "-o", "json"}} {
		cli := exec.CommandContext(ctx, filepath.Join(root, "usr/bin/hearth"), args...)
		cli.Env = append(os.Environ(), "HEARTH_CREDENTIALS="+filepath.Join(dir, "gateway", "credentials.json"))
		if out, err := cli.CombinedOutput(); err != nil {
			t.Errorf("hearth %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	agent.Process.Signal(syscall.SIGTERM)
	agent.Wait()

	// Stop the gateway itself, strace's child, so that it exits as under
	// systemctl stop and strace with it.
	kids, err := os.ReadFile("/proc/" + strconv.Itoa(gw.Process.Pid) + "/task/" + strconv.Itoa(gw.Process.Pid) + "/children")
	pid, perr := strconv.Atoi(strings.TrimSpace(string(kids)))
	if err != nil || perr != nil {
		t.Fatalf("the gateway's pid under strace: %q %v %v", kids, err, perr)
	}
	syscall.Kill(pid, syscall.SIGTERM)
	if err := gw.Wait(); err != nil {
		t.Errorf("gateway under strace: %v\n%s", err, gwLog.String())
	}

	f, err := os.Open(trace)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen, refused := map[string]bool{}, map[string]bool{}
	call := regexp.MustCompile(`^\d+\s+([a-z0-9_]+)\(`)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if m := call.FindStringSubmatch(sc.Text()); m != nil {
			seen[m[1]] = true
			if !allowed[m[1]] {
				refused[m[1]] = true
			}
		}
	}
	if len(seen) < 20 {
		t.Fatalf("strace saw only %d system calls: %v", len(seen), seen)
	}
	t.Logf("the gateway made %d distinct system calls", len(seen))
	for c := range refused {
		t.Errorf("the gateway calls %s, which hearth-gateway.service's SystemCallFilter refuses (EPERM)", c)
	}
}

// filterSet expands a systemd system call group, with the groups it holds.
func filterSet(t *testing.T, group string) map[string]bool {
	t.Helper()
	out, err := exec.Command("systemd-analyze", "syscall-filter", group).Output()
	if err != nil {
		t.Fatalf("systemd-analyze syscall-filter %s: %v", group, err)
	}
	set := map[string]bool{}
	for i, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if strings.HasPrefix(f[0], "@") {
			for c := range filterSet(t, f[0]) {
				set[c] = true
			}
			continue
		}
		set[f[0]] = true
	}
	return set
}

// waitFor waits up to 20 s for re to match the log and returns its group.
func waitFor(t *testing.T, log *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := re.FindStringSubmatch(log.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no %q in the log:\n%s", re, log.String())
	return ""
}

// syncBuffer is a bytes.Buffer that a process writes while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
