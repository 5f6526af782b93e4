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
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// The order commands: post, follow, list and show orders.

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

With --replicas N the order is run by N distinct providers apart, and it
settles on the result that --quorum Q of them reveal (default: more than half):
the app goes to every registered provider, the order locks N x tasks x
price-per-task, those that agree are paid, the others lose part of their stake,
and an order that reaches no quorum is refunded (docs/certification.md).

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
			replicas := fs.Int("replicas", 1, "how many distinct providers run it apart (2 to 6 for a replicated order)")
			quorum := fs.Int("quorum", 0, "how many equal results settle a replicated order (default: more than half of --replicas)")
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
				if *replicas < 1 || *replicas > 6 {
					return usageErrorf("--replicas %d: want 1 (one provider) or 2 to 6", *replicas)
				}
				q := *quorum
				if q == 0 {
					q = *replicas/2 + 1
				}
				if *replicas > 1 && (q <= *replicas/2 || q > *replicas) {
					return usageErrorf("--quorum %d: want more than half of --replicas %d, at most all of them", q, *replicas)
				}
				if *replicas > 1 && *provider != "" {
					return usageErrorf("--provider with --replicas: a replicated order is open to every provider; leave --provider out")
				}
				req := orderRequest{app: *app, runtime: runtime, tasks: *tasks, price: p, args: strings.Fields(*argsFlag),
					inputs: inputs, deadline: *deadline, provider: *provider, replicas: *replicas, quorum: q}
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
	replicas, quorum       int // replicas 1: an order of one provider
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
	var provider common.Address
	var endpoints []string
	if req.replicas > 1 {
		addrs, ps, err := m.activeProviders(ctx)
		if err != nil {
			return err
		}
		if len(addrs) < req.replicas {
			return fmt.Errorf("a replicated order needs %d distinct providers; %d are registered on this market", req.replicas, len(addrs))
		}
		for _, p := range ps {
			endpoints = append(endpoints, p.Endpoint)
		}
	} else {
		prov := firstNonEmpty(req.provider, m.file.Provider)
		if !common.IsHexAddress(prov) {
			return usageErrorf("which provider? give --provider ADDRESS (the pool's provider, from its market.json or `hearth market info`)")
		}
		provider = common.HexToAddress(prov)
		pv, err := m.provider(ctx, provider)
		if err != nil {
			return err
		}
		if !pv.Active {
			return fmt.Errorf("%s is not a registered provider on this market", provider.Hex())
		}
		endpoints = []string{pv.Endpoint}
	}
	// Escrow first: saying so beats a reverted estimate.
	need := new(big.Int).Mul(req.price, big.NewInt(int64(req.tasks*req.replicas)))
	bal, err := m.balanceOf(ctx, m.me)
	if err != nil {
		return err
	}
	if bal.Cmp(need) < 0 {
		short := new(big.Int).Sub(need, bal)
		return fmt.Errorf("insufficient escrow: the order locks %s, your escrow is %s; deposit at least %s wei first: hearth market deposit %s",
			formatWei(need), formatWei(bal), short, short)
	}
	// The app and inputs go to the provider, or, for a replicated order,
	// to every provider: one that has them not cannot take a seat.
	var appDigest [32]byte
	var inputs [][32]byte
	var mc *api.MarketClient
	reached := 0
	for _, ep := range endpoints {
		pc, app, ins, err := c.uploadOrder(ctx, ep, req)
		if err != nil && req.replicas == 1 {
			return err
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "warning: %v\n", err)
			continue
		}
		reached++
		appDigest, inputs = app, ins
		if mc == nil && req.replicas == 1 {
			mc = pc
			defer mc.Close()
		} else {
			pc.Close()
		}
	}
	if reached < req.replicas {
		return fmt.Errorf("the app reached %d of the %d registered providers, fewer than the %d replicas asked for: try again, or ask for fewer", reached, len(endpoints), req.replicas)
	}
	rt := contracts.RuntimeWasm
	if req.runtime == "oci" {
		rt = contracts.RuntimeOCI
	}
	deadline := time.Now().Add(req.deadline).Unix()
	data := m.abi.PackPostOrder(provider, appDigest, "", rt, inputs, nonNil(req.args), big.NewInt(int64(req.tasks)), req.price, big.NewInt(deadline))
	who := provider.Hex()
	if req.replicas > 1 {
		data = m.abi.PackPostReplicatedOrder(appDigest, "", rt, inputs, nonNil(req.args), big.NewInt(int64(req.tasks)), req.price,
			big.NewInt(deadline), uint8(req.replicas), uint8(req.quorum))
		who = fmt.Sprintf("%d providers apart, settled by %d equal results", req.replicas, req.quorum)
	}
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
		id, rcpt.BlockNumber, strconv.FormatUint(rcpt.GasUsed, 10), req.tasks, req.runtime, formatWei(req.price), who)
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

// uploadOrder uploads an order's app and inputs to the provider at
// endpoint and returns a client of it.
func (c *cli) uploadOrder(ctx context.Context, endpoint string, req orderRequest) (*api.MarketClient, [32]byte, [][32]byte, error) {
	var app [32]byte
	mc, err := api.NewMarketClient(endpoint)
	if err != nil {
		return nil, app, nil, fmt.Errorf("provider's endpoint %s: %w", endpoint, err)
	}
	if app, err = c.uploadToProvider(ctx, mc, req.app); err != nil {
		mc.Close()
		return nil, app, nil, err
	}
	var inputs [][32]byte
	for _, in := range req.inputs {
		d, err := c.uploadToProvider(ctx, mc, in)
		if err != nil {
			mc.Close()
			return nil, app, nil, err
		}
		inputs = append(inputs, d)
	}
	return mc, app, inputs, nil
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
	// Replication is a replicated order's seats (nil for an order of one
	// provider).
	Replication *replicationView `json:"replication,omitempty"`
}

type replicationView struct {
	Replicas int        `json:"replicas"`
	Quorum   int        `json:"quorum"`
	Seats    []seatView `json:"seats"`
}

// seatView is one provider's seat in a replicated order: joined,
// committed, revealed, then paid or slashed (or released, when the order
// reached no quorum and it revealed).
type seatView struct {
	Provider string `json:"provider"`
	State    string `json:"state"`
}

func toReplicationView(ctx context.Context, m *mkt, status uint8, rep contracts.ReplicationOutput) (*replicationView, error) {
	v := &replicationView{Replicas: int(rep.Replicas), Quorum: int(rep.Quorum)}
	for i, n := range contracts.Seats(rep) {
		a, err := m.providerAt(ctx, n)
		if err != nil {
			return nil, err
		}
		bit := uint8(1) << i
		st := "joined"
		switch {
		case rep.Resolved&bit != 0 && status == contracts.StatusSettled && rep.Agreeing&bit != 0:
			st = "paid"
		case rep.Resolved&bit != 0 && status == contracts.StatusDisputed && rep.Revealed&bit != 0:
			st = "released (no quorum)"
		case rep.Resolved&bit != 0:
			st = "slashed"
		case rep.Revealed&bit != 0:
			st = "revealed"
		case rep.Committed&bit != 0:
			st = "committed"
		}
		v.Seats = append(v.Seats, seatView{Provider: a.Hex(), State: st})
	}
	return v, nil
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
	// Only a settled order's root is its result: a replicated order's
	// holds a placeholder, then its first reveal, while it runs.
	if o.Status == contracts.StatusSettled {
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
	if o.Provider == (common.Address{}) {
		rep, err := m.replication(ctx, id)
		if err != nil {
			return v, err
		}
		if rep.Replicas > 0 {
			if v.Replication, err = toReplicationView(ctx, m, o.Status, rep); err != nil {
				return v, err
			}
		}
	}
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
		// One provider's refusal ends an order for one provider; a
		// replicated order may still find its seats elsewhere.
		if v.Provider != nil && v.Provider.State == api.OrderRefused && v.Replication == nil {
			return v, nil
		}
		if v.Chain.Status == "settled" || v.Chain.Status == "reclaimed" || v.Chain.Status == "disputed" {
			// The provider's view follows the chain's by a poll or two.
			if settledAt.IsZero() {
				settledAt = time.Now()
			}
			// A failed order is final at the provider, but the chain
			// has moved on: its view follows.
			if v.Provider == nil || v.Provider.State.Final() && v.Provider.State != api.OrderFailed || time.Since(settledAt) > 5*time.Second {
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
	if r := v.Replication; r != nil {
		rows[7] = []string{"providers", fmt.Sprintf("%d apart, settled by %d equal results", r.Replicas, r.Quorum)}
		for i, s := range r.Seats {
			rows = append(rows, []string{fmt.Sprintf("seat %d", i+1), s.Provider + " " + s.State})
		}
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
		if p.CommitTx != "" {
			rows = append(rows, []string{"committed", "tx " + p.CommitTx})
		}
		if p.RevealTx != "" {
			rows = append(rows, []string{"revealed", "tx " + p.RevealTx})
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
				id, err := parseOrderID(args[0])
				if err != nil {
					return err
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

// parseOrderID reads an order ID; orders are numbered from 1.
func parseOrderID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, usageErrorf("order ID %q: want a number from 1", s)
	}
	return id, nil
}
