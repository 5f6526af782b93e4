package chain

import "math/big"

// initialFees prices a new transaction: the suggested tip, and a fee cap of
// twice the base fee plus the tip, which survives six full blocks of base fee
// rises. Both are clamped to maxFeeCap.
func initialFees(suggestedTip, baseFee, maxFeeCap *big.Int) (tip, feeCap *big.Int) {
	tip = new(big.Int).Set(suggestedTip)
	feeCap = new(big.Int).Mul(baseFee, big.NewInt(2))
	feeCap.Add(feeCap, tip)
	if feeCap.Cmp(maxFeeCap) > 0 {
		feeCap.Set(maxFeeCap)
	}
	if tip.Cmp(feeCap) > 0 {
		tip.Set(feeCap)
	}
	return tip, feeCap
}

// bumpFees prices a replacement for a transaction with oldTip and oldCap.
// Nodes accept a replacement only when both rise by at least 10% (geth's
// default price bump); we raise both by at least 12.5%, and follow the market
// when it moved further. ok is false when maxFeeCap leaves no room for that.
func bumpFees(oldTip, oldCap, suggestedTip, baseFee, maxFeeCap *big.Int) (tip, feeCap *big.Int, ok bool) {
	minTip, minCap := plusEighth(oldTip), plusEighth(oldCap)
	tip = bigMax(minTip, suggestedTip)
	feeCap = new(big.Int).Mul(baseFee, big.NewInt(2))
	feeCap = bigMax(minCap, feeCap.Add(feeCap, tip))
	if feeCap.Cmp(maxFeeCap) > 0 {
		feeCap = new(big.Int).Set(maxFeeCap)
		if feeCap.Cmp(minCap) < 0 {
			return nil, nil, false
		}
	}
	if tip.Cmp(feeCap) > 0 {
		tip = new(big.Int).Set(feeCap)
		if tip.Cmp(minTip) < 0 {
			return nil, nil, false
		}
	}
	return tip, feeCap, true
}

// plusEighth returns x raised by 12.5%, rounded up, and by at least 1 wei.
func plusEighth(x *big.Int) *big.Int {
	y := new(big.Int).Mul(x, big.NewInt(9))
	y.Add(y, big.NewInt(7))
	y.Div(y, big.NewInt(8))
	if y.Cmp(x) <= 0 {
		y.Add(x, big.NewInt(1))
	}
	return y
}

func bigMax(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}
