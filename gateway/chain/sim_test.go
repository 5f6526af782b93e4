package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"log/slog"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/params"
	"github.com/hearth-home/hearth/store"
)

// The real clients are Readers and Backends; generated bindings read through
// a Reader.
var (
	_ Reader              = (*ethclient.Client)(nil)
	_ Backend             = (*ethclient.Client)(nil)
	_ Backend             = simulated.Client(nil)
	_ bind.ContractCaller = Reader(nil)
)

var simChainID = big.NewInt(1337)

// testChain is a simulated chain with funded keys.
type testChain struct {
	sim    *simulated.Backend
	client simulated.Client
	keys   []*ecdsa.PrivateKey
	mu     sync.Mutex // the simulated beacon's Commit and Fork are not safe for concurrent use
}

func (c *testChain) commitBlock() common.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sim.Commit()
}

func (c *testChain) fork(parent common.Hash) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sim.Fork(parent)
}

func newTestChain(t *testing.T, nkeys int) *testChain {
	t.Helper()
	alloc := types.GenesisAlloc{}
	var keys []*ecdsa.PrivateKey
	for range nkeys {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))}
	}
	sim := simulated.NewBackend(alloc)
	t.Cleanup(func() { sim.Close() })
	return &testChain{sim: sim, client: sim.Client(), keys: keys}
}

func addr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

// miner commits a block whenever the pool holds transactions from the test
// keys, until the test ends or it is paused.
type miner struct {
	paused atomic.Bool
	stop   chan struct{}
	done   chan struct{}
}

func (c *testChain) startMiner(t *testing.T) *miner {
	m := &miner{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-tick.C:
			}
			if m.paused.Load() {
				continue
			}
			if c.pending() {
				c.commitBlock()
			}
		}
	}()
	t.Cleanup(m.halt)
	return m
}

func (m *miner) halt() {
	select {
	case <-m.stop:
	default:
		close(m.stop)
	}
	<-m.done
}

// pending reports whether the pool holds transactions from the test keys.
// (The pending block, which PendingTransactionCount counts, is rebuilt only
// every few seconds.)
func (c *testChain) pending() bool {
	ctx := context.Background()
	for _, k := range c.keys {
		p, err1 := c.client.PendingNonceAt(ctx, addr(k))
		n, err2 := c.client.NonceAt(ctx, addr(k), nil)
		if err1 == nil && err2 == nil && p > n {
			return true
		}
	}
	return false
}

// send signs and sends a transaction from key, not committed. to nil
// creates a contract.
func (c *testChain) send(t *testing.T, key *ecdsa.PrivateKey, to *common.Address, data []byte) *types.Transaction {
	t.Helper()
	ctx := context.Background()
	nonce, err := c.client.PendingNonceAt(ctx, addr(key))
	if err != nil {
		t.Fatal(err)
	}
	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tip := big.NewInt(params.GWei)
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(simChainID), &types.DynamicFeeTx{
		ChainID: simChainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 500_000, To: to, Data: data,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	return tx
}

// deploy creates a contract with the given runtime code and commits it.
func (c *testChain) deploy(t *testing.T, key *ecdsa.PrivateKey, runtime []byte) common.Address {
	t.Helper()
	tx := c.send(t, key, nil, initCode(runtime))
	c.commitBlock()
	r, err := c.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		t.Fatal("deployment failed")
	}
	return r.ContractAddress
}

// initCode returns creation code that deploys runtime:
// PUSH1 len DUP1 PUSH1 11 PUSH1 0 CODECOPY PUSH1 0 RETURN, then runtime.
func initCode(runtime []byte) []byte {
	if len(runtime) > 255 {
		panic("runtime too long")
	}
	n := byte(len(runtime))
	return append([]byte{0x60, n, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3}, runtime...)
}

var emitTopic = crypto.Keccak256Hash([]byte("Emitted(bytes)"))

// emitterCode emits LOG1(emitTopic) with the call data as data on every
// call: CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY PUSH32 topic CALLDATASIZE
// PUSH1 0 LOG1 STOP.
func emitterCode() []byte {
	code := []byte{0x36, 0x60, 0x00, 0x60, 0x00, 0x37, 0x7f}
	code = append(code, emitTopic.Bytes()...)
	return append(code, 0x36, 0x60, 0x00, 0xa1, 0x00)
}

// reverterCode reverts every call with the data 0xdeadbeef:
// PUSH4 deadbeef PUSH1 224 SHL PUSH1 0 MSTORE PUSH1 4 PUSH1 0 REVERT.
func reverterCode() []byte {
	return []byte{0x63, 0xde, 0xad, 0xbe, 0xef, 0x60, 0xe0, 0x1b, 0x60, 0x00, 0x52, 0x60, 0x04, 0x60, 0x00, 0xfd}
}

func openDB(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "hearth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// flaky is a Backend that can be taken down, and whose sends a test can
// intercept: the one shared fake of this package's tests.
type flaky struct {
	Backend
	down atomic.Bool
	mu   sync.Mutex
	// onSend, when set, decides each send: forward it to the node or not,
	// and what to return.
	onSend func(ctx context.Context, n int, tx *types.Transaction) (forward bool, err error)
	sends  int
	errs   []error // errors the node returned to forwarded sends
}

var errDown = errors.New("dial tcp 127.0.0.1:8545: connect: connection refused")

func (f *flaky) check() error {
	if f.down.Load() {
		return errDown
	}
	return nil
}

func (f *flaky) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := f.check(); err != nil {
		return err
	}
	f.mu.Lock()
	f.sends++
	n, hook := f.sends, f.onSend
	f.mu.Unlock()
	forward, ret := true, error(nil)
	if hook != nil {
		forward, ret = hook(ctx, n, tx)
	}
	if forward {
		if err := f.Backend.SendTransaction(ctx, tx); err != nil {
			f.mu.Lock()
			f.errs = append(f.errs, err)
			f.mu.Unlock()
			if ret == nil {
				ret = err
			}
		}
	}
	return ret
}

func (f *flaky) sendErrors() []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]error(nil), f.errs...)
}

func (f *flaky) CodeAt(ctx context.Context, a common.Address, n *big.Int) ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.CodeAt(ctx, a, n)
}

func (f *flaky) CallContract(ctx context.Context, m ethereum.CallMsg, n *big.Int) ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.CallContract(ctx, m, n)
}

func (f *flaky) ChainID(ctx context.Context) (*big.Int, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.ChainID(ctx)
}

func (f *flaky) BlockNumber(ctx context.Context) (uint64, error) {
	if err := f.check(); err != nil {
		return 0, err
	}
	return f.Backend.BlockNumber(ctx)
}

func (f *flaky) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.HeaderByNumber(ctx, n)
}

func (f *flaky) HeaderByHash(ctx context.Context, h common.Hash) (*types.Header, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.HeaderByHash(ctx, h)
}

func (f *flaky) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.FilterLogs(ctx, q)
}

func (f *flaky) BalanceAt(ctx context.Context, a common.Address, n *big.Int) (*big.Int, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.BalanceAt(ctx, a, n)
}

func (f *flaky) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.TransactionReceipt(ctx, h)
}

func (f *flaky) NonceAt(ctx context.Context, a common.Address, n *big.Int) (uint64, error) {
	if err := f.check(); err != nil {
		return 0, err
	}
	return f.Backend.NonceAt(ctx, a, n)
}

func (f *flaky) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	if err := f.check(); err != nil {
		return 0, err
	}
	return f.Backend.PendingNonceAt(ctx, a)
}

func (f *flaky) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.Backend.SuggestGasTipCap(ctx)
}

func (f *flaky) EstimateGas(ctx context.Context, m ethereum.CallMsg) (uint64, error) {
	if err := f.check(); err != nil {
		return 0, err
	}
	return f.Backend.EstimateGas(ctx, m)
}

// logs collects the lines of a logger.
type logs struct {
	t     *testing.T
	mu    sync.Mutex
	lines []string
}

func (l *logs) logger(t *testing.T) *slog.Logger {
	l.t = t
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	line := strings.TrimSuffix(string(p), "\n")
	l.lines = append(l.lines, line)
	l.t.Log(line)
	return len(p), nil
}

func (l *logs) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.Contains(s, substr) {
			n++
		}
	}
	return n
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// goRun runs fn in a goroutine and returns a function that cancels it and
// waits for it, reporting its error.
func goRun(t *testing.T, fn func(ctx context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// testLogger logs to the test's output.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}
