package fakebeacon

import (
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/holiman/uint256"
	zcommon "github.com/protolambda/zrnt/eth2/beacon/common"
	"github.com/protolambda/zrnt/eth2/beacon/deneb"
	"github.com/protolambda/ztyp/tree"
	"github.com/protolambda/ztyp/view"
)

// payload is the execution payload header a beacon block carries for one
// execution block, in the forms the server needs.
type payload struct {
	number uint64
	hash   common.Hash // the execution block's hash
	header *deneb.ExecutionPayloadHeader
	json   json.RawMessage // zrnt's own JSON, as ExecutionHeaderFromJSON reads it
	root   common.Hash     // SSZ hash tree root
}

// newPayload builds the deneb ExecutionPayloadHeader (the type of deneb,
// electra and fulu) of a real execution header. The SSZ transactions and
// withdrawals roots cannot be had from a header alone; the header's own
// (Merkle-Patricia) roots stand in for them. Extra data longer than the 32
// bytes SSZ allows (not possible after the merge) is cut.
func newPayload(h *types.Header) (*payload, error) {
	if h == nil || h.Number == nil {
		return nil, fmt.Errorf("fakebeacon: execution header without a number")
	}
	p := &deneb.ExecutionPayloadHeader{
		ParentHash:       zcommon.Hash32(h.ParentHash),
		FeeRecipient:     zcommon.Eth1Address(h.Coinbase),
		StateRoot:        zcommon.Bytes32(h.Root),
		ReceiptsRoot:     zcommon.Bytes32(h.ReceiptHash),
		LogsBloom:        zcommon.LogsBloom(h.Bloom),
		PrevRandao:       zcommon.Bytes32(h.MixDigest),
		BlockNumber:      view.Uint64View(h.Number.Uint64()),
		GasLimit:         view.Uint64View(h.GasLimit),
		GasUsed:          view.Uint64View(h.GasUsed),
		Timestamp:        zcommon.Timestamp(h.Time),
		ExtraData:        zcommon.ExtraData(common.CopyBytes(h.Extra)),
		BlockHash:        zcommon.Hash32(h.Hash()),
		TransactionsRoot: zcommon.Root(h.TxHash),
	}
	if len(p.ExtraData) > zcommon.MAX_EXTRA_DATA_BYTES {
		p.ExtraData = p.ExtraData[:zcommon.MAX_EXTRA_DATA_BYTES]
	}
	if h.BaseFee != nil {
		fee, overflow := uint256.FromBig(h.BaseFee)
		if overflow {
			return nil, fmt.Errorf("fakebeacon: block %d: base fee overflows 256 bits", h.Number)
		}
		p.BaseFeePerGas = view.Uint256View(*fee)
	}
	if h.WithdrawalsHash != nil {
		p.WithdrawalsRoot = zcommon.Root(*h.WithdrawalsHash)
	}
	if h.BlobGasUsed != nil {
		p.BlobGasUsed = view.Uint64View(*h.BlobGasUsed)
	}
	if h.ExcessBlobGas != nil {
		p.ExcessBlobGas = view.Uint64View(*h.ExcessBlobGas)
	}
	return payloadOf(h.Number.Uint64(), p)
}

// payloadOf completes a payload from its header.
func payloadOf(number uint64, p *deneb.ExecutionPayloadHeader) (*payload, error) {
	enc, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("fakebeacon: encoding execution payload header: %w", err)
	}
	return &payload{
		number: number,
		hash:   common.Hash(p.BlockHash),
		header: p,
		json:   enc,
		root:   common.Hash(p.HashTreeRoot(tree.GetHashFn())),
	}, nil
}
