package fakebeacon

import (
	"encoding/json"
	"math/big"
	"testing"

	btypes "github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// go-ethereum reads the payload header back from zrnt's JSON with the same
// hash tree root and block hash.
func TestPayloadJSONRoundTrip(t *testing.T) {
	blob, excess := uint64(131072), uint64(262144)
	wd := common.HexToHash("0x5678")
	h := &types.Header{
		ParentHash:      common.HexToHash("0x01"),
		Coinbase:        common.HexToAddress("0x00000000000000000000000000000000000000c0"),
		Root:            common.HexToHash("0x02"),
		TxHash:          common.HexToHash("0x03"),
		ReceiptHash:     common.HexToHash("0x04"),
		Bloom:           types.Bloom{0: 1, 255: 2},
		Difficulty:      new(big.Int),
		Number:          big.NewInt(12345),
		GasLimit:        30_000_000,
		GasUsed:         21_000,
		Time:            1_700_000_000,
		Extra:           []byte("hearth"),
		MixDigest:       common.HexToHash("0x05"),
		BaseFee:         new(big.Int).Lsh(big.NewInt(1), 70),
		WithdrawalsHash: &wd,
		BlobGasUsed:     &blob,
		ExcessBlobGas:   &excess,
	}
	p, err := newPayload(h)
	if err != nil {
		t.Fatal(err)
	}
	got, err := btypes.ExecutionHeaderFromJSON(version, p.json)
	if err != nil {
		t.Fatalf("ExecutionHeaderFromJSON(%s): %v", p.json, err)
	}
	if got.BlockHash() != h.Hash() || got.BlockHash() != p.hash {
		t.Errorf("BlockHash = %x, header hash %x", got.BlockHash(), h.Hash())
	}
	if common.Hash(got.PayloadRoot()) != p.root {
		t.Errorf("PayloadRoot = %x, built %x", got.PayloadRoot(), p.root)
	}
	var fields map[string]any
	if err := json.Unmarshal(p.json, &fields); err != nil {
		t.Fatal(err)
	}
	if fields["block_number"] != "12345" || fields["base_fee_per_gas"] != new(big.Int).Lsh(big.NewInt(1), 70).String() || fields["extra_data"] != "0x686561727468" {
		t.Errorf("payload JSON fields: %s", p.json)
	}
}

// The header shape the server writes decodes into go-ethereum's Header
// (slot as a decimal string) with the same root.
func TestHeaderJSONDecodesAsGoEthereum(t *testing.T) {
	h := btypes.Header{Slot: 9876543, ProposerIndex: 7, ParentRoot: common.HexToHash("0x01"), StateRoot: common.HexToHash("0x02"), BodyRoot: common.HexToHash("0x03")}
	enc, err := json.Marshal(headerJSON(h))
	if err != nil {
		t.Fatal(err)
	}
	var dec btypes.Header
	if err := json.Unmarshal(enc, &dec); err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	if dec.Hash() != h.Hash() {
		t.Fatalf("decoded %+v from %s, want %+v", dec, enc, h)
	}
}
