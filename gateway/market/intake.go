package market

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/store"
)

// Intake: the contract's events become order records (state seen).

// handleLogs records what the contract's events say. It is idempotent: the
// watcher may deliver a batch again after a crash.
func (m *Market) handleLogs(ctx context.Context, logs []types.Log) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range logs {
		if err := m.handleLog(&logs[i]); err != nil {
			return err
		}
	}
	m.poke()
	return nil
}

func (m *Market) handleLog(l *types.Log) error {
	if len(l.Topics) == 0 {
		return nil
	}
	events := m.abi.GetABI().Events
	switch l.Topics[0] {
	case events["OrderPosted"].ID:
		ev, err := m.abi.UnpackOrderPostedEvent(l)
		if err != nil {
			return fmt.Errorf("order event in block %d: %w", l.BlockNumber, err)
		}
		if ev.Provider != (common.Address{}) && ev.Provider != m.provider {
			return nil // for another provider
		}
		id := ev.Id.Uint64()
		o, ok, err := m.getOrder(id)
		if err != nil {
			return err
		}
		if l.Removed {
			if ok && o.State == api.OrderSeen {
				m.log.Warn("order vanished in a chain reorganization", "order", id)
				return m.db.Update(func(tx *store.Tx) error { return tx.Delete(bucketOrders, orderKey(id)) })
			}
			return nil
		}
		if ok {
			return nil
		}
		o = orderFromEvent(ev, l.BlockNumber)
		m.log.Info("order seen", "order", id, "requester", o.Requester, "runtime", o.Runtime,
			"tasks", o.Tasks, "price_per_task", o.PricePerTask, "block", l.BlockNumber)
		return m.putOrders(&o)
	case events["OrderReclaimed"].ID:
		ev, err := m.abi.UnpackOrderReclaimedEvent(l)
		if err != nil || l.Removed {
			return err
		}
		o, ok, err := m.getOrder(ev.Id.Uint64())
		// An order whose settlement the gateway gave up on (OrderFailed)
		// is still the requester's to reclaim, and then it is reclaimed.
		if err != nil || !ok || o.State.Final() && o.State != api.OrderFailed {
			return err
		}
		return m.reclaimed(&o, "reclaimed by its requester after its deadline")
	case events["OrderAccepted"].ID, events["OrderSettled"].ID:
		if len(l.Topics) < 3 || common.BytesToAddress(l.Topics[2].Bytes()) != m.provider || l.Removed {
			return nil
		}
		o, ok, err := m.getOrder(new(big.Int).SetBytes(l.Topics[1].Bytes()).Uint64())
		if err != nil || !ok {
			return err
		}
		if l.Topics[0] == events["OrderAccepted"].ID {
			o.AcceptedBlock = l.BlockNumber
		} else {
			o.SettledBlock = l.BlockNumber
			if o.State == api.OrderFailed {
				// A settlement that had reverted was mined again, and
				// went through, after a reorganization.
				o.State, o.Reason = api.OrderSettled, ""
			}
		}
		return m.putOrders(&o)
	}
	return nil
}

func orderFromEvent(ev *contracts.HearthMarketOrderPosted, block uint64) orderRecord {
	o := api.MarketOrder{
		ID: ev.Id.Uint64(), Requester: ev.Requester.Hex(), State: api.OrderSeen,
		AppDigest: "sha256:" + hex.EncodeToString(ev.AppDigest[:]), AppURI: ev.AppURI,
		Runtime: runtimeName(ev.Runtime), Args: ev.Args, Tasks: int(ev.Tasks.Int64()),
		PricePerTask: ev.PricePerTask.String(), Deadline: time.Unix(ev.Deadline.Int64(), 0).UTC(),
		PostedBlock: block,
	}
	for _, in := range ev.Inputs {
		o.Inputs = append(o.Inputs, "sha256:"+hex.EncodeToString(in[:]))
	}
	return orderRecord{MarketOrder: o}
}

func runtimeName(r uint8) string {
	switch r {
	case contracts.RuntimeWasm:
		return "wasm"
	case contracts.RuntimeOCI:
		return "oci"
	}
	return "runtime-" + strconv.Itoa(int(r))
}
