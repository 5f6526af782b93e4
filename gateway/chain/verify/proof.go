package verify

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/holiman/uint256"

	"github.com/hearth-home/hearth/gateway/chain"
)

// proofResponse is eth_getProof's answer (EIP-1186). Every field is a
// claim; only the proof nodes are used, after hashing them here.
type proofResponse struct {
	AccountProof []hexutil.Bytes `json:"accountProof"`
	Balance      *quantity       `json:"balance"`
	CodeHash     common.Hash     `json:"codeHash"`
	Nonce        *quantity       `json:"nonce"`
	StorageHash  common.Hash     `json:"storageHash"`
	StorageProof []struct {
		Value *quantity       `json:"value"`
		Proof []hexutil.Bytes `json:"proof"`
	} `json:"storageProof"`
}

// quantity is a JSON-RPC number, read leniently: some nodes pad storage
// values to 32 bytes, which hexutil.Big refuses as leading zeros.
type quantity big.Int

func (q *quantity) UnmarshalJSON(input []byte) error {
	var s string
	if err := json.Unmarshal(input, &s); err != nil {
		return err
	}
	digits, ok := strings.CutPrefix(s, "0x")
	if !ok || digits == "" || len(digits) > 64 {
		return fmt.Errorf("bad quantity %q", s)
	}
	if _, ok := (*big.Int)(q).SetString(digits, 16); !ok {
		return fmt.Errorf("bad quantity %q", s)
	}
	return nil
}

func (q *quantity) big() *big.Int { return (*big.Int)(q) }

// provenAccount is an account and some of its storage, as proofs against a
// state root showed them.
type provenAccount struct {
	types.StateAccount
	// Storage holds the values of the slots asked for, in their order.
	Storage []common.Hash
	// Nodes are the proofs' trie nodes (account and storage), for a
	// witness.
	Nodes [][]byte
}

// checkProof verifies an eth_getProof answer for addr and slots against a
// state root: the account and every slot value are what the proof nodes
// prove, and every claimed field must equal them.
func checkProof(root common.Hash, addr common.Address, slots []common.Hash, res *proofResponse) (*provenAccount, error) {
	acct, err := verifyAccount(root, addr, res.AccountProof)
	if err != nil {
		return nil, fmt.Errorf("%w: account proof of %s: %w", chain.ErrUnverified, addr.Hex(), err)
	}
	p := &provenAccount{StateAccount: *acct}
	for _, n := range res.AccountProof {
		p.Nodes = append(p.Nodes, n)
	}
	if res.Balance == nil || res.Balance.big().Cmp(acct.Balance.ToBig()) != 0 {
		return nil, fmt.Errorf("%w: %s: balance claimed %v, proven %v", chain.ErrUnverified, addr.Hex(), (*big.Int)(res.Balance), acct.Balance)
	}
	if res.Nonce == nil || !res.Nonce.big().IsUint64() || res.Nonce.big().Uint64() != acct.Nonce {
		return nil, fmt.Errorf("%w: %s: nonce claimed %v, proven %d", chain.ErrUnverified, addr.Hex(), (*big.Int)(res.Nonce), acct.Nonce)
	}
	// go-ethereum answers zero hashes for an account that does not exist.
	if claimed := orDefault(res.CodeHash, types.EmptyCodeHash); claimed != common.BytesToHash(acct.CodeHash) {
		return nil, fmt.Errorf("%w: %s: code hash claimed %s, proven %x", chain.ErrUnverified, addr.Hex(), claimed, acct.CodeHash)
	}
	if claimed := orDefault(res.StorageHash, types.EmptyRootHash); claimed != acct.Root {
		return nil, fmt.Errorf("%w: %s: storage root claimed %s, proven %s", chain.ErrUnverified, addr.Hex(), claimed, acct.Root)
	}
	if len(res.StorageProof) != len(slots) {
		return nil, fmt.Errorf("%w: %s: %d storage proofs for %d slots", chain.ErrUnverified, addr.Hex(), len(res.StorageProof), len(slots))
	}
	for i, slot := range slots {
		sp := res.StorageProof[i]
		v, err := verifyStorage(acct.Root, slot, sp.Proof)
		if err != nil {
			return nil, fmt.Errorf("%w: storage proof of %s slot %s: %w", chain.ErrUnverified, addr.Hex(), slot, err)
		}
		if sp.Value == nil || sp.Value.big().Cmp(v.Big()) != 0 {
			return nil, fmt.Errorf("%w: %s slot %s: value claimed %v, proven %v", chain.ErrUnverified, addr.Hex(), slot, (*big.Int)(sp.Value), v.Big())
		}
		p.Storage = append(p.Storage, v)
		for _, n := range sp.Proof {
			p.Nodes = append(p.Nodes, n)
		}
	}
	return p, nil
}

func orDefault(h, def common.Hash) common.Hash {
	if h == (common.Hash{}) {
		return def
	}
	return h
}

// proofDB holds proof nodes under the keccak of each, computed here: a node
// is found only by its true hash, whatever key the RPC gave it.
func proofDB(nodes []hexutil.Bytes) *memorydb.Database {
	db := memorydb.New()
	for _, n := range nodes {
		db.Put(crypto.Keccak256(n), n)
	}
	return db
}

// verifyAccount returns the account at addr in the state trie with root,
// as nodes prove it: an empty account when they prove it absent.
func verifyAccount(root common.Hash, addr common.Address, nodes []hexutil.Bytes) (*types.StateAccount, error) {
	val, err := trie.VerifyProof(root, crypto.Keccak256(addr.Bytes()), proofDB(nodes))
	if err != nil {
		return nil, err
	}
	if val == nil {
		return types.NewEmptyStateAccount(), nil
	}
	var acct types.StateAccount
	if err := rlp.DecodeBytes(val, &acct); err != nil {
		return nil, fmt.Errorf("proven account: %w", err)
	}
	if acct.Balance == nil {
		acct.Balance = new(uint256.Int)
	}
	if len(acct.CodeHash) != common.HashLength {
		return nil, fmt.Errorf("proven account has a %d-byte code hash", len(acct.CodeHash))
	}
	return &acct, nil
}

// verifyStorage returns the value of slot in the storage trie with root, as
// nodes prove it: zero when they prove it absent.
func verifyStorage(root, slot common.Hash, nodes []hexutil.Bytes) (common.Hash, error) {
	if root == types.EmptyRootHash {
		return common.Hash{}, nil
	}
	val, err := trie.VerifyProof(root, crypto.Keccak256(slot.Bytes()), proofDB(nodes))
	if err != nil {
		return common.Hash{}, err
	}
	if val == nil {
		return common.Hash{}, nil
	}
	content, rest, err := rlp.SplitString(val)
	if err != nil {
		return common.Hash{}, fmt.Errorf("proven value: %w", err)
	}
	if len(rest) != 0 || len(content) > common.HashLength {
		return common.Hash{}, errors.New("proven value is not a 32-byte word")
	}
	return common.BytesToHash(content), nil
}
