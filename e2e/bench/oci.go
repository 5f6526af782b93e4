package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/sandbox/containerd"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// containerTask compares one trivial container task (testapp "exit 0")
// through the pool, from submit to result, with `ctr run --rm` of the same
// image on the same containerd. The pool is a gateway and one agent on
// containerd; each job has one task and is submitted once its predecessor
// ended. A first job, not counted, has the agent fetch and import the
// image, as `ctr images import` does for the baseline. Pool and ctr runs
// alternate, so that a change of load on the machine hits both alike.
//
// Goal (issue 3): pool.container_vs_ctr_ratio at most 1.5.
func containerTask(ctx context.Context, bin string, runs int) error {
	sock := os.Getenv(containerd.SocketEnv)
	if sock == "" {
		fmt.Fprintf(os.Stderr, "bench oci: skipped: %s is not set (scripts/containerd.sh start, or `make bench`)\n", containerd.SocketEnv)
		return nil
	}
	ctrBin, err := exec.LookPath("ctr")
	if err != nil {
		return fmt.Errorf("ctr, containerd's own client, is the baseline: %w", err)
	}
	dir, err := os.MkdirTemp("", "hearth-bench-oci-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	app, err := packTestApp(dir)
	if err != nil {
		return err
	}
	spec := "name: oci-trivial\nruntime: oci\napp: " + filepath.Base(app) +
		"\ntasks: 1\nargs: [exit, \"0\"]\nresources: {cpu: 0.5, memory: 32Mi, timeout: 30s}\n"
	job := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(job, []byte(spec), 0o644); err != nil {
		return err
	}

	// Namespaces of their own on a containerd that others may use, removed
	// with all they hold at the end (after the home has stopped).
	tag := strconv.Itoa(os.Getpid())
	agentNS := ctrNamespace{ctrBin, sock, "hearth-bench-agent-" + tag}
	ctrNS := ctrNamespace{ctrBin, sock, "hearth-bench-ctr-" + tag}
	defer func() {
		for _, ns := range []ctrNamespace{agentNS, ctrNS} {
			if err := ns.wipe(); err != nil {
				fmt.Fprintf(os.Stderr, "bench oci: %v\n", err)
			}
		}
	}()
	const ref = "hearth.local/bench-testapp:1"
	if _, err := ctrNS.run("images", "import", "--index-name", ref, app); err != nil {
		return err
	}

	h, err := home.Start(ctx, home.Options{Agents: 1, Bin: bin, Prefix: "bencho",
		AgentArgs: []string{"--containerd", sock, "--containerd-namespace", agentNS.ns}})
	if err != nil {
		return err
	}
	defer h.Close()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := h.WaitReady(wctx, 1); err != nil {
		return err
	}
	submit := func() (time.Duration, error) {
		var d api.JobDetail
		if err := h.CLIJSON(ctx, &d, "job", "submit", job, "--wait"); err != nil {
			return 0, fmt.Errorf("%w\nagent log, last lines:\n%s", err, lastLines(h.Agents[0].Log(), 20))
		}
		if d.State != api.JobDone || len(d.Tasks) != 1 || d.Tasks[0].DoneAt == nil {
			return 0, fmt.Errorf("job %s %s: %+v", d.ID, d.State, d.Tasks)
		}
		// Both on the gateway's clock: the CLI's start, upload and polling
		// are not the pool's.
		return d.Tasks[0].DoneAt.Sub(d.Created), nil
	}
	if _, err := submit(); err != nil {
		return fmt.Errorf("warm-up job: %w", err)
	}
	var pool, ctr []float64
	for i := range runs {
		took, err := submit()
		if err != nil {
			return fmt.Errorf("job %d: %w", i, err)
		}
		pool = append(pool, msOf(took))
		begin := time.Now()
		if _, err := ctrNS.run("run", "--rm", "--read-only", ref, "bench-"+strconv.Itoa(i), sandboxtest.OCIEntrypoint, "exit", "0"); err != nil {
			return err
		}
		ctr = append(ctr, msOf(time.Since(begin)))
	}
	p, c := median(pool), median(ctr)
	bench("pool.container_submit_to_result_median", p, "ms")
	bench("pool.ctr_run_rm_median", c, "ms")
	bench("pool.container_vs_ctr_ratio", p/c, "ratio")
	return nil
}

// packTestApp builds sandboxtest's testapp for this machine and packs it
// as sandboxtest.OCITestApp does, into an OCI image archive in dir.
func packTestApp(dir string) (string, error) {
	p, err := ociimage.ParsePlatform(sandboxtest.HostPlatform())
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "testapp")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, sandboxtest.TestAppPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if p.Architecture == "arm" {
		cmd.Env = append(cmd.Env, "GOARM="+strings.TrimPrefix(p.Variant, "v"))
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build testapp: %v\n%s", err, out)
	}
	var buf bytes.Buffer
	if err := (ociimage.Options{Entrypoint: sandboxtest.OCIEntrypoint}).Pack(&buf, map[ociimage.Platform]string{p: bin}); err != nil {
		return "", fmt.Errorf("pack testapp: %w", err)
	}
	path := filepath.Join(dir, "testapp.oci.tar")
	return path, os.WriteFile(path, buf.Bytes(), 0o644)
}

// ctrNamespace runs ctr, containerd's own client, on one namespace.
type ctrNamespace struct{ bin, sock, ns string }

func (c ctrNamespace) run(args ...string) ([]byte, error) {
	cmd := exec.Command(c.bin, append([]string{"--address", c.sock, "-n", c.ns}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("ctr -n %s %s: %v: %s", c.ns, strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}

// wipe removes the namespace and all it holds.
func (c ctrNamespace) wipe() error {
	_, _, err := containerd.RemoveNamespace(context.Background(), c.sock, c.ns)
	return err
}

func median(samples []float64) float64 {
	s := slices.Sorted(slices.Values(samples))
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[n/2]
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
