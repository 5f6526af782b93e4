package contracts

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/crypto"
)

func (m *market) replication(id *big.Int) ReplicationOutput {
	m.t.Helper()
	r, err := bind.Call(m.c, nil, m.abi.PackReplication(id), m.abi.UnpackReplication)
	if err != nil {
		m.t.Fatalf("replication(%v): %v", id, err)
	}
	return r
}

// postReplicated posts o as a replicated order and returns its id.
func (m *market) postReplicated(from *account, o orderSpec, replicas, quorum uint8) *big.Int {
	m.t.Helper()
	r := m.mustSend(from, nil, m.abi.PackPostReplicatedOrder(o.appDigest, o.appURI, o.runtime, o.inputs, o.args,
		big.NewInt(o.tasks), o.price, new(big.Int).SetUint64(o.deadline), replicas, quorum))
	evs := events(m.t, r, m.abi.UnpackOrderReplicatedEvent)
	if len(evs) != 1 || evs[0].Replicas != replicas || evs[0].Quorum != quorum {
		m.t.Fatalf("postReplicatedOrder: %d OrderReplicated events", len(evs))
	}
	return evs[0].Id
}

func (m *market) burned() *big.Int {
	m.t.Helper()
	b, err := bind.Call(m.c, nil, m.abi.PackBurned(), m.abi.UnpackBurned)
	if err != nil {
		m.t.Fatal(err)
	}
	return b
}

// commit commits p to one reveal of order id, a batch of one.
func (m *market) commit(p *account, id *big.Int, root [32]byte, done int64) {
	m.t.Helper()
	batch := []HearthMarketSettlement{{Id: id, ResultRoot: root, TasksDone: big.NewInt(done)}}
	m.mustSend(p, nil, m.abi.PackCommitResults([]*big.Int{id}, Seal(p.addr, batch)))
}

func (m *market) reveal(p *account, id *big.Int, root [32]byte, done int64) []byte {
	return m.abi.PackRevealResults([]HearthMarketSettlement{{Id: id, ResultRoot: root, TasksDone: big.NewInt(done)}})
}

// threeProviders registers prov, prov2 and a third (stranger) with a stake
// of one Ether each.
func (m *market) threeProviders() []*account {
	m.register(m.prov)
	m.register(m.prov2)
	m.register(m.stranger)
	return []*account{m.prov, m.prov2, m.stranger}
}

// TestReplicatedOrder: three providers, two reveal one root and the third
// another: the two are paid, the third loses what it would have earned
// from its stake, to the requester, and the rest of the escrow comes back.
func TestReplicatedOrder(t *testing.T) {
	m := newMarket(t)
	ps := m.threeProviders()
	m.deposit(m.req, mul(ether, 10))
	o := m.newOrder() // 10 tasks at 0.01 Ether
	id := m.postReplicated(m.req, o, 3, 2)
	escrow := mul(o.price, 30)
	wantBig(t, "requester's balance after posting", m.balanceOf(m.req), new(big.Int).Sub(mul(ether, 10), escrow))

	m.wantRevert(m.prov, nil, m.abi.PackAcceptOrders([]*big.Int{id}), &HearthMarketWrongStep{Id: id, Step: 0})
	for i, p := range ps {
		m.mustSend(p, nil, m.abi.PackJoinOrders([]*big.Int{id}))
		want := statusOpen
		if i == 2 {
			want = statusAccepted
		}
		if got := m.order(id).Status; got != want {
			t.Fatalf("after %d joins: status %d, want %d", i+1, got, want)
		}
	}
	m.wantRevert(m.prov, nil, m.abi.PackJoinOrders([]*big.Int{id}), &HearthMarketWrongStatus{Id: id, Status: statusAccepted})

	good, bad := resultRoot(id), crypto.Keccak256Hash([]byte("made up"))
	m.commit(m.prov, id, good, 10)
	// Nobody reveals before everyone committed: a late provider would copy.
	m.wantRevert(m.prov, nil, m.reveal(m.prov, id, good, 10), &HearthMarketRevealTooEarly{Id: id, Committed: 1, Replicas: 3})
	m.commit(m.prov2, id, good, 10)
	m.commit(m.stranger, id, bad, 10)
	m.wantRevert(m.prov, nil, m.reveal(m.prov, id, bad, 10), &HearthMarketRevealMismatch{Id: id})
	// The dissenter reveals first, then tries to leave with its stake
	// before the order is settled: it may not.
	m.mustSend(m.stranger, nil, m.reveal(m.stranger, id, bad, 10))
	m.wantRevert(m.stranger, nil, m.abi.PackExit(), &HearthMarketProviderBusy{OpenOrders: 1})

	before := map[*account]*big.Int{}
	for _, p := range append(ps, m.req) {
		before[p] = m.balanceOf(p)
	}
	_ = before
	m.mustSend(m.prov, nil, m.reveal(m.prov, id, good, 10))
	r := m.mustSend(m.prov2, nil, m.reveal(m.prov2, id, good, 10))

	got := m.order(id)
	if got.Status != statusSettled || got.ResultRoot != good || got.TasksDone.Int64() != 10 {
		t.Fatalf("after the reveals: %s", describe(got))
	}
	pay := mul(o.price, 10)
	wantBig(t, "prov's earnings", new(big.Int).Sub(m.balanceOf(m.prov), before[m.prov]), pay)
	wantBig(t, "prov2's earnings", new(big.Int).Sub(m.balanceOf(m.prov2), before[m.prov2]), pay)
	wantBig(t, "the dissenter's earnings", new(big.Int).Sub(m.balanceOf(m.stranger), before[m.stranger]), new(big.Int))
	wantBig(t, "the dissenter's stake", m.provider(m.stranger).Stake, new(big.Int).Sub(minStake, pay))
	// The requester gets the third share back; the dissenter's cut is
	// burned (paid to anyone, it would pay sybils to outvote the honest).
	wantBig(t, "the requester's refund", new(big.Int).Sub(m.balanceOf(m.req), before[m.req]), mul(o.price, 10))
	wantBig(t, "stake burned", m.burned(), pay)
	if ev := events(t, r, m.abi.UnpackProviderSlashedEvent); len(ev) != 1 || ev[0].Provider != m.stranger.addr || ev[0].Amount.Cmp(pay) != 0 {
		t.Fatalf("ProviderSlashed events: %d", len(ev))
	}
	for _, p := range ps {
		if n := m.provider(p).OpenOrders; n != 0 {
			t.Fatalf("%s still has %d open orders", p.name, n)
		}
	}
}

// TestReplicatedOrderCopier: a provider that commits another's hash cannot
// reveal it, since the hash names its provider; it ends slashed as one
// that never revealed.
func TestReplicatedOrderCopier(t *testing.T) {
	m := newMarket(t)
	m.threeProviders()
	m.deposit(m.req, mul(ether, 10))
	o := m.newOrder()
	id := m.postReplicated(m.req, o, 3, 2)
	for _, p := range []*account{m.prov, m.prov2, m.stranger} {
		m.mustSend(p, nil, m.abi.PackJoinOrders([]*big.Int{id}))
	}
	good := resultRoot(id)
	m.commit(m.prov, id, good, 10)
	m.commit(m.prov2, id, good, 10)
	// The copier commits prov's seal as it is.
	batch := []HearthMarketSettlement{{Id: id, ResultRoot: good, TasksDone: big.NewInt(10)}}
	m.mustSend(m.stranger, nil, m.abi.PackCommitResults([]*big.Int{id}, Seal(m.prov.addr, batch)))
	m.wantRevert(m.stranger, nil, m.reveal(m.stranger, id, good, 10), &HearthMarketRevealMismatch{Id: id})
	m.mustSend(m.prov, nil, m.reveal(m.prov, id, good, 10))
	m.mustSend(m.prov2, nil, m.reveal(m.prov2, id, good, 10))
	// It cannot be finalized before the reveal window ends...
	end := new(big.Int).SetUint64(o.deadline + 3600)
	m.wantRevert(m.req2, nil, m.abi.PackFinalize(id), &HearthMarketFinalizeTooEarly{Id: id, At: end})
	m.advance(2*time.Hour + time.Minute)
	// ...then anyone may.
	m.mustSend(m.req2, nil, m.abi.PackFinalize(id))
	if got := m.order(id); got.Status != statusSettled || got.ResultRoot != good {
		t.Fatalf("after finalize: %s", describe(got))
	}
	wantBig(t, "the copier's stake", m.provider(m.stranger).Stake, new(big.Int).Sub(minStake, mul(o.price, 10)))
}

// TestReplicatedOrderDisputed: reveals that reach no quorum refund the
// requester; nobody who revealed is slashed, but a provider that never
// committed is.
func TestReplicatedOrderDisputed(t *testing.T) {
	m := newMarket(t)
	ps := m.threeProviders()
	m.deposit(m.req, mul(ether, 10))
	o := m.newOrder()
	id := m.postReplicated(m.req, o, 3, 2)
	for _, p := range ps {
		m.mustSend(p, nil, m.abi.PackJoinOrders([]*big.Int{id}))
	}
	for _, p := range ps[:2] {
		m.commit(p, id, crypto.Keccak256Hash([]byte(p.name)), 10)
	}
	m.advance(time.Hour + time.Minute) // past the deadline: the two may reveal
	for _, p := range ps[:2] {
		m.mustSend(p, nil, m.reveal(p, id, crypto.Keccak256Hash([]byte(p.name)), 10))
	}
	m.advance(time.Hour + time.Minute)
	m.mustSend(m.req2, nil, m.abi.PackFinalize(id))
	if got := m.order(id).Status; got != statusDisputed {
		t.Fatalf("status %d, want Disputed", got)
	}
	wantBig(t, "the requester's balance", m.balanceOf(m.req), mul(ether, 10))
	for _, p := range ps[:2] {
		wantBig(t, p.name+"'s stake", m.provider(p).Stake, minStake)
	}
	wantBig(t, "the silent provider's stake", m.provider(ps[2]).Stake, new(big.Int).Sub(minStake, mul(o.price, 10)))
}

// TestReplicatedOrderRefusals: the wrong calls name what is wrong.
func TestReplicatedOrderRefusals(t *testing.T) {
	m := newMarket(t)
	m.threeProviders()
	m.deposit(m.req, mul(ether, 10))
	o := m.newOrder()
	pack := func(r, q uint8) []byte {
		return m.abi.PackPostReplicatedOrder(o.appDigest, o.appURI, o.runtime, o.inputs, o.args,
			big.NewInt(o.tasks), o.price, new(big.Int).SetUint64(o.deadline), r, q)
	}
	m.wantRevert(m.req, nil, pack(1, 1), &HearthMarketBadOrder{Reason: "replicas must be 2 to 6"})
	m.wantRevert(m.req, nil, pack(7, 4), &HearthMarketBadOrder{Reason: "replicas must be 2 to 6"})
	m.wantRevert(m.req, nil, pack(4, 2), &HearthMarketBadOrder{Reason: "quorum must be more than half the replicas"})
	plain, _ := m.post(m.req, o)
	m.wantRevert(m.prov, nil, m.abi.PackJoinOrders([]*big.Int{plain}), &HearthMarketNotReplicated{Id: plain})

	id := m.postReplicated(m.req, o, 3, 2)
	m.mustSend(m.prov, nil, m.abi.PackJoinOrders([]*big.Int{id}))
	m.wantRevert(m.prov, nil, m.abi.PackJoinOrders([]*big.Int{id}), &HearthMarketAlreadyJoined{Id: id, Provider: m.prov.addr})
	m.wantRevert(m.prov, nil, m.abi.PackCommitResults([]*big.Int{id}, resultRoot(id)), &HearthMarketWrongStatus{Id: id, Status: statusOpen})
	m.wantRevert(m.prov, nil, m.abi.PackCommitResults([]*big.Int{id}, [32]byte{}), &HearthMarketBadOrder{Reason: "zero commitment"})
	m.wantRevert(m.prov, nil, m.abi.PackCommitResults(nil, resultRoot(id)), &HearthMarketBadOrder{Reason: "no orders"})
	m.wantRevert(m.req2, nil, m.abi.PackJoinOrders([]*big.Int{id}), &HearthMarketNotProvider{Account: m.req2.addr})
	// An order that would pay a seat more than a provider's stake, less
	// what its open seats risk (0.1 Ether for the seat above), is not for
	// it.
	costly := m.newOrder()
	costly.price = ether // 10 tasks: 10 Ether at risk per seat
	m.deposit(m.req2, mul(ether, 40))
	bigID := m.postReplicated(m.req2, costly, 3, 2)
	free := new(big.Int).Sub(minStake, mul(o.price, 10))
	m.wantRevert(m.prov, nil, m.abi.PackJoinOrders([]*big.Int{bigID}), &HearthMarketStakeTooLow{Sent: free, Min: mul(ether, 10)})
	wantBig(t, "prov's locked stake", m.provider(m.prov).Locked, mul(o.price, 10))
	// Seats are taken until JOIN_MARGIN (10 minutes) before the deadline:
	// every seat then has that long to commit.
	late := m.newOrder()
	late.deadline = m.now() + 9*60
	lateID := m.postReplicated(m.req, late, 2, 2)
	m.wantRevert(m.prov, nil, m.abi.PackJoinOrders([]*big.Int{lateID}), &HearthMarketDeadlinePassed{Id: lateID, Deadline: new(big.Int).SetUint64(late.deadline)})
	// Two of three joined by the deadline: a provider that joined may
	// reclaim it for the requester, who gets it all back, and the
	// providers' open orders go with it.
	m.mustSend(m.prov2, nil, m.abi.PackJoinOrders([]*big.Int{id}))
	m.advance(2 * time.Hour)
	before := m.balanceOf(m.req)
	m.mustSend(m.prov, nil, m.abi.PackReclaim(id))
	wantBig(t, "the requester's refund", new(big.Int).Sub(m.balanceOf(m.req), before), mul(o.price, 30))
	m.mustSend(m.req2, nil, m.abi.PackReclaim(bigID))
	if got := m.order(id).Status; got != statusReclaimed {
		t.Fatalf("status %d, want reclaimed", got)
	}
	for _, p := range []*account{m.prov, m.prov2} {
		if n := m.provider(p).OpenOrders; n != 0 {
			t.Fatalf("%s still has %d open orders", p.name, n)
		}
		wantBig(t, p.name+"'s locked stake after the reclaim", m.provider(p).Locked, new(big.Int))
	}
}

// TestReplicatedBatches: providers commit and reveal batches of orders with
// one seal each. A batch is revealed whole and in the order committed; a
// seal is used once; a provider that reveals after the quorum settled an
// order is paid at once when it agrees, and the order's root is the
// quorum's, not the first reveal's, when the first reveal was wrong.
func TestReplicatedBatches(t *testing.T) {
	m := newMarket(t)
	ps := m.threeProviders()
	m.deposit(m.req, mul(ether, 10))
	o := m.newOrder() // 10 tasks at 0.01 Ether
	ids := []*big.Int{m.postReplicated(m.req, o, 3, 2), m.postReplicated(m.req, o, 3, 2)}
	if got := m.order(ids[0]); got.ResultRoot != ([32]byte{31: 1}) {
		t.Fatalf("a replicated order's root before any reveal: %x, want the UNREVEALED placeholder", got.ResultRoot)
	}
	for _, p := range ps {
		m.mustSend(p, nil, m.abi.PackJoinOrders(ids))
	}
	honest := []HearthMarketSettlement{
		{Id: ids[0], ResultRoot: resultRoot(ids[0]), TasksDone: big.NewInt(10)},
		{Id: ids[1], ResultRoot: resultRoot(ids[1]), TasksDone: big.NewInt(9)},
	}
	wrong := []HearthMarketSettlement{honest[0], {Id: ids[1], ResultRoot: crypto.Keccak256Hash([]byte("lie")), TasksDone: big.NewInt(9)}}
	batches := map[*account][]HearthMarketSettlement{m.prov: honest, m.prov2: honest, m.stranger: wrong}
	for _, p := range ps {
		m.mustSend(p, nil, m.abi.PackCommitResults(ids, Seal(p.addr, batches[p])))
	}
	seal := Seal(m.prov.addr, honest)
	m.wantRevert(m.prov, nil, m.abi.PackCommitResults(ids, seal), &HearthMarketBadOrder{Reason: "commitment used"})
	reversed := []HearthMarketSettlement{honest[1], honest[0]}
	m.wantRevert(m.prov, nil, m.abi.PackRevealResults(reversed), &HearthMarketRevealMismatch{Id: ids[1]})
	m.wantRevert(m.prov, nil, m.abi.PackRevealResults(honest[:1]), &HearthMarketRevealMismatch{Id: ids[0]})

	// The liar reveals first: its root stands in the second order until
	// two others agree on another.
	m.mustSend(m.stranger, nil, m.abi.PackRevealResults(wrong))
	if got := m.order(ids[1]); got.Status != statusAccepted || got.ResultRoot != wrong[1].ResultRoot {
		t.Fatalf("after the first reveal: %s", describe(got))
	}
	m.mustSend(m.prov, nil, m.abi.PackRevealResults(honest))
	// The first order has its quorum (the liar told the truth there); the
	// second waits.
	if got := m.order(ids[0]); got.Status != statusSettled || got.ResultRoot != honest[0].ResultRoot {
		t.Fatalf("first order after two reveals: %s", describe(got))
	}
	if got := m.order(ids[1]); got.Status != statusAccepted {
		t.Fatalf("second order after two disagreeing reveals: %s", describe(got))
	}
	// Seal used up: the same batch cannot be revealed twice.
	m.wantRevert(m.prov, nil, m.abi.PackRevealResults(honest), &HearthMarketRevealMismatch{Id: ids[0]})

	before := map[*account]*big.Int{}
	for _, p := range append(ps, m.req) {
		before[p] = m.balanceOf(p)
	}
	m.mustSend(m.prov2, nil, m.abi.PackRevealResults(honest))
	got := m.order(ids[1])
	if got.Status != statusSettled || got.ResultRoot != honest[1].ResultRoot || got.TasksDone.Int64() != 9 {
		t.Fatalf("second order after the third reveal: %s", describe(got))
	}
	// prov2 earns 10 + 9 tasks; prov, paid for the first order at its
	// reveal, earns 9 now; the liar loses its second seat's share.
	wantBig(t, "prov2's earnings", new(big.Int).Sub(m.balanceOf(m.prov2), before[m.prov2]), mul(o.price, 19))
	wantBig(t, "prov's earnings", new(big.Int).Sub(m.balanceOf(m.prov), before[m.prov]), mul(o.price, 9))
	wantBig(t, "the liar's earnings", new(big.Int).Sub(m.balanceOf(m.stranger), before[m.stranger]), new(big.Int))
	wantBig(t, "the liar's stake", m.provider(m.stranger).Stake, new(big.Int).Sub(minStake, mul(o.price, 10)))
	// The requester: the liar's whole share of order 2, and one task of
	// each of the two honest shares.
	wantBig(t, "the requester's refund", new(big.Int).Sub(m.balanceOf(m.req), before[m.req]), mul(o.price, 12))
	for _, p := range ps {
		if n := m.provider(p).OpenOrders; n != 0 {
			t.Fatalf("%s still has %d open orders", p.name, n)
		}
	}
	// prov2 revealed the first order after its quorum: it agrees, and is
	// counted so (order get shows it paid; results may come from it).
	if r := m.replication(ids[0]); r.Agreeing != 0b111 || r.Resolved != 0b111 {
		t.Fatalf("first order's replication: %+v, want all three seats agreeing and resolved", r)
	}
	for _, p := range ps {
		wantBig(t, p.name+"'s locked stake", m.provider(p).Locked, new(big.Int))
	}
	m.advance(3 * time.Hour)
	m.wantRevert(m.req2, nil, m.abi.PackFinalize(ids[0]), &HearthMarketWrongStatus{Id: ids[0], Status: statusSettled})
}

// TestReplicatedRevealSkipsEndedOrders: a batch holds an order that ended
// (finalized) while the batch waited for another order's commitments; the
// reveal skips the ended one instead of failing the whole batch.
func TestReplicatedRevealSkipsEndedOrders(t *testing.T) {
	m := newMarket(t)
	m.register(m.prov)
	m.register(m.prov2)
	m.deposit(m.req, mul(ether, 10))
	a := m.newOrder()
	b := m.newOrder()
	b.deadline = a.deadline + 2*3600 // two hours later
	ids := []*big.Int{m.postReplicated(m.req, a, 2, 2), m.postReplicated(m.req, b, 2, 2)}
	for _, p := range []*account{m.prov, m.prov2} {
		m.mustSend(p, nil, m.abi.PackJoinOrders(ids))
	}
	batch := []HearthMarketSettlement{
		{Id: ids[0], ResultRoot: resultRoot(ids[0]), TasksDone: big.NewInt(10)},
		{Id: ids[1], ResultRoot: resultRoot(ids[1]), TasksDone: big.NewInt(10)},
	}
	m.mustSend(m.prov, nil, m.abi.PackCommitResults(ids, Seal(m.prov.addr, batch)))
	m.commit(m.prov2, ids[0], resultRoot(ids[0]), 10) // B's second seat is slow
	m.wantRevert(m.prov, nil, m.abi.PackRevealResults(batch), &HearthMarketRevealTooEarly{Id: ids[1], Committed: 1, Replicas: 2})
	m.advance(time.Hour + time.Hour + time.Minute) // A's reveal window is over
	m.mustSend(m.req2, nil, m.abi.PackFinalize(ids[0]))
	if got := m.order(ids[0]).Status; got != statusDisputed {
		t.Fatalf("A after finalize: status %d, want disputed", got)
	}
	m.advance(time.Hour) // past B's deadline: B may be revealed without its second seat
	r := m.mustSend(m.prov, nil, m.abi.PackRevealResults(batch))
	if evs := events(t, r, m.abi.UnpackResultsRevealedEvent); len(evs) != 1 {
		t.Fatalf("%d ResultsRevealed events", len(evs))
	}
	if rep := m.replication(ids[1]); rep.Revealed != 0b01 {
		t.Fatalf("B's replication after the reveal: %+v, want prov's seat revealed", rep)
	}
}
