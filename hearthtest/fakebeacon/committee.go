package fakebeacon

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/beacon/params"
	btypes "github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"
	bls "github.com/protolambda/bls12-381-util"
)

// blsOrder is r, the order of the BLS12-381 groups: secret keys are
// integers in [1, r).
var blsOrder, _ = new(big.Int).SetString("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16)

// FewSignerCount is how many members sign under FewSigners: one short of
// the two-thirds supermajority (342 of 512) that light clients require.
const FewSignerCount = params.SyncCommitteeSupermajority - 1

// committeeKind tells the true committee of a period from the impostors'.
type committeeKind byte

const (
	trueCommittee    committeeKind = 't' // the committee the beacon's headers prove
	foreignCommittee committeeKind = 'f' // other keys, for WrongKeys and ForeignCommittee
)

type committeeID struct {
	kind   committeeKind
	period uint64
}

// committee is one sync committee: 512 secret keys and what a light client
// sees of them.
type committee struct {
	secret     [params.SyncCommitteeSize]*big.Int
	serialized *btypes.SerializedSyncCommittee
	root       common.Hash
	sums       map[int]*bls.SecretKey // sum of the first n secret keys, by n
}

// newCommittee derives the keys of a committee: member i's secret key is
// sha256(seed, kind, period, i) reduced mod r (1 if that is 0).
func newCommittee(seed []byte, id committeeID) (*committee, error) {
	c := &committee{
		serialized: new(btypes.SerializedSyncCommittee),
		sums:       make(map[int]*bls.SecretKey),
	}
	pubs := make([]*bls.Pubkey, params.SyncCommitteeSize)
	var buf [13]byte
	for i := range c.secret {
		buf[0] = byte(id.kind)
		binary.BigEndian.PutUint64(buf[1:9], id.period)
		binary.BigEndian.PutUint32(buf[9:], uint32(i))
		h := sha256.New()
		h.Write(seed)
		h.Write(buf[:])
		k := new(big.Int).SetBytes(h.Sum(nil))
		k.Mod(k, blsOrder)
		if k.Sign() == 0 {
			k.SetInt64(1)
		}
		c.secret[i] = k
		sk, err := secretKey(k)
		if err != nil {
			return nil, err
		}
		if pubs[i], err = bls.SkToPk(sk); err != nil {
			return nil, err
		}
		pk := pubs[i].Serialize()
		copy(c.serialized[i*params.BLSPubkeySize:], pk[:])
	}
	agg, err := bls.AggregatePubkeys(pubs)
	if err != nil {
		return nil, err
	}
	pk := agg.Serialize()
	copy(c.serialized[params.SyncCommitteeSize*params.BLSPubkeySize:], pk[:])
	c.root = c.serialized.Root()
	return c, nil
}

func secretKey(k *big.Int) (*bls.SecretKey, error) {
	var b [32]byte
	k.FillBytes(b[:])
	sk := new(bls.SecretKey)
	if err := sk.Deserialize(&b); err != nil {
		return nil, fmt.Errorf("fakebeacon: secret key: %w", err)
	}
	return sk, nil
}

// sign returns the sync aggregate of the committee's first n members over
// msg: their bits set, and one signature made with the sum of their secret
// keys, which is the aggregate of their signatures (BLS is linear).
func (c *committee) sign(msg common.Hash, n int) (btypes.SyncAggregate, error) {
	var agg btypes.SyncAggregate
	sk, ok := c.sums[n]
	if !ok {
		sum := new(big.Int)
		for _, k := range c.secret[:n] {
			sum.Add(sum, k)
		}
		sum.Mod(sum, blsOrder)
		var err error
		if sk, err = secretKey(sum); err != nil {
			return agg, err
		}
		c.sums[n] = sk
	}
	sig := bls.Sign(sk, msg[:]).Serialize()
	copy(agg.Signature[:], sig[:])
	for i := 0; i < n; i++ {
		agg.Signers[i/8] |= 1 << (i % 8)
	}
	return agg, nil
}
