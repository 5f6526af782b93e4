package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hearth-home/hearth/gateway/chain"
)

// neededMethods are the methods verified reads use beyond the usual ones,
// with who serves them.
var neededMethods = []struct {
	method string
	args   []any
	who    string
}{
	{"eth_getProof", []any{common.Address{}, []string{}, "latest"},
		"account and storage proofs (EIP-1186); full nodes serve it (geth, Nethermind, Erigon, Besu, Reth) for recent blocks, some hosted providers do not"},
	{"eth_getBlockReceipts", []any{"latest"},
		"all of a block's receipts; geth since 1.13, Nethermind, Erigon, Besu and Reth serve it, some hosted providers do not"},
	{"eth_createAccessList", []any{map[string]any{"from": common.Address{}, "to": common.Address{}}, "latest"},
		"the state a call touches (EIP-2930); full nodes serve it (geth, Nethermind, Erigon, Besu, Reth), some hosted providers do not"},
}

// Probe checks that an endpoint serves eth_getProof, eth_getBlockReceipts
// and eth_createAccessList, in one JSON-RPC batch (verified reads batch
// their requests too). A missing method is an error wrapping
// chain.ErrMissingMethod that names it and says which nodes serve it. Any
// other error a method answers with shows it is served (eth_createAccessList
// of an empty call fails, for one, when the zero address cannot pay the gas
// the node prices it at), so it is not an error of Probe.
func Probe(ctx context.Context, c *rpc.Client) error {
	batch := make([]rpc.BatchElem, len(neededMethods))
	for i, m := range neededMethods {
		batch[i] = rpc.BatchElem{Method: m.method, Args: m.args, Result: new(json.RawMessage)}
	}
	if err := c.BatchCallContext(ctx, batch); err != nil {
		return fmt.Errorf("verify: probe the RPC endpoint (a JSON-RPC batch): %w", err)
	}
	for i, m := range neededMethods {
		if err := batch[i].Error; err != nil && missingMethod(err) {
			return fmt.Errorf("%w: %s (%s): %w", chain.ErrMissingMethod, m.method, m.who, err)
		}
	}
	return nil
}

// missingMethod reports whether err is a node's "no such method": code
// -32601 (JSON-RPC) or -32004 (EIP-1474), or the words providers use.
func missingMethod(err error) bool {
	var e rpc.Error
	if errors.As(err, &e) && (e.ErrorCode() == -32601 || e.ErrorCode() == -32004) {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"does not exist", "not available", "method not found", "not supported", "unsupported method"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
