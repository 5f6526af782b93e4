package market_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/gateway/market"
	"github.com/hearth-home/hearth/internal/merkle"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/containerd"
	"github.com/hearth-home/hearth/sandbox/wasm"
	"github.com/hearth-home/hearth/store"
)

var vanityWasm []byte

func TestMain(m *testing.M) {
	// The test binary is the task init of TestOCIPlatforms's containers.
	containerd.Reexec()
	dir, err := os.MkdirTemp("", "market-test")
	if err != nil {
		panic(err)
	}
	out := filepath.Join(dir, "vanity.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "../../examples/vanity")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build vanity.wasm: %v\n%s", err, b)
		os.Exit(1)
	}
	vanityWasm, _ = os.ReadFile(out)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var vanityArgs = []string{"-prefix", "fa", "-seed", "hearth", "-shard", "{{index}}", "-shards", "{{tasks}}", "-tries", "5000"}

// rig is a pool (a real gateway and a wasm agent) selling on a dev chain.
type rig struct {
	t        *testing.T
	ctx      context.Context // until the test's cleanup
	chain    *devchain.Chain
	client   *ethclient.Client
	g        *gateway.Gateway
	m        *market.Market
	contract common.Address
	prov     *ecdsa.PrivateKey
	req      *ecdsa.PrivateKey
	abi      *contracts.HearthMarket
}

// flaky is a chain backend whose endpoint can be taken down.
type flaky struct {
	chain.Backend
	down atomic.Bool
}

var errDown = errors.New("connection refused (test: endpoint down)")

func (f *flaky) ChainID(ctx context.Context) (*big.Int, error) {
	if f.down.Load() {
		return nil, errDown
	}
	return f.Backend.ChainID(ctx)
}
func (f *flaky) BlockNumber(ctx context.Context) (uint64, error) {
	if f.down.Load() {
		return 0, errDown
	}
	return f.Backend.BlockNumber(ctx)
}
func (f *flaky) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	if f.down.Load() {
		return nil, errDown
	}
	return f.Backend.HeaderByNumber(ctx, n)
}
func (f *flaky) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	if f.down.Load() {
		return nil, errDown
	}
	return f.Backend.FilterLogs(ctx, q)
}
func (f *flaky) CallContract(ctx context.Context, msg ethereum.CallMsg, n *big.Int) ([]byte, error) {
	if f.down.Load() {
		return nil, errDown
	}
	return f.Backend.CallContract(ctx, msg, n)
}
func (f *flaky) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if f.down.Load() {
		return errDown
	}
	return f.Backend.SendTransaction(ctx, tx)
}
func (f *flaky) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	if f.down.Load() {
		return nil, errDown
	}
	return f.Backend.TransactionReceipt(ctx, h)
}
func (f *flaky) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	if f.down.Load() {
		return 0, errDown
	}
	return f.Backend.EstimateGas(ctx, msg)
}
func (f *flaky) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	if f.down.Load() {
		return 0, errDown
	}
	return f.Backend.PendingNonceAt(ctx, a)
}

func newRig(t *testing.T, cfg market.Config, wrap func(chain.Backend) chain.Backend) *rig {
	t.Helper()
	return newRigPool(t, cfg, wrap, nil)
}

// newRigPool is newRig whose market sees the gateway through pool, when
// it is not nil.
func newRigPool(t *testing.T, cfg market.Config, wrap func(chain.Backend) chain.Backend, pool func(*gateway.Gateway) market.Pool) *rig {
	t.Helper()
	r := &rig{t: t, prov: devchain.DevKey("provider"), req: devchain.DevKey("requester"), abi: contracts.NewHearthMarket()}
	var err error
	r.chain, err = devchain.Start(devchain.Options{Addr: "127.0.0.1:0", BlockInterval: 50 * time.Millisecond,
		Alloc: devchain.DevAlloc(devchain.DevAddress("provider"), devchain.DevAddress("requester"))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.chain.Close() })
	r.dial()
	r.contract, _, err = contracts.Deploy(context.Background(), r.client, r.client, r.prov, r.chain.ChainID(), big.NewInt(params.Ether))
	if err != nil {
		t.Fatal(err)
	}
	r.startMarket(cfg, func(*store.DB) chain.Backend {
		var backend chain.Backend = r.client
		if wrap != nil {
			backend = wrap(backend)
		}
		return backend
	}, pool)
	return r
}

// dial connects the rig's own client (the requester's, and the tests'
// view of the truth) to its chain.
func (r *rig) dial() {
	var err error
	if r.client, err = ethclient.Dial(r.chain.URL()); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(r.client.Close)
}

// startMarket starts a gateway with a wasm agent and a market on the
// backend that backend gives for the gateway's store.
func (r *rig) startMarket(cfg market.Config, backend func(*store.DB) chain.Backend, pool func(*gateway.Gateway) market.Pool) {
	t := r.t
	var err error
	ctx := context.Background()
	r.g, err = gateway.New(gateway.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0", Heartbeat: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Contract = r.contract
	cfg.Endpoint = "https://" + r.g.Addr().String() + "#" + r.g.NodeID()
	cfg.Confirmations = chain.NoConfirmations
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	if cfg.SettleAge == 0 {
		cfg.SettleAge = 200 * time.Millisecond
	}
	if cfg.MinLead == 0 {
		cfg.MinLead = 10 * time.Second
	}
	var p market.Pool = r.g
	if pool != nil {
		p = pool(r.g)
	}
	r.m, err = market.New(ctx, cfg, p, r.g.DB(), backend(r.g.DB()), r.prov)
	if err != nil {
		t.Fatal(err)
	}
	r.g.Mount("/v1/market/", r.m.Handler())
	gctx, cancel := context.WithCancel(ctx)
	r.ctx = gctx
	gdone, mdone := make(chan error, 1), make(chan error, 1)
	go func() { gdone <- r.g.Run(gctx) }()
	go func() { mdone <- r.m.Run(gctx) }()
	t.Cleanup(func() {
		cancel()
		<-mdone
		<-gdone
	})
	rt, err := wasm.New(wasm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	r.startAgent("market-agent", rt)
}

// startAgent joins an agent running rts to the pool until the test ends.
func (r *rig) startAgent(name string, rts ...sandbox.Runtime) {
	a, err := agent.New(agent.Config{DataDir: r.t.TempDir(), Name: name, Gateway: r.g.Addr().String(),
		JoinToken: r.g.JoinToken().String(), Runtimes: rts, Slots: 2})
	if err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	r.t.Cleanup(func() {
		cancel()
		<-done
	})
}

// send signs and sends a call to the contract and waits for its receipt;
// a call the contract refuses returns the estimate's error.
func (r *rig) send(key *ecdsa.PrivateKey, data []byte, value *big.Int) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	from := crypto.PubkeyToAddress(key.PublicKey)
	if value == nil {
		value = new(big.Int)
	}
	gas, err := r.client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &r.contract, Data: data, Value: value})
	if err != nil {
		return nil, err
	}
	nonce, err := r.client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, err
	}
	head, err := r.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	tip := big.NewInt(params.GWei)
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(r.chain.ChainID()), &types.DynamicFeeTx{
		ChainID: r.chain.ChainID(), Nonce: nonce, GasTipCap: tip, GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
		Gas: gas * 12 / 10, To: &r.contract, Value: value, Data: data})
	if err := r.client.SendTransaction(ctx, tx); err != nil {
		return nil, err
	}
	for {
		rc, err := r.client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			return rc, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

type order struct {
	price    int64
	tasks    int
	runtime  uint8
	app      []byte
	appURI   string
	args     []string
	deadline time.Duration
	// replicas and quorum, when set, post a replicated order.
	replicas, quorum uint8
}

// post deposits what the order needs, uploads its app to the provider and
// posts it; it returns the order's ID.
func (r *rig) post(o order) uint64 {
	r.t.Helper()
	if o.app == nil {
		o.app = vanityWasm
	}
	if o.deadline == 0 {
		o.deadline = time.Hour
	}
	if o.args == nil {
		o.args = vanityArgs
	}
	need := big.NewInt(o.price * int64(o.tasks) * int64(max(o.replicas, 1)))
	if need.Sign() > 0 {
		if _, err := r.send(r.req, r.abi.PackDeposit(), need); err != nil {
			r.t.Fatal(err)
		}
	}
	digest := sha256.Sum256(o.app)
	if o.appURI == "" {
		if _, err := r.g.Blobs().PutBytes(o.app); err != nil {
			r.t.Fatal(err)
		}
	}
	data := r.abi.PackPostOrder(common.Address{}, digest, o.appURI, o.runtime, nil, o.args,
		big.NewInt(int64(o.tasks)), big.NewInt(o.price), big.NewInt(time.Now().Add(o.deadline).Unix()))
	if o.replicas > 0 {
		data = r.abi.PackPostReplicatedOrder(digest, o.appURI, o.runtime, nil, o.args,
			big.NewInt(int64(o.tasks)), big.NewInt(o.price), big.NewInt(time.Now().Add(o.deadline).Unix()), o.replicas, o.quorum)
	}
	rc, err := r.send(r.req, data, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, l := range rc.Logs {
		if ev, err := r.abi.UnpackOrderPostedEvent(l); err == nil {
			return ev.Id.Uint64()
		}
	}
	r.t.Fatal("no OrderPosted event")
	return 0
}

// wait waits until the provider has order id in a final state.
func (r *rig) wait(id uint64, within time.Duration) api.MarketOrder {
	r.t.Helper()
	return r.waitFor(id, "final", within, func(o api.MarketOrder) bool { return o.State.Final() })
}

// waitFor waits until the provider's view of order id satisfies ok, which
// what says.
func (r *rig) waitFor(id uint64, what string, within time.Duration, ok func(api.MarketOrder) bool) api.MarketOrder {
	r.t.Helper()
	deadline := time.Now().Add(within)
	var last api.MarketOrder
	for time.Now().Before(deadline) {
		o, err := r.m.Order(id)
		if err == nil {
			last = o
			if ok(o) {
				return o
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.t.Fatalf("order %d not %s within %s: %+v", id, what, within, last)
	return last
}

func (r *rig) onChain(id uint64) contracts.HearthMarketOrder {
	r.t.Helper()
	out, err := r.client.CallContract(context.Background(), ethereum.CallMsg{To: &r.contract, Data: r.abi.PackGetOrder(new(big.Int).SetUint64(id))}, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	o, err := r.abi.UnpackGetOrder(out)
	if err != nil {
		r.t.Fatal(err)
	}
	return o
}

func (r *rig) balance(a common.Address) *big.Int {
	r.t.Helper()
	out, err := r.client.CallContract(context.Background(), ethereum.CallMsg{To: &r.contract, Data: r.abi.PackBalanceOf(a)}, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	b, err := r.abi.UnpackBalanceOf(out)
	if err != nil {
		r.t.Fatal(err)
	}
	return b
}

// An order is seen, accepted within two blocks, run by the pool, and
// settled with the Merkle root of its tasks' results; the provider is paid
// for them and the requester's results prove against the root.
func TestOrderRunsAndSettles(t *testing.T) {
	r := newRig(t, market.Config{}, nil)
	id := r.post(order{price: 1000, tasks: 4})
	o := r.wait(id, 60*time.Second)
	if o.State != api.OrderSettled {
		t.Fatalf("order %d: %s (%s), want settled", id, o.State, o.Reason)
	}
	if blocks := o.AcceptedBlock - o.PostedBlock; blocks > 2 || o.AcceptedBlock == 0 {
		t.Errorf("accepted in block %d, posted in %d: want at most 2 blocks", o.AcceptedBlock, o.PostedBlock)
	}
	c := r.onChain(id)
	if c.Status != contracts.StatusSettled || c.TasksDone.Int64() != 4 {
		t.Fatalf("on chain: status %d, %d tasks done; want settled, 4", c.Status, c.TasksDone.Int64())
	}
	d, err := r.g.Job(o.Job)
	if err != nil {
		t.Fatal(err)
	}
	digests := make([]string, 4)
	for _, task := range d.Tasks {
		if task.State != api.TaskDone {
			t.Fatalf("task %d: %s", task.Index, task.State)
		}
		digests[task.Index] = task.Result.Digest
	}
	if root := merkle.Root(merkle.OrderLeaves(id, digests)); root != c.ResultRoot {
		t.Fatalf("root on chain %x, from the job's results %x", c.ResultRoot, root)
	}
	if got := r.balance(devchain.DevAddress("provider")); got.Int64() != 4000 {
		t.Errorf("provider earned %s wei, want 4000", got)
	}
	if got := r.balance(devchain.DevAddress("requester")); got.Sign() != 0 {
		t.Errorf("requester's escrow after paying for every task: %s, want 0", got)
	}

	// The requester, and only it, reads the results with their proofs.
	mc, err := api.NewMarketClient("https://" + r.g.Addr().String() + "#" + r.g.NodeID())
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	ctx := context.Background()
	auth := sign(t, r.req, r.chain.ChainID(), r.contract, id, time.Now())
	res, err := mc.Results(ctx, id, auth)
	if err != nil {
		t.Fatal(err)
	}
	for i, task := range res.Tasks {
		proof := make([]merkle.Hash, len(res.Proofs[task.Index]))
		for j, h := range res.Proofs[task.Index] {
			copy(proof[j][:], common.FromHex(h))
		}
		leaf := merkle.Leaf(new(big.Int).SetUint64(id), uint64(task.Index), merkle.DigestBytes(task.Result.Digest))
		if err := merkle.Verify(c.ResultRoot, leaf, task.Index, 4, proof); err != nil {
			t.Errorf("task %d (%d): %v", task.Index, i, err)
		}
	}
	stranger, _ := crypto.GenerateKey()
	if _, err := mc.Results(ctx, id, sign(t, stranger, r.chain.ChainID(), r.contract, id, time.Now())); !errors.Is(err, api.ErrUnauthorized) {
		t.Errorf("a stranger's results call: %v, want unauthorized", err)
	}
	if _, err := mc.Results(ctx, id, sign(t, r.req, r.chain.ChainID(), r.contract, id, time.Now().Add(-time.Hour))); !errors.Is(err, api.ErrUnauthorized) {
		t.Errorf("an old signature: %v, want unauthorized", err)
	}
	var out strings.Builder
	if task := res.Tasks[0]; task.Result.Output.Digest != "" {
		if _, err := mc.Output(id, auth).GetBlob(ctx, task.Result.Output.Digest, &nopWriter{&out}); err != nil {
			t.Errorf("output of task 0: %v", err)
		}
	}
	// The market's metrics, through the gateway's /metrics (the market may
	// set them after the listener started, as a lazy market does).
	r.g.SetMarketMetrics(r.m.Collector())
	rec := httptest.NewRecorder()
	r.g.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{`hearth_market_orders{state="settled"} 1`, `hearth_market_orders{state="refused"} 0`,
		"hearth_market_tasks_settled_total 4", "hearth_market_earned_ether_total 4e-15", "hearth_chain_outbox_pending "} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, rec.Body.String())
		}
	}
}

type nopWriter struct{ b *strings.Builder }

func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }

func sign(t *testing.T, key *ecdsa.PrivateKey, chainID *big.Int, contract common.Address, id uint64, at time.Time) string {
	t.Helper()
	msg := api.ResultsAuthMessage(chainID.String(), contract.Hex(), id, at.Unix())
	sig, err := crypto.Sign(textHash(msg), key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return fmt.Sprintf("%d.%x", at.Unix(), sig)
}

func textHash(msg string) []byte {
	return crypto.Keccak256([]byte(fmt.Sprintf("\x19Ethereum Signed Message:\n%d%s", len(msg), msg)))
}

// refusal is an order the market must refuse, and a part of the reason.
type refusal struct {
	name string
	o    order
	want string
}

// expectRefused posts each order and checks that it ends refused, with want
// in its reason, and stays open on chain for its requester to reclaim.
func (r *rig) expectRefused(t *testing.T, cases []refusal) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r.t = t
			id := r.post(c.o)
			o := r.wait(id, 30*time.Second)
			if o.State != api.OrderRefused || !strings.Contains(o.Reason, c.want) {
				t.Fatalf("order %d: %s (%s); want refused: ...%s...", id, o.State, o.Reason, c.want)
			}
			if s := r.onChain(id).Status; s != contracts.StatusOpen {
				t.Errorf("on chain: status %d, want still open (reclaimable by its requester)", s)
			}
		})
	}
	r.t = t
}

// Orders the policy refuses end refused, with the reason in their state;
// their escrow stays the requester's to reclaim.
func TestRefusals(t *testing.T) {
	other := []byte("not the app the order names")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(other) }))
	defer srv.Close()
	r := newRig(t, market.Config{MinPricePerTask: big.NewInt(100), Runtimes: []string{"wasm"}, MinLead: time.Minute}, nil)
	cases := []refusal{
		{"price below policy", order{price: 99, tasks: 2}, "price below policy"},
		{"expired", order{price: 100, tasks: 1, deadline: 20 * time.Second}, "expired"},
		{"digest mismatch", order{price: 100, tasks: 1, app: []byte("the real app"), appURI: srv.URL + "/app.wasm"}, "app digest mismatch"},
		{"runtime not sold", order{price: 100, tasks: 1, runtime: contracts.RuntimeOCI}, "runtime oci is not sold"},
		// A replicated order's seat risks its whole pay for one seat (2
		// Ether here) from the stake (1 Ether).
		{"seat above stake", order{price: 2 * params.Ether, tasks: 1, replicas: 2, quorum: 2}, "this provider's stake is 1000000000000000000 wei"},
	}
	r.expectRefused(t, cases)
	// Escrow short of tasks x price: the contract refuses the order.
	r.t = t
	digest := sha256.Sum256(vanityWasm)
	_, err := r.send(r.req, r.abi.PackPostOrder(common.Address{}, digest, "", 0, nil, nil, big.NewInt(10),
		big.NewInt(1_000_000), big.NewInt(time.Now().Add(time.Hour).Unix())), nil)
	data, ok := ethclient.RevertErrorData(err)
	if !ok {
		t.Fatalf("posting without escrow: %v, want a revert", err)
	}
	e, uerr := r.abi.UnpackError(data)
	if ie, ok := e.(*contracts.HearthMarketInsufficientEscrow); uerr != nil || !ok || ie.Needed.Int64() != 10_000_000 {
		t.Fatalf("posting without escrow: %T %+v (%v), want InsufficientEscrow needing 10000000", e, e, uerr)
	}
}

// With the chain's endpoint down the pool keeps running jobs; the order
// posted meanwhile is taken and settled when the endpoint is back.
func TestChainDown(t *testing.T) {
	var f *flaky
	r := newRig(t, market.Config{}, func(b chain.Backend) chain.Backend { f = &flaky{Backend: b}; return f })
	// Registered first (the provider's registration is a transaction too).
	deadline := time.Now().Add(20 * time.Second)
	for r.onChainProvider() == false {
		if time.Now().After(deadline) {
			t.Fatal("provider not registered")
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.down.Store(true)
	id := r.post(order{price: 10, tasks: 2})
	if _, err := r.g.Blobs().PutBytes(vanityWasm); err != nil {
		t.Fatal(err)
	}
	j, err := r.g.SubmitJob(api.JobSpec{Name: "local", Runtime: "wasm", AppDigest: string(store.DigestOf(vanityWasm)),
		Args: vanityArgs, Tasks: 2})
	if err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		d, err := r.g.Job(j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.State == api.JobDone {
			break
		}
		if time.Since(start) > 60*time.Second {
			t.Fatalf("the pool's own job did not finish with the chain down: %+v", d.Counts)
		}
	}
	if o, err := r.m.Order(id); err == nil {
		t.Fatalf("order %d seen with the endpoint down: %+v", id, o)
	}
	f.down.Store(false)
	if o := r.wait(id, 60*time.Second); o.State != api.OrderSettled {
		t.Fatalf("order %d after the endpoint came back: %s (%s)", id, o.State, o.Reason)
	}
	if s := r.onChain(id).Status; s != contracts.StatusSettled {
		t.Fatalf("on chain: %d, want settled", s)
	}
}

func (r *rig) onChainProvider() bool {
	out, err := r.client.CallContract(context.Background(), ethereum.CallMsg{To: &r.contract, Data: r.abi.PackProviders(crypto.PubkeyToAddress(r.prov.PublicKey))}, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	p, err := r.abi.UnpackProviders(out)
	return err == nil && p.Active
}

// With Config.Certify, an order's job is certified in the pool: each task
// is settled only once two devices agree on it.
func TestCertifiedOrder(t *testing.T) {
	r := newRig(t, market.Config{Certify: &api.CertifySpec{Trust: 0.9, MinReplicas: 2}}, nil)
	rt, err := wasm.New(wasm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	r.startAgent("second-agent", rt)
	id := r.post(order{price: 1000, tasks: 3})
	o := r.wait(id, 90*time.Second)
	if o.State != api.OrderSettled {
		t.Fatalf("order %d: %s (%s), want settled", id, o.State, o.Reason)
	}
	d, err := r.g.Job(o.Job)
	if err != nil {
		t.Fatal(err)
	}
	if d.Spec.Certify == nil {
		t.Fatal("the order's job is not certified")
	}
	for _, task := range d.Tasks {
		agree := map[string]bool{}
		for _, rep := range task.Replicas {
			if rep.Vote == "agrees" {
				agree[rep.Node] = true
			}
		}
		if task.State != api.TaskDone || task.Certification == nil || task.Certification.How != "quorum" || len(agree) < 2 {
			t.Fatalf("task %d: %s %+v %+v", task.Index, task.State, task.Certification, task.Replicas)
		}
	}
	if c := r.onChain(id); c.Status != contracts.StatusSettled || c.TasksDone.Int64() != 3 {
		t.Fatalf("on chain: status %d, %d done", c.Status, c.TasksDone.Int64())
	}
}
