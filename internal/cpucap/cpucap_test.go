package cpucap

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// spin burns CPU on a thread of its own, capped at cores for the first
// half of d and then uncapped, and reports the CPU time of each half.
func spin(t *testing.T, caps *Caps, cores float64, d time.Duration) (capped, uncapped time.Duration) {
	type result struct {
		a, b time.Duration
		c    *Cap
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c, err := caps.Thread(fmt.Sprintf("spin-%d", os.Getpid()))
		if err != nil {
			ch <- result{err: err}
			return
		}
		if err := c.SetCPU(cores); err != nil {
			ch <- result{err: err}
			return
		}
		burn := func() time.Duration {
			begin, cpu0 := time.Now(), threadCPU()
			for time.Since(begin) < d/2 {
			}
			return threadCPU() - cpu0
		}
		a := burn()
		err = c.SetCPU(1)
		b := burn()
		if rerr := c.Release(); err == nil {
			err = rerr
		}
		ch <- result{a, b, c, err}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	if _, err := os.Stat(r.c.dir); !os.IsNotExist(err) {
		t.Errorf("the thread's cgroup is still there after Release: %v", err)
	}
	return r.a, r.b
}

// A capped thread gets its share of a core and no more; uncapped, all of
// it. The kernel enforces the cap: nothing in the thread cooperates.
func TestThreadCap(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("cgroups need root")
	}
	caps, err := New(fmt.Sprintf("hearth-cpucap-test-%d", os.Getpid()))
	if errors.Is(err, ErrUnsupported) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := caps.Remove(); err != nil {
			t.Errorf("removing the parent cgroup: %v", err)
		}
	})
	checkThreadCap(t, caps)
}

// checkThreadCap spins capped at 0.2 and 0.5 cores, and uncapped.
func checkThreadCap(t *testing.T, caps *Caps) {
	const d = 2 * time.Second
	for _, cores := range []float64{0.2, 0.5} {
		capped, uncapped := spin(t, caps, cores, d)
		share := capped.Seconds() / (d / 2).Seconds()
		t.Logf("cap %.2f: used %.3f of a core capped, %.3f uncapped", cores, share, uncapped.Seconds()/(d/2).Seconds())
		if share > cores*1.15+0.02 || share < cores*0.5 {
			t.Errorf("capped at %.2f cores, the thread used %.3f", cores, share)
		}
		// Lifting the cap is checked against the smallest one: with other
		// test packages sharing the two cores, an uncapped thread may get
		// little more than half a core.
		if cores < 0.3 && uncapped < capped*3/2 {
			t.Errorf("uncapped, the thread used %v, capped %v", uncapped, capped)
		}
	}
}
