package verify

import (
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/params"
)

// Defaults of Options.
const (
	// DefaultMaxGas is Options.MaxGas's default.
	DefaultMaxGas = 3_000_000
	// DefaultMaxHeadAge is Options.MaxHeadAge's default.
	DefaultMaxHeadAge = 2 * time.Minute
)

// DefaultMaxTip is Options.MaxTip's default: 10 gwei.
var DefaultMaxTip = big.NewInt(10 * params.GWei)

// Options configures New.
type Options struct {
	// ChainID is the chain's expected EIP-155 ID. Required. New fails
	// (wrapping chain.ErrWrongChain) when an endpoint's eth_chainId differs.
	ChainID *big.Int

	// Config is the chain's protocol rules, for the EVM that runs calls
	// locally and for deriving receipt fields. Its ChainID must equal
	// ChainID. Default: go-ethereum's configuration of the chain ChainID
	// names when it is Ethereum mainnet, Sepolia, Holesky or Hoodi; other
	// chains must give it.
	Config *params.ChainConfig

	// MaxGas caps EstimateGas: an estimate above it is an error, never
	// signed. Default DefaultMaxGas (3,000,000).
	MaxGas uint64

	// MaxTip caps SuggestGasTipCap. Default DefaultMaxTip (10 gwei).
	MaxTip *big.Int

	// MaxHeadAge: reads fail with chain.ErrStale when the verified head's
	// slot began longer ago than this, measured with Clock. Default
	// DefaultMaxHeadAge (2 minutes).
	MaxHeadAge time.Duration

	// Clock is the time source for ages. Default time.Now; tests pass a
	// beacon's virtual clock.
	Clock func() time.Time

	// Logger receives what the reader notices: capped fees, ignored hints.
	// Default: discard.
	Logger *slog.Logger
}

// knownConfigs are the chains whose rules go-ethereum ships.
var knownConfigs = []*params.ChainConfig{
	params.MainnetChainConfig,
	params.SepoliaChainConfig,
	params.HoleskyChainConfig,
	params.HoodiChainConfig,
}

func (o Options) withDefaults() (Options, error) {
	if o.ChainID == nil || o.ChainID.Sign() <= 0 {
		return o, errors.New("verify: Options.ChainID is required")
	}
	o.ChainID = new(big.Int).Set(o.ChainID)
	if o.Config == nil {
		for _, c := range knownConfigs {
			if c.ChainID.Cmp(o.ChainID) == 0 {
				o.Config = c
			}
		}
		if o.Config == nil {
			return o, fmt.Errorf("verify: chain %v has no built-in rules; set Options.Config", o.ChainID)
		}
	}
	if o.Config.ChainID == nil || o.Config.ChainID.Cmp(o.ChainID) != 0 {
		return o, fmt.Errorf("verify: Options.Config is for chain %v, Options.ChainID is %v", o.Config.ChainID, o.ChainID)
	}
	if o.MaxGas == 0 {
		o.MaxGas = DefaultMaxGas
	}
	if o.MaxTip == nil {
		o.MaxTip = DefaultMaxTip
	}
	o.MaxTip = new(big.Int).Set(o.MaxTip)
	if o.MaxHeadAge <= 0 {
		o.MaxHeadAge = DefaultMaxHeadAge
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
