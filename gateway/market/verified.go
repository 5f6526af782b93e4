package market

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/internal/merkle"
	"github.com/hearth-home/hearth/store"
)

// What the market does when its reader verifies (chain.Verifying): the
// contract's storage is the truth, logs are hints.
//
//   - Orders are accepted only on a verified head at most MaxHeadAge old.
//   - An order's description (app URI, inputs, args) comes from its
//     OrderPosted log; before acceptance its hash must equal the specHash
//     the contract stores, and the other fields must equal the order's
//     slots. A log that differs is dropped and the order looked for again.
//   - An order missing from the logs is found through orderCount: every ID
//     up to the count at the watcher's cursor must have been seen.
//   - Orders are settled only once their acceptance is final, and the
//     outbox follows its transactions until they are final.

// verifying is the reader as a chain.Verifying, or nil.
func (m *Market) verifying() chain.Verifying {
	v, _ := m.reader.(chain.Verifying)
	return v
}

// errHeadNotFresh is why acceptance waits.
var errHeadNotFresh = errors.New("accepting waits for a fresh verified head")

// freshHead returns nil when orders may be accepted now.
func (m *Market) freshHead(ctx context.Context) error {
	v := m.verifying()
	if v == nil {
		return nil
	}
	age, err := v.HeadAge(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", errHeadNotFresh, err)
	}
	if age > m.cfg.MaxHeadAge {
		return fmt.Errorf("%w: the verified head is %s old (at most %s)", errHeadNotFresh, age.Round(time.Second), m.cfg.MaxHeadAge)
	}
	return nil
}

// finalizedBlock is the newest final block when the reader knows it;
// ok false when every block counts as final (an unverified reader).
func (m *Market) finalizedBlock(ctx context.Context) (n uint64, ok bool, err error) {
	v := m.verifying()
	if v == nil {
		return 0, false, nil
	}
	n, err = v.FinalizedNumber(ctx)
	return n, true, err
}

// specHash is the hash that binds an order's description on chain.
func (m *Market) specHash(o *orderRecord) (common.Hash, error) {
	var runtime uint8
	switch o.Runtime {
	case "wasm":
		runtime = contracts.RuntimeWasm
	case "oci":
		runtime = contracts.RuntimeOCI
	default:
		n, err := strconv.ParseUint(o.Runtime[len("runtime-"):], 10, 8)
		if err != nil {
			return common.Hash{}, fmt.Errorf("order %d: runtime %q", o.ID, o.Runtime)
		}
		runtime = uint8(n)
	}
	inputs := make([][32]byte, len(o.Inputs))
	for i, in := range o.Inputs {
		inputs[i] = merkle.DigestBytes(in)
	}
	args := o.Args
	if args == nil {
		args = []string{}
	}
	enc, err := m.abi.GetABI().Methods["specHashOf"].Inputs.Pack(o.AppURI, runtime, inputs, args)
	if err != nil {
		return common.Hash{}, fmt.Errorf("order %d: %w", o.ID, err)
	}
	return crypto.Keccak256Hash(enc), nil
}

// matchesChain says where the stored description of an order differs from
// what the contract holds; "" when it does not.
func (m *Market) matchesChain(o *orderRecord, c contracts.HearthMarketOrder) string {
	h, err := m.specHash(o)
	switch {
	case err != nil:
		return err.Error()
	case h != c.SpecHash:
		return fmt.Sprintf("its description hashes to %s, the contract holds specHash %s", h.Hex(), common.Hash(c.SpecHash).Hex())
	case merkle.DigestBytes(o.AppDigest) != c.AppDigest:
		return "its app digest differs from the contract's"
	case c.Tasks == nil || c.Tasks.Int64() != int64(o.Tasks):
		return "its task count differs from the contract's"
	case c.PricePerTask == nil || c.PricePerTask.String() != o.PricePerTask:
		return "its price differs from the contract's"
	case c.Deadline == nil || c.Deadline.Int64() != o.Deadline.Unix():
		return "its deadline differs from the contract's"
	case common.HexToAddress(o.Requester) != c.Requester:
		return "its requester differs from the contract's"
	case c.Provider != (common.Address{}) && c.Provider != m.provider:
		return "it is for another provider"
	}
	return ""
}

// dropForged forgets a stored order whose description the contract does
// not confirm, so that the gap scan looks for its real log again.
func (m *Market) dropForged(o *orderRecord, why string) error {
	m.log.Warn("order's description from the logs does not match the contract; ignored, looking for it again", "order", o.ID, "why", why)
	m.gapFreeAt = 0
	return m.db.Update(func(tx *store.Tx) error {
		if err := tx.Delete(bucketOrders, orderKey(o.ID)); err != nil {
			return err
		}
		return m.setScanned(tx, min(m.scannedIn(tx), o.ID-1))
	})
}

const scannedKey = "orders_scanned"

func (m *Market) scannedIn(tx *store.Tx) uint64 {
	n, _ := strconv.ParseUint(string(tx.Get(bucketMeta, scannedKey)), 10, 64)
	return n
}

func (m *Market) setScanned(tx *store.Tx, n uint64) error {
	return tx.Put(bucketMeta, scannedKey, []byte(strconv.FormatUint(n, 10)))
}

// maxGapScan bounds the order IDs one step checks.
const maxGapScan = 32

// scanGap checks that every order the contract counted, up to the block
// whose logs the watcher delivered last, was seen; an order whose log is
// missing is looked up by its ID, and one that still cannot be found waits
// (not acted on) and is looked for again at the next step.
func (m *Market) scanGap(ctx context.Context) error {
	if m.verifying() == nil {
		return nil
	}
	at := m.watcher.Head()
	if at == 0 || at == m.gapFreeAt {
		return nil // nothing new since the last scan found no gap
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	count, err := m.orderCount(ctx, at)
	if err != nil {
		return err
	}
	var scanned uint64
	if err := m.db.View(func(tx *store.Tx) error { scanned = m.scannedIn(tx); return nil }); err != nil {
		return err
	}
	next := scanned
	for id := scanned + 1; id <= count.Uint64() && id <= scanned+maxGapScan; id++ {
		if _, ok, err := m.getOrder(id); err != nil {
			return err
		} else if !ok {
			found, err := m.findOrder(ctx, id, at)
			if err != nil {
				return err
			}
			if !found {
				m.warnOnce("order "+strconv.FormatUint(id, 10), fmt.Errorf("order %d is on chain but no endpoint gives its OrderPosted log; it is not acted on until one does", id))
				break
			}
		}
		next = id
	}
	if next == count.Uint64() {
		m.gapFreeAt = at
	}
	if next == scanned {
		return nil
	}
	return m.db.Update(func(tx *store.Tx) error { return m.setScanned(tx, next) })
}

// slotOrderCount is orderCount's storage slot: HearthMarket's first state
// variable (minStake is immutable, in the code).
var slotOrderCount = common.Hash{}

// orderCount reads the contract's order count at block at: one storage
// proof when the reader reads storage (a verifying one does), else a call.
func (m *Market) orderCount(ctx context.Context, at uint64) (*big.Int, error) {
	n := new(big.Int).SetUint64(at)
	if sr, ok := m.reader.(interface {
		StorageAt(context.Context, common.Address, common.Hash, *big.Int) ([]byte, error)
	}); ok {
		v, err := sr.StorageAt(ctx, m.cfg.Contract, slotOrderCount, n)
		if err != nil {
			return nil, fmt.Errorf("order count at block %d: %w", at, err)
		}
		return new(big.Int).SetBytes(v), nil
	}
	out, err := m.reader.CallContract(ctx, ethereum.CallMsg{To: &m.cfg.Contract, Data: m.abi.PackOrderCount()}, n)
	if err != nil {
		return nil, fmt.Errorf("order count at block %d: %w", at, err)
	}
	count, err := m.abi.UnpackOrderCount(out)
	if err != nil {
		return nil, fmt.Errorf("order count: %w", err)
	}
	return count, nil
}

// findOrder looks for order id's OrderPosted log up to block at and
// records it; found is false when no log was given.
func (m *Market) findOrder(ctx context.Context, id, at uint64) (found bool, err error) {
	posted := m.abi.GetABI().Events["OrderPosted"].ID
	logs, err := m.reader.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(m.cfg.FromBlock), ToBlock: new(big.Int).SetUint64(at),
		Addresses: []common.Address{m.cfg.Contract},
		Topics:    [][]common.Hash{{posted}, {common.BigToHash(new(big.Int).SetUint64(id))}},
	})
	if err != nil {
		return false, fmt.Errorf("order %d's log: %w", id, err)
	}
	for i := range logs {
		if logs[i].Removed {
			continue
		}
		m.log.Info("order found through the contract's order count", "order", id, "block", logs[i].BlockNumber)
		if err := m.handleLog(&logs[i]); err != nil {
			return false, err
		}
		return true, nil
	}
	return false, nil
}
