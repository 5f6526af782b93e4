package fakebeacon

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/beacon/params"
	btypes "github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"
)

// version is the fork name the server writes in every response. It selects
// the electra generalized indices below and the deneb payload header type
// in go-ethereum's decoder; fulu kept both.
const version = "electra"

// Generalized indices in the electra BeaconState (37 fields, so field i is
// at 64+i) and BeaconBlockBody (13 fields, field i at 16+i). Only the
// starred ones are proven to a light client; the others make each state and
// body distinct, as real ones are.
var (
	stateGenesisTime           uint64 = 64                                          // genesis_time
	stateGenesisValidatorsRoot uint64 = 65                                          // genesis_validators_root
	stateSlot                  uint64 = 66                                          // slot
	stateCommittee                    = params.StateIndexSyncCommittee(version)     // * current_sync_committee (86)
	stateNextCommittee                = params.StateIndexNextSyncCommittee(version) // * next_sync_committee (87)
	stateFinalizedRoot                = params.StateIndexFinalBlock(version)        // * finalized_checkpoint.root (169)
	stateFinalizedEpoch               = stateFinalizedRoot - 1                      // finalized_checkpoint.epoch (168)
	bodyGraffiti               uint64 = 18                                          // graffiti
	bodyPayload                uint64 = params.BodyIndexExecPayload                 // * execution_payload (25)
)

// graffiti marks every block body as this package's.
var graffiti = common.BytesToHash([]byte("hearth fakebeacon (not a beacon)"))

// beaconBlock is a beacon block header with the proofs a light client gets
// about it.
type beaconBlock struct {
	header          btypes.Header
	root            common.Hash // header.Hash()
	pay             *payload
	finalized       *beaconBlock  // the block its state calls finalized; nil for none
	execBranch      []common.Hash // pay.root in header.BodyRoot
	committeeBranch []common.Hash // the current committee's root in header.StateRoot
	nextBranch      []common.Hash // the next committee's root in header.StateRoot
	finalityBranch  []common.Hash // finalized.root in header.StateRoot
}

func period(slot uint64) uint64 { return slot / params.SyncPeriodLength }

func leUint64(v uint64) common.Hash {
	var h common.Hash
	binary.LittleEndian.PutUint64(h[:8], v)
	return h
}

// makeBlock builds a beacon block header at slot whose body carries pay and
// whose state holds the given committee roots and finalized block.
func (b *Beacon) makeBlock(slot uint64, parent common.Hash, pay *payload, cur, next common.Hash, fin *beaconBlock) *beaconBlock {
	state := map[uint64]common.Hash{
		stateGenesisTime:           leUint64(b.cfg.GenesisTime),
		stateGenesisValidatorsRoot: b.cfg.GenesisValidatorsRoot,
		stateSlot:                  leUint64(slot),
		stateCommittee:             cur,
		stateNextCommittee:         next,
	}
	if fin != nil {
		state[stateFinalizedEpoch] = leUint64(fin.header.Epoch())
		state[stateFinalizedRoot] = fin.root
	}
	st := mustSparseTree(state)
	body := mustSparseTree(map[uint64]common.Hash{bodyGraffiti: graffiti, bodyPayload: pay.root})
	blk := &beaconBlock{
		header: btypes.Header{
			Slot:          slot,
			ProposerIndex: slot % 4096,
			ParentRoot:    parent,
			StateRoot:     st.root(),
			BodyRoot:      body.root(),
		},
		pay:             pay,
		finalized:       fin,
		execBranch:      body.branch(bodyPayload),
		committeeBranch: st.branch(stateCommittee),
		nextBranch:      st.branch(stateNextCommittee),
	}
	if fin != nil {
		blk.finalityBranch = st.branch(stateFinalizedRoot)
	}
	blk.root = blk.header.Hash()
	return blk
}

// committee returns a committee, deriving its keys the first time.
// b.mu must be held.
func (b *Beacon) committee(id committeeID) (*committee, error) {
	if c, ok := b.committees[id]; ok {
		return c, nil
	}
	c, err := newCommittee(b.seed, id)
	if err != nil {
		return nil, err
	}
	b.committees[id] = c
	return c, nil
}

// genesisParent is the parent root of the block of execution block 0.
func (b *Beacon) genesisParent() common.Hash {
	return sha256.Sum256(append([]byte("fakebeacon parent of block 0/"), b.seed...))
}

// buildThrough builds and caches the beacon blocks of execution blocks
// 0..n, reading them from Exec. b.mu must be held.
func (b *Beacon) buildThrough(ctx context.Context, n uint64) error {
	for i := uint64(len(b.blocks)); i <= n; i++ {
		h, err := b.exec.HeaderByNumber(ctx, new(big.Int).SetUint64(i))
		if err != nil {
			return fmt.Errorf("fakebeacon: execution block %d: %w", i, err)
		}
		if h == nil || h.Number == nil || h.Number.Uint64() != i {
			return fmt.Errorf("fakebeacon: asked for execution block %d, got another", i)
		}
		pay, err := newPayload(h)
		if err != nil {
			return err
		}
		parent := b.genesisParent()
		var fin *beaconBlock
		if i > 0 {
			parent = b.blocks[i-1].root
			f := uint64(0)
			if i > b.lag {
				f = i - b.lag
			}
			fin = b.blocks[f]
		}
		slot := b.baseSlot + i
		cur, err := b.committee(committeeID{trueCommittee, period(slot)})
		if err != nil {
			return err
		}
		next, err := b.committee(committeeID{trueCommittee, period(slot) + 1})
		if err != nil {
			return err
		}
		blk := b.makeBlock(slot, parent, pay, cur.root, next.root, fin)
		b.blocks = append(b.blocks, blk)
		b.byRoot[blk.root] = i
	}
	return nil
}

type sigKey struct {
	msg     common.Hash
	id      committeeID
	signers int
}

// sign returns the sync aggregate of the first n members of committee id
// over header. b.mu must be held.
func (b *Beacon) sign(header btypes.Header, id committeeID, n int) (btypes.SyncAggregate, error) {
	msg, err := b.cfg.Forks.SigningRoot(header.Epoch(), header.Hash())
	if err != nil {
		return btypes.SyncAggregate{}, fmt.Errorf("fakebeacon: signing root of slot %d: %w", header.Slot, err)
	}
	key := sigKey{msg, id, n}
	if agg, ok := b.sigs[key]; ok {
		return agg, nil
	}
	c, err := b.committee(id)
	if err != nil {
		return btypes.SyncAggregate{}, err
	}
	agg, err := c.sign(msg, n)
	if err != nil {
		return btypes.SyncAggregate{}, err
	}
	if len(b.sigs) > 4096 {
		clear(b.sigs)
	}
	b.sigs[key] = agg
	return agg, nil
}
