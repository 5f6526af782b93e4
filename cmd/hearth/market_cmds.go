package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// ---- info ----

// marketInfo is what `hearth market info` shows.
type marketInfo struct {
	ChainID          string `json:"chain_id"`
	RPC              string `json:"rpc,omitempty"`
	Contract         string `json:"contract"`
	Orders           uint64 `json:"orders"`
	MinStake         string `json:"min_stake_wei"`
	Provider         string `json:"provider,omitempty"`
	ProviderActive   bool   `json:"provider_active"`
	ProviderEndpoint string `json:"provider_endpoint,omitempty"`
	ProviderStake    string `json:"provider_stake_wei,omitempty"`
	ProviderBalance  string `json:"provider_balance_wei,omitempty"`
	Account          string `json:"account,omitempty"`
	AccountEther     string `json:"account_ether_wei,omitempty"`
	AccountEscrow    string `json:"account_escrow_wei,omitempty"`
	Dev              bool   `json:"dev,omitempty"`
	// ChainMode is how this command's reads were checked: verified,
	// local or trusted; Warning says what trusted means.
	ChainMode string `json:"chain_mode"`
	Warning   string `json:"warning,omitempty"`
}

func marketInfoCmd() *command {
	return &command{
		name:    "info",
		summary: "the market's chain, contract, provider and your balances",
		help: `Show the chain ID, the contract, the pool's provider (its stake, endpoint and
earnings) and, with a key, your account's Ether and escrow in the contract.

` + marketHelp,
		example: "hearth market info\nhearth market info -o json",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			out := outputFlag(fs)
			return func(ctx context.Context, _ []string) error {
				m, err := c.connectMarket(ctx, mf, false)
				if err != nil {
					return err
				}
				defer m.Close()
				info, err := m.info(ctx)
				if err != nil {
					return err
				}
				if *out == formatJSON {
					return writeJSON(c.stdout, info)
				}
				return writeMarketInfo(c.stdout, info)
			}
		},
	}
}

func (m *mkt) info(ctx context.Context) (marketInfo, error) {
	info := marketInfo{ChainID: m.chainID.String(), RPC: m.file.RPC, Contract: m.contract.Hex(), Dev: m.file.Dev,
		ChainMode: string(m.mode)}
	if m.mode == chain.ModeTrusted {
		info.Warning = "reads are trusted, not verified: the RPC endpoint could show orders, balances and results that are not on chain"
	}
	out, err := m.call(ctx, m.abi.PackOrderCount())
	if err != nil {
		return info, fmt.Errorf("read the contract at %s: %w", m.contract.Hex(), err)
	}
	n, err := m.abi.UnpackOrderCount(out)
	if err != nil {
		return info, fmt.Errorf("contract at %s: %w (is it a HearthMarket?)", m.contract.Hex(), err)
	}
	info.Orders = n.Uint64()
	if out, err = m.call(ctx, m.abi.PackMinStake()); err == nil {
		if v, err := m.abi.UnpackMinStake(out); err == nil {
			info.MinStake = v.String()
		}
	}
	if common.IsHexAddress(m.file.Provider) {
		p := common.HexToAddress(m.file.Provider)
		info.Provider = p.Hex()
		pv, err := m.provider(ctx, p)
		if err != nil {
			return info, err
		}
		info.ProviderActive, info.ProviderEndpoint, info.ProviderStake = pv.Active, pv.Endpoint, pv.Stake.String()
		b, err := m.balanceOf(ctx, p)
		if err != nil {
			return info, err
		}
		info.ProviderBalance = b.String()
	}
	if m.key != nil {
		info.Account = m.me.Hex()
		eth, err := m.client.BalanceAt(ctx, m.me, nil)
		if err != nil {
			return info, err
		}
		esc, err := m.balanceOf(ctx, m.me)
		if err != nil {
			return info, err
		}
		info.AccountEther, info.AccountEscrow = eth.String(), esc.String()
	}
	return info, nil
}

func weiString(s string) string {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return "-"
	}
	return formatWei(v)
}

func writeMarketInfo(w io.Writer, i marketInfo) error {
	rows := [][]string{{"chain", i.ChainID}, {"contract", i.Contract}, {"orders", strconv.FormatUint(i.Orders, 10)},
		{"minimum stake", weiString(i.MinStake)}}
	if i.RPC != "" {
		rows = append(rows, []string{"JSON-RPC", i.RPC})
	}
	mode := i.ChainMode
	if i.Warning != "" {
		mode += " (WARNING: " + i.Warning + ")"
	}
	rows = append(rows, []string{"chain reads", mode})
	if i.Provider != "" {
		state := "not registered"
		if i.ProviderActive {
			state = "registered, stake " + weiString(i.ProviderStake)
		}
		rows = append(rows, []string{"provider", i.Provider + " (" + state + ")"},
			[]string{"provider endpoint", i.ProviderEndpoint},
			[]string{"provider earnings", weiString(i.ProviderBalance)})
	}
	if i.Account != "" {
		who := i.Account
		if i.Dev {
			who += " (the public dev requester key)"
		}
		rows = append(rows, []string{"you", who}, []string{"your Ether", weiString(i.AccountEther)},
			[]string{"your escrow", weiString(i.AccountEscrow)})
	}
	for i := range rows {
		rows[i][0] += ":"
	}
	writeAligned(w, "", rows)
	return nil
}

// ---- deposit, withdraw ----

func marketDepositCmd() *command {
	return &command{
		name:    "deposit",
		args:    "AMOUNT",
		nargs:   1,
		summary: "put Ether into your escrow in the contract",
		help:    "Deposit AMOUNT from your account into the contract, where orders lock it.\n\n" + marketHelp,
		example: "hearth market deposit 1eth\nhearth market deposit 500000000000000000",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			return func(ctx context.Context, args []string) error {
				amount, err := parseAmount(args[0])
				if err != nil {
					return usageErrorf("%v", err)
				}
				return c.moveEscrow(ctx, mf, "deposit", amount)
			}
		},
	}
}

func marketWithdrawCmd() *command {
	return &command{
		name:    "withdraw",
		args:    "AMOUNT",
		nargs:   1,
		summary: "take free escrow (or a provider's earnings) back",
		help:    "Withdraw AMOUNT of your free balance in the contract (escrow that no order\nlocks, refunds, or a provider's earnings) to your account.\n\n" + marketHelp,
		example: "hearth market withdraw 0.5eth",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			return func(ctx context.Context, args []string) error {
				amount, err := parseAmount(args[0])
				if err != nil {
					return usageErrorf("%v", err)
				}
				return c.moveEscrow(ctx, mf, "withdraw", amount)
			}
		},
	}
}

func (c *cli) moveEscrow(ctx context.Context, mf *marketFlags, what string, amount *big.Int) error {
	m, err := c.connectMarket(ctx, mf, true)
	if err != nil {
		return err
	}
	defer m.Close()
	if what == "deposit" {
		_, err = m.send(ctx, what, m.abi.PackDeposit(), amount)
	} else {
		_, err = m.send(ctx, what, m.abi.PackWithdraw(amount), nil)
	}
	if err != nil {
		return err
	}
	b, err := m.balanceOf(ctx, m.me)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s of %s done; your escrow is now %s\n", what, formatWei(amount), formatWei(b))
	return nil
}

// ---- reclaim ----

func marketReclaimCmd() *command {
	return &command{
		name:    "reclaim",
		args:    "ID",
		nargs:   1,
		summary: "take back the escrow of an order not settled by its deadline",
		help:    "After its deadline, return the whole escrow of your order ID if its provider\nhas not settled it.\n\n" + marketHelp,
		example: "hearth market reclaim 3",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			return func(ctx context.Context, args []string) error {
				id, err := parseOrderID(args[0])
				if err != nil {
					return err
				}
				m, err := c.connectMarket(ctx, mf, true)
				if err != nil {
					return err
				}
				defer m.Close()
				if _, err := m.send(ctx, "reclaim", m.abi.PackReclaim(new(big.Int).SetUint64(id)), nil); err != nil {
					return err
				}
				b, err := m.balanceOf(ctx, m.me)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.stdout, "order %d reclaimed; your escrow is now %s\n", id, formatWei(b))
				return nil
			}
		},
	}
}

// ---- deploy, keys ----

func marketDeployCmd() *command {
	return &command{
		name:    "deploy",
		summary: "deploy a HearthMarket contract (for a new market)",
		help:    "Deploy the HearthMarket contract from your key and print its address, for a\nmarket of your own (on a test network, or geth --dev).\n\n" + marketHelp,
		example: "hearth market deploy --rpc http://127.0.0.1:8545 --key provider.json --min-stake 0.1eth",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			minStake := fs.String("min-stake", "0.1eth", "the stake a provider must put up")
			return func(ctx context.Context, _ []string) error {
				stake, err := parseAmount(*minStake)
				if err != nil {
					return usageErrorf("--min-stake: %v", err)
				}
				if mf.contract == "" {
					mf.contract = (common.Address{}).Hex() // not needed to deploy
				}
				m, err := c.connectMarket(ctx, mf, true)
				if err != nil {
					return err
				}
				defer m.Close()
				addr, block, err := deployMarket(ctx, m, stake)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.stderr, "HearthMarket deployed in block %d with a minimum stake of %s\n", block, formatWei(stake))
				fmt.Fprintln(c.stdout, addr.Hex())
				return nil
			}
		},
	}
}

func marketKeyCmd() *command {
	return &command{
		name:    "key",
		summary: "make a key for the market",
		help:    "Keys for the market: a provider's (the gateway's --chain-key) or a requester's.",
		example: "HEARTH_CHAIN_PASSPHRASE=... hearth market key new --out provider.json",
		subs:    []*command{marketKeyNewCmd()},
	}
}

func marketKeyNewCmd() *command {
	return &command{
		name:    "new",
		summary: "make a new key in a keystore file",
		help: `Make a new Ethereum key and write it, encrypted with the passphrase from
--passphrase-file or $HEARTH_CHAIN_PASSPHRASE, as a keystore file (mode 0600)
that go-ethereum and wallets read. Print its address. --light uses the light
scrypt setting, which unlocks in a fraction of the memory: for 512 MB boards.
Keep a copy of the file and of the passphrase: without both the key is lost.`,
		example: "HEARTH_CHAIN_PASSPHRASE=... hearth market key new --out ~/.config/hearth/provider.json --light",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := fs.String("out", "", "write the keystore to `FILE` (required; never overwritten)")
			passFile := fs.String("passphrase-file", "", "`FILE` holding the passphrase (default $HEARTH_CHAIN_PASSPHRASE)")
			light := fs.Bool("light", false, "light scrypt (for boards with 512 MB or less)")
			return func(ctx context.Context, _ []string) error {
				if *out == "" {
					return usageErrorf("--out FILE is required")
				}
				pass, err := passphrase(c, *passFile)
				if err != nil {
					return err
				}
				if err := os.MkdirAll(filepath.Dir(*out), 0o700); err != nil {
					return err
				}
				addr, err := chain.NewKeyFile(*out, pass, *light)
				if err != nil {
					return err
				}
				fmt.Fprintln(c.stdout, addr.Hex())
				return nil
			}
		},
	}
}

func deployMarket(ctx context.Context, m *mkt, minStake *big.Int) (common.Address, uint64, error) {
	return contracts.Deploy(ctx, m.raw, m.raw, m.key, m.chainID, minStake)
}
