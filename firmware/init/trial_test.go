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
	dir := t.TempDir()
	w := TrialWatch{Window: 300 * time.Millisecond, Committed: filepath.Join(dir, "committed"), Every: 20 * time.Millisecond}

	start := time.Now()
	err := w.Run(context.Background())
	if !errors.Is(err, ErrNotCommitted) || time.Since(start) < 300*time.Millisecond {
		t.Errorf("uncommitted: Run = %v after %v", err, time.Since(start))
	}

	go func() {
		time.Sleep(100 * time.Millisecond)
		os.WriteFile(w.Committed, nil, 0o644)
	}()
	start = time.Now()
	if err := w.Run(context.Background()); err != nil || time.Since(start) > 250*time.Millisecond {
		t.Errorf("committed after 100 ms: Run = %v after %v", err, time.Since(start))
	}

	os.Remove(w.Committed)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Run(ctx); err != nil {
		t.Errorf("ended context: Run = %v", err)
	}
}
