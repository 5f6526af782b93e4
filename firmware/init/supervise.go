package hearthinit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// ErrTooManyExits is returned (as an *ExitsError) by Supervisor.Run when
// the child exited MaxExits times: on a trial boot that means the new slot
// is broken.
var ErrTooManyExits = errors.New("the role exited too often")

// ExitsError says which role exited how often, and how it last did.
type ExitsError struct {
	Name  string
	Exits int
	Last  error
}

func (e *ExitsError) Error() string {
	return fmt.Sprintf("the %s exited %d times in a row (last: %v)", e.Name, e.Exits, e.Last)
}

func (e *ExitsError) Is(target error) bool { return target == ErrTooManyExits }

func (e *ExitsError) Unwrap() error { return e.Last }

// A Process is a started child.
type Process interface {
	Signal(os.Signal) error
	// Wait returns when the process has exited, with nil for exit status 0.
	Wait() error
}

// Supervisor runs a child and starts it again when it exits, waiting
// between starts from MinBackoff, doubling, up to MaxBackoff, back to
// MinBackoff once a child ran ResetAfter.
type Supervisor struct {
	// Name names the child in the log ("agent", "gateway").
	Name string
	// Start starts the child.
	Start func() (Process, error)
	// MinBackoff is the first wait (default 1 s), MaxBackoff the longest
	// (default 30 s), ResetAfter the uptime after which the wait starts
	// over (default 60 s).
	MinBackoff, MaxBackoff, ResetAfter time.Duration
	// StopTimeout is how long a child has between SIGTERM and SIGKILL
	// (default 10 s).
	StopTimeout time.Duration
	// MaxExits, when above 0, ends Run with ErrTooManyExits after that
	// many exits in a row with uptimes shorter than ResetAfter, until
	// EndTrial.
	MaxExits int
	Log      *slog.Logger

	alive     atomic.Bool
	trialOver atomic.Bool
}

// EndTrial lifts MaxExits: a committed slot's role is restarted however
// often it exits.
func (s *Supervisor) EndTrial() { s.trialOver.Store(true) }

// Alive reports whether the child is running now.
func (s *Supervisor) Alive() bool { return s.alive.Load() }

func (s *Supervisor) defaults() {
	if s.MinBackoff <= 0 {
		s.MinBackoff = time.Second
	}
	if s.MaxBackoff <= 0 {
		s.MaxBackoff = 30 * time.Second
	}
	if s.ResetAfter <= 0 {
		s.ResetAfter = 60 * time.Second
	}
	if s.StopTimeout <= 0 {
		s.StopTimeout = 10 * time.Second
	}
}

// Run supervises until ctx ends, then stops the child (SIGTERM, then
// SIGKILL after StopTimeout) and returns nil once it has exited.
func (s *Supervisor) Run(ctx context.Context) error {
	s.defaults()
	backoff := s.MinBackoff
	exits := 0
	for {
		if ctx.Err() != nil {
			return nil
		}
		started := time.Now()
		p, err := s.Start()
		if err != nil {
			s.Log.Error("starting "+s.Name, "err", err)
		} else {
			s.alive.Store(true)
			s.Log.Info("running " + s.Name)
			done := make(chan error, 1)
			go func() { done <- p.Wait() }()
			select {
			case err = <-done:
			case <-ctx.Done():
				s.stop(p, done)
				s.alive.Store(false)
				return nil
			}
			s.alive.Store(false)
			if err == nil {
				err = errors.New("exit status 0")
			}
		}
		up := time.Since(started)
		if up >= s.ResetAfter {
			backoff, exits = s.MinBackoff, 0
		} else {
			exits++
		}
		if s.MaxExits > 0 && exits >= s.MaxExits && !s.trialOver.Load() {
			return &ExitsError{Name: s.Name, Exits: exits, Last: err}
		}
		s.Log.Warn(s.Name+" stopped; starting it again", "err", err, "ran", up.Round(time.Millisecond), "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, s.MaxBackoff)
	}
}

func (s *Supervisor) stop(p Process, done <-chan error) {
	s.Log.Info("stopping " + s.Name)
	p.Signal(syscall.SIGTERM)
	select {
	case <-done:
		return
	case <-time.After(s.StopTimeout):
	}
	s.Log.Warn(s.Name+" did not stop; killing it", "after", s.StopTimeout)
	p.Signal(syscall.SIGKILL)
	<-done
}
