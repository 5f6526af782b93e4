package light

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/beacon/params"
	gparams "github.com/ethereum/go-ethereum/params"
)

// Network is a public chain the light client can follow.
type Network struct {
	// Name is "mainnet", "sepolia" or "hoodi".
	Name string
	// Beacon is the beacon chain's configuration: genesis, fork versions
	// and the checkpoint go-ethereum embeds (which goes stale between its
	// releases).
	Beacon *params.ChainConfig
	// ChainID is the execution chain's EIP-155 ID.
	ChainID uint64
	// Rules are the execution chain's protocol rules, for calls run
	// locally. Default: go-ethereum's for ChainID.
	Rules *gparams.ChainConfig
}

// Networks are the chains with a sync committee that go-ethereum v1.17.5
// knows.
var Networks = []Network{
	{Name: "mainnet", Beacon: params.MainnetLightConfig, ChainID: 1},
	{Name: "sepolia", Beacon: params.SepoliaLightConfig, ChainID: 11155111},
	{Name: "hoodi", Beacon: params.HoodiLightConfig, ChainID: 560048},
}

// NetworkByName returns the network called name.
func NetworkByName(name string) (Network, error) {
	var names []string
	for _, n := range Networks {
		if n.Name == strings.ToLower(name) {
			return n, nil
		}
		names = append(names, n.Name)
	}
	return Network{}, fmt.Errorf("unknown network %q: light clients follow %s (a private chain has no sync committee: run it in trusted mode)", name, strings.Join(names, ", "))
}

// NetworkByChainID returns the network whose execution chain has that ID.
func NetworkByChainID(id uint64) (Network, bool) {
	for _, n := range Networks {
		if n.ChainID == id {
			return n, true
		}
	}
	return Network{}, false
}
