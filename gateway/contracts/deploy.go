package contracts

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Deploy deploys a HearthMarket contract with minStake from key, waits for
// it to be mined and returns its address and block.
func Deploy(ctx context.Context, backend bind.ContractBackend, deploy bind.DeployBackend, key *ecdsa.PrivateKey, chainID, minStake *big.Int) (common.Address, uint64, error) {
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = ctx
	bin := common.FromHex(HearthMarketMetaData.Bin)
	addr, tx, err := bind.DeployContract(opts, bin, backend, NewHearthMarket().PackConstructor(minStake))
	if err != nil {
		return common.Address{}, 0, fmt.Errorf("deploy the market contract from %s: %w", crypto.PubkeyToAddress(key.PublicKey).Hex(), err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	rcpt, err := bind.WaitMined(ctx, deploy, tx.Hash())
	if err != nil {
		return common.Address{}, 0, fmt.Errorf("deploy the market contract: waiting for %s: %w", tx.Hash().Hex(), err)
	}
	if rcpt.Status != 1 {
		return common.Address{}, 0, fmt.Errorf("deploy the market contract: transaction %s failed", tx.Hash().Hex())
	}
	return addr, rcpt.BlockNumber.Uint64(), nil
}
