package chain

import (
	"math/big"
	"testing"
)

func TestBumpFees(t *testing.T) {
	gwei := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e9)) }
	max := gwei(500)

	tip, feeCap, ok := bumpFees(gwei(2), gwei(22), gwei(1), gwei(10), max)
	if !ok || tip.Cmp(gwei(2)) <= 0 || feeCap.Cmp(big.NewInt(24_750_000_000)) < 0 || tip.Cmp(big.NewInt(2_250_000_000)) < 0 {
		t.Errorf("bump of 2/22 gwei: %v/%v %v, want at least 2.25/24.75", tip, feeCap, ok)
	}
	// The market moved further: follow it.
	tip, feeCap, ok = bumpFees(gwei(2), gwei(22), gwei(5), gwei(40), max)
	if !ok || tip.Cmp(gwei(5)) != 0 || feeCap.Cmp(gwei(85)) != 0 {
		t.Errorf("bump into a dearer market: %v/%v %v, want 5/85 gwei", tip, feeCap, ok)
	}
	// A zero tip still rises.
	if tip, _, ok := bumpFees(new(big.Int), gwei(1), new(big.Int), new(big.Int), max); !ok || tip.Sign() <= 0 {
		t.Errorf("bump of a zero tip: %v %v", tip, ok)
	}
	// The ceiling caps the fee cap, and refuses a bump it leaves too small.
	if _, feeCap, ok := bumpFees(gwei(2), gwei(400), gwei(1), gwei(250), max); !ok || feeCap.Cmp(max) != 0 {
		t.Errorf("bump near the ceiling: %v %v, want the ceiling", feeCap, ok)
	}
	if _, _, ok := bumpFees(gwei(2), gwei(480), gwei(1), gwei(10), max); ok {
		t.Error("bump past the ceiling allowed")
	}
	tip, feeCap = initialFees(gwei(3), gwei(300), max)
	if feeCap.Cmp(max) != 0 || tip.Cmp(gwei(3)) != 0 {
		t.Errorf("initial fees under the ceiling: %v/%v", tip, feeCap)
	}
}
