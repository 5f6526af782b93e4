package fakebeacon

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/beacon/params"
)

// Tamper is a lie the beacon can tell. One at a time is on; None is the
// truth.
type Tamper int32

const (
	// None serves the truth.
	None Tamper = iota
	// FewSigners: optimistic, finality and committee updates carry only
	// FewSignerCount (341) of 512 bits, signed by those members.
	FewSigners
	// WrongKeys: optimistic, finality and committee updates are signed by
	// 512 keys outside the committee (all bits set).
	WrongKeys
	// SwappedPayload: optimistic and finality updates serve the signed
	// beacon header of the head with the execution payload header of
	// another block (the one before it) and the head's execution branch,
	// which therefore fails.
	SwappedPayload
	// FutureSlot: optimistic and finality updates serve the head's
	// execution payload in a block FutureLead slots after both the head's
	// slot and the wall-clock slot (so far after Now), properly signed by the
	// committee of that slot's period.
	FutureSlot
	// ForeignCommittee: the committee update of each period proves a next
	// committee made of other keys (its attested header's state holds their
	// root, and next_sync_committee lists them) and is signed by those
	// other keys.
	ForeignCommittee
	// BadBootstrap: bootstrap answers with the header of another block
	// (with that block's committee and branch), not the asked checkpoint.
	BadBootstrap
	// BadCommitteeBranch: bootstrap serves the asked header and its
	// committee branch, with a committee of other keys.
	BadCommitteeBranch
)

// FutureLead is how far in the future FutureSlot serves the head: 256 slots
// (51 minutes 12 seconds) after the later of the head's slot and the
// wall-clock slot.
const FutureLead = 256

var tamperNames = [...]string{"None", "FewSigners", "WrongKeys", "SwappedPayload", "FutureSlot", "ForeignCommittee", "BadBootstrap", "BadCommitteeBranch"}

func (t Tamper) String() string {
	if t >= 0 && int(t) < len(tamperNames) {
		return tamperNames[t]
	}
	return fmt.Sprintf("Tamper(%d)", int32(t))
}

// Tampers lists every lie (None excluded).
func Tampers() []Tamper {
	return []Tamper{FewSigners, WrongKeys, SwappedPayload, FutureSlot, ForeignCommittee, BadBootstrap, BadCommitteeBranch}
}

// signer is who signs a header at sigSlot under t: the committee and how
// many of its first members.
func signer(t Tamper, sigSlot uint64) (committeeID, int) {
	id, n := committeeID{trueCommittee, period(sigSlot)}, params.SyncCommitteeSize
	switch t {
	case FewSigners:
		n = FewSignerCount
	case WrongKeys:
		id.kind = foreignCommittee
	}
	return id, n
}

// futureBlock is the FutureSlot lie: head's payload in a block far after
// Now. b.mu must be held.
func (b *Beacon) futureBlock(head *beaconBlock) (*beaconBlock, error) {
	slot := max(head.header.Slot, wallSlot(b.cfg, time.Now())) + FutureLead
	cur, err := b.committee(committeeID{trueCommittee, period(slot)})
	if err != nil {
		return nil, err
	}
	next, err := b.committee(committeeID{trueCommittee, period(slot) + 1})
	if err != nil {
		return nil, err
	}
	return b.makeBlock(slot, head.root, head.pay, cur.root, next.root, head.finalized), nil
}

// otherPayload is the SwappedPayload lie: the payload of the block before
// blk (for block 0, its own with another block hash). b.mu must be held.
func (b *Beacon) otherPayload(blk *beaconBlock) (*payload, error) {
	if n := blk.pay.number; n > 0 {
		return b.blocks[n-1].pay, nil
	}
	h := *blk.pay.header
	h.BlockHash[0] ^= 0xff
	return payloadOf(0, &h)
}

// foreignUpdateBlock is the ForeignCommittee lie: att again, with a state
// whose next committee is the foreign one. b.mu must be held.
func (b *Beacon) foreignUpdateBlock(att *beaconBlock, next *committee) (*beaconBlock, error) {
	cur, err := b.committee(committeeID{trueCommittee, period(att.header.Slot)})
	if err != nil {
		return nil, err
	}
	return b.makeBlock(att.header.Slot, att.header.ParentRoot, att.pay, cur.root, next.root, att.finalized), nil
}

// otherBlock is the BadBootstrap lie: a block that is not blk. b.mu must
// be held.
func (b *Beacon) otherBlock(blk *beaconBlock) (*beaconBlock, error) {
	n := blk.pay.number
	switch {
	case n > 0:
		return b.blocks[n-1], nil
	case len(b.blocks) > 1:
		return b.blocks[1], nil
	}
	cur, err := b.committee(committeeID{trueCommittee, period(blk.header.Slot)})
	if err != nil {
		return nil, err
	}
	next, err := b.committee(committeeID{trueCommittee, period(blk.header.Slot) + 1})
	if err != nil {
		return nil, err
	}
	return b.makeBlock(blk.header.Slot, sha256.Sum256(blk.header.ParentRoot[:]), blk.pay, cur.root, next.root, blk.finalized), nil
}
