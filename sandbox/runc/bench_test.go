package runc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/benchstat"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// BenchmarkRuncTask times one trivial container task (testapp "exit 0")
// from Start to the end of Delete through this runtime, its image
// unpacked once beforehand, and a bare `runc run` of the same bundle (the
// same hardened spec, root and init, with no monitor, output files or
// bookkeeping), on the same runc. It prints the figures that `make bench`
// collects:
//
//	BENCH sandbox.runc_task_median <ms> ms
//	BENCH sandbox.runc_run_median <ms> ms
//	BENCH sandbox.runc_task_vs_runc_run <ratio> x
//
// Goal (issue 15): sandbox.runc_task_vs_runc_run at most 1.2.
func BenchmarkRuncTask(b *testing.B) {
	rt := newRuntime(b, Config{})
	app := sandboxtest.OCITestApp(b, sandboxtest.HostPlatform())
	if err := rt.Prepare(context.Background(), app); err != nil {
		b.Fatal(err)
	}
	bare := newBareRun(b, rt, app)
	// One of each per iteration, in alternating order, so that both see
	// the same machine.
	var task, run, starts, waits, deletes []time.Duration
	for i := 0; b.Loop(); i++ {
		for k := range 2 {
			if (i+k)%2 == 0 {
				benchSeq++
				phases := sandboxtest.TimeTask(b, rt, sandbox.Spec{ID: "bench-" + strconv.Itoa(benchSeq), App: app, Args: []string{"exit", "0"}})
				task = append(task, phases[0]+phases[1]+phases[2])
				starts, waits, deletes = append(starts, phases[0]), append(waits, phases[1]), append(deletes, phases[2])
			} else {
				run = append(run, bare(i))
			}
		}
	}
	t, r := benchstat.Quantile(task, 0.5), benchstat.Quantile(run, 0.5)
	b.ReportMetric(benchstat.MS(t), "ms-task-median")
	b.ReportMetric(benchstat.MS(r), "ms-runc-run-median")
	// Where the time goes, for whoever makes it shorter.
	b.ReportMetric(benchstat.MS(benchstat.Quantile(starts, 0.5)), "ms-start-median")
	b.ReportMetric(benchstat.MS(benchstat.Quantile(waits, 0.5)), "ms-wait-median")
	b.ReportMetric(benchstat.MS(benchstat.Quantile(deletes, 0.5)), "ms-delete-median")
	fmt.Printf("\nBENCH sandbox.runc_task_median %.2f ms\n", benchstat.MS(t))
	fmt.Printf("BENCH sandbox.runc_task_p95 %.2f ms\n", benchstat.MS(benchstat.Quantile(task, 0.95)))
	fmt.Printf("BENCH sandbox.runc_run_median %.2f ms\n", benchstat.MS(r))
	fmt.Printf("BENCH sandbox.runc_task_vs_runc_run %.2f x\n", t.Seconds()/r.Seconds())
}

var benchSeq int

// newBareRun writes the bundle Start would write for the same task (less
// the monitor's notice) and returns a function that times `runc run` of
// it in the foreground: create, start, wait and delete in one runc
// process, output to a buffer.
func newBareRun(b *testing.B, rt *Runtime, app sandbox.App) func(i int) time.Duration {
	rt.mu.Lock()
	im := rt.images[app.Digest]
	rt.mu.Unlock()
	bundle := b.TempDir()
	return func(i int) time.Duration {
		cid := "bare-" + strconv.Itoa(i)
		s := ocitask.Default(filepath.Join(im.dir, "rootfs"), rt.cgroupPath(cid))
		err := ocitask.Harden(s, ocitask.Params{
			Image: im.config, Spec: sandbox.Spec{Args: []string{"exit", "0"}}, Limits: sandbox.Limits{}.WithDefaults(),
			UID: 65534, GID: 65534, Helper: rt.helper, PidsLimit: rt.cfg.PidsLimit, CgroupV1: !rt.cgroups.V2(),
		})
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := json.Marshal(s)
		if err := os.WriteFile(filepath.Join(bundle, "config.json"), raw, 0o600); err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		cmd := exec.Command(rt.runc, "--root", rt.rootDir(), "run", "--bundle", bundle, cid)
		cmd.Stdout, cmd.Stderr = &out, &out
		begin := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("runc run: %v\n%s", err, out.Bytes())
		}
		return time.Since(begin)
	}
}
