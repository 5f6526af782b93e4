package chain

import (
	"context"
	"fmt"
	"math/big"
	"net/url"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Reader is every chain read the gateway bases a decision on. It is the seam
// for verified reads: today an *ethclient.Client talking to one RPC endpoint
// satisfies it and is trusted, and a later wrapper can check each answer
// (Merkle proofs of state and receipts against headers from a light client)
// without its callers changing. So nothing that decides on chain data should
// read around it, e.g. through a raw rpc.Client.
//
// It is a bind.ContractCaller, so generated contract bindings read through
// it.
type Reader interface {
	bind.ContractCaller

	// ChainID returns the chain's EIP-155 ID.
	ChainID(ctx context.Context) (*big.Int, error)
	// BlockNumber returns the number of the head block.
	BlockNumber(ctx context.Context) (uint64, error)
	// HeaderByNumber returns the canonical header at number, or the head
	// when number is nil; ethereum.NotFound when there is none.
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	// HeaderByHash returns the header with that hash, canonical or not.
	HeaderByHash(ctx context.Context, hash common.Hash) (*types.Header, error)
	// FilterLogs returns the canonical logs matching q.
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
	// BalanceAt returns account's balance at blockNumber (nil: head).
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
	// TransactionReceipt returns a mined transaction's receipt;
	// ethereum.NotFound when it is not mined on the canonical chain.
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
	// NonceAt returns the number of transactions account sent as of
	// blockNumber (nil: head).
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
}

// Backend is a Reader that also sends transactions: what the Outbox needs.
type Backend interface {
	Reader

	// PendingNonceAt returns account's next nonce counting the node's
	// transaction pool.
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	// SuggestGasTipCap returns a priority fee likely to get a transaction
	// mined soon.
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	// EstimateGas returns the gas msg would use; an error when it would
	// revert.
	EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error)
	// SendTransaction hands a signed transaction to the node.
	SendTransaction(ctx context.Context, tx *types.Transaction) error
}

// Dial connects to an Ethereum JSON-RPC endpoint (http, https, ws, wss or an
// IPC path). Over HTTP nothing is sent yet, so an unreachable endpoint shows
// only at the first call. Errors name the endpoint without its path, query
// or user info, which often hold an API key.
func Dial(ctx context.Context, rawURL string) (*ethclient.Client, error) {
	if rawURL == "" {
		return nil, fmt.Errorf("dial chain RPC: no endpoint URL given")
	}
	c, err := ethclient.DialContext(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("dial chain RPC %s: %w", RedactURL(rawURL), err)
	}
	return c, nil
}

// RedactURL keeps the scheme and host of an endpoint URL: enough to tell
// which endpoint failed, without the secrets providers put in the rest.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if u != nil && u.Scheme == "" {
			return raw // an IPC path
		}
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host
}
