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
