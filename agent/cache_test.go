package agent

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/procstat"
	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/power/policy"
	"github.com/hearth-home/hearth/store"
)

// TestBlobCacheBudget: the cache keeps to its budget by removing the
// least recently used blobs, never one a running task uses, and starts
// from what an earlier run left on disk, oldest file first.
func TestBlobCacheBudget(t *testing.T) {
	blobs, err := store.OpenBlobs(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	put := func(name string, age time.Duration) store.Digest {
		d, err := blobs.PutBytes([]byte(strings.Repeat(name, 40)))
		if err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(blobs.Path(d), when, when); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b, c := put("a", 3*time.Hour), put("b", 2*time.Hour), put("c", time.Hour)

	// 120 bytes left by an earlier run, budget 100: the oldest goes.
	cache := newBlobCache(blobs, func() *api.Client { return nil }, 100, slog.New(slog.DiscardHandler))
	if blobs.Has(a) || !blobs.Has(b) || !blobs.Has(c) || cache.size() != 80 {
		t.Fatalf("after start: a %v b %v c %v, %d bytes; want a removed, 80 bytes", blobs.Has(a), blobs.Has(b), blobs.Has(c), cache.size())
	}

	// b is used by a running task (and so is the newest); d arrives: c,
	// the least recently used one that no task uses, goes.
	cache.pin(string(b), "")
	if _, err := cache.get(t.Context(), string(b)); err != nil {
		t.Fatal(err)
	}
	d := put("d", 0)
	if _, err := cache.get(t.Context(), string(d)); err != nil {
		t.Fatal(err)
	}
	if !blobs.Has(b) || blobs.Has(c) || !blobs.Has(d) || cache.size() != 80 {
		t.Fatalf("after d: b %v c %v d %v, %d bytes; want c removed", blobs.Has(b), blobs.Has(c), blobs.Has(d), cache.size())
	}

	// A blob that a task uses is kept even over budget, and removed
	// once the task ends, if it is then the least recently used.
	e := put("e", 0)
	cache.pin(string(d))
	if _, err := cache.get(t.Context(), string(e)); err != nil {
		t.Fatal(err)
	}
	// e is the only blob not in use: it goes at once, and the cache
	// stays over budget while b and d are in use.
	if !blobs.Has(b) || !blobs.Has(d) || blobs.Has(e) || cache.size() != 80 {
		t.Fatalf("with b and d in use: b %v d %v e %v, %d bytes; want e removed", blobs.Has(b), blobs.Has(d), blobs.Has(e), cache.size())
	}
	cache.unpin(string(b))
	cache.unpin(string(d))
	cache.unpin(string(d)) // once too often: ignored
	if cache.size() > 100 {
		t.Errorf("after the tasks ended: %d bytes, want at most 100", cache.size())
	}
	if n := cache.evicted.Load(); n < 3 {
		t.Errorf("%d blobs evicted, want 3 or more", n)
	}

	// An evicted blob is fetched again when asked for (here there is no
	// session, so the fetch fails rather than serving a missing file).
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := cache.get(ctx, string(a)); err == nil {
		t.Error("an evicted blob was served without a fetch")
	}

	// No bound.
	unbounded := newBlobCache(blobs, func() *api.Client { return nil }, -1, slog.New(slog.DiscardHandler))
	put("f", 0)
	put("g", 0)
	unbounded.mu.Lock()
	unbounded.evictLocked()
	unbounded.mu.Unlock()
	if unbounded.evicted.Load() != 0 {
		t.Error("an unbounded cache evicted")
	}
}

// TestRefusesWorkWhenDiskFull: an agent whose disk has less free space
// than --min-free-disk asks for no work, says why in its heartbeat (which
// `hearth pool ls` shows), and takes work again once there is room.
func TestRefusesWorkWhenDiskFull(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{})
	// No disk has 2^62 bytes free.
	ag := startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Name: "full", MinFreeDisk: 1 << 62})
	j := gw.submit(testApp(t), api.JobSpec{Name: "echo", Tasks: 1, Args: []string{"echo", "hi"}})

	var m api.Member
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		ms, err := gw.admin.Members(t.Context())
		if err == nil && len(ms) == 1 && ms[0].Refusing != "" {
			m = ms[0]
			break
		}
		if time.Now().After(end) {
			t.Fatalf("no refusal reported: %+v, %v", ms, err)
		}
	}
	if !strings.Contains(m.Refusing, "disk nearly full") || !strings.Contains(m.Refusing, "--min-free-disk") || m.DiskTotal == 0 {
		t.Errorf("member = %+v, want a reason naming the disk and the flag", m)
	}
	time.Sleep(time.Second)
	if d := gw.job(j.ID); d.State == api.JobDone || d.Tasks[0].Result != nil || startedTasks(ag.Agent) != 0 {
		t.Fatalf("a refusing agent ran work: %+v", d)
	}
	ag.logs.waitLog(t, time.Second, "asking for no work", "disk nearly full")

	// Room again (here: the agent restarted with the check off).
	dir := ag.cfg.DataDir
	ag.stop()
	startAgent(t, Config{Gateway: gw.addr(), DataDir: dir, Name: "full", MinFreeDisk: -1})
	if d := gw.waitJob(j.ID, 30*time.Second); d.State != api.JobDone {
		t.Fatalf("job after the disk had room: %+v", d)
	}
}

func TestRefusal(t *testing.T) {
	a := &Agent{cfg: Config{DataDir: "/var/lib/hearth-agent", MinFreeDisk: 512 << 20}}
	if got := a.refusal(600<<20, 16<<30); got != "" {
		t.Errorf("600 MiB free: %q, want none", got)
	}
	want := "disk nearly full: 300.0 MiB free of 16.0 GiB on /var/lib/hearth-agent, below 512.0 MiB (--min-free-disk)"
	if got := a.refusal(300<<20, 16<<30); got != want {
		t.Errorf("300 MiB free: %q, want %q", got, want)
	}
	if got := a.refusal(0, 0); got != "" {
		t.Errorf("unknown disk: %q, want none", got)
	}
	a.cfg.MinFreeDisk = -1
	if got := a.refusal(0, 16<<30); got != "" {
		t.Errorf("--min-free-disk -1: %q, want none", got)
	}
}

// TestRefusalWhenCrowded: while other programs alone fill the power
// budget (the governor says so), the agent asks for no work and says why.
func TestRefusalWhenCrowded(t *testing.T) {
	model, err := power.NewModel(power.Generic, 2)
	if err != nil {
		t.Fatal(err)
	}
	cpus := procstat.New(t)
	g, err := governor.New(governor.Config{Model: model, Policy: policy.Policy{Watts: 0.3 * model.MaxW}, SysRoot: cpus.Root()})
	if err != nil {
		t.Fatal(err)
	}
	a := &Agent{cfg: Config{DataDir: "/var/lib/hearth-agent", MinFreeDisk: 512 << 20}, power: newPowerLink(g)}
	g.Step(t.Context())
	if got := a.refusal(1<<40, 2<<40); got != "" {
		t.Fatalf("quiet device: %q, want none", got)
	}
	cpus.Tick(90) // other programs: 0.9 of a core
	g.Step(t.Context())
	// The governor charges this process's own CPU time to the agent, not
	// to other programs, so the figure is 0.90 cores less what the test
	// binary itself used in the step (a little, more when CI is busy).
	got := a.refusal(1<<40, 2<<40)
	var other float64
	if _, err := fmt.Sscanf(got, "no power budget left: other programs use %f cores", &other); err != nil || other > 0.90 || other < 0.60 {
		t.Errorf("crowded device: %q, want the power reason with about 0.90 cores of other programs", got)
	}
}
