package market

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// Accepting: following the acceptance transaction to its end.

// followAccepts starts the jobs of accepted orders, and sorts out the
// orders of an acceptance that failed.
func (m *Market) followAccepts(ctx context.Context, open []orderRecord) error {
	return m.followBatches(open, api.OrderAccepting, func(o *orderRecord) string { return o.AcceptKey }, m.acceptIntent,
		func(key string, os []*orderRecord, rec chain.Record) error {
			if rec.State == chain.Mined && !rec.Reverted {
				crashPoint("accept-mined")
				for _, o := range os {
					o.AcceptTx, o.AcceptedBlock = rec.TxHash.Hex(), rec.BlockNumber
					m.startJob(o)
					if err := m.putOrders(o); err != nil {
						return err
					}
				}
				m.log.Info("orders accepted", "orders", idList(os), "tx", rec.TxHash.Hex(), "block", rec.BlockNumber, "gas", rec.GasUsed)
				return nil
			}
			why := m.txError(rec)
			m.log.Warn("acceptance failed", "orders", idList(os), "tx", key, "err", why)
			for _, o := range os {
				if err := m.afterFailedAccept(ctx, o, why); err != nil {
					return err
				}
			}
			return nil
		})
}

// afterFailedAccept asks the contract where an order stands after its
// acceptance failed.
func (m *Market) afterFailedAccept(ctx context.Context, o *orderRecord, why string) error {
	c, err := m.onChain(ctx, o.ID)
	if err != nil {
		return err
	}
	mine, err := m.mine(ctx, o, c)
	if err != nil {
		return err
	}
	switch {
	case mine:
		m.startJob(o)
	case c.Status == contracts.StatusOpen && o.Attempts < 3:
		o.State, o.AcceptKey, o.Reason = api.OrderSeen, "", "acceptance failed, will try again: "+why
		o.Attempts++
	case c.Status == contracts.StatusReclaimed:
		return m.reclaimed(o, "reclaimed by its requester")
	default:
		return m.refuse(o, "acceptance failed: "+why)
	}
	return m.putOrders(o)
}

// txError says why an outbox record failed or reverted, decoding the
// contract's custom error when there is one.
func (m *Market) txError(rec chain.Record) string {
	if len(rec.RevertData) >= 4 {
		if e, err := m.abi.UnpackError(rec.RevertData); err == nil {
			return fmt.Sprintf("%T %+v", e, e)
		}
	}
	if rec.Err != "" {
		return rec.Err
	}
	if rec.Reverted {
		return "transaction " + rec.TxHash.Hex() + " reverted"
	}
	return string(rec.State)
}

// acceptIntent and settleIntent are the transactions of a recorded batch:
// after a crash the same orders give the same intent, which the outbox
// knows as the one it may already have sent.
func (m *Market) acceptIntent(key string, os []*orderRecord) chain.Intent {
	if strings.HasPrefix(key, "join/") {
		return m.joinIntent(key, os)
	}
	ids := make([]*big.Int, len(os))
	for i, o := range os {
		ids[i] = new(big.Int).SetUint64(o.ID)
	}
	return chain.Intent{Key: key, To: m.cfg.Contract, Data: m.abi.PackAcceptOrders(ids)}
}
