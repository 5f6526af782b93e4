package market

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/store"
)

// Deciding: the owner's policy on a seen order, then one acceptance for
// the orders that pass.

// judge applies the owner's policy to a seen order: a reason to refuse it,
// or a reason to wait (wait true), or neither: accept it.
func (m *Market) judge(ctx context.Context, o *orderRecord) (reason string, wait bool) {
	if lead := time.Until(o.Deadline); lead < m.cfg.MinLead {
		return fmt.Sprintf("expired: its deadline %s is past or less than %s away", o.Deadline.Format(time.RFC3339), m.cfg.MinLead), false
	}
	price, _ := new(big.Int).SetString(o.PricePerTask, 10)
	if price == nil || price.Cmp(m.cfg.MinPricePerTask) < 0 {
		return fmt.Sprintf("price below policy: %s wei per task, the provider's minimum is %s wei", o.PricePerTask, m.cfg.MinPricePerTask), false
	}
	// A replicated order is run by several providers that join, commit
	// and reveal (replicated.go): one more seat must be free for this one.
	if reason, wait := m.judgeReplication(ctx, o); reason != "" {
		return reason, wait
	}
	if !slices.Contains(m.cfg.Runtimes, o.Runtime) {
		return fmt.Sprintf("runtime %s is not sold here (only %s)", o.Runtime, strings.Join(m.cfg.Runtimes, ", ")), false
	}
	if len(m.cfg.Apps) > 0 && !slices.Contains(m.cfg.Apps, o.AppDigest) {
		return fmt.Sprintf("app %s is not on the provider's list of allowed apps", o.AppDigest), false
	}
	if o.Tasks > m.cfg.MaxTasks {
		return fmt.Sprintf("too many tasks: %d, the provider takes at most %d per order", o.Tasks, m.cfg.MaxTasks), false
	}
	spec := m.jobSpec(o)
	if err := api.ValidateJobSpec(&spec); err != nil {
		return "the pool cannot run it as a job: " + err.Error(), false
	}
	blobs := m.pool.Blobs()
	if !blobs.Has(store.Digest(o.AppDigest)) {
		if !isURL(o.AppURI) {
			return fmt.Sprintf("waiting for the app %s: upload it to the provider (hearth market order post does)", o.AppDigest), true
		}
		if err := m.fetch(ctx, o.AppURI, o.AppDigest); err != nil {
			if errors.Is(err, errDigestMismatch) {
				return "app digest mismatch: " + err.Error(), false
			}
			return "waiting for the app: " + err.Error(), true
		}
	}
	v, reason, wait := m.judgeApp(ctx, o, spec)
	if reason != "" {
		return reason, wait
	}
	for i, in := range o.Inputs {
		if !blobs.Has(store.Digest(in)) {
			return fmt.Sprintf("waiting for input %d (%s): upload it to the provider", i, in), true
		}
	}
	c := m.pool.Capacity()
	if !c.Runs(o.Runtime, nil) {
		return fmt.Sprintf("waiting for a ready device that runs %s", o.Runtime), true
	}
	if reason := judgePlatforms(o, v, c); reason != "" {
		return reason, false
	}
	if c.Queued > m.cfg.MaxQueued {
		return fmt.Sprintf("waiting: the pool has %d tasks queued", c.Queued), true
	}
	return "", false
}

// decide judges the seen orders and accepts the ones that pass, in one
// transaction.
func (m *Market) decide(ctx context.Context, open []orderRecord) error {
	var take []*orderRecord
	for i := range open {
		o := &open[i]
		if o.State != api.OrderSeen || len(take) >= m.cfg.AcceptBatch {
			continue
		}
		reason, wait := m.judge(ctx, o)
		switch {
		case reason != "" && wait && time.Until(o.Deadline) < m.cfg.MinLead:
			if err := m.refuse(o, "expired while "+reason); err != nil {
				return err
			}
		case reason != "" && wait:
			if o.Reason != reason {
				o.Reason = reason
				m.log.Info("order waits", "order", o.ID, "reason", reason)
				if err := m.putOrders(o); err != nil {
					return err
				}
			}
		case reason != "":
			if err := m.refuse(o, reason); err != nil {
				return err
			}
		default:
			take = append(take, o)
		}
	}
	if len(take) == 0 {
		return nil
	}
	// The contract's word decides: an order reclaimed or taken meanwhile
	// would fail the whole batch.
	var batch []*orderRecord
	for _, o := range take {
		c, err := m.onChain(ctx, o.ID)
		if err != nil {
			return err
		}
		if why := m.matchesChain(o, c); why != "" {
			if err := m.dropForged(o, why); err != nil {
				return err
			}
			continue
		}
		mine, err := m.mine(ctx, o, c)
		if err != nil {
			return err
		}
		switch {
		case c.Status == contracts.StatusOpen && !mine:
			batch = append(batch, o)
		case c.Status == contracts.StatusReclaimed:
			if err := m.reclaimed(o, "reclaimed by its requester"); err != nil {
				return err
			}
		case mine:
			// Accepted (or a seat taken) by this provider, though the
			// store had forgotten (restored from an older backup): run it.
			m.startJob(o)
			if err := m.putOrders(o); err != nil {
				return err
			}
		default:
			if err := m.refuse(o, "no longer open on chain: "+contracts.StatusName(c.Status)); err != nil {
				return err
			}
		}
	}
	// Plain orders are accepted, replicated ones joined: one transaction
	// each.
	var plain, joins []*orderRecord
	for _, o := range batch {
		if o.replicated() {
			joins = append(joins, o)
		} else {
			plain = append(plain, o)
		}
	}
	for _, b := range []struct {
		kind string
		os   []*orderRecord
	}{{"accept", plain}, {"join", joins}} {
		if len(b.os) == 0 {
			continue
		}
		key, err := m.nextKey(b.kind)
		if err != nil {
			return err
		}
		for _, o := range b.os {
			o.State, o.Reason, o.AcceptKey = api.OrderAccepting, "", key
		}
		// Recorded first: after a crash, followAccepts finds the key and
		// enqueues it again (the outbox makes that one transaction).
		if err := m.putOrders(b.os...); err != nil {
			return err
		}
		crashPoint("accept-recorded")
		if _, err := m.outbox.Enqueue(m.acceptIntent(key, b.os)); err != nil {
			return err
		}
		m.log.Info(b.kind+"ing orders", "orders", idList(b.os), "tx", key)
		crashPoint("accept-enqueued")
	}
	return nil
}

// mine reports whether order o, c on chain, is this provider's to run:
// accepted by it, or, replicated, with a seat of its.
func (m *Market) mine(ctx context.Context, o *orderRecord, c contracts.HearthMarketOrder) (bool, error) {
	if !o.replicated() {
		return c.Status == contracts.StatusAccepted && c.Provider == m.provider, nil
	}
	if c.Status != contracts.StatusOpen && c.Status != contracts.StatusAccepted {
		return false, nil
	}
	return m.seated(ctx, o.ID)
}
