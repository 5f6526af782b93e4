package hearthinit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/beevik/ntp"
)

// TimeSync sets the clock from time servers (SNTP, github.com/beevik/ntp):
// a Raspberry Pi has no battery-backed clock, and until then it runs on its
// saved clock (ClockFile), which is behind by as long as it was off. Time
// matters for the logs, the power schedules (local time) and the update
// metadata's expiry (TUF).
type TimeSync struct {
	// Servers are asked in turn, host or host:port; the first good answer
	// sets the clock.
	Servers []string
	// Retry is how long to wait after no server answered (default 10 s,
	// doubling to Every): the network may not be up yet.
	Retry time.Duration
	// Every is how often the clock is set again once it was (default 1 h).
	Every time.Duration
	// Query asks one server (default: ntp.QueryWithOptions with a 5 s
	// timeout); tests replace it.
	Query func(server string) (*ntp.Response, error)
	// Step moves the clock by offset (default: settimeofday); Save keeps
	// the new time (default: nothing).
	Step func(offset time.Duration) error
	Save func(now time.Time) error
}

// minStep is the least offset worth stepping the clock for: below it the
// clock is left alone (SNTP's answer is not better than that over Wi-Fi).
const minStep = 100 * time.Millisecond

// Run sets the clock now and then until ctx ends. It returns nil.
func (s TimeSync) Run(ctx context.Context, log *slog.Logger) error {
	if len(s.Servers) == 0 {
		return nil
	}
	retry, every := s.Retry, s.Every
	if retry <= 0 {
		retry = 10 * time.Second
	}
	if every <= 0 {
		every = time.Hour
	}
	wait, synced := time.Duration(0), false
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		server, offset, err := s.Once()
		switch {
		case err != nil:
			if wait == 0 || synced {
				log.Warn("no time from the network yet; retrying", "servers", s.Servers, "err", err)
			}
			wait = min(max(2*wait, retry), every)
			continue
		case !synced:
			log.Info("clock set from the network", "server", server, "offset", offset.Round(time.Millisecond), "now", time.Now().UTC().Format(time.RFC3339))
		case offset.Abs() >= time.Second:
			log.Info("clock corrected from the network", "server", server, "offset", offset.Round(time.Millisecond))
		}
		synced, wait = true, every
	}
}

// Once asks the servers in turn and steps the clock by the first good
// answer's offset, when it is at least minStep. It returns the server that
// answered and the offset it gave.
func (s TimeSync) Once() (string, time.Duration, error) {
	query := s.Query
	if query == nil {
		query = queryWithTimeout(5 * time.Second)
	}
	var errs []error
	for _, server := range s.Servers {
		r, err := query(server)
		if err == nil {
			err = r.Validate()
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", server, err))
			continue
		}
		offset := r.ClockOffset
		if offset.Abs() >= minStep {
			step := s.Step
			if step == nil {
				step = stepClock
			}
			if err := step(offset); err != nil {
				return server, offset, fmt.Errorf("setting the clock: %w", err)
			}
			if s.Save != nil {
				if err := s.Save(time.Now()); err != nil {
					return server, offset, fmt.Errorf("saving the clock: %w", err)
				}
			}
		}
		return server, offset, nil
	}
	return "", 0, errors.Join(errs...)
}

// queryWithTimeout asks a server with SNTP, waiting at most d.
func queryWithTimeout(d time.Duration) func(server string) (*ntp.Response, error) {
	return func(server string) (*ntp.Response, error) {
		return ntp.QueryWithOptions(server, ntp.QueryOptions{Timeout: d})
	}
}
