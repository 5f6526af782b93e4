package light

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/beacon/params"
	"github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/chain"
)

// maxPeriodsPerSync bounds the committee updates one Sync fetches: a
// client two weeks behind needs about 13.
const maxPeriodsPerSync = 64

// Sync runs one round: the checkpoint on first use, the committee updates
// of new sync periods, then an optimistic and a finality update from every
// endpoint. It returns an error when no endpoint gave a valid head (each
// endpoint's failure is in it); a head refused by every check is never
// kept. Each request has its own 10-second timeout within ctx.
func (c *Client) Sync(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.initialized {
		if err := c.bootstrap(ctx); err != nil {
			return err
		}
	}
	// A refused committee update does not stop heads that the committees
	// already known can check; both errors are returned.
	cerr := c.syncCommittees(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.Join(cerr, c.syncHeads(ctx))
}

// bootstrap starts the committee chain from the stored checkpoint when it
// is young enough, else from the configured one.
func (c *Client) bootstrap(ctx context.Context) error {
	stored, ok, err := c.loadCheckpoint()
	if err != nil {
		return err
	}
	var roots []common.Hash
	if ok && c.age(stored.Slot) <= c.cfg.MaxCheckpointAge {
		roots = append(roots, stored.Root)
	}
	if c.cfg.Checkpoint != (common.Hash{}) && (len(roots) == 0 || roots[0] != c.cfg.Checkpoint) {
		roots = append(roots, c.cfg.Checkpoint)
	}
	if len(roots) == 0 {
		return fmt.Errorf("%w: the stored checkpoint (slot %d) is %s old and no other is configured: %s", chain.ErrCheckpointTooOld, stored.Slot, c.age(stored.Slot).Round(time.Hour), howToGetCheckpoint)
	}
	var errs []error
	for _, root := range roots {
		for _, ep := range c.endpoints {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			bd, err := ep.api.bootstrap(ctx, root)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: bootstrap %s: %w", ep.url, root.TerminalString(), classify(err)))
				continue
			}
			if age := c.age(bd.Header.Slot); age > c.cfg.MaxCheckpointAge {
				return fmt.Errorf("%w: checkpoint %s is at slot %d, %s old (at most %s): %s", chain.ErrCheckpointTooOld, root.Hex(), bd.Header.Slot, age.Round(time.Hour), c.cfg.MaxCheckpointAge, howToGetCheckpoint)
			}
			if err := c.notFuture(bd.Header.Slot); err != nil {
				errs = append(errs, fmt.Errorf("%s: bootstrap: %w", ep.url, err))
				continue
			}
			if err := c.committee.CheckpointInit(*bd); err != nil {
				errs = append(errs, fmt.Errorf("%s: bootstrap %s: %w: %w", ep.url, root.TerminalString(), chain.ErrUnverified, err))
				continue
			}
			cp := checkpoint{Root: root, Slot: bd.Header.Slot}
			if err := c.saveCheckpoint(cp); err != nil {
				return err
			}
			c.saved, c.initialized = cp, true
			c.cfg.Logger.Info("light client started", "network", c.cfg.Network.Name, "checkpoint", root.Hex(), "slot", cp.Slot, "from", ep.url)
			return nil
		}
	}
	return fmt.Errorf("light client: no beacon endpoint gave a valid bootstrap: %w", errors.Join(errs...))
}

// syncCommittees fetches the committee updates of the periods up to the
// current one. An update for the current period that no endpoint has yet
// is normal early in a period.
func (c *Client) syncCommittees(ctx context.Context) error {
	current := types.SyncPeriod(c.currentSlot())
	for range maxPeriodsPerSync {
		next, ok := c.committee.NextSyncPeriod()
		if !ok || next > current {
			return nil
		}
		var errs []error
		inserted := false
		for _, ep := range c.endpoints {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			update, committee, err := ep.api.update(ctx, next)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: committee update for period %d: %w", ep.url, next, classify(err)))
				continue
			}
			if err := c.notFuture(update.AttestedHeader.Header.Slot); err != nil {
				errs = append(errs, fmt.Errorf("%s: committee update for period %d: %w", ep.url, next, err))
				continue
			}
			if err := c.committee.InsertUpdate(update, committee); err != nil {
				errs = append(errs, fmt.Errorf("%s: committee update for period %d: %w: %w", ep.url, next, chain.ErrUnverified, err))
				continue
			}
			inserted = true
			break
		}
		if after, _ := c.committee.NextSyncPeriod(); !inserted || after == next {
			if next == current && allNotFound(errs) {
				return nil
			}
			return fmt.Errorf("light client: %w", errors.Join(errs...))
		}
	}
	return nil
}

func allNotFound(errs []error) bool {
	for _, err := range errs {
		if !errors.Is(err, errNotFound) {
			return false
		}
	}
	return true
}

// syncHeads asks every endpoint for its heads; the tracker keeps the
// highest that verifies.
func (c *Client) syncHeads(ctx context.Context) error {
	var errs []error
	valid := 0
	for _, ep := range c.endpoints {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		err := c.optimistic(ctx, ep)
		if err == nil {
			valid++
			err = c.finality(ctx, ep)
		}
		c.noteEndpoint(ep, err)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ep.url, err))
		}
	}
	if valid == 0 {
		return fmt.Errorf("light client: no beacon endpoint gave a valid head: %w", errors.Join(errs...))
	}
	return nil
}

func (c *Client) optimistic(ctx context.Context, ep *endpoint) error {
	u, err := ep.api.optimistic(ctx)
	if err != nil {
		return fmt.Errorf("optimistic update: %w", classify(err))
	}
	if err := c.notFuture(u.Attested.Slot); err != nil {
		return fmt.Errorf("optimistic update: %w", err)
	}
	if _, err := c.heads.ValidateOptimistic(u); err != nil {
		return fmt.Errorf("optimistic update at slot %d: %w: %w", u.Attested.Slot, chain.ErrUnverified, err)
	}
	return nil
}

func (c *Client) finality(ctx context.Context, ep *endpoint) error {
	u, err := ep.api.finality(ctx)
	if err != nil {
		return fmt.Errorf("finality update: %w", classify(err))
	}
	if err := c.notFuture(u.Attested.Slot); err != nil {
		return fmt.Errorf("finality update: %w", err)
	}
	if _, err := c.heads.ValidateFinality(u); err != nil {
		return fmt.Errorf("finality update at slot %d: %w: %w", u.Attested.Slot, chain.ErrUnverified, err)
	}
	// The newest finalized epoch boundary is the next start's checkpoint:
	// beacon nodes serve bootstraps for those.
	if f, ok := c.heads.ValidatedFinality(); ok && f.Finalized.Slot%params.EpochLength == 0 && f.Finalized.Slot > c.saved.Slot {
		cp := checkpoint{Root: f.Finalized.Hash(), Slot: f.Finalized.Slot}
		if err := c.saveCheckpoint(cp); err != nil {
			return err
		}
		c.saved = cp
	}
	return nil
}

// noteEndpoint logs an endpoint's failure when it changes, and its
// recovery.
func (c *Client) noteEndpoint(ep *endpoint, err error) {
	msg := errString(err)
	switch {
	case msg == ep.lastErr:
	case msg != "":
		c.cfg.Logger.Warn("light client: beacon endpoint failed", "beacon", ep.url, "err", err)
	default:
		c.cfg.Logger.Info("light client: beacon endpoint answers again", "beacon", ep.url)
	}
	ep.lastErr = msg
}

// notFuture refuses a header whose slot has not begun: go-ethereum's own
// check is off so that the client can run on a test clock.
func (c *Client) notFuture(slot uint64) error {
	if start := c.slotTime(slot); start.After(c.cfg.Clock().Add(time.Second)) {
		return fmt.Errorf("%w: header at slot %d begins at %s, in the future", chain.ErrUnverified, slot, start.UTC().Format(time.RFC3339))
	}
	return nil
}

// age is how long ago slot began.
func (c *Client) age(slot uint64) time.Duration {
	return c.cfg.Clock().Sub(c.slotTime(slot))
}

// Checkpoint is the checkpoint the client stored last: where the next
// start begins.
func (c *Client) Checkpoint() (root common.Hash, slot uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.saved.Root, c.saved.Slot
}

// classify marks what an answer failed on its own (a proof that does not
// check, a header that is not the one asked for, data that does not
// decode) as chain.ErrUnverified; an endpoint that could not be reached or
// had nothing to give is not lying.
func classify(err error) error {
	if errors.Is(err, errMalformed) && !errors.Is(err, chain.ErrUnverified) {
		return fmt.Errorf("%w: %w", chain.ErrUnverified, err)
	}
	return err
}
