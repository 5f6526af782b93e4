package market

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// Settling finished orders: in batches, and, after a failure, each order
// alone with a growing wait, a bounded number of times.

// settle sends a batch of finished orders when it is full or old enough,
// and each order whose settlement failed once its backoff is over.
func (m *Market) settle(ctx context.Context, open []orderRecord) error {
	var ready, retries []*orderRecord
	oldest := time.Now()
	final, verified, err := m.finalizedBlock(ctx)
	if err != nil {
		m.warnOnce("settle", fmt.Errorf("settling waits for a verified finalized head: %w", err))
		return nil
	}
	for i := range open {
		o := &open[i]
		switch {
		case o.State != api.OrderSettling || o.SettleKey != "" || o.replicated(): // replicated: commit
		case verified && o.AcceptedBlock > final:
			// Settled only once its acceptance is final: work paid for
			// must not vanish in a reorganization.
		case o.SettleFailures > 0:
			if o.RetryAt == nil || !time.Now().Before(*o.RetryAt) {
				retries = append(retries, o)
			}
		default:
			ready = append(ready, o)
			if o.FinishedAt != nil && o.FinishedAt.Before(oldest) {
				oldest = *o.FinishedAt
			}
		}
	}
	// Retries go one order per transaction: an order that the contract
	// refuses then fails alone, not with the batch it came in.
	for _, o := range retries {
		if err := m.sendSettlement(ctx, []*orderRecord{o}); err != nil {
			return err
		}
	}
	if len(ready) == 0 || (len(ready) < m.cfg.SettleBatch && time.Since(oldest) < m.cfg.SettleAge) {
		return nil
	}
	if len(ready) > maxSettleBatch {
		ready = ready[:maxSettleBatch]
	}
	return m.sendSettlement(ctx, ready)
}

// sendSettlement records a settlement of the orders that are still the
// provider's to settle, then queues its transaction.
func (m *Market) sendSettlement(ctx context.Context, ready []*orderRecord) error {
	var batch []*orderRecord
	for _, o := range ready {
		c, err := m.onChain(ctx, o.ID)
		if err != nil {
			return err
		}
		if done, err := m.settledElsewhere(o, c); done || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		batch = append(batch, o)
	}
	if len(batch) == 0 {
		return nil
	}
	key, err := m.nextKey("settle")
	if err != nil {
		return err
	}
	for _, o := range batch {
		o.SettleKey = key
	}
	if err := m.putOrders(batch...); err != nil {
		return err
	}
	crashPoint("settle-recorded")
	if _, err := m.outbox.Enqueue(m.settleIntent(key, batch)); err != nil {
		return err
	}
	m.log.Info("settling orders", "orders", idList(batch), "tx", key)
	crashPoint("settle-enqueued")
	return nil
}

// maxSettleBatch bounds one settlement's gas (about 35,000 per order).
const maxSettleBatch = 100

func settlement(o *orderRecord) contracts.HearthMarketSettlement {
	var root [32]byte
	b, _ := hex.DecodeString(strings.TrimPrefix(o.ResultRoot, "0x"))
	copy(root[:], b)
	return contracts.HearthMarketSettlement{Id: new(big.Int).SetUint64(o.ID), ResultRoot: root,
		TasksDone: big.NewInt(int64(o.TasksDone))}
}

// settledElsewhere handles an order that is no longer ours to settle: the
// contract has it settled (by an earlier transaction of ours) or reclaimed.
func (m *Market) settledElsewhere(o *orderRecord, c contracts.HearthMarketOrder) (bool, error) {
	switch c.Status {
	case contracts.StatusSettled:
		o.State, o.SettleKey = api.OrderSettled, ""
		o.clearRetry()
		return true, m.putOrders(o)
	case contracts.StatusReclaimed:
		return true, m.reclaimed(o, "reclaimed by its requester before it was settled")
	}
	return false, nil
}

// followSettles completes the orders of mined settlements, and hands those
// of failed ones to settleFailed.
func (m *Market) followSettles(ctx context.Context, open []orderRecord) error {
	return m.followBatches(open, api.OrderSettling, func(o *orderRecord) string { return o.SettleKey }, m.settleIntent,
		func(key string, os []*orderRecord, rec chain.Record) error {
			if rec.State == chain.Mined && !rec.Reverted {
				crashPoint("settle-mined")
				for _, o := range os {
					o.State, o.SettleTx, o.SettledBlock = api.OrderSettled, rec.TxHash.Hex(), rec.BlockNumber
					o.clearRetry()
				}
				if err := m.putOrders(os...); err != nil {
					return err
				}
				m.log.Info("orders settled", "orders", idList(os), "tx", rec.TxHash.Hex(), "block", rec.BlockNumber,
					"gas", rec.GasUsed, "gas_per_task", gasPerTask(rec.GasUsed, os))
				return nil
			}
			why := m.txError(rec)
			m.log.Warn("settlement failed", "orders", idList(os), "tx", key, "err", why)
			for _, o := range os {
				c, err := m.onChain(ctx, o.ID)
				if err != nil {
					return err
				}
				if done, err := m.settledElsewhere(o, c); done || err != nil {
					if err != nil {
						return err
					}
					continue
				}
				if err := m.settleFailed(o, why); err != nil {
					return err
				}
			}
			return nil
		})
}

func gasPerTask(gas uint64, os []*orderRecord) string {
	n := 0
	for _, o := range os {
		n += o.Tasks
	}
	if n == 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(gas)/float64(n), 'f', 1, 64)
}

// maxSettleBackoff caps the wait between two settlements of an order.
const maxSettleBackoff = 10 * time.Minute

// settleFailed notes a failed settlement of an order that is still the
// provider's to settle: it is tried again after a backoff that doubles
// each time, or, after Config.SettleAttempts failures, given up, so that a
// settlement the contract keeps refusing does not cost gas forever.
// Clearing SettleKey with the count in one write keeps a crash from
// counting one failure twice.
func (m *Market) settleFailed(o *orderRecord, why string) error {
	o.SettleKey = ""
	o.SettleFailures++
	what := "settlement"
	if o.replicated() {
		what = "commitment"
	}
	if o.SettleFailures >= m.cfg.SettleAttempts {
		o.State, o.RetryAt = api.OrderFailed, nil
		o.Reason = fmt.Sprintf("%s failed %d times, the provider gave up on it (the last: %s); the order stays accepted on chain until its requester reclaims it after %s",
			what, o.SettleFailures, why, o.Deadline.Format(time.RFC3339))
		if o.replicated() {
			o.Reason = fmt.Sprintf("commitment failed %d times, the provider gave up on it (the last: %s); its seat is slashed when the order is finalized after %s",
				o.SettleFailures, why, o.Deadline.Add(revealWindow).Format(time.RFC3339))
		}
		m.log.Error("order's settlement given up: check the provider's account and the contract, then let the requester reclaim it",
			"order", o.ID, "attempts", o.SettleFailures, "err", why)
		return m.putOrders(o)
	}
	wait := m.settleBackoff(o.SettleFailures)
	at := time.Now().Add(wait).UTC()
	o.RetryAt = &at
	o.Reason = fmt.Sprintf("%s %d of %d failed, next in %s: %s", what, o.SettleFailures, m.cfg.SettleAttempts, wait, why)
	m.log.Warn("order's settlement failed; it is tried again alone", "order", o.ID,
		"attempt", o.SettleFailures, "of", m.cfg.SettleAttempts, "retry_in", wait, "err", why)
	return m.putOrders(o)
}

// settleBackoff is the wait after an order's nth failed settlement.
func (m *Market) settleBackoff(n int) time.Duration {
	d := m.cfg.SettleBackoff
	for i := 1; i < n && d < maxSettleBackoff; i++ {
		d *= 2
	}
	return min(d, maxSettleBackoff)
}

// clearRetry forgets the failed settlements of an order now settled.
func (o *orderRecord) clearRetry() {
	if o.SettleFailures > 0 {
		o.Reason = ""
	}
	o.RetryAt = nil
}

func (m *Market) settleIntent(key string, os []*orderRecord) chain.Intent {
	items := make([]contracts.HearthMarketSettlement, len(os))
	for i, o := range os {
		items[i] = settlement(o)
	}
	return chain.Intent{Key: key, To: m.cfg.Contract, Data: m.abi.PackSettle(items)}
}
