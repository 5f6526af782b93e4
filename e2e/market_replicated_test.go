package e2e

import (
	"context"
	"encoding/json"
	"math/big"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// TestReplicatedOrderOnRealGeth: three pools, each a hearth-gateway with an
// agent and a key of its own, sell on one contract on a real geth. The
// requester posts an order for three providers with a quorum of two; the
// third pool cheats (it commits and reveals a made-up result root). The two
// honest providers are paid, the cheat loses its seat's pay from its stake,
// the order settles on the honest root, and its results, fetched from a
// provider that agreed, prove against it.
func TestReplicatedOrderOnRealGeth(t *testing.T) {
	r, keys, gws, contract := replicatedRig(t, nil, nil, []string{"HEARTH_TEST_LIE=root"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	stakes := make([]*big.Int, len(keys))
	for i, k := range keys {
		stakes[i] = r.stake(ctx, t, contract, k.addr)
	}

	gw := gws[0]
	if out, err := gw.cli(ctx, "market", "deposit", "1eth"); err != nil {
		t.Fatalf("hearth market deposit: %v\n%s", err, out)
	}
	out, err := gw.cli(ctx, "market", "order", "post", "--app", r.app, "--tasks", "3", "--price-per-task", "1000gwei",
		"--args", marketVanityArgs, "--replicas", "3", "--quorum", "2", "--wait", "-o", "json")
	if err != nil {
		t.Fatalf("hearth market order post --replicas 3 --wait: %v\n%s", err, out)
	}
	var v marketOrderView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("hearth market order post -o json: %v\n%s", err, out)
	}
	if v.Chain.Status != "settled" || v.Chain.TasksDone != 3 || v.Replication == nil || v.Replication.Replicas != 3 || v.Replication.Quorum != 2 {
		t.Fatalf("order after --wait: %s", out)
	}
	seat := map[string]string{}
	for _, s := range v.Replication.Seats {
		seat[strings.ToLower(s.Provider)] = s.State
	}
	for i, k := range keys {
		want := "paid"
		if i == 2 {
			want = "slashed"
		}
		if got := seat[strings.ToLower(k.addr.Hex())]; got != want {
			t.Errorf("provider %d's seat: %q, want %q (seats: %+v)", i+1, got, want, v.Replication.Seats)
		}
	}
	id := strconv.FormatUint(v.Chain.ID, 10)

	// Paid and slashed on chain: 3 tasks at 1000 gwei each.
	pay := new(big.Int).Mul(big.NewInt(3000), big.NewInt(1_000_000_000))
	for i, k := range keys {
		lost := new(big.Int).Sub(stakes[i], r.stake(ctx, t, contract, k.addr))
		want := new(big.Int)
		if i == 2 {
			want = pay
		}
		if lost.Cmp(want) != 0 {
			t.Errorf("provider %d lost %s wei of its stake, want %s", i+1, lost, want)
		}
	}
	// Each pool's own view: two settled, the cheat outvoted.
	for i, g := range gws {
		o := g.waitOrder(ctx, t, id)
		want := api.OrderSettled
		if i == 2 {
			want = api.OrderOutvoted
		}
		if o.Provider == nil || o.Provider.State != want {
			t.Errorf("provider %d's view of order %s: %+v, want %s", i+1, id, o.Provider, want)
		}
	}

	if out, err := gw.cli(ctx, "market", "order", "get", id); err != nil || !strings.Contains(out, "3 apart, settled by 2 equal results") {
		t.Errorf("hearth market order get %s: %v\n%s", id, err, out)
	} else {
		t.Logf("hearth market order get %s:\n%s", id, out)
	}
	dir := filepath.Join(t.TempDir(), "results")
	out, err = gw.cli(ctx, "market", "results", id, "--out", dir)
	if err != nil || !strings.Contains(out, "3 of 3 tasks done, every result proven against the root "+v.Chain.ResultRoot) {
		t.Fatalf("hearth market results %s: %v\n%s", id, err, out)
	}
}

// replicatedRig starts three gateways, each with an agent and a key of its
// own, selling on one new contract on a real geth; env[i] is gateway i's
// extra environment. It waits until all three are registered.
func replicatedRig(t *testing.T, env ...[]string) (*marketRig, []marketKey, []*marketGateway, string) {
	t.Helper()
	r := newMarketRig(t)
	keys := []marketKey{r.provider}
	for _, name := range []string{"provider2", "provider3"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		k := marketKey{path: filepath.Join(t.TempDir(), name+".json")}
		out, err := r.hearth(ctx, "market", "key", "new", "--out", k.path, "--light")
		cancel()
		if a := strings.TrimSpace(out); err != nil || !common.IsHexAddress(a) {
			t.Fatalf("hearth market key new: %v\n%s", err, out)
		}
		k.addr = common.HexToAddress(strings.TrimSpace(out))
		r.node.Fund(k.addr)
		keys = append(keys, k)
	}
	contract, block := r.deploy(t)
	var gws []*marketGateway
	for i, k := range keys {
		// A port of its own that stays across restarts, as a real
		// gateway's does: the agent and the endpoint on chain name it.
		gw := r.newGatewayWithKey(t, contract, block, net.JoinHostPort("127.0.0.1", strconv.Itoa(marketFreePort(t))), k.path)
		gw.start(t, env[i]...)
		r.startAgent(t, gw)
		gws = append(gws, gw)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, gw := range gws {
		gw.waitRegistered(ctx, t)
	}
	return r, keys, gws, contract
}

// TestReplicatedOrderSurvivesGatewayKills: the three providers of a
// replicated order are each killed with SIGKILL at another point of their
// part (its commitment recorded but not sent; its commitment mined but not
// recorded; its reveal recorded but not sent) and restarted. The order
// settles on their one result, each paid; each committed and revealed
// exactly once, and none of their transactions reverted.
func TestReplicatedOrderSurvivesGatewayKills(t *testing.T) {
	points := []string{"commit-recorded", "commit-mined", "reveal-recorded"}
	var env [][]string
	for _, p := range points {
		env = append(env, []string{"HEARTH_TEST_CRASH_AT=" + p})
	}
	r, keys, gws, contract := replicatedRig(t, env...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	from, err := r.node.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := gws[0].cli(ctx, "market", "deposit", "1eth"); err != nil {
		t.Fatalf("hearth market deposit: %v\n%s", err, out)
	}
	out, err := gws[0].cli(ctx, "market", "order", "post", "--app", r.app, "--tasks", "2", "--price-per-task", "1000gwei",
		"--args", marketVanityArgs, "--replicas", "3", "-o", "json")
	if err != nil {
		t.Fatalf("hearth market order post --replicas 3: %v\n%s", err, out)
	}
	var posted struct {
		ID uint64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &posted); err != nil || posted.ID == 0 {
		t.Fatalf("hearth market order post -o json: %v\n%s", err, out)
	}
	id := strconv.FormatUint(posted.ID, 10)
	for i, gw := range gws {
		st := gw.proc.waitExit(2 * time.Minute)
		if st == nil {
			t.Fatalf("gateway %d did not reach %s within 2 minutes", i+1, points[i])
		}
		if ws, ok := st.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("gateway %d ended with %v, want killed by SIGKILL at %s", i+1, st, points[i])
		}
		t.Logf("gateway %d killed at %s; restarting it", i+1, points[i])
		gw.start(t)
	}
	for i, gw := range gws {
		o := gw.waitOrder(ctx, t, id)
		if o.Provider == nil || o.Provider.State != api.OrderSettled {
			t.Errorf("provider %d's view of order %s: %+v, want settled", i+1, id, o.Provider)
		}
	}
	c := r.chainOrder(ctx, t, contract, posted.ID)
	if c.Status != contracts.StatusSettled || c.TasksDone.Int64() != 2 {
		t.Fatalf("order %s on chain: %s with %v tasks done", id, contracts.StatusName(c.Status), c.TasksDone)
	}
	r.waitBlocks(ctx, t, 3) // room for a second commitment or reveal, were one sent
	head, err := r.node.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		for _, ev := range []string{"ResultsCommitted", "ResultsRevealed"} {
			if n := r.countProviderEvents(ctx, t, contract, from, ev, k.addr); n != 1 {
				t.Errorf("provider %d: %d %s events, want exactly 1", i+1, n, ev)
			}
		}
		r.checkProviderTxs(ctx, t, from+1, head, k.addr)
	}
}

// countProviderEvents counts the contract's events of a kind whose first
// indexed topic is provider a.
func (r *marketRig) countProviderEvents(ctx context.Context, t *testing.T, contract string, from uint64, event string, a common.Address) int {
	t.Helper()
	ev, ok := contracts.NewHearthMarket().GetABI().Events[event]
	if !ok {
		t.Fatalf("no event %s in the contract's ABI", event)
	}
	logs, err := r.node.Client().FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), Addresses: []common.Address{common.HexToAddress(contract)},
		Topics: [][]common.Hash{{ev.ID}, {common.BytesToHash(a.Bytes())}},
	})
	if err != nil {
		t.Fatalf("eth_getLogs %s: %v", event, err)
	}
	return len(logs)
}

// stake reads a provider's stake from the contract.
func (r *marketRig) stake(ctx context.Context, t *testing.T, contract string, a common.Address) *big.Int {
	t.Helper()
	abi := contracts.NewHearthMarket()
	to := common.HexToAddress(contract)
	out, err := r.node.Client().CallContract(ctx, ethereum.CallMsg{To: &to, Data: abi.PackProviders(a)}, nil)
	if err != nil {
		t.Fatalf("providers(%s): %v", a.Hex(), err)
	}
	p, err := abi.UnpackProviders(out)
	if err != nil {
		t.Fatal(err)
	}
	return p.Stake
}
