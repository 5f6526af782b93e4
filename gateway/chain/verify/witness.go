package verify

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/stateless"
	"github.com/ethereum/go-ethereum/core/types"
)

// The RPC's access list is only a hint; beyond these sizes the rest of it
// is dropped, and the runs learn what they really need.
const (
	maxHintAccounts = 64
	maxHintSlots    = 1024
)

// accessSet is accounts and, per account, storage slots.
type accessSet map[common.Address]map[common.Hash]struct{}

func (s accessSet) add(addr common.Address, slots ...common.Hash) {
	m := s[addr]
	if m == nil {
		m = map[common.Hash]struct{}{}
		s[addr] = m
	}
	for _, slot := range slots {
		m[slot] = struct{}{}
	}
}

func (s accessSet) addList(al types.AccessList) {
	for _, t := range al {
		s.add(t.Address, t.StorageKeys...)
	}
}

// witness is the state proven so far for one call.
type witness struct {
	hdr      *types.Header
	w        *stateless.Witness
	accounts map[common.Address]*types.StateAccount
	slots    map[common.Address]map[common.Hash]struct{}
}

func newWitness(hdr *types.Header) (*witness, error) {
	w, err := stateless.NewWitness(hdr, nil, false)
	if err != nil {
		return nil, err
	}
	return &witness{
		hdr:      hdr,
		w:        w,
		accounts: map[common.Address]*types.StateAccount{},
		slots:    map[common.Address]map[common.Hash]struct{}{},
	}, nil
}

// missing returns the part of s not proven yet.
func (w *witness) missing(s accessSet) accessSet {
	out := accessSet{}
	for addr, slots := range s {
		_, proven := w.accounts[addr]
		var lack []common.Hash
		for slot := range slots {
			if _, ok := w.slots[addr][slot]; !ok {
				lack = append(lack, slot)
			}
		}
		if !proven || len(lack) > 0 {
			out.add(addr, lack...)
		}
	}
	return out
}

// fetchWitness proves what need names and w lacks, and the code of every
// account proven, into w: one JSON-RPC batch of eth_getProof per pass, and
// another pass for the accounts EIP-7702 delegations point to.
func (r *Reader) fetchWitness(ctx context.Context, w *witness, need accessSet) error {
	for pass := w.missing(need); len(pass) > 0; {
		type proofRequest struct {
			addr  common.Address
			slots []common.Hash
			res   proofResponse
		}
		var reqs []*proofRequest
		for _, addr := range slices.SortedFunc(maps.Keys(pass), common.Address.Cmp) {
			slots := slices.SortedFunc(maps.Keys(pass[addr]), common.Hash.Cmp)
			for {
				n := min(len(slots), maxProofKeys)
				reqs = append(reqs, &proofRequest{addr: addr, slots: slots[:n]})
				slots = slots[n:]
				if len(slots) == 0 {
					break
				}
			}
		}
		batch := make([]request, len(reqs))
		for i, q := range reqs {
			batch[i] = request{"eth_getProof", []any{q.addr, slotKeys(q.slots), at(w.hdr)}, &q.res}
		}
		if err := r.batch(ctx, batch); err != nil {
			return fmt.Errorf("proofs at block %v: %w", w.hdr.Number, err)
		}
		next := accessSet{}
		for _, q := range reqs {
			p, err := checkProof(w.hdr.Root, q.addr, q.slots, &q.res)
			if err != nil {
				return err
			}
			for _, n := range p.Nodes {
				w.w.State[string(n)] = struct{}{}
			}
			acct := p.StateAccount
			w.accounts[q.addr] = &acct
			if w.slots[q.addr] == nil {
				w.slots[q.addr] = map[common.Hash]struct{}{}
			}
			for _, s := range q.slots {
				w.slots[q.addr][s] = struct{}{}
			}
			code, err := r.code(ctx, w.hdr, q.addr, common.BytesToHash(acct.CodeHash))
			if err != nil {
				return err
			}
			w.w.AddCode(code)
			if target, ok := types.ParseDelegation(code); ok {
				next.add(target)
			}
		}
		pass = w.missing(next)
	}
	return nil
}

// accessListHint asks the RPC which state msg touches. The answer is only
// a guess at which proofs to fetch: nothing read from it is believed.
func (r *Reader) accessListHint(ctx context.Context, hdr *types.Header, msg ethereum.CallMsg) (types.AccessList, error) {
	args := map[string]any{"from": msg.From, "input": hexutil.Bytes(msg.Data)}
	if msg.To != nil {
		args["to"] = msg.To
	}
	if msg.Gas != 0 {
		args["gas"] = hexutil.Uint64(msg.Gas)
	}
	if msg.Value != nil {
		args["value"] = (*hexutil.Big)(msg.Value)
	}
	var res struct {
		AccessList types.AccessList `json:"accessList"`
	}
	if err := r.call(ctx, &res, "eth_createAccessList", args, at(hdr)); err != nil {
		return nil, err
	}
	var out types.AccessList
	slots := 0
	for _, t := range res.AccessList {
		if len(out) == maxHintAccounts || slots+len(t.StorageKeys) > maxHintSlots {
			break
		}
		out = append(out, t)
		slots += len(t.StorageKeys)
	}
	return out, nil
}
