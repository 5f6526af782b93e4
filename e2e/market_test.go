package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/hearthtest/gethtest"
)

// The market tests run the built binaries against a real `geth --dev` node
// over JSON-RPC, as an owner would run them against a test network: keys in
// keystore files, the contract deployed with the CLI, a gateway that is not
// --dev and an agent that joins it. Everything listens on 127.0.0.1.

// marketPassphrase unlocks the tests' keystore files.
const marketPassphrase = "hearth e2e market passphrase"

// marketVanityArgs is the order's --args: shards of a vanity search that
// finish in well under a second each.
const marketVanityArgs = "-prefix fa -seed hearth -shard {{index}} -shards {{tasks}} -tries 5000"

// TestMarketOnRealGeth is `hearth-gateway --dev`'s market story against a
// real geth: the requester deposits, posts an order for 3 tasks at 1000
// gwei each and waits for it; the provider's pool runs and settles it; the
// results verify against the root on chain and the provider earned 3 x 1000
// gwei.
func TestMarketOnRealGeth(t *testing.T) {
	r := newMarketRig(t)
	contract, block := r.deploy(t)
	gw := r.newGateway(t, contract, block, "127.0.0.1:0")
	gw.start(t)
	r.startAgent(t, gw)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	info := gw.waitRegistered(ctx, t)
	// --listen 127.0.0.1:0: the endpoint on chain has the port bound.
	if want := "https://" + gw.addr + "#"; !strings.HasPrefix(info.ProviderEndpoint, want) {
		t.Fatalf("the provider's endpoint on chain is %q, want it to start with %q", info.ProviderEndpoint, want)
	}

	if out, err := gw.cli(ctx, "market", "deposit", "1eth"); err != nil {
		t.Fatalf("hearth market deposit: %v\n%s", err, out)
	}
	out, err := gw.cli(ctx, "market", "order", "post", "--app", r.app, "--tasks", "3", "--price-per-task", "1000gwei",
		"--args", marketVanityArgs, "--wait", "-o", "json")
	if err != nil {
		t.Fatalf("hearth market order post --wait: %v\n%s", err, out)
	}
	var posted marketOrderView
	if err := json.Unmarshal([]byte(out), &posted); err != nil {
		t.Fatalf("hearth market order post -o json: %v\n%s", err, out)
	}
	if posted.Chain.Status != "settled" || posted.Chain.Tasks != 3 || posted.Chain.TasksDone != 3 {
		t.Fatalf("order after --wait: %+v", posted.Chain)
	}
	id := strconv.FormatUint(posted.Chain.ID, 10)

	dir := filepath.Join(t.TempDir(), "results")
	out, err = gw.cli(ctx, "market", "results", id, "--out", dir)
	if err != nil || !strings.Contains(out, "3 of 3 tasks done, every result proven against the root "+posted.Chain.ResultRoot) {
		t.Fatalf("hearth market results %s: %v\n%s", id, err, out)
	}
	for i := range 3 {
		if _, err := os.Stat(filepath.Join(dir, strconv.Itoa(i), "stdout")); err != nil {
			t.Errorf("results of task %d: %v", i, err)
		}
	}

	got := gw.waitOrder(ctx, t, id)
	if got.Chain.Status != "settled" || got.Chain.TasksDone != 3 || got.Chain.ResultRoot != posted.Chain.ResultRoot ||
		got.Chain.Provider != r.provider.addr.Hex() {
		t.Errorf("hearth market order get %s: %+v", id, got.Chain)
	}
	if p := got.Provider; p == nil || p.State != api.OrderSettled || p.TasksDone != 3 || p.SettleTx == "" {
		t.Errorf("the provider's view of order %s: %+v (%s)", id, p, got.ProviderError)
	}

	info = gw.marketInfo(ctx, t)
	earned := new(big.Int).Mul(big.NewInt(3), big.NewInt(1000e9))
	if info.Provider != r.provider.addr.Hex() || info.ProviderBalance != earned.String() {
		t.Errorf("hearth market info: provider %s earned %s wei, want %s and 3 x 1000 gwei = %s", info.Provider, info.ProviderBalance,
			r.provider.addr.Hex(), earned)
	}
	gw.noFailedSteps(t)
}

// marketCrashPoints are the points of accepting and settling where the
// gateway kills itself with $HEARTH_TEST_CRASH_AT (gateway/market's
// crashPoint).
var marketCrashPoints = []string{"accept-recorded", "accept-enqueued", "accept-mined", "job-submitted",
	"settle-recorded", "settle-enqueued", "settle-mined"}

// TestMarketSurvivesGatewayKill kills the gateway with SIGKILL at each step
// of an order's life (a power cut) and restarts it on the same data dir: the
// order is accepted once, run once and settled once, with no transaction of
// the provider's reverted, and its results verify.
func TestMarketSurvivesGatewayKill(t *testing.T) {
	r := newMarketRig(t)
	for _, point := range marketCrashPoints {
		t.Run(point, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
			defer cancel()
			client := r.node.Client()
			from, err := client.BlockNumber(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// A contract of its own: no order of an earlier subtest is seen.
			contract, block := r.deploy(t)
			// The port stays across the restart, as a real gateway's does:
			// the agent and the endpoint on chain name it.
			gw := r.newGateway(t, contract, block, net.JoinHostPort("127.0.0.1", strconv.Itoa(marketFreePort(t))))
			gw.start(t, "HEARTH_TEST_CRASH_AT="+point)
			r.startAgent(t, gw)
			gw.waitRegistered(ctx, t)
			if out, err := gw.cli(ctx, "market", "deposit", "0.01eth"); err != nil {
				t.Fatalf("hearth market deposit: %v\n%s", err, out)
			}
			out, err := gw.cli(ctx, "market", "order", "post", "--app", r.app, "--tasks", "2", "--price-per-task", "1000gwei",
				"--args", marketVanityArgs, "-o", "json")
			if err != nil {
				t.Fatalf("hearth market order post: %v\n%s", err, out)
			}
			var posted struct {
				ID uint64 `json:"id"`
			}
			if err := json.Unmarshal([]byte(out), &posted); err != nil || posted.ID == 0 {
				t.Fatalf("hearth market order post -o json: %v\n%s", err, out)
			}
			id := strconv.FormatUint(posted.ID, 10)

			st := gw.proc.waitExit(90 * time.Second)
			if st == nil {
				t.Fatalf("the gateway did not reach %s within 90 s", point)
			}
			if ws, ok := st.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("the gateway ended with %v, want killed by SIGKILL at %s", st, point)
			}
			t.Logf("gateway killed at %s; restarting it", point)
			gw.start(t)

			o := gw.waitOrder(ctx, t, id)
			if o.Chain.Status != "settled" || o.Chain.TasksDone != 2 || o.Provider == nil || o.Provider.TasksDone != 2 {
				t.Errorf("order %s: chain %+v, provider %+v", id, o.Chain, o.Provider)
			}
			// A few more blocks: room for a second acceptance or settlement,
			// if the restarted gateway were to send one.
			r.waitBlocks(ctx, t, 3)

			head, err := client.BlockNumber(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range []string{"OrderAccepted", "OrderSettled"} {
				if n := r.countEvents(ctx, t, contract, block, ev, posted.ID); n != 1 {
					t.Errorf("%d %s events for order %s, want exactly 1", n, ev, id)
				}
			}
			if c := r.chainOrder(ctx, t, contract, posted.ID); c.Status != contracts.StatusSettled || c.TasksDone.Int64() != 2 {
				t.Errorf("order %s on chain: %s with %v tasks done, want settled with 2", id, contracts.StatusName(c.Status), c.TasksDone)
			}
			r.checkProviderTxs(ctx, t, from+1, head, r.provider.addr)
			if jobs := gw.jobsNamed(ctx, t, "market-"+id); len(jobs) != 1 || jobs[0].State != api.JobDone {
				t.Errorf("pool jobs of order %s: %+v, want one, done", id, jobs)
			}
			dir := filepath.Join(t.TempDir(), "results")
			out, err = gw.cli(ctx, "market", "results", id, "--out", dir)
			if err != nil || !strings.Contains(out, "2 of 2 tasks done, every result proven against the root") {
				t.Errorf("hearth market results %s: %v\n%s", id, err, out)
			}
			gw.noFailedSteps(t)
		})
	}
}

// ---- the rig: a geth node, the keys, the app ----

type marketKey struct {
	path string
	addr common.Address
}

// marketRig is what the market tests share: a geth --dev node with the
// provider's and the requester's keys funded, an environment for the
// binaries, and the vanity app.
type marketRig struct {
	node                *gethtest.Node
	env                 []string
	provider, requester marketKey
	app                 string
}

func newMarketRig(t *testing.T) *marketRig {
	t.Helper()
	if testing.Short() {
		t.Skip("runs geth and the built binaries; skipped in -short mode")
	}
	for _, b := range []string{"hearth", "hearth-gateway", "hearth-agent"} {
		if _, err := os.Stat(filepath.Join(root, "bin", b)); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("binaries not built: `make test` builds them")
			}
			t.Skip("run `make build` first")
		}
	}
	home := t.TempDir()
	r := &marketRig{env: append(os.Environ(), "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"),
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"), "HEARTH_CHAIN_PASSPHRASE="+marketPassphrase)}
	for name, k := range map[string]*marketKey{"provider": &r.provider, "requester": &r.requester} {
		k.path = filepath.Join(home, name+".json")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		out, err := r.hearth(ctx, "market", "key", "new", "--out", k.path, "--light")
		cancel()
		if a := strings.TrimSpace(out); err != nil || !common.IsHexAddress(a) {
			t.Fatalf("hearth market key new: %v\n%s", err, out)
		}
		k.addr = common.HexToAddress(strings.TrimSpace(out))
	}
	r.app = marketVanityWasm(t)
	r.node = gethtest.Start(t, gethtest.Options{Fund: []common.Address{r.provider.addr, r.requester.addr}, Period: 1})
	return r
}

// marketVanityWasm is examples/vanity/vanity.wasm (`make build` makes it),
// else one built for the test.
func marketVanityWasm(t *testing.T) string {
	t.Helper()
	app := filepath.Join(root, "examples/vanity/vanity.wasm")
	if _, err := os.Stat(app); err == nil {
		return app
	}
	app = filepath.Join(t.TempDir(), "vanity.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", app, "./examples/vanity")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build vanity.wasm: %v\n%s", err, out)
	}
	return app
}

// hearth runs the CLI and returns its stdout; its stderr is in the error.
func (r *marketRig) hearth(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(root, "bin", "hearth"), args...)
	cmd.Env = r.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("hearth %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

var marketDeployedIn = regexp.MustCompile(`deployed in block (\d+)`)

// deploy deploys a HearthMarket contract from the provider's key with the
// CLI and returns its address and block.
func (r *marketRig) deploy(t *testing.T) (string, uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, "bin", "hearth"), "market", "deploy",
		"--rpc", r.node.URL, "--key", r.provider.path, "--min-stake", "0.1eth")
	cmd.Env = r.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	addr := strings.TrimSpace(string(out))
	m := marketDeployedIn.FindStringSubmatch(stderr.String())
	if err != nil || !common.IsHexAddress(addr) || m == nil {
		t.Fatalf("hearth market deploy: %v\n%s%s", err, out, stderr.String())
	}
	block, _ := strconv.ParseUint(m[1], 10, 64)
	return addr, block
}

// startAgent starts an agent that joins gw with its token; it is stopped
// when the test ends. It outlives the gateway's restarts.
func (r *marketRig) startAgent(t *testing.T, gw *marketGateway) {
	t.Helper()
	p := &marketProc{name: "agent", log: filepath.Join(t.TempDir(), "agent.log"), env: r.env,
		bin: filepath.Join(root, "bin", "hearth-agent"),
		args: []string{"--data-dir", t.TempDir(), "--name", "market-agent", "--join", gw.addr, "--token", gw.token,
			"--local-api", "off", "--containerd", "off", "--power-off", "--iface", "lo", "--slots", "2"}}
	p.start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		var ms []api.Member
		out, err := gw.admin(ctx, "pool", "ls", "-o", "json")
		if err == nil && json.Unmarshal([]byte(out), &ms) == nil && len(ms) == 1 && ms[0].State == api.MemberReady {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the agent is not a ready member within 30 s: %v\n%s", err, out)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// waitBlocks waits until the chain has n more blocks.
func (r *marketRig) waitBlocks(ctx context.Context, t *testing.T, n uint64) {
	t.Helper()
	start, err := r.node.Client().BlockNumber(ctx)
	for err == nil {
		var now uint64
		if now, err = r.node.Client().BlockNumber(ctx); err == nil && now >= start+n {
			return
		}
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("waiting for %d blocks: %v", n, err)
}

// countEvents counts the contract's events of a kind for order id.
func (r *marketRig) countEvents(ctx context.Context, t *testing.T, contract string, from uint64, event string, id uint64) int {
	t.Helper()
	ev, ok := contracts.NewHearthMarket().GetABI().Events[event]
	if !ok {
		t.Fatalf("no event %s in the contract's ABI", event)
	}
	logs, err := r.node.Client().FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), Addresses: []common.Address{common.HexToAddress(contract)},
		Topics: [][]common.Hash{{ev.ID}, {common.BigToHash(new(big.Int).SetUint64(id))}},
	})
	if err != nil {
		t.Fatalf("eth_getLogs %s: %v", event, err)
	}
	n := 0
	for _, l := range logs {
		if !l.Removed {
			n++
		}
	}
	return n
}

// chainOrder reads order id from the contract.
func (r *marketRig) chainOrder(ctx context.Context, t *testing.T, contract string, id uint64) contracts.HearthMarketOrder {
	t.Helper()
	abi := contracts.NewHearthMarket()
	to := common.HexToAddress(contract)
	out, err := r.node.Client().CallContract(ctx, ethereum.CallMsg{To: &to, Data: abi.PackGetOrder(new(big.Int).SetUint64(id))}, nil)
	if err != nil {
		t.Fatalf("getOrder(%d): %v", id, err)
	}
	o, err := abi.UnpackGetOrder(out)
	if err != nil {
		t.Fatalf("getOrder(%d): %v", id, err)
	}
	return o
}

// checkProviderTxs fails the test for each transaction from provider
// address addr in blocks from..to whose receipt is not successful.
func (r *marketRig) checkProviderTxs(ctx context.Context, t *testing.T, from, to uint64, addr common.Address) {
	t.Helper()
	client := r.node.Client()
	id, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	signer := types.LatestSignerForChainID(id)
	sent := 0
	for n := from; n <= to; n++ {
		b, err := client.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
		for _, tx := range b.Transactions() {
			if from, err := types.Sender(signer, tx); err != nil || from != addr {
				continue
			}
			sent++
			rcpt, err := client.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				t.Fatalf("receipt of %s: %v", tx.Hash().Hex(), err)
			}
			if rcpt.Status != types.ReceiptStatusSuccessful {
				t.Errorf("the provider's transaction %s (nonce %d) in block %d reverted", tx.Hash().Hex(), tx.Nonce(), n)
			}
		}
	}
	t.Logf("blocks %d..%d: %d transactions from the provider, none reverted", from, to, sent)
}

// ---- the gateway ----

// marketGateway is a hearth-gateway selling on the rig's chain, from its
// own data dir; start starts it again after it stopped.
type marketGateway struct {
	r     *marketRig
	dir   string
	proc  *marketProc
	addr  string // host:port of its API
	token string // join token
}

func (r *marketRig) newGateway(t *testing.T, contract string, fromBlock uint64, listen string) *marketGateway {
	return r.newGatewayWithKey(t, contract, fromBlock, listen, r.provider.path)
}

// newGatewayWithKey is newGateway selling as the provider whose keystore
// file is key.
func (r *marketRig) newGatewayWithKey(t *testing.T, contract string, fromBlock uint64, listen, key string) *marketGateway {
	dir := t.TempDir()
	// geth --dev has no beacon chain to follow: the gateway reads it in
	// trusted mode, pinned (verified mode is tested offline against a fake
	// beacon: hearthtest/lightchain).
	genesis, err := r.node.Client().HeaderByNumber(context.Background(), big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	id, err := r.node.Client().ChainID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &marketGateway{r: r, dir: dir, proc: &marketProc{name: "gateway", log: filepath.Join(t.TempDir(), "gateway.log"),
		env: r.env, bin: filepath.Join(root, "bin", "hearth-gateway"),
		args: []string{"--data-dir", dir, "--listen", listen, "--no-mdns",
			"--chain-mode", "trusted", "--chain-id", id.String(), "--chain-genesis", genesis.Hash().Hex(),
			"--chain-rpc", r.node.URL, "--chain-key", key, "--market-contract", contract,
			"--chain-from-block", strconv.FormatUint(fromBlock, 10), "--chain-confirmations", "1",
			"--market-settle-age", "1s"}}}
}

var marketJoinToken = regexp.MustCompile(`msg="gateway ready" .*join_token=(\S+)`)

// start starts the gateway with extraEnv and waits until it serves.
func (g *marketGateway) start(t *testing.T, extraEnv ...string) {
	t.Helper()
	g.proc.extraEnv = extraEnv
	off := g.proc.start(t)
	m := g.proc.waitLog(t, off, marketJoinToken, 30*time.Second)
	creds, err := api.LoadCredentials(filepath.Join(g.dir, "credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	if g.addr != "" && (g.addr != creds.Gateway || g.token != m[1]) {
		t.Fatalf("the restarted gateway is at %s with token %s, was %s with %s", creds.Gateway, m[1], g.addr, g.token)
	}
	g.addr, g.token = creds.Gateway, m[1]
}

// cli runs a market command as the requester, with the gateway's market
// file.
func (g *marketGateway) cli(ctx context.Context, args ...string) (string, error) {
	return g.r.hearth(ctx, append(args, "--rpc", g.r.node.URL, "--key", g.r.requester.path,
		"--market", filepath.Join(g.dir, api.MarketFileName))...)
}

// admin runs a pool command as the gateway's owner.
func (g *marketGateway) admin(ctx context.Context, args ...string) (string, error) {
	return g.r.hearth(ctx, append(args, "--credentials", filepath.Join(g.dir, "credentials.json"))...)
}

// marketInfoView is what `hearth market info -o json` prints.
type marketInfoView struct {
	Contract         string `json:"contract"`
	Provider         string `json:"provider"`
	ProviderActive   bool   `json:"provider_active"`
	ProviderEndpoint string `json:"provider_endpoint"`
	ProviderBalance  string `json:"provider_balance_wei"`
	AccountEscrow    string `json:"account_escrow_wei"`
}

// marketOrderView is what `hearth market order get -o json` prints.
type marketOrderView struct {
	Chain struct {
		ID         uint64 `json:"id"`
		Status     string `json:"status"`
		Provider   string `json:"provider"`
		Tasks      uint64 `json:"tasks"`
		TasksDone  uint64 `json:"tasks_done"`
		ResultRoot string `json:"result_root"`
	} `json:"chain"`
	Provider      *api.MarketOrder `json:"provider"`
	ProviderError string           `json:"provider_error"`
	Replication   *struct {
		Replicas int `json:"replicas"`
		Quorum   int `json:"quorum"`
		Seats    []struct {
			Provider string `json:"provider"`
			State    string `json:"state"`
		} `json:"seats"`
	} `json:"replication"`
}

func (g *marketGateway) marketInfo(ctx context.Context, t *testing.T) marketInfoView {
	t.Helper()
	var info marketInfoView
	out, err := g.cli(ctx, "market", "info", "-o", "json")
	if err == nil {
		err = json.Unmarshal([]byte(out), &info)
	}
	if err != nil {
		t.Fatalf("hearth market info: %v\n%s", err, out)
	}
	return info
}

// waitRegistered waits until the gateway wrote its market file and its
// provider is registered on chain.
func (g *marketGateway) waitRegistered(ctx context.Context, t *testing.T) marketInfoView {
	t.Helper()
	var last string
	for {
		if _, err := os.Stat(filepath.Join(g.dir, api.MarketFileName)); err == nil {
			var info marketInfoView
			out, err := g.cli(ctx, "market", "info", "-o", "json")
			if err == nil && json.Unmarshal([]byte(out), &info) == nil && info.ProviderActive {
				return info
			}
			last = fmt.Sprint(out, err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the gateway's provider is not registered: %v; last info: %s", ctx.Err(), last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// waitOrder polls `hearth market order get` until the order is settled on
// chain and in the provider's view.
func (g *marketGateway) waitOrder(ctx context.Context, t *testing.T, id string) marketOrderView {
	t.Helper()
	var last string
	for {
		var o marketOrderView
		out, err := g.cli(ctx, "market", "order", "get", id, "-o", "json")
		if err == nil && json.Unmarshal([]byte(out), &o) == nil && o.Chain.Status == "settled" &&
			o.Provider != nil && o.Provider.State.Final() {
			return o
		}
		last = fmt.Sprint(out, err)
		select {
		case <-ctx.Done():
			t.Fatalf("order %s is not settled: %v; last seen:\n%s", id, ctx.Err(), last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// jobsNamed lists the gateway's pool jobs of a name.
func (g *marketGateway) jobsNamed(ctx context.Context, t *testing.T, name string) []api.Job {
	t.Helper()
	var jobs []api.Job
	out, err := g.admin(ctx, "job", "ls", "-o", "json")
	if err == nil {
		err = json.Unmarshal([]byte(out), &jobs)
	}
	if err != nil {
		t.Fatalf("hearth job ls: %v\n%s", err, out)
	}
	var named []api.Job
	for _, j := range jobs {
		if j.Spec.Name == name {
			named = append(named, j)
		}
	}
	return named
}

// noFailedSteps fails the test if the gateway's log, over all its runs,
// says an acceptance, a settlement or the registration failed: after a
// crash that is the sign of a step done twice.
func (g *marketGateway) noFailedSteps(t *testing.T) {
	t.Helper()
	log := g.proc.logText()
	for _, bad := range []string{"acceptance failed", "settlement failed", "registration failed"} {
		if strings.Contains(log, bad) {
			t.Errorf("the gateway's log says %q", bad)
		}
	}
}

// ---- processes ----

// marketProc runs a binary with its output in a log file, which is printed
// when the test fails. It is stopped (SIGTERM, then SIGKILL) when the test
// that started it last ends.
type marketProc struct {
	name, log, bin string
	env, extraEnv  []string
	args           []string

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{}
	state  *os.ProcessState
	logged bool // the failure dump is registered
}

// start starts the process and returns the log's size before it.
func (p *marketProc) start(t *testing.T) int64 {
	t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	off := st.Size()
	fmt.Fprintf(f, "### %s %s\n", time.Now().Format(time.TimeOnly), strings.Join(append(p.extraEnv, p.args...), " "))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = append(append([]string{}, p.env...), p.extraEnv...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatal(err)
	}
	done := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.done, p.state = cmd, done, nil
	first := !p.logged
	p.logged = true
	p.mu.Unlock()
	go func() {
		cmd.Wait()
		f.Close()
		p.mu.Lock()
		p.state = cmd.ProcessState
		p.mu.Unlock()
		close(done)
	}()
	if first {
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("--- %s log (%s):\n%s", p.name, p.log, tail(p.logText(), 150))
			}
		})
		t.Cleanup(p.stop) // before the dump: the log is complete
	}
	return off
}

// stop stops the process: SIGTERM, then SIGKILL after 10 s.
func (p *marketProc) stop() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// waitExit waits until the process ends by itself and returns how; nil
// after timeout.
func (p *marketProc) waitExit(timeout time.Duration) *os.ProcessState {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	select {
	case <-done:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.state
	case <-time.After(timeout):
		return nil
	}
}

// exited is how the process ended, nil while it runs.
func (p *marketProc) exited() *os.ProcessState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

func (p *marketProc) logText() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// waitLog waits until the log after off matches re, and returns the match.
func (p *marketProc) waitLog(t *testing.T, off int64, re *regexp.Regexp, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		text := p.logText()
		if int64(len(text)) >= off {
			if m := re.FindStringSubmatch(text[off:]); m != nil {
				return m
			}
		}
		if st := p.exited(); st != nil {
			t.Fatalf("%s exited (%v) before its log said %q", p.name, st, re)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s's log does not say %q after %v", p.name, re, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// marketFreePort is a TCP port on 127.0.0.1 that was free a moment ago.
func marketFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
