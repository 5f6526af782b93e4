package contracts

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
)

// The contract's enums, as the bindings carry them (uint8).
const (
	statusNone uint8 = iota
	statusOpen
	statusAccepted
	statusSettled
	statusReclaimed
	statusDisputed
)

const (
	runtimeWasm uint8 = iota
	runtimeOci
)

var (
	ether    = big.NewInt(params.Ether)
	minStake = ether
	// Every test account starts with this much Ether.
	startFunds = new(big.Int).Mul(big.NewInt(1000), ether)
)

// eth returns tenths/10 Ether in wei: eth(15) is 1.5 Ether.
func eth(tenths int64) *big.Int {
	return new(big.Int).Div(new(big.Int).Mul(big.NewInt(tenths), ether), big.NewInt(10))
}

type account struct {
	name string
	key  *ecdsa.PrivateKey
	addr common.Address
}

// market is a HearthMarket deployed on a fresh simulated chain, with a few
// funded accounts. When its test ends it checks that the contract's books
// balance (see checkBooks).
type market struct {
	t *testing.T
	// ctx outlives the test's own context, which ends before the cleanup
	// that checks the books.
	ctx     context.Context
	sim     *simulated.Backend
	client  simulated.Client
	chainID *big.Int
	abi     *HearthMarket
	c       *bind.BoundContract
	addr    common.Address

	deployer, prov, prov2, req, req2, stranger *account
	all                                        []*account
}

// newMarket deploys a market with a minimum stake of 1 Ether. options go to
// simulated.NewBackend.
func newMarket(t *testing.T, options ...func(*node.Config, *ethconfig.Config)) *market {
	t.Helper()
	m := &market{t: t, ctx: context.Background(), abi: NewHearthMarket()}
	alloc := types.GenesisAlloc{}
	for _, a := range []**account{&m.deployer, &m.prov, &m.prov2, &m.req, &m.req2, &m.stranger} {
		key, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		*a = &account{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
		alloc[(*a).addr] = types.Account{Balance: startFunds}
		m.all = append(m.all, *a)
	}
	m.deployer.name, m.prov.name, m.prov2.name = "deployer", "prov", "prov2"
	m.req.name, m.req2.name, m.stranger.name = "req", "req2", "stranger"

	m.sim = simulated.NewBackend(alloc, options...)
	t.Cleanup(func() { m.sim.Close() })
	m.client = m.sim.Client()
	chainID, err := m.client.ChainID(m.ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.chainID = chainID

	bin := common.FromHex(HearthMarketMetaData.Bin)
	addr, tx, err := bind.DeployContract(m.transactor(m.deployer, nil), bin, m.client, m.abi.PackConstructor(minStake))
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	m.sim.Commit()
	if _, err := bind.WaitDeployed(m.ctx, m.client, tx.Hash()); err != nil {
		t.Fatalf("deploy: %v", err)
	}
	m.addr = addr
	m.c = m.abi.Instance(m.client, addr)
	t.Cleanup(func() {
		if !t.Failed() {
			m.checkBooks()
		}
	})
	return m
}

func (m *market) transactor(from *account, value *big.Int) *bind.TransactOpts {
	opts := bind.NewKeyedTransactor(from.key, m.chainID)
	opts.Context = m.ctx
	opts.Value = value
	return opts
}

// send submits a call as from, mines it and returns its receipt. A revert
// shows up as the error of the gas estimate, which carries the revert data.
func (m *market) send(from *account, value *big.Int, data []byte) (*types.Receipt, error) {
	tx, err := bind.Transact(m.c, m.transactor(from, value), data)
	if err != nil {
		return nil, err
	}
	m.sim.Commit()
	r, err := bind.WaitMined(m.ctx, m.client, tx.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("tx %s failed (gas %d of %d)", tx.Hash(), r.GasUsed, tx.Gas())
	}
	return r, nil
}

func (m *market) mustSend(from *account, value *big.Int, data []byte) *types.Receipt {
	m.t.Helper()
	r, err := m.send(from, value, data)
	if err != nil {
		m.t.Fatalf("%s: %v", from.name, err)
	}
	return r
}

// wantRevert sends a call that must revert with exactly the custom error want
// (a pointer to a binding error struct, such as *HearthMarketWrongStatus).
func (m *market) wantRevert(from *account, value *big.Int, data []byte, want any) {
	m.t.Helper()
	_, err := m.send(from, value, data)
	if err == nil {
		m.t.Fatalf("%s: call succeeded, want revert %s", from.name, describe(want))
	}
	raw, ok := ethclient.RevertErrorData(err)
	if !ok || len(raw) < 4 {
		m.t.Fatalf("%s: %v: no custom error, want %s", from.name, err, describe(want))
	}
	got, err := m.abi.UnpackError(raw)
	if err != nil {
		m.t.Fatalf("%s: revert data %x: %v, want %s", from.name, raw, err, describe(want))
	}
	if describe(got) != describe(want) {
		m.t.Fatalf("%s: reverted with %s, want %s", from.name, describe(got), describe(want))
	}
}

// describe names an error value with its type and fields; *big.Int fields
// print as numbers, so two descriptions are equal when the errors are.
func describe(v any) string { return fmt.Sprintf("%T%+v", v, v) }

// ---- views ----

func (m *market) balanceOf(a *account) *big.Int {
	m.t.Helper()
	b, err := bind.Call(m.c, nil, m.abi.PackBalanceOf(a.addr), m.abi.UnpackBalanceOf)
	if err != nil {
		m.t.Fatalf("balanceOf(%s): %v", a.name, err)
	}
	return b
}

func (m *market) provider(a *account) ProvidersOutput {
	m.t.Helper()
	p, err := bind.Call(m.c, nil, m.abi.PackProviders(a.addr), m.abi.UnpackProviders)
	if err != nil {
		m.t.Fatalf("providers(%s): %v", a.name, err)
	}
	return p
}

func (m *market) order(id *big.Int) HearthMarketOrder {
	m.t.Helper()
	o, err := bind.Call(m.c, nil, m.abi.PackGetOrder(id), m.abi.UnpackGetOrder)
	if err != nil {
		m.t.Fatalf("getOrder(%v): %v", id, err)
	}
	return o
}

func (m *market) orderCount() *big.Int {
	m.t.Helper()
	n, err := bind.Call(m.c, nil, m.abi.PackOrderCount(), m.abi.UnpackOrderCount)
	if err != nil {
		m.t.Fatalf("orderCount: %v", err)
	}
	return n
}

func (m *market) etherOf(addr common.Address) *big.Int {
	m.t.Helper()
	b, err := m.client.BalanceAt(m.ctx, addr, nil)
	if err != nil {
		m.t.Fatal(err)
	}
	return b
}

// now is the latest block's timestamp, which calls and gas estimates see.
func (m *market) now() uint64 {
	m.t.Helper()
	h, err := m.client.HeaderByNumber(m.ctx, nil)
	if err != nil {
		m.t.Fatal(err)
	}
	return h.Time
}

// advance moves the chain's clock forward by d and mines a block on it.
func (m *market) advance(d time.Duration) {
	m.t.Helper()
	// The txpool drops a mined transaction when it sees the new head, in
	// a goroutine of its own: until then AdjustTime finds it "pending"
	// (seen in CI on a busy machine). It is not: wait for the pool.
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if err = m.sim.AdjustTime(d); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		m.t.Fatal(err)
	}
	m.sim.Commit()
}

// checkBooks asserts the contract's invariant: its Ether equals the sum of
// every account's free balance and stake plus the escrow locked in orders
// not yet settled or reclaimed. When no order is outstanding that is just
// balances plus stakes.
func (m *market) checkBooks() {
	m.t.Helper()
	sum := new(big.Int)
	for _, a := range m.all {
		sum.Add(sum, m.balanceOf(a))
		sum.Add(sum, m.provider(a).Stake)
	}
	locked := new(big.Int)
	n := m.orderCount()
	for id := big.NewInt(1); id.Cmp(n) <= 0; id = new(big.Int).Add(id, common.Big1) {
		o := m.order(id)
		if o.Status == statusOpen || o.Status == statusAccepted {
			l := new(big.Int).Mul(o.Tasks, o.PricePerTask)
			if r := m.replication(id); r.Replicas > 0 {
				l.Mul(l, big.NewInt(int64(r.Replicas)))
			}
			locked.Add(locked, l)
		}
	}
	sum.Add(sum, locked)
	burned, err := bind.Call(m.c, nil, m.abi.PackBurned(), m.abi.UnpackBurned)
	if err != nil {
		m.t.Fatalf("burned: %v", err)
	}
	sum.Add(sum, burned)
	if held := m.etherOf(m.addr); held.Cmp(sum) != 0 {
		m.t.Errorf("books do not balance: contract holds %v wei, balances+stakes+locked escrow (%v) = %v", held, locked, sum)
	}
}

// ---- calls ----

func poolInfo(devices uint32) HearthMarketPoolInfo {
	return HearthMarketPoolInfo{
		Devices:    devices,
		Cores:      4 * devices,
		MemoryMiB:  uint64(2048 * devices),
		WattBudget: 15 * devices,
		Runtimes:   "wasm,oci",
		Platforms:  "linux/amd64,linux/arm/v6",
	}
}

func (m *market) register(p *account) {
	m.t.Helper()
	m.mustSend(p, minStake, m.abi.PackRegister("https://"+p.name+".example", poolInfo(3)))
}

func (m *market) deposit(a *account, amount *big.Int) {
	m.t.Helper()
	m.mustSend(a, amount, m.abi.PackDeposit())
}

// orderSpec is postOrder's arguments.
type orderSpec struct {
	provider  common.Address
	appDigest [32]byte
	appURI    string
	runtime   uint8
	inputs    [][32]byte
	args      []string
	tasks     int64
	price     *big.Int
	deadline  uint64
}

// newOrder is a Wasm order of 10 tasks at 0.01 Ether each, open to any
// provider, due in an hour.
func (m *market) newOrder() orderSpec {
	return orderSpec{
		appDigest: crypto.Keccak256Hash([]byte("render.wasm")),
		appURI:    "https://apps.example/render.wasm",
		runtime:   runtimeWasm,
		inputs:    [][32]byte{crypto.Keccak256Hash([]byte("scene-1"))},
		args:      []string{"--frames", "1-10"},
		tasks:     10,
		price:     new(big.Int).Div(ether, big.NewInt(100)),
		deadline:  m.now() + 3600,
	}
}

func (m *market) packOrder(o orderSpec) []byte {
	return m.abi.PackPostOrder(o.provider, o.appDigest, o.appURI, o.runtime, o.inputs, o.args,
		big.NewInt(o.tasks), o.price, new(big.Int).SetUint64(o.deadline))
}

// post posts o as from and returns the new order's id, read from its event.
func (m *market) post(from *account, o orderSpec) (*big.Int, *types.Receipt) {
	m.t.Helper()
	r := m.mustSend(from, nil, m.packOrder(o))
	evs := events(m.t, r, m.abi.UnpackOrderPostedEvent)
	if len(evs) != 1 {
		m.t.Fatalf("postOrder emitted %d OrderPosted events, want 1", len(evs))
	}
	return evs[0].Id, r
}

func (m *market) accept(p *account, ids ...*big.Int) *types.Receipt {
	m.t.Helper()
	return m.mustSend(p, nil, m.abi.PackAcceptOrders(ids))
}

func settlement(id *big.Int, done int64) HearthMarketSettlement {
	return HearthMarketSettlement{Id: id, ResultRoot: resultRoot(id), TasksDone: big.NewInt(done)}
}

// resultRoot is a distinct, non-zero result root per order.
func resultRoot(id *big.Int) [32]byte {
	return crypto.Keccak256Hash([]byte("results"), id.Bytes())
}

// events decodes the receipt's logs of one event type, skipping others.
func events[E any](t *testing.T, r *types.Receipt, unpack func(*types.Log) (*E, error)) []*E {
	t.Helper()
	var out []*E
	for _, l := range r.Logs {
		ev, err := unpack(l)
		if errors.Is(err, bind.ErrEventSignatureMismatch) {
			continue
		}
		if err != nil {
			t.Fatalf("log %d: %v", l.Index, err)
		}
		out = append(out, ev)
	}
	return out
}

// txCost is what the sender paid for a mined transaction.
func txCost(r *types.Receipt) *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
}

func wantBig(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func add(xs ...*big.Int) *big.Int {
	s := new(big.Int)
	for _, x := range xs {
		s.Add(s, x)
	}
	return s
}

func mul(x *big.Int, n int64) *big.Int { return new(big.Int).Mul(x, big.NewInt(n)) }

// ---- providers ----

func TestRegister(t *testing.T) {
	m := newMarket(t)
	info := poolInfo(5)

	short := new(big.Int).Sub(minStake, common.Big1)
	m.wantRevert(m.prov, short, m.abi.PackRegister("https://prov.example", info),
		&HearthMarketStakeTooLow{Sent: short, Min: minStake})
	m.wantRevert(m.prov, nil, m.abi.PackRegister("https://prov.example", info),
		&HearthMarketStakeTooLow{Sent: new(big.Int), Min: minStake})

	r := m.mustSend(m.prov, minStake, m.abi.PackRegister("https://prov.example", info))
	evs := events(t, r, m.abi.UnpackProviderRegisteredEvent)
	if len(evs) != 1 {
		t.Fatalf("%d ProviderRegistered events, want 1", len(evs))
	}
	ev := evs[0]
	if ev.Provider != m.prov.addr || ev.Endpoint != "https://prov.example" || ev.Info != info {
		t.Errorf("ProviderRegistered = %+v", ev)
	}
	wantBig(t, "event stake", ev.Stake, minStake)

	p := m.provider(m.prov)
	wantBig(t, "stake", p.Stake, minStake)
	if !p.Active || p.OpenOrders != 0 || p.Endpoint != "https://prov.example" || p.Number.Sign() == 0 {
		t.Errorf("providers(prov) = %+v", p)
	}

	m.wantRevert(m.prov, minStake, m.abi.PackRegister("https://again.example", info),
		&HearthMarketAlreadyRegistered{Provider: m.prov.addr})

	more := eth(25)
	m.mustSend(m.prov2, more, m.abi.PackRegister("https://prov2.example", info))
	wantBig(t, "prov2 stake", m.provider(m.prov2).Stake, more)
	wantBig(t, "contract Ether", m.etherOf(m.addr), add(minStake, more))
}

func TestUpdateProvider(t *testing.T) {
	m := newMarket(t)
	m.register(m.prov)

	info := poolInfo(7)
	info.Runtimes = "wasm"
	info.Platforms = "linux/arm64"
	r := m.mustSend(m.prov, nil, m.abi.PackUpdateProvider("https://moved.example", info))
	evs := events(t, r, m.abi.UnpackProviderUpdatedEvent)
	if len(evs) != 1 {
		t.Fatalf("%d ProviderUpdated events, want 1", len(evs))
	}
	if ev := evs[0]; ev.Provider != m.prov.addr || ev.Endpoint != "https://moved.example" || ev.Info != info {
		t.Errorf("ProviderUpdated = %+v, want endpoint https://moved.example and info %+v", ev, info)
	}
	if p := m.provider(m.prov); p.Endpoint != "https://moved.example" || !p.Active {
		t.Errorf("providers(prov) = %+v", p)
	}

	m.wantRevert(m.stranger, nil, m.abi.PackUpdateProvider("https://x.example", info),
		&HearthMarketNotProvider{Account: m.stranger.addr})
	m.wantRevert(m.stranger, nil, m.abi.PackExit(), &HearthMarketNotProvider{Account: m.stranger.addr})
}

func TestExit(t *testing.T) {
	m := newMarket(t)
	m.register(m.prov)
	m.deposit(m.req, ether)

	o := m.newOrder()
	o.provider = m.prov.addr
	id, _ := m.post(m.req, o)
	m.accept(m.prov, id)
	if n := m.provider(m.prov).OpenOrders; n != 1 {
		t.Fatalf("openOrders = %d, want 1", n)
	}
	m.wantRevert(m.prov, nil, m.abi.PackExit(), &HearthMarketProviderBusy{OpenOrders: 1})

	m.mustSend(m.prov, nil, m.abi.PackSettle([]HearthMarketSettlement{settlement(id, 10)}))
	earned := mul(o.price, 10)
	wantBig(t, "balance before exit", m.balanceOf(m.prov), earned)

	r := m.mustSend(m.prov, nil, m.abi.PackExit())
	evs := events(t, r, m.abi.UnpackProviderExitedEvent)
	if len(evs) != 1 || evs[0].Provider != m.prov.addr || evs[0].Stake.Cmp(minStake) != 0 {
		t.Errorf("ProviderExited events = %+v", evs)
	}
	wantBig(t, "balance after exit", m.balanceOf(m.prov), add(earned, minStake))
	p := m.provider(m.prov)
	if p.Active || p.Stake.Sign() != 0 {
		t.Errorf("providers(prov) after exit = %+v", p)
	}
	m.wantRevert(m.prov, nil, m.abi.PackExit(), &HearthMarketNotProvider{Account: m.prov.addr})
	m.wantRevert(m.prov, nil, m.abi.PackAcceptOrders(nil), &HearthMarketNotProvider{Account: m.prov.addr})

	// The stake and the earnings leave like any balance.
	before := m.etherOf(m.prov.addr)
	r = m.mustSend(m.prov, nil, m.abi.PackWithdraw(add(earned, minStake)))
	wantBig(t, "prov Ether", m.etherOf(m.prov.addr), new(big.Int).Sub(add(before, earned, minStake), txCost(r)))
}

// ---- escrow ----

func TestDepositWithdraw(t *testing.T) {
	m := newMarket(t)

	m.wantRevert(m.req, nil, m.abi.PackDeposit(), &HearthMarketZeroAmount{})
	m.wantRevert(m.req, nil, m.abi.PackWithdraw(new(big.Int)), &HearthMarketZeroAmount{})
	m.wantRevert(m.stranger, nil, m.abi.PackWithdraw(common.Big1),
		&HearthMarketInsufficientBalance{Balance: new(big.Int), Needed: common.Big1})

	before := m.etherOf(m.req.addr)
	r := m.mustSend(m.req, eth(30), m.abi.PackDeposit())
	wantBig(t, "req Ether after deposit", m.etherOf(m.req.addr), new(big.Int).Sub(before, add(eth(30), txCost(r))))
	deps := events(t, r, m.abi.UnpackDepositedEvent)
	if len(deps) != 1 || deps[0].Account != m.req.addr || deps[0].Amount.Cmp(eth(30)) != 0 || deps[0].Balance.Cmp(eth(30)) != 0 {
		t.Errorf("Deposited events = %+v", deps)
	}
	r = m.mustSend(m.req, eth(10), m.abi.PackDeposit())
	if deps = events(t, r, m.abi.UnpackDepositedEvent); len(deps) != 1 || deps[0].Balance.Cmp(eth(40)) != 0 {
		t.Errorf("second Deposited events = %+v, want balance %v", deps, eth(40))
	}
	wantBig(t, "balanceOf(req)", m.balanceOf(m.req), eth(40))
	wantBig(t, "contract Ether", m.etherOf(m.addr), eth(40))

	m.wantRevert(m.req, nil, m.abi.PackWithdraw(eth(50)),
		&HearthMarketInsufficientBalance{Balance: eth(40), Needed: eth(50)})

	before = m.etherOf(m.req.addr)
	r = m.mustSend(m.req, nil, m.abi.PackWithdraw(eth(15)))
	wantBig(t, "req Ether after withdraw", m.etherOf(m.req.addr), new(big.Int).Sub(add(before, eth(15)), txCost(r)))
	wds := events(t, r, m.abi.UnpackWithdrawnEvent)
	if len(wds) != 1 || wds[0].Account != m.req.addr || wds[0].Amount.Cmp(eth(15)) != 0 || wds[0].Balance.Cmp(eth(25)) != 0 {
		t.Errorf("Withdrawn events = %+v", wds)
	}
	wantBig(t, "balanceOf(req)", m.balanceOf(m.req), eth(25))
	wantBig(t, "contract Ether", m.etherOf(m.addr), eth(25))

	before = m.etherOf(m.req.addr)
	r = m.mustSend(m.req, nil, m.abi.PackWithdraw(eth(25)))
	wantBig(t, "req Ether after withdrawing all", m.etherOf(m.req.addr), new(big.Int).Sub(add(before, eth(25)), txCost(r)))
	wantBig(t, "balanceOf(req)", m.balanceOf(m.req), new(big.Int))
	wantBig(t, "contract Ether", m.etherOf(m.addr), new(big.Int))
}
