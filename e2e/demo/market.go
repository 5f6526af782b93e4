package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
)

// The market step: the gateway runs with --dev-chain, an in-process
// development chain in its namespace with the HearthMarket contract, its
// provider registered and the public dev requester funded. The demo buys
// compute as a requester would: escrow, an order on chain, run by the pool,
// settled in a batch, results verified against the root on chain.

// marketArgs are the gateway's flags for the market step.
var marketArgs = []string{"--dev-chain", "--market-settle-age", "1s"}

type marketInfo struct {
	Contract        string `json:"contract"`
	ChainID         string `json:"chain_id"`
	Provider        string `json:"provider"`
	ProviderActive  bool   `json:"provider_active"`
	ProviderBalance string `json:"provider_balance_wei"`
	Account         string `json:"account"`
	AccountEscrow   string `json:"account_escrow_wei"`
}

type orderView struct {
	Chain struct {
		ID         uint64 `json:"id"`
		Status     string `json:"status"`
		Tasks      uint64 `json:"tasks"`
		TasksDone  uint64 `json:"tasks_done"`
		ResultRoot string `json:"result_root"`
	} `json:"chain"`
	Provider *struct {
		State         string `json:"state"`
		Reason        string `json:"reason"`
		Job           string `json:"job"`
		PostedBlock   uint64 `json:"posted_block"`
		AcceptedBlock uint64 `json:"accepted_block"`
		SettledBlock  uint64 `json:"settled_block"`
	} `json:"provider"`
}

func runMarket(ctx context.Context, h *home.Home, bin string) error {
	app, _ := filepath.Abs("examples/vanity/vanity.wasm")
	var info marketInfo
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := h.Market(ctx, "info", "-o", "json")
		if err == nil && json.Unmarshal(out, &info) == nil && info.ProviderActive {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the gateway's provider did not register on the dev chain: %v\n%s", err, out)
		}
		time.Sleep(300 * time.Millisecond)
	}
	fmt.Printf("The market: the gateway sells the pool as ONE provider, %s, on a dev chain\n"+
		"  (chain %s, contract %s), and a requester buys compute:\n", info.Provider, info.ChainID, info.Contract)
	if _, err := h.Market(ctx, "deposit", "0.01eth"); err != nil {
		return err
	}
	fmt.Printf("  requester %s deposited 0.01 ETH of escrow\n", info.Account)
	out, err := h.Market(ctx, "order", "post", "--app", app, "--tasks", "4", "--price-per-task", "1000gwei",
		"--args", "-prefix fa -seed hearth -shard {{index}} -shards {{tasks}} -tries 10000", "--wait", "-o", "json")
	if err != nil {
		return err
	}
	var v orderView
	if err := json.Unmarshal(out, &v); err != nil {
		return fmt.Errorf("order post: %w\n%s", err, out)
	}
	if v.Chain.Status != "settled" || v.Provider == nil {
		return fmt.Errorf("order %d: %s on chain: %s", v.Chain.ID, v.Chain.Status, out)
	}
	p := v.Provider
	fmt.Printf("  order %d: 4 wasm tasks at 1000 gwei each, posted in block %d, accepted in block %d,\n"+
		"  run as pool job %s, settled in block %d with %d of %d tasks done\n",
		v.Chain.ID, p.PostedBlock, p.AcceptedBlock, p.Job, p.SettledBlock, v.Chain.TasksDone, v.Chain.Tasks)
	dir, err := os.MkdirTemp("", "hearth-market-results-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	out, err = h.Market(ctx, "results", fmt.Sprint(v.Chain.ID), "--out", dir)
	if err != nil {
		return err
	}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fmt.Printf("  %s\n", l)
	}
	out, err = h.Market(ctx, "info", "-o", "json")
	if err != nil {
		return err
	}
	if err := json.Unmarshal(out, &info); err != nil {
		return err
	}
	fmt.Printf("  balances in the contract: the provider earned %s wei; the requester's escrow is %s wei\n",
		info.ProviderBalance, info.AccountEscrow)
	if want := fmt.Sprint(v.Chain.TasksDone * 1000_000_000_000); info.ProviderBalance != want {
		return fmt.Errorf("the provider earned %s wei, want %s", info.ProviderBalance, want)
	}
	return nil
}
