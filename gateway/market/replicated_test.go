package market_test

import (
	"context"
	"encoding/hex"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/gateway/market"
	"github.com/hearth-home/hearth/store"
)

// lyingPool is a pool whose devices report made-up results: every task's
// digest is changed, as a compromised pool's would be.
type lyingPool struct{ *gateway.Gateway }

func (p lyingPool) Job(id string) (api.JobDetail, error) {
	d, err := p.Gateway.Job(id)
	for i := range d.Tasks {
		if r := d.Tasks[i].Result; r != nil {
			rr := *r
			rr.Digest = "sha256:" + crypto.Keccak256Hash([]byte("lie"), []byte(r.Digest)).Hex()[2:]
			d.Tasks[i].Result = &rr
		}
	}
	return d, err
}

// providers starts n pools, each selling as a provider of its own on one
// dev chain and contract; lying[i] makes pool i report made-up results.
func providers(t *testing.T, cfg market.Config, lying ...bool) []*rig {
	t.Helper()
	names := []string{"provider", "provider2", "provider3"}[:len(lying)]
	alloc := []string{"requester"}
	alloc = append(alloc, names...)
	var addrs []common.Address
	for _, n := range alloc {
		addrs = append(addrs, devchain.DevAddress(n))
	}
	c, err := devchain.Start(devchain.Options{Addr: "127.0.0.1:0", BlockInterval: 50 * time.Millisecond,
		Alloc: devchain.DevAlloc(addrs...)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	var rigs []*rig
	for i, n := range names {
		r := &rig{t: t, chain: c, prov: devchain.DevKey(n), req: devchain.DevKey("requester"), abi: contracts.NewHearthMarket()}
		r.dial()
		if i == 0 {
			r.contract, _, err = contracts.Deploy(context.Background(), r.client, r.client, r.prov, c.ChainID(), big.NewInt(params.Ether))
			if err != nil {
				t.Fatal(err)
			}
		} else {
			r.contract = rigs[0].contract
		}
		var pool func(*gateway.Gateway) market.Pool
		if lying[i] {
			pool = func(g *gateway.Gateway) market.Pool { return lyingPool{g} }
		}
		r.startMarket(cfg, func(*store.DB) chain.Backend { return r.client }, pool)
		rigs = append(rigs, r)
	}
	for _, r := range rigs {
		for start := time.Now(); !r.onChainProvider(); time.Sleep(50 * time.Millisecond) {
			if time.Since(start) > 30*time.Second {
				t.Fatal("a provider did not register within 30 s")
			}
		}
	}
	return rigs
}

// TestReplicatedOrderThreeProviders: three pools take the three seats of
// a replicated order with a quorum of two; two run it honestly, the third
// reports made-up results. The two are paid, the third is slashed and says
// so, and the order settles on the honest root.
func TestReplicatedOrderThreeProviders(t *testing.T) {
	rs := providers(t, market.Config{}, false, false, true)
	// The app is uploaded to each provider: hearth market order post does
	// the same for a replicated order.
	for _, r := range rs[1:] {
		if _, err := r.g.Blobs().PutBytes(vanityWasm); err != nil {
			t.Fatal(err)
		}
	}
	const price, tasks = 1000, 3
	stake := map[int]*big.Int{}
	for i, r := range rs {
		stake[i] = r.stake()
	}
	id := rs[0].post(order{price: price, tasks: tasks, replicas: 3, quorum: 2})
	var got [3]api.MarketOrder
	for i, r := range rs {
		got[i] = r.wait(id, 2*time.Minute)
	}
	for i, want := range []api.MarketOrderState{api.OrderSettled, api.OrderSettled, api.OrderOutvoted} {
		if got[i].State != want || got[i].Replicas != 3 || got[i].Quorum != 2 || got[i].CommitTx == "" || got[i].RevealTx == "" {
			t.Fatalf("provider %d: %s (%s), want %s: %+v", i+1, got[i].State, got[i].Reason, want, got[i])
		}
	}
	c := rs[0].onChain(id)
	if c.Status != contracts.StatusSettled || c.TasksDone.Int64() != tasks || "0x"+hex.EncodeToString(c.ResultRoot[:]) != got[0].ResultRoot {
		t.Fatalf("on chain: status %s, %d done, root %x; the honest root is %s", contracts.StatusName(c.Status), c.TasksDone, c.ResultRoot, got[0].ResultRoot)
	}
	for i, r := range rs {
		earned := r.balance(crypto.PubkeyToAddress(r.prov.PublicKey))
		lost := new(big.Int).Sub(stake[i], r.stake())
		wantEarned, wantLost := big.NewInt(price*tasks), new(big.Int)
		if i == 2 {
			wantEarned, wantLost = new(big.Int), big.NewInt(price*tasks)
		}
		if earned.Cmp(wantEarned) != 0 || lost.Cmp(wantLost) != 0 {
			t.Errorf("provider %d earned %s and lost %s of its stake, want %s and %s", i+1, earned, lost, wantEarned, wantLost)
		}
	}
}

// stake is the rig's provider's stake on chain.
func (r *rig) stake() *big.Int {
	r.t.Helper()
	out, err := r.client.CallContract(context.Background(), ethereum.CallMsg{To: &r.contract, Data: r.abi.PackProviders(crypto.PubkeyToAddress(r.prov.PublicKey))}, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	p, err := r.abi.UnpackProviders(out)
	if err != nil {
		r.t.Fatal(err)
	}
	return p.Stake
}
