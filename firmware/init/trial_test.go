package hearthinit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestTrialWatch(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready")
	w := TrialWatch{Window: 300 * time.Millisecond, Ready: FileExists(ready), Every: 20 * time.Millisecond}

	start := time.Now()
	err := w.Run(context.Background())
	if !errors.Is(err, ErrNotCommitted) || time.Since(start) < 300*time.Millisecond {
		t.Errorf("never ready: Run = %v after %v", err, time.Since(start))
	}

	go func() {
		time.Sleep(100 * time.Millisecond)
		os.WriteFile(ready, nil, 0o644)
	}()
	start = time.Now()
	if err := w.Run(context.Background()); err != nil || time.Since(start) > 250*time.Millisecond {
		t.Errorf("ready after 100 ms: Run = %v after %v", err, time.Since(start))
	}

	os.Remove(ready)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Run(ctx); err != nil {
		t.Errorf("ended context: Run = %v", err)
	}
}

func TestTrialReason(t *testing.T) {
	window := 2 * time.Minute
	for _, tc := range []struct {
		err  error
		role string
		want string
	}{
		{&ExitsError{Name: "agent", Exits: 3, Last: errors.New("exit status 3")}, "agent", "the agent exited 3 times: exit status 3"},
		{(TrialWatch{Window: window}).timeout(), "agent", "not paired again within 2m0s"},
		{(TrialWatch{Window: window}).timeout(), "gateway", "the gateway's API did not answer within 2m0s"},
	} {
		if got := TrialReason(tc.err, tc.role, window); got != tc.want {
			t.Errorf("TrialReason(%v, %s) = %q, want %q", tc.err, tc.role, got, tc.want)
		}
	}
}
