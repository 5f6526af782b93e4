package devchain

import (
	"context"
	"errors"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
)

func TestWalletOverHTTPSeesReceiptWithoutCommit(t *testing.T) {
	requester := DevKey("requester")
	c := startChain(t, Options{Addr: "127.0.0.1:0", Alloc: DevAlloc(DevAddress("requester"))})
	if !strings.HasPrefix(c.URL(), "http://127.0.0.1:") || strings.HasSuffix(c.URL(), ":0") {
		t.Fatalf("URL() = %q, want http://127.0.0.1:<port>", c.URL())
	}
	client, err := ethclient.Dial(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	// What a wallet asks first: which chain, which client.
	ctx := context.Background()
	if id, err := client.ChainID(ctx); err != nil || id.Cmp(big.NewInt(1337)) != 0 || c.ChainID().Cmp(id) != 0 {
		t.Fatalf("eth_chainId = %v, %v; ChainID() = %v; want 1337", id, err, c.ChainID())
	}
	var version, netVersion string
	if err := client.Client().Call(&version, "web3_clientVersion"); err != nil || !strings.Contains(version, nodeName) {
		t.Errorf("web3_clientVersion = %q, %v", version, err)
	}
	if err := client.Client().Call(&netVersion, "net_version"); err != nil || netVersion != "1337" {
		t.Errorf("net_version = %q, %v", netVersion, err)
	}
	// Namespaces that are not served must stay unreachable over HTTP.
	var ignored any
	if err := client.Client().Call(&ignored, "debug_setHead", "0x0"); err == nil {
		t.Error("debug_setHead answered over HTTP")
	}

	to := common.BytesToAddress(crypto.Keccak256([]byte(t.Name()))[12:])
	value := big.NewInt(params.Ether / 2)
	start := blockNumber(t, client)
	sent := time.Now()
	tx := transfer(t, client, requester, to, value)
	receipt := waitReceipt(t, client, tx, 2*time.Second)
	t.Logf("receipt in block %d after %v", receipt.BlockNumber, time.Since(sent).Round(time.Millisecond))

	if receipt.BlockNumber.Uint64() != start+1 {
		t.Errorf("receipt in block %d, want %d", receipt.BlockNumber, start+1)
	}
	if got := balance(t, client, to); got.Cmp(value) != 0 {
		t.Errorf("recipient balance %v, want %v", got, value)
	}
	// The in-process client sees the same chain.
	if got := balance(t, c.Client(), to); got.Cmp(value) != 0 {
		t.Errorf("recipient balance in process %v, want %v", got, value)
	}
}

func TestSealsOnlyWhenThereIsSomethingToSeal(t *testing.T) {
	interval := 20 * time.Millisecond
	c := startChain(t, Options{BlockInterval: interval, Alloc: DevAlloc(DevAddress("requester"))})
	client := c.Client()

	time.Sleep(10 * interval)
	// Block 1 is sealed by Start; see leaveGenesis.
	if n := blockNumber(t, client); n != 1 {
		t.Fatalf("idle chain at block %d, want 1", n)
	}
	tx := transfer(t, client, DevKey("requester"), common.Address{1}, big.NewInt(1))
	receipt := waitReceipt(t, client, tx, 2*time.Second)
	time.Sleep(10 * interval)
	if n := blockNumber(t, client); n != receipt.BlockNumber.Uint64() {
		t.Fatalf("head at %d after the only transaction was sealed in %d", n, receipt.BlockNumber)
	}
}

func TestIdleBlocksMoveBlockTime(t *testing.T) {
	c := startChain(t, Options{BlockInterval: 10 * time.Millisecond, IdleBlocks: 100 * time.Millisecond})
	client := c.Client()
	deadline := time.Now().Add(5 * time.Second)
	for blockNumber(t, client) < 4 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d empty blocks after 5s with IdleBlocks 100ms", blockNumber(t, client))
		}
		time.Sleep(20 * time.Millisecond)
	}
	earlier, err := client.HeaderByNumber(context.Background(), big.NewInt(2))
	if err != nil {
		t.Fatal(err)
	}
	later, err := client.HeaderByNumber(context.Background(), big.NewInt(4))
	if err != nil {
		t.Fatal(err)
	}
	if later.Time <= earlier.Time {
		t.Errorf("block time did not move: block 2 at %d, block 4 at %d", earlier.Time, later.Time)
	}
}

func TestCommitRacesTheSealer(t *testing.T) {
	c := startChain(t, Options{BlockInterval: time.Millisecond, IdleBlocks: time.Millisecond})
	const commits = 20
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		hashes = map[common.Hash]bool{}
	)
	for range 4 {
		wg.Go(func() {
			for range commits / 4 {
				h := c.Commit()
				mu.Lock()
				hashes[h] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(hashes) != commits {
		t.Errorf("%d Commits returned %d distinct heads", commits, len(hashes))
	}
	// Every block links to its parent: no two seals built on the same head.
	client := c.Client()
	head := blockNumber(t, client)
	if head < commits {
		t.Fatalf("head %d after %d Commits", head, commits)
	}
	for n := uint64(1); n <= head; n++ {
		h, err := client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
		parent, err := client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n-1))
		if err != nil {
			t.Fatalf("block %d: %v", n-1, err)
		}
		if h.ParentHash != parent.Hash() {
			t.Fatalf("block %d does not build on block %d", n, n-1)
		}
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	c, err := Start(Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	url := c.URL()
	if err := c.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if h := c.Commit(); h != (common.Hash{}) {
		t.Errorf("Commit after Close = %s, want zero", h)
	}
	// The port is released.
	ln, err := net.Listen("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatalf("port still held after Close: %v", err)
	}
	ln.Close()
}

func TestTakenPortNamesAddressAndFlag(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()

	c, err := Start(Options{Addr: addr})
	if err == nil {
		c.Close()
		t.Fatalf("Start on taken %s succeeded", addr)
	}
	if !errors.Is(err, ErrListen) {
		t.Errorf("error %v is not ErrListen", err)
	}
	for _, want := range []string{addr, "--chain-rpc-addr"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestAddrWithoutHostIsRefused(t *testing.T) {
	c, err := Start(Options{Addr: ":0"})
	if err == nil {
		c.Close()
		t.Fatal(`Start with Addr ":0" succeeded`)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:0") {
		t.Errorf("error %q does not suggest a loopback address", err)
	}
}

func TestLocalURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8545": "http://127.0.0.1:8545",
		"http://0.0.0.0:8545":   "http://127.0.0.1:8545",
		"http://[::]:8545":      "http://[::1]:8545",
		"http://[::1]:8545":     "http://[::1]:8545",
		"http://localhost:8545": "http://localhost:8545",
	} {
		if got := localURL(in); got != want {
			t.Errorf("localURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClientWithoutHTTP(t *testing.T) {
	c := startChain(t, Options{Alloc: DevAlloc(DevAddress("provider"))})
	if c.URL() != "" {
		t.Errorf("URL() = %q without Addr", c.URL())
	}
	tx := transfer(t, c.Client(), DevKey("provider"), common.Address{2}, big.NewInt(7))
	waitReceipt(t, c.Client(), tx, 2*time.Second)
}

// A transaction the miner will not take (its tip is below the minimum) must
// not make the sealer produce empty blocks while it waits in the pool.
func TestUnminableTransactionSealsNothing(t *testing.T) {
	interval := 20 * time.Millisecond
	c := startChain(t, Options{BlockInterval: interval, Alloc: DevAlloc(DevAddress("requester"), DevAddress("provider"))})
	client := c.Client()
	ctx := context.Background()
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	to := common.Address{3}
	tip := big.NewInt(1) // wei; accepted by the pool, below the miner's minimum
	tx, err := types.SignNewTx(DevKey("requester"), types.LatestSignerForChainID(c.ChainID()), &types.DynamicFeeTx{
		ChainID: c.ChainID(), Nonce: 0, GasTipCap: tip, GasFeeCap: new(big.Int).Mul(head.BaseFee, big.NewInt(2)),
		Gas: 21_000, To: &to, Value: big.NewInt(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("pool refused a 1 wei tip, so this test tests nothing: %v", err)
	}
	time.Sleep(10 * interval)
	if n := blockNumber(t, client); n != head.Number.Uint64() {
		t.Errorf("sealer went from block %d to %d for a transaction it cannot include", head.Number, n)
	}
	// Other senders' transactions still get through.
	good := transfer(t, client, DevKey("provider"), to, big.NewInt(2))
	waitReceipt(t, client, good, 2*time.Second)
}
