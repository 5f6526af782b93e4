package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/registrytest"
	"github.com/hearth-home/hearth/sandbox/containerd"
)

// TestDevGatewayRunsVanityWithNoSetup is the quick start: on a machine with
// nothing set up (a fresh state and config dir), `hearth-gateway --dev` and
// then `hearth job submit examples/vanity/job-small.yaml --wait` work, with
// the CLI finding its credentials by itself. Loopback only: no namespaces,
// no root, no mDNS.
func TestDevGatewayRunsVanityWithNoSetup(t *testing.T) {
	env, banner := startDev(t, nil)
	if !strings.Contains(banner, filepath.Join(env.home, "state", "hearth", "dev")) {
		t.Fatalf("dev data dir is not under the user's state dir:\n%s", banner)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := env.hearth(ctx, "job", "submit", filepath.Join(root, "examples/vanity/job-small.yaml"), "--wait"); err != nil || !strings.Contains(out, "done") {
		t.Fatalf("hearth job submit --wait: %v\n%s", err, out)
	}
	if out, err := env.hearth(ctx, "pool", "ls"); err != nil || !strings.Contains(out, "-dev") || !strings.Contains(out, "ready") {
		t.Fatalf("hearth pool ls: %v\n%s", err, out)
	}
	// The dev agent has a power governor: the owner's budget reaches it
	// and its samples come back.
	name, _ := os.Hostname()
	if out, err := env.hearth(ctx, "pool", "budget", name+"-dev", "5"); err != nil || !strings.Contains(out, "5.0 W") {
		t.Fatalf("hearth pool budget: %v\n%s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := env.hearth(ctx, "pool", "power", "--since", "1m")
		if err == nil && strings.Contains(lineOf(out, "-dev"), "5.0 W") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("hearth pool power never showed the 5 W budget: %v\n%s", err, out)
		}
		time.Sleep(500 * time.Millisecond)
	}

	// The market: the dev chain, its contract and the public dev requester
	// key are there with no set-up; an order is posted on chain, run by the
	// pool, settled, and its results verify against the chain.
	if !strings.Contains(banner, "market:       contract 0x") {
		t.Fatalf("the banner does not name the dev market:\n%s", banner)
	}
	if out, err := env.hearth(ctx, "market", "deposit", "1eth"); err != nil {
		t.Fatalf("hearth market deposit: %v\n%s", err, out)
	}
	// 500 tries a task, as job-small.yaml: a task ends at its first key
	// or after its tries, and the order needs tasks done, not keys.
	out, err := env.hearth(ctx, "market", "order", "post", "--app", filepath.Join(root, "examples/vanity/vanity.wasm"),
		"--tasks", "3", "--price-per-task", "1000gwei", "--args", "-prefix fa -seed hearth -shard {{index}} -shards {{tasks}} -tries 500", "--wait")
	if err != nil || !lineHas(out, "status:", "settled") || !lineHas(out, "tasks:", "3 done of 3") {
		t.Fatalf("hearth market order post --wait: %v\n%s", err, out)
	}
	var id string
	for _, l := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(l, "order:"); ok {
			id = strings.TrimSpace(rest)
		}
	}
	res := filepath.Join(env.home, "results")
	if out, err := env.hearth(ctx, "market", "results", id, "--out", res); err != nil || !strings.Contains(out, "every result proven against the root") {
		t.Fatalf("hearth market results: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(res, "2", "stdout")); err != nil {
		t.Fatalf("results of task 2: %v", err)
	}
	out, err = env.hearth(ctx, "market", "info")
	if err != nil || !lineHas(out, "provider earnings:", "3000000000000 wei") {
		t.Fatalf("hearth market info: the provider should have earned 3 x 1000 gwei: %v\n%s", err, out)
	}
}

// lineHas reports whether the line of s with key also holds want.
func lineHas(s, key, want string) bool { return strings.Contains(lineOf(s, key), want) }

// lineOf is the first line of s that contains sub.
func lineOf(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

// With a containerd at $HEARTH_CONTAINERD_SOCKET, `hearth-gateway --dev`
// says so and runs the vanity job as a container.
func TestDevGatewayRunsContainers(t *testing.T) {
	sock := os.Getenv("HEARTH_CONTAINERD_SOCKET")
	if sock == "" || os.Getuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI runs this as root with HEARTH_CONTAINERD_SOCKET set")
		}
		t.Skip("needs root and HEARTH_CONTAINERD_SOCKET (scripts/containerd.sh)")
	}
	app := filepath.Join(root, "examples/vanity/vanity.oci.tar")
	if _, err := os.Stat(app); err != nil {
		t.Fatalf("%v: `make examples` builds it", err)
	}
	t.Cleanup(func() { // after the gateway stopped
		containerd.RemoveNamespace(context.Background(), sock, "hearth-dev")
	})
	env, banner := startDev(t, []string{"HEARTH_CONTAINERD_SOCKET=" + sock})
	if !strings.Contains(banner, "containerd at "+sock) {
		t.Fatalf("the banner does not say containerd is used:\n%s", banner)
	}
	job := filepath.Join(t.TempDir(), "job.yaml")
	spec := "name: vanity-oci-small\nruntime: oci\napp: " + app + "\ntasks: 2\n" +
		`args: ["-prefix", "ab", "-seed", "hearth", "-shard", "{{index}}", "-shards", "{{tasks}}", "-tries", "500"]` + "\n"
	if err := os.WriteFile(job, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := env.hearth(ctx, "job", "submit", job, "--wait")
	if err != nil || !strings.Contains(out, "done") {
		t.Fatalf("hearth job submit --wait: %v\n%s", err, out)
	}
	id := strings.Fields(out[strings.Index(out, "vanity-oci-small-"):])[0]
	id = strings.TrimRight(id, ":,.")
	got, err := env.hearth(ctx, "job", "get", id, "-o", "json")
	if err != nil || !strings.Contains(got, `"runtime": "oci"`) || !strings.Contains(got, `"exit_code": 0`) {
		t.Fatalf("hearth job get %s: %v\n%s", id, err, got)
	}

	// The same image from a registry on loopback, by tag, as a user on
	// request: the gateway pins the tag, the agent pulls.
	reg := registrytest.Serve(t, app, "home/vanity", "1.0")
	spec = "name: vanity-pulled\nruntime: oci\nimage: " + reg.Ref("1.0") + "\nuser: \"1000\"\ntasks: 2\n" +
		`args: ["-prefix", "ab", "-seed", "hearth", "-shard", "{{index}}", "-shards", "{{tasks}}", "-tries", "500"]` + "\n"
	if err := os.WriteFile(job, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = env.hearth(ctx, "job", "submit", job, "--wait")
	if err != nil || !strings.Contains(out, "done") {
		t.Fatalf("hearth job submit --wait (image by reference): %v\n%s", err, out)
	}
	id = strings.TrimRight(strings.Fields(out[strings.Index(out, "vanity-pulled-"):])[0], ":,.")
	got, err = env.hearth(ctx, "job", "get", id)
	if err != nil || !strings.Contains(got, "Image:") || !strings.Contains(got, reg.Ref("1.0")+"@sha256:") {
		t.Fatalf("hearth job get %s: %v\n%s", id, err, got)
	}
	if reg.Blobs.Load() == 0 {
		t.Error("the agent pulled nothing from the registry")
	}

	// The window example as an image (examples/streams/average/stream-oci.yaml,
	// with 2 s windows): each window runs as a container, fed by the dev
	// gateway's own mosquitto.
	broker := regexp.MustCompile(`mosquitto \S+ at (127\.0\.0\.1):(\d+)`).FindStringSubmatch(banner)
	if broker == nil {
		t.Fatalf("the banner names no mosquitto (installed here: .ci/run installs it):\n%s", banner)
	}
	sctx, scancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer scancel()
	example := filepath.Join(root, "examples/streams/average")
	b, err := os.ReadFile(filepath.Join(example, "stream-oci.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	streamSpec := strings.Replace(string(b), "size: 1m", "size: 2s", 1)
	streamSpec = strings.Replace(streamSpec, "app: average.oci.tar", "app: "+filepath.Join(example, "average.oci.tar"), 1)
	streamFile := filepath.Join(t.TempDir(), "stream.yaml")
	if err := os.WriteFile(streamFile, []byte(streamSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := env.hearth(sctx, "stream", "deploy", streamFile); err != nil {
		t.Fatalf("hearth stream deploy (window, oci): %v\n%s", err, out)
	}
	sub := exec.CommandContext(sctx, "mosquitto_sub", "-h", broker[1], "-p", broker[2], "-t", "hearth/average/#", "-v", "-C", "1", "-W", "90")
	var subOut strings.Builder
	sub.Stdout = &subOut
	if err := sub.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // subscribed
	for _, v := range []string{`{"temperature": 20}`, `{"temperature": 22}`} {
		if out, err := exec.Command("mosquitto_pub", "-h", broker[1], "-p", broker[2], "-q", "1", "-t", "sensors/kitchen", "-m", v).CombinedOutput(); err != nil {
			t.Fatalf("mosquitto_pub: %v\n%s", err, out)
		}
	}
	if err := sub.Wait(); err != nil || !strings.Contains(subOut.String(), "hearth/average/sensors/kitchen ") || !strings.Contains(subOut.String(), `"mean":21`) {
		t.Fatalf("the window's average (an OCI task): %v, got %q; want the mean of 20 and 22 on hearth/average/sensors/kitchen", err, subOut.String())
	}
	jobs, err := env.hearth(sctx, "job", "ls")
	if err != nil || !strings.Contains(jobs, "window-average-oci-") {
		t.Errorf("hearth job ls shows no window job of the OCI stream: %v\n%s", err, jobs)
	}
}

// devEnv is a fresh user's environment for the dev gateway and the CLI.
type devEnv struct {
	home string
	env  []string
}

func (e devEnv) hearth(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(root, "bin", "hearth"), args...)
	cmd.Env = e.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// startDev starts `hearth-gateway --dev` for a user with nothing set up
// (fresh state and config dirs) and returns its banner; it is stopped when
// the test ends.
func startDev(t *testing.T, extraEnv []string) (devEnv, string) {
	t.Helper()
	bin := filepath.Join(root, "bin")
	if _, err := os.Stat(filepath.Join(bin, "hearth-gateway")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("binaries not built: `make test` builds them")
		}
		t.Skip("run `make build` first")
	}
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
	env = append(env, extraEnv...)
	gw := exec.Command(filepath.Join(bin, "hearth-gateway"), "--dev", "--listen", "127.0.0.1:0", "--chain-rpc-addr", "127.0.0.1:0")
	gw.Env = env
	gw.Stderr = &tlog{t: t, prefix: "gateway| "}
	out, _ := gw.StdoutPipe()
	if err := gw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		gw.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- gw.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			gw.Process.Kill()
			t.Error("hearth-gateway --dev did not stop within 5 s of SIGTERM")
		}
	})
	// The banner says where the credentials went; wait for it.
	banner := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "Try:") {
				banner <- b.String()
			}
		}
	}()
	select {
	case b := <-banner:
		return devEnv{home: home, env: env}, b
	case <-time.After(15 * time.Second):
		t.Fatal("hearth-gateway --dev printed no banner within 15 s")
	}
	return devEnv{}, ""
}

// tlog sends a process's output to the test log, line by line.
type tlog struct {
	t      *testing.T
	prefix string
}

func (l *tlog) Write(p []byte) (int, error) {
	if testing.Verbose() {
		l.t.Logf("%s%s", l.prefix, strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

// Without containerd but with runc (and root), `hearth-gateway --dev` runs
// containers through runc alone, says so, and runs the vanity job as a
// container (issue 15).
func TestDevGatewayRunsContainersThroughRunc(t *testing.T) {
	if _, err := exec.LookPath("runc"); err != nil || os.Getuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI runs this as root with runc installed")
		}
		t.Skip("needs root and runc (apt-get install runc)")
	}
	app := filepath.Join(root, "examples/vanity/vanity.oci.tar")
	if _, err := os.Stat(app); err != nil {
		t.Fatalf("%v: `make examples` builds it", err)
	}
	none := filepath.Join(t.TempDir(), "no-containerd.sock")
	env, banner := startDev(t, []string{"HEARTH_CONTAINERD_SOCKET=" + none})
	if !strings.Contains(banner, "runc alone") {
		t.Fatalf("the banner does not say runc is used:\n%s", banner)
	}
	job := filepath.Join(t.TempDir(), "job.yaml")
	spec := "name: vanity-runc\nruntime: oci\napp: " + app + "\ntasks: 2\n" +
		`args: ["-prefix", "ab", "-seed", "hearth", "-shard", "{{index}}", "-shards", "{{tasks}}", "-tries", "500"]` + "\n"
	if err := os.WriteFile(job, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := env.hearth(ctx, "job", "submit", job, "--wait")
	if err != nil || !strings.Contains(out, "done") {
		t.Fatalf("hearth job submit --wait: %v\n%s", err, out)
	}
	id := strings.TrimRight(strings.Fields(out[strings.Index(out, "vanity-runc-"):])[0], ":,.")
	got, err := env.hearth(ctx, "job", "get", id, "-o", "json")
	if err != nil || !strings.Contains(got, `"runtime": "oci"`) || strings.Count(got, `"exit_code": 0`) < 2 {
		t.Fatalf("hearth job get %s: %v\n%s", id, err, got)
	}
}
