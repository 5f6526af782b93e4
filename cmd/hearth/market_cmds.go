package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/gateway/market"
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
	info := marketInfo{ChainID: m.chainID.String(), RPC: m.file.RPC, Contract: m.contract.Hex(), Dev: m.file.Dev}
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

// ---- orders ----

func marketOrderCmd() *command {
	return &command{
		name:    "order",
		summary: "post and follow orders",
		help:    "Post orders for compute and follow them.\n\n" + marketHelp,
		example: "hearth market order post --app examples/vanity/vanity.wasm --tasks 4 --price-per-task 1000000 --wait\nhearth market order ls\nhearth market order get 1",
		subs:    []*command{marketOrderPostCmd(), marketOrderLsCmd(), marketOrderGetCmd()},
	}
}

func marketOrderPostCmd() *command {
	return &command{
		name:    "post",
		summary: "post an order: an app, a task count and a price per task",
		help: `Upload the app (and inputs) to the provider, then post the order on chain,
locking tasks x price-per-task of your escrow (deposit first). The provider
accepts it if the price clears its minimum and it runs the runtime; it then runs
the tasks and settles, paying itself for the tasks done and refunding the rest.
Task i sees its index in {{index}} inside --args, and the inputs under /in/0,
/in/1, ... With --wait, follow the order until it is settled or refused.

` + marketHelp,
		example: "hearth market order post --app examples/vanity/vanity.wasm --tasks 4 --price-per-task 1000000 --args 'cafe {{index}}' --wait",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			app := fs.String("app", "", "the app: a WASI module (.wasm) or an OCI image archive (`FILE`, required)")
			rt := fs.String("runtime", "", "wasm or oci (default: from the app file's name)")
			tasks := fs.Int("tasks", 1, "how many tasks")
			price := fs.String("price-per-task", "", "the most you pay per task (`AMOUNT`, required)")
			argsFlag := fs.String("args", "", "the app's arguments, split at spaces")
			var inputs stringList
			fs.Var(&inputs, "input", "an input `FILE` every task sees under /in/N (repeatable)")
			deadline := fs.Duration("deadline", time.Hour, "how long the provider has to finish")
			provider := fs.String("provider", "", "the provider `ADDRESS` that may take the order (default: the market file's)")
			wait := fs.Bool("wait", false, "wait until the order is settled (or refused) and print its outcome")
			out := outputFlag(fs)
			return func(ctx context.Context, _ []string) error {
				if *app == "" || *price == "" {
					return usageErrorf("--app FILE and --price-per-task AMOUNT are required")
				}
				p, err := parseAmount(*price)
				if err != nil {
					return usageErrorf("--price-per-task: %v", err)
				}
				if *tasks < 1 || *tasks > 1<<24-1 {
					return usageErrorf("--tasks %d: want 1 to %d", *tasks, 1<<24-1)
				}
				runtime := *rt
				if runtime == "" {
					switch {
					case strings.HasSuffix(*app, ".wasm"):
						runtime = "wasm"
					case strings.HasSuffix(*app, ".tar"):
						runtime = "oci"
					default:
						return usageErrorf("--runtime wasm or oci: the app's name does not say")
					}
				}
				if runtime != "wasm" && runtime != "oci" {
					return usageErrorf("--runtime %q: want wasm or oci", runtime)
				}
				req := orderRequest{app: *app, runtime: runtime, tasks: *tasks, price: p, args: strings.Fields(*argsFlag),
					inputs: inputs, deadline: *deadline, provider: *provider}
				return c.postOrder(ctx, mf, req, *wait, out)
			}
		},
	}
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type orderRequest struct {
	app, runtime, provider string
	tasks                  int
	price                  *big.Int
	args, inputs           []string
	deadline               time.Duration
}

// fileDigest is a file's sha256, as the contract and the blob store name it.
func fileDigest(path string) ([32]byte, int64, error) {
	var d [32]byte
	f, err := os.Open(path)
	if err != nil {
		return d, 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	copy(d[:], h.Sum(nil))
	return d, n, err
}

func (c *cli) postOrder(ctx context.Context, mf *marketFlags, req orderRequest, wait bool, out *format) error {
	m, err := c.connectMarket(ctx, mf, true)
	if err != nil {
		return err
	}
	defer m.Close()
	prov := firstNonEmpty(req.provider, m.file.Provider)
	if !common.IsHexAddress(prov) {
		return usageErrorf("which provider? give --provider ADDRESS (the pool's provider, from its market.json or `hearth market info`)")
	}
	provider := common.HexToAddress(prov)
	pv, err := m.provider(ctx, provider)
	if err != nil {
		return err
	}
	if !pv.Active {
		return fmt.Errorf("%s is not a registered provider on this market", provider.Hex())
	}
	// Escrow first: saying so beats a reverted estimate.
	need := new(big.Int).Mul(req.price, big.NewInt(int64(req.tasks)))
	bal, err := m.balanceOf(ctx, m.me)
	if err != nil {
		return err
	}
	if bal.Cmp(need) < 0 {
		short := new(big.Int).Sub(need, bal)
		return fmt.Errorf("insufficient escrow: the order locks %s, your escrow is %s; deposit at least %s wei first: hearth market deposit %s",
			formatWei(need), formatWei(bal), short, short)
	}
	mc, err := api.NewMarketClient(pv.Endpoint)
	if err != nil {
		return fmt.Errorf("provider's endpoint: %w", err)
	}
	defer mc.Close()
	appDigest, err := c.uploadToProvider(ctx, mc, req.app)
	if err != nil {
		return err
	}
	var inputs [][32]byte
	for _, in := range req.inputs {
		d, err := c.uploadToProvider(ctx, mc, in)
		if err != nil {
			return err
		}
		inputs = append(inputs, d)
	}
	rt := contracts.RuntimeWasm
	if req.runtime == "oci" {
		rt = contracts.RuntimeOCI
	}
	deadline := time.Now().Add(req.deadline).Unix()
	data := m.abi.PackPostOrder(provider, appDigest, "", rt, inputs, nonNil(req.args), big.NewInt(int64(req.tasks)), req.price, big.NewInt(deadline))
	rcpt, err := m.send(ctx, "post order", data, nil)
	if err != nil {
		return err
	}
	var id uint64
	for _, l := range rcpt.Logs {
		if ev, err := m.abi.UnpackOrderPostedEvent(l); err == nil {
			id = ev.Id.Uint64()
		}
	}
	if id == 0 {
		return fmt.Errorf("order posted in %s, but its event is missing", rcpt.TxHash.Hex())
	}
	fmt.Fprintf(c.stderr, "order %d posted in block %d (%s gas): %d %s tasks at %s each, for %s\n",
		id, rcpt.BlockNumber, strconv.FormatUint(rcpt.GasUsed, 10), req.tasks, req.runtime, formatWei(req.price), provider.Hex())
	if !wait {
		if *out == formatJSON {
			return writeJSON(c.stdout, map[string]any{"id": id, "tx": rcpt.TxHash.Hex(), "block": rcpt.BlockNumber})
		}
		fmt.Fprintf(c.stdout, "%d\n", id)
		return nil
	}
	v, err := c.waitOrder(ctx, m, mc, id)
	if err != nil {
		return err
	}
	if *out == formatJSON {
		return writeJSON(c.stdout, v)
	}
	writeOrderView(c.stdout, v)
	if v.Chain.Status != "settled" {
		return &exitError{code: exitFail}
	}
	return nil
}

func (c *cli) uploadToProvider(ctx context.Context, mc *api.MarketClient, path string) ([32]byte, error) {
	d, size, err := fileDigest(path)
	if err != nil {
		return d, err
	}
	f, err := os.Open(path)
	if err != nil {
		return d, err
	}
	defer f.Close()
	digest := "sha256:" + hex.EncodeToString(d[:])
	if err := mc.PutBlob(ctx, digest, f, size); err != nil {
		return d, fmt.Errorf("upload %s to the provider: %w", path, err)
	}
	return d, nil
}

// orderView is an order as the chain and the provider see it.
type orderView struct {
	Chain    chainOrder       `json:"chain"`
	Provider *api.MarketOrder `json:"provider,omitempty"`
	// ProviderError says why the provider's view is missing.
	ProviderError string `json:"provider_error,omitempty"`
}

type chainOrder struct {
	ID           uint64    `json:"id"`
	Status       string    `json:"status"`
	Requester    string    `json:"requester"`
	Provider     string    `json:"provider"`
	Tasks        uint64    `json:"tasks"`
	TasksDone    uint64    `json:"tasks_done"`
	PricePerTask string    `json:"price_per_task_wei"`
	Deadline     time.Time `json:"deadline"`
	AppDigest    string    `json:"app_digest"`
	ResultRoot   string    `json:"result_root,omitempty"`
}

func toChainOrder(id uint64, o contracts.HearthMarketOrder) chainOrder {
	co := chainOrder{ID: id, Status: contracts.StatusName(o.Status), Requester: o.Requester.Hex(),
		Provider: o.Provider.Hex(), Tasks: o.Tasks.Uint64(), TasksDone: o.TasksDone.Uint64(),
		PricePerTask: o.PricePerTask.String(), Deadline: time.Unix(o.Deadline.Int64(), 0).UTC(),
		AppDigest: "sha256:" + hex.EncodeToString(o.AppDigest[:])}
	if o.ResultRoot != ([32]byte{}) {
		co.ResultRoot = "0x" + hex.EncodeToString(o.ResultRoot[:])
	}
	return co
}

func (c *cli) orderView(ctx context.Context, m *mkt, mc *api.MarketClient, id uint64) (orderView, error) {
	o, err := m.order(ctx, id)
	if err != nil {
		return orderView{}, err
	}
	v := orderView{Chain: toChainOrder(id, o)}
	if mc == nil && o.Provider != (common.Address{}) {
		if pv, err := m.provider(ctx, o.Provider); err == nil && pv.Endpoint != "" {
			if mc, err = api.NewMarketClient(pv.Endpoint); err == nil {
				defer mc.Close()
			}
		}
	}
	if mc == nil && common.IsHexAddress(m.file.Provider) {
		if pv, err := m.provider(ctx, common.HexToAddress(m.file.Provider)); err == nil && pv.Endpoint != "" {
			if mc, err = api.NewMarketClient(pv.Endpoint); err == nil {
				defer mc.Close()
			}
		}
	}
	if mc != nil {
		po, err := mc.Order(ctx, id)
		if err != nil {
			v.ProviderError = err.Error()
		} else {
			v.Provider = &po
		}
	}
	return v, nil
}

// waitOrder follows an order until the chain says it is settled or
// reclaimed, or the provider refused it.
func (c *cli) waitOrder(ctx context.Context, m *mkt, mc *api.MarketClient, id uint64) (orderView, error) {
	var last string
	var settledAt time.Time
	for {
		v, err := c.orderView(ctx, m, mc, id)
		if err != nil {
			return v, err
		}
		state := v.Chain.Status
		if v.Provider != nil {
			state += " / provider: " + string(v.Provider.State)
			if v.Provider.Reason != "" {
				state += " (" + v.Provider.Reason + ")"
			}
		}
		if state != last {
			fmt.Fprintf(c.stderr, "order %d: %s\n", id, state)
			last = state
		}
		if v.Provider != nil && v.Provider.State == api.OrderRefused {
			return v, nil
		}
		if v.Chain.Status == "settled" || v.Chain.Status == "reclaimed" {
			// The provider's view follows the chain's by a poll or two.
			if settledAt.IsZero() {
				settledAt = time.Now()
			}
			if v.Provider == nil || v.Provider.State.Final() || time.Since(settledAt) > 5*time.Second {
				return v, nil
			}
		}
		select {
		case <-ctx.Done():
			return v, ctx.Err()
		case <-time.After(c.pollEvery):
		}
	}
}

func writeOrderView(w io.Writer, v orderView) {
	o := v.Chain
	rows := [][]string{
		{"order", strconv.FormatUint(o.ID, 10)}, {"status", o.Status},
		{"tasks", fmt.Sprintf("%d done of %d", o.TasksDone, o.Tasks)},
		{"price per task", weiString(o.PricePerTask)},
		{"deadline", o.Deadline.Local().Format(time.RFC3339)},
		{"app", o.AppDigest}, {"requester", o.Requester}, {"provider", o.Provider},
	}
	if o.ResultRoot != "" {
		rows = append(rows, []string{"result root", o.ResultRoot})
	}
	if p := v.Provider; p != nil {
		st := string(p.State)
		if p.Reason != "" {
			st += ": " + p.Reason
		}
		rows = append(rows, []string{"at the provider", st})
		if p.Job != "" {
			rows = append(rows, []string{"pool job", p.Job})
		}
		if p.AcceptTx != "" {
			rows = append(rows, []string{"accepted", fmt.Sprintf("block %d, tx %s (posted in block %d)", p.AcceptedBlock, p.AcceptTx, p.PostedBlock)})
		}
		if p.SettleTx != "" {
			rows = append(rows, []string{"settled", fmt.Sprintf("block %d, tx %s", p.SettledBlock, p.SettleTx)})
		}
	} else if v.ProviderError != "" {
		rows = append(rows, []string{"at the provider", "unknown: " + v.ProviderError})
	}
	for i := range rows {
		rows[i][0] += ":"
	}
	writeAligned(w, "", rows)
}

func marketOrderGetCmd() *command {
	return &command{
		name:    "get",
		args:    "ID",
		nargs:   1,
		summary: "show an order, on chain and at its provider",
		help:    "Show order ID as the contract holds it and as its provider sees it (why it\nwaits or was refused, its pool job, its transactions).\n\n" + marketHelp,
		example: "hearth market order get 1\nhearth market order get 1 -o json",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				id, err := strconv.ParseUint(args[0], 10, 64)
				if err != nil || id == 0 {
					return usageErrorf("order ID %q: want a number from 1", args[0])
				}
				m, err := c.connectMarket(ctx, mf, false)
				if err != nil {
					return err
				}
				defer m.Close()
				v, err := c.orderView(ctx, m, nil, id)
				if err != nil {
					return err
				}
				if *out == formatJSON {
					return writeJSON(c.stdout, v)
				}
				writeOrderView(c.stdout, v)
				return nil
			}
		},
	}
}

func marketOrderLsCmd() *command {
	return &command{
		name:    "ls",
		summary: "list your orders (or all, with --all)",
		help:    "List the orders your key posted, newest first, as the contract holds them.\n\n" + marketHelp,
		example: "hearth market order ls\nhearth market order ls --all -o json",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			all := fs.Bool("all", false, "every order on the contract, not only yours")
			out := outputFlag(fs)
			return func(ctx context.Context, _ []string) error {
				m, err := c.connectMarket(ctx, mf, false)
				if err != nil {
					return err
				}
				defer m.Close()
				if m.key == nil && !*all {
					return usageErrorf("whose orders? give --key FILE, or --all")
				}
				os, err := m.orders(ctx, *all)
				if err != nil {
					return err
				}
				if *out == formatJSON {
					return writeJSON(c.stdout, nonNil(os))
				}
				t := &table{header: []string{"ID", "STATUS", "DONE/TASKS", "PRICE/TASK (WEI)", "DEADLINE", "PROVIDER"}}
				for _, o := range os {
					t.add(strconv.FormatUint(o.ID, 10), o.Status, fmt.Sprintf("%d/%d", o.TasksDone, o.Tasks), o.PricePerTask,
						o.Deadline.Local().Format("2006-01-02 15:04"), shortAddr(o.Provider))
				}
				return t.write(c.stdout)
			}
		},
	}
}

func shortAddr(a string) string {
	if a == (common.Address{}).Hex() {
		return "any"
	}
	if len(a) > 10 {
		return a[:10]
	}
	return a
}

// orders reads the OrderPosted events (of the user, unless all) and each
// order's state now.
func (m *mkt) orders(ctx context.Context, all bool) ([]chainOrder, error) {
	q := ethereum.FilterQuery{Addresses: []common.Address{m.contract}, FromBlock: new(big.Int).SetUint64(m.file.FromBlock),
		Topics: [][]common.Hash{{m.abi.GetABI().Events["OrderPosted"].ID}}}
	if !all {
		q.Topics = [][]common.Hash{q.Topics[0], nil, {common.BytesToHash(m.me.Bytes())}}
	}
	logs, err := m.client.FilterLogs(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []chainOrder
	for i := len(logs) - 1; i >= 0; i-- {
		ev, err := m.abi.UnpackOrderPostedEvent(&logs[i])
		if err != nil {
			continue
		}
		o, err := m.order(ctx, ev.Id.Uint64())
		if err != nil {
			return nil, err
		}
		out = append(out, toChainOrder(ev.Id.Uint64(), o))
	}
	return out, nil
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
				id, err := strconv.ParseUint(args[0], 10, 64)
				if err != nil {
					return usageErrorf("order ID %q: want a number", args[0])
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
	return market.Deploy(ctx, m.client, m.client, m.key, m.chainID, minStake)
}
