package market

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// Replicated orders (docs/certification.md): several providers run one
// order apart, and the contract settles it on the result a quorum of them
// reveals. This provider takes a seat (joinOrders, in the batch where plain
// orders are accepted), runs the order's job as for any order, commits to
// its result in a batch (commitResults, where a plain order would be
// settled), reveals that batch once every seat of its orders committed
// (revealResults), and then reads from the contract whether the quorum
// agreed with it. Each step is recorded before its transaction is queued,
// as for plain orders, so that a restart redoes exactly the missing ones:
// a commitment's batch is the orders recorded under its key, by ID, and
// gives the same seal again.

// revealWindow is the contract's REVEAL_WINDOW: after an order's deadline
// and this, anyone may finalize it. joinMargin is its JOIN_MARGIN: seats
// are taken until this long before the deadline.
const (
	revealWindow = time.Hour
	joinMargin   = 10 * time.Minute
)

// batchSpread bounds the deadlines of the orders in one commitment: its
// reveal waits for the last of them when another seat is slow to commit,
// and must come well within the first one's reveal window.
const batchSpread = 10 * time.Minute

// commitSoon: an order this close to its deadline is committed at once,
// alone, instead of waiting for a fuller batch.
const commitSoon = 3 * time.Minute

func (o *orderRecord) replicated() bool { return o.Replicas > 0 }

// replication reads order id's replication from the contract.
func (m *Market) replication(ctx context.Context, id uint64) (contracts.ReplicationOutput, error) {
	out, err := m.call(ctx, m.abi.PackReplication(new(big.Int).SetUint64(id)))
	if err != nil {
		return contracts.ReplicationOutput{}, fmt.Errorf("read order %d's replication: %w", id, err)
	}
	return m.abi.UnpackReplication(out)
}

// judgeReplication notes whether order o is replicated and, when it is,
// whether this provider may take a seat: one is left and its stake covers
// what the seat risks (the order's whole pay for one seat).
func (m *Market) judgeReplication(ctx context.Context, o *orderRecord) (reason string, wait bool) {
	rep, err := m.replication(ctx, o.ID)
	if err != nil {
		return "waiting to read whether the order is replicated: " + err.Error(), true
	}
	if rep.Replicas == 0 {
		return "", false
	}
	o.Replicas, o.Quorum = int(rep.Replicas), int(rep.Quorum)
	if slices.Contains(contracts.Seats(rep), m.number) {
		return "", false // taken already: decide starts its job
	}
	if rep.Joined >= rep.Replicas {
		return fmt.Sprintf("every seat of this replicated order is taken (%d providers)", rep.Replicas), false
	}
	if lead := time.Until(o.Deadline); lead < joinMargin+m.cfg.MinLead {
		return fmt.Sprintf("too close to its deadline: a replicated order's seats are taken until %s before it, and this provider wants %s more", joinMargin, m.cfg.MinLead), false
	}
	out, err := m.call(ctx, m.abi.PackProviders(m.provider))
	if err != nil {
		return "waiting to read the provider's stake: " + err.Error(), true
	}
	p, err := m.abi.UnpackProviders(out)
	if err != nil {
		return "waiting to read the provider's stake: " + err.Error(), true
	}
	price, _ := new(big.Int).SetString(o.PricePerTask, 10)
	atRisk := new(big.Int).Mul(price, big.NewInt(int64(o.Tasks)))
	free := new(big.Int).Sub(p.Stake, p.Locked)
	if free.Cmp(atRisk) < 0 {
		return fmt.Sprintf("a seat in this replicated order risks %s wei of stake, this provider's stake is %s wei, of which its open seats risk %s",
			atRisk, p.Stake, p.Locked), false
	}
	return "", false
}

// seated reports whether this provider has a seat in order id.
func (m *Market) seated(ctx context.Context, id uint64) (bool, error) {
	rep, err := m.replication(ctx, id)
	if err != nil {
		return false, err
	}
	return slices.Contains(contracts.Seats(rep), m.number), nil
}

// revealOf is what this provider commits to and reveals for order o.
func revealOf(o *orderRecord) contracts.HearthMarketSettlement {
	s := settlement(o)
	if lie == "root" {
		s.ResultRoot = crypto.Keccak256Hash([]byte("made up"), s.ResultRoot[:])
	}
	return s
}

// revealBatch is the batch of a commitment: its orders by ID.
func revealBatch(os []*orderRecord) []contracts.HearthMarketSettlement {
	os = slices.Clone(os)
	slices.SortFunc(os, func(a, b *orderRecord) int { return cmp.Compare(a.ID, b.ID) })
	batch := make([]contracts.HearthMarketSettlement, len(os))
	for i, o := range os {
		batch[i] = revealOf(o)
	}
	return batch
}

func (m *Market) joinIntent(key string, os []*orderRecord) chain.Intent {
	ids := make([]*big.Int, len(os))
	for i, o := range os {
		ids[i] = new(big.Int).SetUint64(o.ID)
	}
	return chain.Intent{Key: key, To: m.cfg.Contract, Data: m.abi.PackJoinOrders(ids)}
}

func (m *Market) commitIntent(key string, os []*orderRecord) chain.Intent {
	batch := revealBatch(os)
	ids := make([]*big.Int, len(batch))
	for i, s := range batch {
		ids[i] = s.Id
	}
	return chain.Intent{Key: key, To: m.cfg.Contract, Data: m.abi.PackCommitResults(ids, contracts.Seal(m.provider, batch))}
}

// revealGasPerOrder is what a reveal may cost per order beyond its
// estimate: the estimate sees the chain before the other seats' reveals,
// and the reveal that completes a quorum pays or slashes up to six seats
// (about 40,000 gas each when their slots are cold).
const revealGasPerOrder = 250_000

// maxCommitBatch bounds a commitment's batch, and so its reveal's gas
// limit (10 million beyond the estimate at most).
const maxCommitBatch = 40

func (m *Market) revealIntent(key string, os []*orderRecord) chain.Intent {
	return chain.Intent{Key: key, To: m.cfg.Contract, Data: m.abi.PackRevealResults(revealBatch(os)),
		GasExtra: revealGasPerOrder * uint64(len(os))}
}

// commit sends a commitment for the replicated orders whose jobs finished,
// in a batch when it is full or old enough (the settlement's policy), and
// each order whose commitment failed alone once its backoff is over.
func (m *Market) commit(ctx context.Context, open []orderRecord) error {
	final, verified, err := m.finalizedBlock(ctx)
	if err != nil {
		m.warnOnce("commit", fmt.Errorf("committing waits for a verified finalized head: %w", err))
		return nil
	}
	var ready, alone []*orderRecord
	oldest := time.Now()
	for i := range open {
		o := &open[i]
		switch {
		case !o.replicated() || o.State != api.OrderSettling || o.CommitKey != "":
		case verified && o.AcceptedBlock > final:
		case o.SettleFailures > 0:
			if o.RetryAt == nil || !time.Now().Before(*o.RetryAt) {
				alone = append(alone, o)
			}
		case time.Until(o.Deadline) < commitSoon:
			alone = append(alone, o)
		default:
			ready = append(ready, o)
			if o.FinishedAt != nil && o.FinishedAt.Before(oldest) {
				oldest = *o.FinishedAt
			}
		}
	}
	// Retries, and orders near their deadline, go one per transaction: an
	// order that the contract refuses then fails alone.
	for _, o := range alone {
		if err := m.sendCommitment(ctx, []*orderRecord{o}); err != nil {
			return err
		}
	}
	if len(ready) == 0 || (len(ready) < m.cfg.SettleBatch && time.Since(oldest) < m.cfg.SettleAge) {
		return nil
	}
	return m.sendCommitment(ctx, ready)
}

// sendCommitment records a commitment of the orders that may be committed
// now, then queues its transaction. An order whose other seats are not all
// taken waits (and is reclaimed for its requester after its deadline).
func (m *Market) sendCommitment(ctx context.Context, ready []*orderRecord) error {
	var batch []*orderRecord
	for _, o := range ready {
		c, err := m.onChain(ctx, o.ID)
		if err != nil {
			return err
		}
		switch c.Status {
		case contracts.StatusAccepted:
			if time.Now().Before(o.Deadline) {
				batch = append(batch, o)
				continue
			}
			o.State = api.OrderFailed
			o.Reason = "its deadline passed before its result was committed: its seat is slashed when the order is finalized"
			m.log.Warn("replicated order not committed by its deadline", "order", o.ID)
		case contracts.StatusOpen:
			if err := m.waitForSeats(ctx, o); err != nil {
				return err
			}
			continue
		case contracts.StatusReclaimed:
			if err := m.reclaimed(o, "reclaimed: not every seat was taken by its deadline"); err != nil {
				return err
			}
			continue
		default:
			o.State, o.Reason = api.OrderFailed, "the order ended on chain ("+contracts.StatusName(c.Status)+") before this provider committed"
		}
		if err := m.putOrders(o); err != nil {
			return err
		}
	}
	if len(batch) == 0 {
		return nil
	}
	// The orders whose deadlines are within batchSpread of the first's,
	// and at most maxCommitBatch of them; the others wait for the next
	// round.
	slices.SortFunc(batch, func(a, b *orderRecord) int { return a.Deadline.Compare(b.Deadline) })
	n := 1
	for n < len(batch) && n < maxCommitBatch && batch[n].Deadline.Sub(batch[0].Deadline) <= batchSpread {
		n++
	}
	batch = batch[:n]
	key, err := m.nextKey("commit")
	if err != nil {
		return err
	}
	for _, o := range batch {
		o.CommitKey = key
	}
	if err := m.putOrders(batch...); err != nil {
		return err
	}
	crashPoint("commit-recorded")
	if _, err := m.outbox.Enqueue(m.commitIntent(key, batch)); err != nil {
		return err
	}
	m.log.Info("committing results", "orders", idList(batch), "tx", key)
	return nil
}

// waitForSeats notes an order whose seats are not all taken; after its
// deadline it reclaims it for its requester, which releases this
// provider's seat too.
func (m *Market) waitForSeats(ctx context.Context, o *orderRecord) error {
	rep, err := m.replication(ctx, o.ID)
	if err != nil {
		return err
	}
	if time.Now().After(o.Deadline.Add(15 * time.Second)) {
		o.Reason = "its seats were not all taken by its deadline: reclaiming it for its requester"
		return m.sendEnd(o, "reclaim", m.abi.PackReclaim(new(big.Int).SetUint64(o.ID)))
	}
	why := fmt.Sprintf("done; waiting for the other providers to join (%d of %d seats taken)", rep.Joined, rep.Replicas)
	if o.Reason == why {
		return nil
	}
	o.Reason = why
	return m.putOrders(o)
}

// followCommits moves the orders of mined commitments on to revealing,
// and hands those of failed ones to settleFailed.
func (m *Market) followCommits(ctx context.Context, open []orderRecord) error {
	return m.followBatches(open, api.OrderSettling, func(o *orderRecord) string { return o.CommitKey }, m.commitIntent,
		func(key string, os []*orderRecord, rec chain.Record) error {
			if rec.State == chain.Mined && !rec.Reverted {
				crashPoint("commit-mined")
				for _, o := range os {
					o.State, o.Reason, o.CommitTx = api.OrderRevealing, "", rec.TxHash.Hex()
					o.clearRetry()
					o.SettleFailures = 0 // the reveal gets its own attempts
				}
				if err := m.putOrders(os...); err != nil {
					return err
				}
				m.log.Info("results committed", "orders", idList(os), "tx", rec.TxHash.Hex(), "gas", rec.GasUsed)
				return nil
			}
			why := m.txError(rec)
			m.log.Warn("commitment failed", "orders", idList(os), "tx", key, "err", why)
			for _, o := range os {
				o.CommitKey = ""
				if err := m.settleFailed(o, why); err != nil {
					return err
				}
			}
			return nil
		})
}

// reveal sends the reveal of each commitment whose orders may all be
// revealed now: every seat of each committed, or its deadline passed.
func (m *Market) reveal(ctx context.Context, open []orderRecord) error {
	keys, by := groups(open, api.OrderRevealing, func(o *orderRecord) string {
		if o.RevealKey != "" || o.RevealTx != "" {
			return ""
		}
		return o.CommitKey
	})
	for _, key := range keys {
		os := by[key]
		if at := os[0].RetryAt; at != nil && time.Now().Before(*at) {
			continue
		}
		wait := ""
		for _, o := range os {
			rep, err := m.replication(ctx, o.ID)
			if err != nil {
				return err
			}
			all := uint8(1)<<rep.Replicas - 1
			if rep.Committed != all && !time.Now().After(o.Deadline.Add(15*time.Second)) {
				wait = fmt.Sprintf("committed; its reveal waits for the other providers' commitments (%d of %d)", ones(rep.Committed), rep.Replicas)
				break
			}
		}
		if wait != "" {
			for _, o := range os {
				if o.Reason != wait {
					o.Reason = wait
					if err := m.putOrders(o); err != nil {
						return err
					}
				}
			}
			continue
		}
		rkey, err := m.nextKey("reveal")
		if err != nil {
			return err
		}
		for _, o := range os {
			o.RevealKey, o.Reason = rkey, ""
		}
		if err := m.putOrders(os...); err != nil {
			return err
		}
		crashPoint("reveal-recorded")
		if _, err := m.outbox.Enqueue(m.revealIntent(rkey, os)); err != nil {
			return err
		}
		m.log.Info("revealing results", "orders", idList(os), "tx", rkey)
	}
	return nil
}

// followReveals notes mined reveals, retries reveals that were too early,
// and gives up on the others.
func (m *Market) followReveals(ctx context.Context, open []orderRecord) error {
	return m.followBatches(open, api.OrderRevealing, func(o *orderRecord) string { return o.RevealKey }, m.revealIntent,
		func(key string, os []*orderRecord, rec chain.Record) error {
			if rec.State == chain.Mined && !rec.Reverted {
				for _, o := range os {
					o.RevealKey, o.RevealTx = "", rec.TxHash.Hex()
				}
				if err := m.putOrders(os...); err != nil {
					return err
				}
				m.log.Info("results revealed", "orders", idList(os), "tx", rec.TxHash.Hex(), "gas", rec.GasUsed)
				return nil
			}
			why := m.txError(rec)
			m.log.Warn("reveal failed", "orders", idList(os), "tx", key, "err", why)
			for _, o := range os {
				o.RevealKey = ""
				o.SettleFailures++
				if o.SettleFailures >= m.cfg.SettleAttempts {
					o.State, o.RetryAt = api.OrderFailed, nil
					o.Reason = fmt.Sprintf("its reveal failed %d times, the provider gave up (the last: %s); its seat is slashed when the order is finalized", o.SettleFailures, why)
					continue
				}
				at := time.Now().Add(m.settleBackoff(o.SettleFailures)).UTC()
				o.RetryAt = &at
				o.Reason = fmt.Sprintf("reveal %d of %d failed, next at %s: %s", o.SettleFailures, m.cfg.SettleAttempts, at.Format(time.RFC3339), why)
			}
			if err := m.putOrders(os...); err != nil {
				return err
			}
			return nil
		})
}

// outcomes reads how the revealed orders ended: settled on this
// provider's result (paid) or on another (slashed), or disputed. An order
// that waits for reveals past its reveal window is finalized.
func (m *Market) outcomes(ctx context.Context, open []orderRecord) error {
	for i := range open {
		o := &open[i]
		if o.State != api.OrderRevealing || o.RevealTx == "" {
			continue
		}
		c, err := m.onChain(ctx, o.ID)
		if err != nil {
			return err
		}
		ours := revealOf(o)
		switch c.Status {
		case contracts.StatusSettled:
			if c.ResultRoot == ours.ResultRoot && c.TasksDone.Cmp(ours.TasksDone) == 0 {
				o.State, o.Reason = api.OrderSettled, ""
				m.log.Info("replicated order settled on this provider's result", "order", o.ID)
			} else {
				o.State = api.OrderOutvoted
				o.Reason = fmt.Sprintf("the quorum revealed root %x with %d tasks done, this provider %x with %d: its seat was slashed",
					c.ResultRoot, c.TasksDone, ours.ResultRoot, ours.TasksDone)
				m.log.Error("replicated order settled on another result than this provider's: check the pool's devices (hearth pool ls) and the app", "order", o.ID, "reason", o.Reason)
			}
		case contracts.StatusDisputed:
			o.State, o.Reason = api.OrderDisputed, "its reveals reached no quorum: its requester was refunded"
			m.log.Warn("replicated order disputed", "order", o.ID)
		case contracts.StatusAccepted:
			if time.Now().Before(o.Deadline.Add(revealWindow + 15*time.Second)) {
				why := "revealed; waiting for the other providers' reveals"
				if o.Reason == why {
					continue
				}
				o.Reason = why
				break
			}
			o.Reason = "its reveal window passed: finalizing it"
			if err := m.sendEnd(o, "finalize", m.abi.PackFinalize(new(big.Int).SetUint64(o.ID))); err != nil {
				return err
			}
			continue
		default:
			continue
		}
		if err := m.putOrders(o); err != nil {
			return err
		}
	}
	return nil
}

// sendEnd sends the transaction that ends order o (kind "finalize" or
// "reclaim", data its call), one at a time: recorded under o.FinalizeKey
// before it is queued, queued again after a crash in between, and, when it
// failed (the chain's clock behind the gateway's, say), sent again under a
// new key a minute later, until the order's status on chain moves on.
func (m *Market) sendEnd(o *orderRecord, kind string, data []byte) error {
	if o.FinalizeKey != "" {
		rec, ok, err := m.outbox.Get(o.FinalizeKey)
		switch {
		case err != nil:
			return err
		case !ok:
			_, err := m.outbox.Enqueue(chain.Intent{Key: o.FinalizeKey, To: m.cfg.Contract, Data: data})
			return err
		case !rec.Final() || rec.State == chain.Mined && !rec.Reverted:
			return nil // on its way, or done: the chain says what follows
		}
		m.log.Warn("ending a replicated order failed; trying again in a minute", "order", o.ID, "tx", o.FinalizeKey, "err", m.txError(rec))
		at := time.Now().Add(time.Minute).UTC()
		o.FinalizeKey, o.RetryAt = "", &at
		return m.putOrders(o)
	}
	if o.RetryAt != nil && time.Now().Before(*o.RetryAt) {
		return nil
	}
	key, err := m.nextKey(kind)
	if err != nil {
		return err
	}
	o.FinalizeKey, o.RetryAt = key, nil
	if err := m.putOrders(o); err != nil {
		return err
	}
	m.log.Info(kind+" of a replicated order", "order", o.ID, "tx", key)
	_, err = m.outbox.Enqueue(chain.Intent{Key: key, To: m.cfg.Contract, Data: data})
	return err
}

func ones(b uint8) int {
	n := 0
	for ; b != 0; b &= b - 1 {
		n++
	}
	return n
}
