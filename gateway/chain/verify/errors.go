package verify

import "errors"

// ErrGasCap is returned by EstimateGas when the RPC's estimate is above
// Options.MaxGas: an RPC cannot make the gateway sign a transaction that
// burns more.
var ErrGasCap = errors.New("gas estimate above the cap")
