package verify

import (
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/vm"
)

// revertError is a call's revert as go-ethereum's eth_call reports it
// (JSON-RPC code 3, data the revert bytes in hex), so that callers of
// ethclient.RevertErrorData and bindings decode it the same way.
type revertError struct {
	error
	data []byte
}

func newRevertError(data []byte) *revertError {
	err := vm.ErrExecutionReverted
	if reason, unpackErr := abi.UnpackRevert(data); unpackErr == nil {
		err = fmt.Errorf("%w: %v", vm.ErrExecutionReverted, reason)
	}
	return &revertError{error: err, data: data}
}

func (e *revertError) Unwrap() error { return e.error }

// ErrorCode is JSON-RPC's code for a revert.
func (e *revertError) ErrorCode() int { return 3 }

// ErrorData is the revert data, hex encoded.
func (e *revertError) ErrorData() any { return hexutil.Encode(e.data) }
