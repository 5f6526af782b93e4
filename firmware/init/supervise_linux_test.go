package hearthinit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// syncBuffer is a bytes.Buffer for several writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startReaper runs a Reaper for the test's lifetime.
func startReaper(t *testing.T) *Reaper {
	r := &Reaper{Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return r
}

func sh(script string) *exec.Cmd { return exec.Command("/bin/sh", "-c", script) }

func TestSupervisorBackoff(t *testing.T) {
	r := startReaper(t)
	var out syncBuffer
	var starts []time.Time
	var log syncBuffer
	s := &Supervisor{
		Name: "agent", Log: NewLogger(&log, nil, slog.LevelInfo),
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, ResetAfter: 10 * time.Second,
		MaxExits: 6,
		Start: func() (Process, error) {
			starts = append(starts, time.Now())
			return r.Start(sh("echo run "+strconv.Itoa(len(starts))+"; exit 3"), &out)
		},
	}
	err := s.Run(context.Background())
	if !errors.Is(err, ErrTooManyExits) || err.Error() != "the agent exited 6 times in a row (last: exit status 3)" {
		t.Fatalf("Run = %v; want ErrTooManyExits after exit status 3", err)
	}
	if len(starts) != 6 {
		t.Fatalf("%d starts, want 6", len(starts))
	}
	// Waits of 50, 100, 200, 200, 200 ms (and the child's own run time).
	for i, want := range []time.Duration{50, 100, 200, 200, 200} {
		want *= time.Millisecond
		if gap := starts[i+1].Sub(starts[i]); gap < want || gap > want+400*time.Millisecond {
			t.Errorf("wait before start %d: %v, want about %v", i+2, gap, want)
		}
	}
	if !strings.Contains(out.String(), "run 1\n") || !strings.Contains(out.String(), "run 6\n") {
		t.Errorf("the child's output did not arrive: %q", out.String())
	}
	if n := strings.Count(log.String(), "hearth-init: running agent"); n != 6 {
		t.Errorf("%d 'running agent' lines, want 6:\n%s", n, log.String())
	}
}

func TestSupervisorBackoffResets(t *testing.T) {
	r := startReaper(t)
	var starts []time.Time
	s := &Supervisor{
		Name: "agent", Log: slog.New(slog.DiscardHandler),
		MinBackoff: 50 * time.Millisecond, MaxBackoff: time.Second, ResetAfter: 300 * time.Millisecond,
		MaxExits: 2,
		Start: func() (Process, error) {
			starts = append(starts, time.Now())
			// The first three outlive ResetAfter: the wait stays at
			// MinBackoff and their exits do not count towards MaxExits.
			if len(starts) >= 4 {
				return r.Start(sh("exit 1"), nil)
			}
			return r.Start(sh("sleep 0.4"), nil)
		},
	}
	err := s.Run(context.Background())
	if !errors.Is(err, ErrTooManyExits) || len(starts) != 5 {
		t.Fatalf("Run = %v after %d starts; want ErrTooManyExits after 5", err, len(starts))
	}
	// After EndTrial the exits do not count.
	starts = nil
	s.EndTrial()
	ctx, cancel := context.WithCancel(context.Background())
	s.Start = func() (Process, error) {
		starts = append(starts, time.Now())
		if len(starts) == 5 {
			cancel()
		}
		return r.Start(sh("exit 1"), nil)
	}
	if err := s.Run(ctx); err != nil || len(starts) != 5 {
		t.Errorf("after EndTrial: Run = %v after %d starts", err, len(starts))
	}
	for i := 1; i < 4; i++ {
		if gap := starts[i].Sub(starts[i-1]); gap > 400*time.Millisecond+300*time.Millisecond {
			t.Errorf("wait before start %d: %v; the backoff did not reset", i+1, gap)
		}
	}
}

func TestSupervisorStops(t *testing.T) {
	r := startReaper(t)
	for _, tc := range []struct {
		name   string
		script string
		min    time.Duration
	}{
		{"TERM", "sleep 30 & wait", 0},
		{"KILL", "trap '' TERM; while :; do sleep 0.05; done", 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			s := &Supervisor{Name: "agent", Log: slog.New(slog.DiscardHandler), StopTimeout: 300 * time.Millisecond}
			started := make(chan struct{})
			s.Start = func() (Process, error) {
				defer close(started)
				return r.Start(sh(tc.script), nil)
			}
			done := make(chan error, 1)
			go func() { done <- s.Run(ctx) }()
			<-started
			time.Sleep(200 * time.Millisecond)
			if !s.Alive() {
				t.Error("Alive is false while the child runs")
			}
			begin := time.Now()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run = %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return")
			}
			if d := time.Since(begin); d < tc.min || d > tc.min+2*time.Second {
				t.Errorf("stopping took %v", d)
			}
			if s.Alive() {
				t.Error("Alive after Run returned")
			}
		})
	}
}

// TestReaperOrphans: an orphan re-parented to us (as to PID 1; here a
// subreaper) is reaped, not left a zombie, and does not disturb the
// status of the children started through the Reaper.
func TestReaperOrphans(t *testing.T) {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Skip("no subreaper:", err)
	}
	t.Cleanup(func() { unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) })
	r := startReaper(t)
	var out syncBuffer
	p, err := r.Start(sh("sleep 0.3 >/dev/null 2>&1 & echo $!; exit 7"), &out)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(); err == nil || err.Error() != "exit status 7" {
		t.Errorf("Wait = %v, want exit status 7", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatalf("orphan pid %q", out.String())
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
			break // reaped: gone from /proc, not a zombie
		}
		if time.Now().After(deadline) {
			st, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
			t.Fatalf("orphan %d not reaped: %s", pid, st)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
