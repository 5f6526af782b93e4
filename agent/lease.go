package agent

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox"
)

// refusalRecheck is how often an agent that refuses work looks again.
const refusalRecheck = 5 * time.Second

// refusal says why the agent should ask for no work, given the free and
// total bytes of its data directory's file system; "" when it may.
func (a *Agent) refusal(free, total uint64) string {
	if min := a.cfg.MinFreeDisk; min >= 0 && total > 0 && free < uint64(min) {
		return fmt.Sprintf("disk nearly full: %s free of %s on %s, below %s (--min-free-disk)",
			iec(free), iec(total), a.cfg.DataDir, iec(uint64(min)))
	}
	if a.power != nil {
		if c := a.power.g.Status().Crowded; c != "" {
			return "no power budget left: " + c
		}
	}
	return ""
}

// iec formats bytes in binary units: "312 MiB".
func iec(b uint64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := uint64(unit), 0
	for n := b / unit; n >= unit && exp < 4; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(div), "KMGTP"[exp])
}

// leases pulls work while the session lasts. Whenever capacity is free and
// no request in flight has asked for it, a new request asks for it: the
// first asks for everything, and each slot that frees later is asked for at
// once by a request of its own, rather than waiting for the requests in
// flight to come back. No request is ever cancelled to be widened: the
// gateway may grant leases in that very instant, and they would sit unused
// until their TTL ran out.
func (a *Agent) leases(ctx context.Context, c *api.Client) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel() // before the wait: a failed session ends the others' long polls
	failed := make(chan error, 1)
	for {
		s, ok := a.cap.reserve()
		if !ok {
			select {
			case <-ctx.Done():
				return nil
			case err := <-failed:
				return err
			case <-a.cap.freed:
				continue
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.lease(ctx, c, s); err != nil {
				select {
				case failed <- err:
				default:
				}
			}
		}()
	}
}

// lease asks for work to fill s, starts what it gets, and gives back the
// rest of s. It returns an error that ends the session.
func (a *Agent) lease(ctx context.Context, c *api.Client, s share) error {
	if why := a.refusal(diskSpace(a.cfg.DataDir)); why != "" {
		// Work that could not write its output would fail, and work the
		// power budget has no room for would only wait: ask for none
		// until there is room again. The heartbeat tells the gateway why.
		if a.refusing.CompareAndSwap(false, true) {
			a.log.Warn("asking for no work", "why", why)
		}
		sleep(ctx, refusalRecheck) // holding s, so that no other request starts meanwhile
		a.cap.settle(s, nil)
		return nil
	}
	if a.refusing.CompareAndSwap(true, false) {
		a.log.Info("room again: asking for work")
	}
	req := api.LeaseRequest{
		Runtimes: a.rtNames, Platforms: a.platforms, Max: s.slots, FreeCPU: s.cpu, FreeMemory: s.mem,
		Wait: api.Duration(a.timing.leaseWait), HeadroomW: a.headroomW(),
	}
	rctx, cancel := context.WithTimeout(ctx, a.timing.leaseWait+15*time.Second)
	asked := time.Now()
	got, err := c.Lease(rctx, req)
	cancel()
	switch {
	case ctx.Err() != nil:
		// Granted just before the end: still ours.
	case err != nil && refusedBy(err):
		a.cap.settle(s, nil)
		return err
	case err != nil:
		a.log.Warn("asking for work", "err", err)
		sleep(ctx, a.timing.maxBackoff)
	case len(got) == 0 && time.Since(asked) < a.timing.leaseWait/2:
		sleep(ctx, time.Second) // an empty answer before the wait was up: do not spin
	}
	a.cap.settle(s, got)
	a.startAll(got)
	return nil
}

// startAll records handles for new leases in one transaction and starts
// them. The tasks belong to Run, not to the session: a lost gateway does
// not stop running work. Their capacity is already held.
func (a *Agent) startAll(leases []api.Lease) {
	fresh := leases[:0:0]
	for i := range leases {
		if a.work.has(leases[i].ID) {
			a.cap.release(&leases[i]) // sent again while running: keep the one we have
			continue
		}
		fresh = append(fresh, leases[i])
	}
	if len(fresh) == 0 {
		return
	}
	if err := a.journal.accept(fresh); err != nil {
		// Not recorded, not started: the gateway gives them to someone
		// else when they expire.
		a.log.Error("recording leases; not starting them", "count", len(fresh), "err", err)
		for i := range fresh {
			a.cap.release(&fresh[i])
		}
		return
	}
	for _, l := range fresh {
		a.launch(l, nil)
	}
}

// launch runs a lease (or reattaches to its recovered task) under Run. The
// lease's capacity must be held; the task gives it back when it ends.
func (a *Agent) launch(l api.Lease, recovered sandbox.Task) {
	w := &work{lease: l}
	w.ctx, w.cancel = context.WithCancel(a.runCtx)
	if !a.work.add(w) {
		w.cancel()
		a.cap.release(&l)
		return
	}
	a.tasks.Add(1)
	go func() {
		defer a.tasks.Done()
		a.run(a.runCtx, w, recovered)
	}()
}
