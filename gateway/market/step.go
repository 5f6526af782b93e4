package market

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// step moves every unfinished order as far as it can go now.
func (m *Market) step(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	open, err := m.loadOrders(func(o orderRecord) bool { return !o.State.Final() })
	if err != nil {
		return err
	}
	var errs []error
	errs = append(errs, m.followAccepts(ctx, open))
	errs = append(errs, m.scanGap(ctx))
	// Orders to decide want a fresh head: the light client then checks
	// every slot instead of every minute.
	if rf, ok := m.reader.(chain.Refresher); ok && slices.ContainsFunc(open, func(o orderRecord) bool { return o.State == api.OrderSeen }) {
		rf.Refresh()
	}
	fresh := m.freshHead(ctx)
	if fresh != nil {
		m.setPaused(fresh.Error())
	} else {
		m.setPaused("")
	}
	if m.registered && fresh == nil {
		errs = append(errs, m.decide(ctx, open))
	}
	errs = append(errs, m.followJobs(open))
	errs = append(errs, m.followSettles(ctx, open))
	errs = append(errs, m.settle(ctx, open))
	// Replicated orders: commit, reveal, and learn the outcome.
	errs = append(errs, m.followCommits(ctx, open))
	errs = append(errs, m.commit(ctx, open))
	errs = append(errs, m.followReveals(ctx, open))
	errs = append(errs, m.reveal(ctx, open))
	errs = append(errs, m.outcomes(ctx, open))
	errs = append(errs, m.publishInfo())
	return errors.Join(errs...)
}

// onChain reads an order from the contract.
func (m *Market) onChain(ctx context.Context, id uint64) (contracts.HearthMarketOrder, error) {
	out, err := m.call(ctx, m.abi.PackGetOrder(new(big.Int).SetUint64(id)))
	if err != nil {
		return contracts.HearthMarketOrder{}, fmt.Errorf("read order %d: %w", id, err)
	}
	return m.abi.UnpackGetOrder(out)
}

func (m *Market) call(ctx context.Context, data []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return m.reader.CallContract(ctx, ethereum.CallMsg{To: &m.cfg.Contract, Data: data}, nil)
}
