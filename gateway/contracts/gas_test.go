package contracts

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/node"
)

// settleGasGoal is the most a settled task may cost when a provider
// settles 50 orders of 10 tasks in one transaction.
const settleGasGoal = 5000

// replicaGasGoal is the most a task may cost its providers per replica in
// replicated orders of 10 tasks, joined, committed and revealed in batches
// of 10 orders (issue 18; iExec's contribute alone costs 54,389).
const replicaGasGoal = 5000

// mainnetGas runs the simulated chain on Osaka, mainnet's fork. Left alone,
// simulated.NewBackend (like `geth --dev`) uses params.AllDevChainProtocolChanges,
// which in go-ethereum 1.17 also enables Bogota, an unreleased fork running
// the Amsterdam instruction set: its EIP-8037 state-gas metering charges
// about 98,000 gas for each new storage slot, so figures measured there say
// nothing about what a transaction costs on a live network today.
func mainnetGas(_ *node.Config, ec *ethconfig.Config) {
	cfg := *ec.Genesis.Config
	cfg.AmsterdamTime = nil
	cfg.BogotaTime = nil
	ec.Genesis.Config = &cfg
}

// gasFigures are what the market's steps cost, in gas.
type gasFigures struct {
	settlePerTask  map[int]float64 // batch size (orders of 10 tasks) → gas per settled task
	postOrder      float64         // median, one input and two args
	acceptPerOrder float64         // acceptOrders of 10 orders, per order
}

// TestMarketGas measures the market's gas costs on mainnet rules and prints
// them as BENCH lines: settle per task for batches of 1, 10 and 50 orders of
// 10 tasks, postOrder, and acceptOrders per order for a batch of 10. It logs
// the same figures on the dev chain's rules for comparison.
func TestMarketGas(t *testing.T) {
	dev := measureGas(t, newMarket(t))
	t.Logf("on the dev chain's rules (Bogota, EIP-8037): settle %.1f/%.1f/%.1f gas per task (1/10/50x10), postOrder %.1f, accept %.1f per order",
		dev.settlePerTask[1], dev.settlePerTask[10], dev.settlePerTask[50], dev.postOrder, dev.acceptPerOrder)

	g := measureGas(t, newMarket(t, mainnetGas))
	for _, n := range []int{1, 10, 50} {
		fmt.Printf("BENCH market.gas_per_task_settle_%dx10 %.1f gas\n", n, g.settlePerTask[n])
	}
	fmt.Printf("BENCH market.gas_post_order %.1f gas\n", g.postOrder)
	fmt.Printf("BENCH market.gas_accept_per_order_10 %.1f gas\n", g.acceptPerOrder)

	if got := g.settlePerTask[50]; got > settleGasGoal {
		t.Errorf("settling 50x10 costs %.1f gas per task, goal ≤ %d", got, settleGasGoal)
	}

	// Replicated orders: three providers each join, commit and reveal 10
	// orders in batches of 10; the last reveal settles each order.
	for _, tasks := range []int64{10, 100} {
		perTask, post := measureReplicatedGas(t, newMarket(t, mainnetGas), tasks)
		name := "cert.gas_per_task_per_replica"
		if tasks != 10 {
			name += fmt.Sprintf("_%dtasks", tasks)
		}
		fmt.Printf("BENCH %s %.1f gas\n", name, perTask)
		fmt.Printf("BENCH %s %.1f gas\n", strings.Replace(name, "per_replica", "per_replica_post", 1), post)
		if tasks == 10 && perTask > replicaGasGoal {
			t.Errorf("replicated orders of 10 tasks cost the providers %.1f gas per task per replica, goal ≤ %d", perTask, replicaGasGoal)
		}
	}
}

// measureReplicatedGas runs two rounds of 10 replicated orders of tasks
// tasks through three providers (join, commit, reveal, each in one batch
// per provider) and returns the gas all of them used per task per replica
// in the second round, the steady state: in the first each provider's
// balance slot is new, as it is once in a provider's life (and again after
// it withdraws everything). It returns what posting cost the requester per
// task per replica too.
func measureReplicatedGas(t *testing.T, m *market, tasks int64) (providers, post float64) {
	t.Helper()
	ps := m.threeProviders()
	m.deposit(m.req, new(big.Int).Mul(big.NewInt(100), ether))
	for round := range 2 {
		providers, post = replicatedRound(t, m, ps, tasks, round)
	}
	return providers, post
}

func replicatedRound(t *testing.T, m *market, ps []*account, tasks int64, round int) (providers, post float64) {
	const orders = 20
	ids := make([]*big.Int, orders)
	var postGas uint64
	for i := range ids {
		o := m.newOrder()
		o.tasks = tasks
		o.price = new(big.Int).Div(ether, big.NewInt(10000))
		r := m.mustSend(m.req, nil, m.abi.PackPostReplicatedOrder(o.appDigest, o.appURI, o.runtime, o.inputs, o.args,
			big.NewInt(o.tasks), o.price, new(big.Int).SetUint64(o.deadline), 3, 2))
		postGas += r.GasUsed
		evs := events(m.t, r, m.abi.UnpackOrderReplicatedEvent)
		if len(evs) != 1 {
			t.Fatalf("postReplicatedOrder: %d OrderReplicated events", len(evs))
		}
		ids[i] = evs[0].Id
	}
	var gas uint64
	steps := map[string]uint64{}
	for _, p := range ps {
		g := m.mustSend(p, nil, m.abi.PackJoinOrders(ids)).GasUsed
		gas += g
		steps["join"] += g
	}
	batch := make([]HearthMarketSettlement, orders)
	for i, id := range ids {
		batch[i] = HearthMarketSettlement{Id: id, ResultRoot: resultRoot(id), TasksDone: big.NewInt(tasks)}
	}
	for _, p := range ps {
		g := m.mustSend(p, nil, m.abi.PackCommitResults(ids, Seal(p.addr, batch))).GasUsed
		gas += g
		steps["commit"] += g
	}
	for _, p := range ps {
		g := m.mustSend(p, nil, m.abi.PackRevealResults(batch)).GasUsed
		gas += g
		steps["reveal"] += g
	}
	t.Logf("round %d: replicated orders of %d tasks, per order and provider: join %d, commit %d, reveal and settle %d gas; posting %d per order",
		round+1, tasks, steps["join"]/orders/3, steps["commit"]/orders/3, steps["reveal"]/orders/3, postGas/orders)
	for _, id := range ids {
		if o := m.order(id); o.Status != statusSettled {
			t.Fatalf("order %v: %s", id, describe(o))
		}
	}
	return float64(gas) / float64(orders*tasks*3), float64(postGas) / float64(orders*tasks*3)
}

// measureGas posts, accepts and settles batches of 1, 10 and 50 orders of 10
// tasks on m and reads the gas used from the receipts.
func measureGas(t *testing.T, m *market) gasFigures {
	t.Helper()
	m.register(m.prov)
	m.deposit(m.req, new(big.Int).Mul(big.NewInt(100), ether))

	g := gasFigures{settlePerTask: map[int]float64{}}
	var postGas []uint64
	for _, n := range []int{1, 10, 50} {
		ids := make([]*big.Int, n)
		for i := range ids {
			o := m.newOrder()
			if len(o.inputs) != 1 || len(o.args) != 2 || o.tasks != 10 {
				t.Fatalf("benchmark order has %d inputs, %d args, %d tasks", len(o.inputs), len(o.args), o.tasks)
			}
			id, r := m.post(m.req, o)
			ids[i] = id
			postGas = append(postGas, r.GasUsed)
		}

		r := m.accept(m.prov, ids...)
		if n == 10 {
			g.acceptPerOrder = float64(r.GasUsed) / 10
		}

		batch := make([]HearthMarketSettlement, n)
		for i, id := range ids {
			batch[i] = settlement(id, 10)
		}
		r = m.mustSend(m.prov, nil, m.abi.PackSettle(batch))
		if got := len(events(t, r, m.abi.UnpackOrderSettledEvent)); got != n {
			t.Fatalf("settling %d orders emitted %d OrderSettled events", n, got)
		}
		for _, id := range []*big.Int{ids[0], ids[n-1]} {
			if o := m.order(id); o.Status != statusSettled || o.ResultRoot != resultRoot(id) {
				t.Fatalf("order %v after settle: %s", id, describe(o))
			}
		}
		g.settlePerTask[n] = float64(r.GasUsed) / float64(n*10)
	}
	g.postOrder = median(postGas)
	return g
}

func median(xs []uint64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}
