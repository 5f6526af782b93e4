package verify

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/holiman/uint256"

	"github.com/hearth-home/hearth/gateway/chain"
)

// proofTries is a storage trie and an account trie built with go-ethereum's
// trie, with every node of every proof of the keys asked about (present
// and absent).
type proofTries struct {
	storageRoot common.Hash
	slots       []common.Hash               // asked about; some absent
	values      map[common.Hash]common.Hash // the present ones
	accountRoot common.Hash
	accounts    []common.Address
	state       map[common.Address]*types.StateAccount
	pool        [][]byte // every proof node
}

// nodeList collects the nodes trie.Prove writes.
type nodeList struct{ nodes *[][]byte }

func (l nodeList) Put(key, value []byte) error {
	*l.nodes = append(*l.nodes, common.CopyBytes(value))
	return nil
}
func (l nodeList) Delete(key []byte) error { return errors.New("not supported") }

func newProofTries(t testing.TB) *proofTries {
	db := triedb.NewDatabase(rawdb.NewMemoryDatabase(), triedb.HashDefaults)
	pt := &proofTries{values: map[common.Hash]common.Hash{}, state: map[common.Address]*types.StateAccount{}}

	st := trie.NewEmpty(db)
	for i := range 48 {
		slot := common.BigToHash(big.NewInt(int64(i)))
		pt.slots = append(pt.slots, slot)
		if i%4 == 3 {
			continue // absent
		}
		v := common.BigToHash(big.NewInt(int64(1000*i + 1)))
		if i%5 == 0 {
			v = crypto.Keccak256Hash(slot[:]) // a full 32-byte word
		}
		pt.values[slot] = v
		enc, _ := rlp.EncodeToBytes(common.TrimLeftZeroes(v[:]))
		if err := st.Update(crypto.Keccak256(slot[:]), enc); err != nil {
			t.Fatal(err)
		}
	}
	pt.storageRoot = st.Hash()
	for _, slot := range pt.slots {
		if err := st.Prove(crypto.Keccak256(slot[:]), nodeList{&pt.pool}); err != nil {
			t.Fatal(err)
		}
	}

	at := trie.NewEmpty(db)
	for i := range 32 {
		a := common.BigToAddress(big.NewInt(int64(i + 1)))
		pt.accounts = append(pt.accounts, a)
		if i%3 == 2 {
			continue // absent
		}
		acct := &types.StateAccount{Nonce: uint64(i), Balance: uint256.NewInt(uint64(i) * 1e9), Root: types.EmptyRootHash, CodeHash: types.EmptyCodeHash[:]}
		if i == 4 {
			acct.Root, acct.CodeHash = pt.storageRoot, crypto.Keccak256([]byte("code"))
		}
		pt.state[a] = acct
		enc, _ := rlp.EncodeToBytes(acct)
		if err := at.Update(crypto.Keccak256(a[:]), enc); err != nil {
			t.Fatal(err)
		}
	}
	pt.accountRoot = at.Hash()
	for _, a := range pt.accounts {
		if err := at.Prove(crypto.Keccak256(a[:]), nodeList{&pt.pool}); err != nil {
			t.Fatal(err)
		}
	}
	return pt
}

func (pt *proofTries) allNodes() []hexutil.Bytes {
	out := make([]hexutil.Bytes, len(pt.pool))
	for i, n := range pt.pool {
		out[i] = n
	}
	return out
}

func TestGenuineProofsVerify(t *testing.T) {
	pt := newProofTries(t)
	nodes := pt.allNodes()
	for _, slot := range pt.slots {
		v, err := verifyStorage(pt.storageRoot, slot, nodes)
		if err != nil || v != pt.values[slot] {
			t.Errorf("slot %s: %s, %v; want %s", slot, v, err, pt.values[slot])
		}
	}
	for _, a := range pt.accounts {
		acct, err := verifyAccount(pt.accountRoot, a, nodes)
		if err != nil || !sameAccount(acct, pt.state[a]) {
			t.Errorf("account %s: %+v, %v; want %+v", a, acct, err, pt.state[a])
		}
	}
	// No nodes prove nothing, except in an empty trie.
	if _, err := verifyStorage(pt.storageRoot, pt.slots[0], nil); err == nil {
		t.Error("a slot verified without nodes")
	}
	if v, err := verifyStorage(types.EmptyRootHash, pt.slots[0], nil); err != nil || v != (common.Hash{}) {
		t.Errorf("slot of an empty trie: %s, %v", v, err)
	}
}

func TestCheckProofComparesClaims(t *testing.T) {
	pt := newProofTries(t)
	a := pt.accounts[4] // has the storage trie
	acct := pt.state[a]
	slot := pt.slots[1]
	res := func() *proofResponse {
		r := &proofResponse{
			AccountProof: pt.allNodes(),
			Balance:      (*quantity)(acct.Balance.ToBig()),
			CodeHash:     common.BytesToHash(acct.CodeHash),
			Nonce:        (*quantity)(new(big.Int).SetUint64(acct.Nonce)),
			StorageHash:  acct.Root,
		}
		r.StorageProof = append(r.StorageProof, struct {
			Value *quantity       `json:"value"`
			Proof []hexutil.Bytes `json:"proof"`
		}{(*quantity)(pt.values[slot].Big()), pt.allNodes()})
		return r
	}
	if p, err := checkProof(pt.accountRoot, a, []common.Hash{slot}, res()); err != nil || p.Storage[0] != pt.values[slot] {
		t.Fatalf("honest answer: %v", err)
	}
	for name, lie := range map[string]func(*proofResponse){
		"balance":      func(r *proofResponse) { r.Balance = (*quantity)(big.NewInt(1)) },
		"nonce":        func(r *proofResponse) { r.Nonce = (*quantity)(big.NewInt(99)) },
		"code hash":    func(r *proofResponse) { r.CodeHash = common.Hash{1} },
		"storage root": func(r *proofResponse) { r.StorageHash = common.Hash{1} },
		"value":        func(r *proofResponse) { r.StorageProof[0].Value = (*quantity)(big.NewInt(7)) },
		"no balance":   func(r *proofResponse) { r.Balance = nil },
		"no slots":     func(r *proofResponse) { r.StorageProof = nil },
		"no nodes":     func(r *proofResponse) { r.AccountProof = nil },
	} {
		r := res()
		lie(r)
		if _, err := checkProof(pt.accountRoot, a, []common.Hash{slot}, r); !errors.Is(err, chain.ErrUnverified) {
			t.Errorf("%s: %v, want ErrUnverified", name, err)
		}
	}
	// An absent account: go-ethereum claims zero hashes for it.
	absent := pt.accounts[2]
	r := &proofResponse{AccountProof: pt.allNodes(), Balance: (*quantity)(new(big.Int)), Nonce: (*quantity)(new(big.Int))}
	if p, err := checkProof(pt.accountRoot, absent, nil, r); err != nil || p.Nonce != 0 || common.BytesToHash(p.CodeHash) != types.EmptyCodeHash {
		t.Errorf("absent account: %+v, %v", p, err)
	}
}

func sameAccount(a, b *types.StateAccount) bool {
	if b == nil {
		b = types.NewEmptyStateAccount()
	}
	ea, _ := rlp.EncodeToBytes(a)
	eb, _ := rlp.EncodeToBytes(b)
	return string(ea) == string(eb)
}

// FuzzVerifyProof feeds the proof decoding arbitrary node lists built from
// genuine nodes, damaged genuine nodes, forged leaves and random bytes. It
// may fail to verify, but must never verify a value other than the true
// one.
func FuzzVerifyProof(f *testing.F) {
	pt := newProofTries(f)
	all := make([]byte, 0, 2*len(pt.pool))
	for i := range pt.pool {
		all = append(all, 0, byte(i))
	}
	for sel := range 8 {
		f.Add(uint8(sel*37), all)
		f.Add(uint8(sel*37+128), all)
	}
	f.Add(uint8(3), []byte{3, 9, 0, 0, 1, 5, 2, 4, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, sel uint8, recipe []byte) {
		account := sel >= 128
		var key []byte
		if account {
			key = pt.accounts[int(sel)%len(pt.accounts)][:]
		} else {
			key = pt.slots[int(sel)%len(pt.slots)][:]
		}
		nodes := buildNodes(pt.pool, key, recipe)
		if account {
			a := common.BytesToAddress(key)
			acct, err := verifyAccount(pt.accountRoot, a, nodes)
			if err == nil && !sameAccount(acct, pt.state[a]) {
				t.Fatalf("account %s verified as %+v, true %+v", a, acct, pt.state[a])
			}
			return
		}
		slot := common.BytesToHash(key)
		v, err := verifyStorage(pt.storageRoot, slot, nodes)
		if err == nil && v != pt.values[slot] {
			t.Fatalf("slot %s verified as %s, true %s", slot, v, pt.values[slot])
		}
	})
}

// buildNodes reads recipe as (op, arg) pairs: a genuine node, a genuine
// node with a byte changed, a forged leaf for key with value arg, or arg
// bytes of the recipe taken as a node.
func buildNodes(pool [][]byte, key, recipe []byte) []hexutil.Bytes {
	var nodes []hexutil.Bytes
	for i := 0; i+1 < len(recipe); i += 2 {
		op, arg := recipe[i], int(recipe[i+1])
		switch op % 4 {
		case 0:
			nodes = append(nodes, pool[arg%len(pool)])
		case 1:
			n := common.CopyBytes(pool[arg%len(pool)])
			n[(arg*7)%len(n)] ^= byte(op | 1)
			nodes = append(nodes, n)
		case 2:
			// A leaf holding the whole hashed key: it would be the root of a
			// one-entry trie, or a node hung under a branch by an attacker.
			path := append([]byte{0x20}, crypto.Keccak256(key)...)
			val, _ := rlp.EncodeToBytes([]byte{byte(arg) | 1})
			leaf, _ := rlp.EncodeToBytes([]any{path, val})
			nodes = append(nodes, leaf)
		case 3:
			end := min(len(recipe), i+2+arg%64)
			nodes = append(nodes, common.CopyBytes(recipe[i+2:end]))
			i = end - 2
		}
	}
	return nodes
}
