package contracts

import (
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// specHash computes an order's spec hash in Go, independently of the
// contract: keccak256(abi.encode(appURI, runtime, inputs, args)).
func specHash(t *testing.T, o orderSpec) [32]byte {
	t.Helper()
	var args abi.Arguments
	for _, name := range []string{"string", "uint8", "bytes32[]", "string[]"} {
		typ, err := abi.NewType(name, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, abi.Argument{Type: typ})
	}
	enc, err := args.Pack(o.appURI, o.runtime, o.inputs, o.args)
	if err != nil {
		t.Fatal(err)
	}
	return crypto.Keccak256Hash(enc)
}

func (m *market) specHashOf(o orderSpec) [32]byte {
	m.t.Helper()
	h, err := bind.Call(m.c, nil, m.abi.PackSpecHashOf(o.appURI, o.runtime, o.inputs, o.args), m.abi.UnpackSpecHashOf)
	if err != nil {
		m.t.Fatalf("specHashOf: %v", err)
	}
	return h
}

// checkPosted compares an OrderPosted event with the order that was posted.
func checkPosted(t *testing.T, ev *HearthMarketOrderPosted, id *big.Int, from *account, o orderSpec) {
	t.Helper()
	wantBig(t, "OrderPosted.id", ev.Id, id)
	if ev.Requester != from.addr || ev.Provider != o.provider {
		t.Errorf("OrderPosted requester, provider = %v, %v, want %v, %v", ev.Requester, ev.Provider, from.addr, o.provider)
	}
	if ev.AppDigest != o.appDigest || ev.AppURI != o.appURI || ev.Runtime != o.runtime {
		t.Errorf("OrderPosted app = %x %q %d, want %x %q %d",
			ev.AppDigest, ev.AppURI, ev.Runtime, o.appDigest, o.appURI, o.runtime)
	}
	if !slices.Equal(ev.Inputs, o.inputs) || !slices.Equal(ev.Args, o.args) {
		t.Errorf("OrderPosted inputs, args = %x, %q, want %x, %q", ev.Inputs, ev.Args, o.inputs, o.args)
	}
	wantBig(t, "OrderPosted.tasks", ev.Tasks, big.NewInt(o.tasks))
	wantBig(t, "OrderPosted.pricePerTask", ev.PricePerTask, o.price)
	wantBig(t, "OrderPosted.deadline", ev.Deadline, new(big.Int).SetUint64(o.deadline))
}

func TestPostOrder(t *testing.T) {
	m := newMarket(t)
	m.deposit(m.req, ether)
	o := m.newOrder()
	cost := mul(o.price, o.tasks)

	tooBig := o
	tooBig.tasks = 1000
	m.wantRevert(m.req, nil, m.packOrder(tooBig),
		&HearthMarketInsufficientEscrow{Balance: ether, Needed: mul(o.price, 1000)})
	m.wantRevert(m.stranger, nil, m.packOrder(o),
		&HearthMarketInsufficientEscrow{Balance: new(big.Int), Needed: cost})
	noTasks := o
	noTasks.tasks = 0
	m.wantRevert(m.req, nil, m.packOrder(noTasks), &HearthMarketBadOrder{Reason: "no tasks"})
	noDigest := o
	noDigest.appDigest = [32]byte{}
	m.wantRevert(m.req, nil, m.packOrder(noDigest), &HearthMarketBadOrder{Reason: "no app digest"})
	for _, ago := range []uint64{0, 60} {
		late := o
		late.deadline = m.now() - ago
		m.wantRevert(m.req, nil, m.packOrder(late),
			&HearthMarketDeadlinePassed{Id: new(big.Int), Deadline: new(big.Int).SetUint64(late.deadline)})
	}
	wantBig(t, "orderCount after rejected orders", m.orderCount(), new(big.Int))

	id, r := m.post(m.req, o)
	wantBig(t, "first id", id, common.Big1)
	checkPosted(t, events(t, r, m.abi.UnpackOrderPostedEvent)[0], id, m.req, o)
	wantBig(t, "balanceOf(req)", m.balanceOf(m.req), new(big.Int).Sub(ether, cost))

	got := m.order(id)
	want := HearthMarketOrder{
		Requester: m.req.addr, PricePerTask: o.price, Provider: common.Address{},
		Deadline: new(big.Int).SetUint64(o.deadline), Tasks: big.NewInt(o.tasks), TasksDone: new(big.Int),
		Status: statusOpen, AppDigest: o.appDigest, SpecHash: specHash(t, o),
	}
	if describe(got) != describe(want) {
		t.Errorf("getOrder(%v) = %s\nwant %s", id, describe(got), describe(want))
	}
	if h := m.specHashOf(o); h != got.SpecHash {
		t.Errorf("specHashOf = %x, stored specHash = %x", h, got.SpecHash)
	}

	// An OCI order for one provider, with several inputs and no args.
	o2 := m.newOrder()
	o2.provider = m.prov.addr
	o2.appURI = "oci://registry.example/hearth/transcode@sha256:ab12"
	o2.runtime = runtimeOci
	o2.inputs = [][32]byte{crypto.Keccak256Hash([]byte("a")), crypto.Keccak256Hash([]byte("b")), {}}
	o2.args = nil
	o2.tasks = 3
	o2.price = big.NewInt(7)
	id2, r := m.post(m.req, o2)
	wantBig(t, "second id", id2, big.NewInt(2))
	checkPosted(t, events(t, r, m.abi.UnpackOrderPostedEvent)[0], id2, m.req, o2)
	if got2 := m.order(id2); got2.SpecHash != specHash(t, o2) || got2.SpecHash != m.specHashOf(o2) || got2.Provider != m.prov.addr {
		t.Errorf("getOrder(2) = %s, want specHash %x and provider %v", describe(got2), specHash(t, o2), m.prov.addr)
	}
	wantBig(t, "balanceOf(req)", m.balanceOf(m.req), new(big.Int).Sub(ether, add(cost, big.NewInt(21))))
	wantBig(t, "orderCount", m.orderCount(), big.NewInt(2))
}

func TestAcceptOrders(t *testing.T) {
	m := newMarket(t)
	m.register(m.prov)
	m.register(m.prov2)
	m.deposit(m.req, ether)

	anyone, _ := m.post(m.req, m.newOrder())
	o := m.newOrder()
	o.provider = m.prov.addr
	forProv, _ := m.post(m.req, o)
	o.provider = m.prov2.addr
	forProv2, _ := m.post(m.req, o)
	soon := m.newOrder()
	soon.deadline = m.now() + 100
	due, _ := m.post(m.req, soon)

	m.wantRevert(m.stranger, nil, m.abi.PackAcceptOrders([]*big.Int{anyone}),
		&HearthMarketNotProvider{Account: m.stranger.addr})
	// One bad order fails the whole batch, naming it.
	m.wantRevert(m.prov, nil, m.abi.PackAcceptOrders([]*big.Int{anyone, forProv2}),
		&HearthMarketNotYourOrder{Id: forProv2})
	m.wantRevert(m.prov, nil, m.abi.PackAcceptOrders([]*big.Int{anyone, big.NewInt(99)}),
		&HearthMarketWrongStatus{Id: big.NewInt(99), Status: statusNone})
	if s := m.order(anyone).Status; s != statusOpen {
		t.Fatalf("order %v status %d after a failed batch, want Open", anyone, s)
	}

	r := m.accept(m.prov, anyone, forProv)
	evs := events(t, r, m.abi.UnpackOrderAcceptedEvent)
	if len(evs) != 2 || evs[0].Id.Cmp(anyone) != 0 || evs[1].Id.Cmp(forProv) != 0 ||
		evs[0].Provider != m.prov.addr || evs[1].Provider != m.prov.addr {
		t.Errorf("OrderAccepted events = %+v", evs)
	}
	for _, id := range []*big.Int{anyone, forProv} {
		if got := m.order(id); got.Status != statusAccepted || got.Provider != m.prov.addr {
			t.Errorf("order %v after accept: status %d provider %v", id, got.Status, got.Provider)
		}
	}
	if n := m.provider(m.prov).OpenOrders; n != 2 {
		t.Errorf("prov openOrders = %d, want 2", n)
	}

	m.wantRevert(m.prov, nil, m.abi.PackAcceptOrders([]*big.Int{anyone}),
		&HearthMarketWrongStatus{Id: anyone, Status: statusAccepted})
	m.wantRevert(m.prov2, nil, m.abi.PackAcceptOrders([]*big.Int{forProv2, anyone}),
		&HearthMarketWrongStatus{Id: anyone, Status: statusAccepted})
	// The same id twice in a batch is not counted twice.
	m.wantRevert(m.prov2, nil, m.abi.PackAcceptOrders([]*big.Int{forProv2, forProv2}),
		&HearthMarketWrongStatus{Id: forProv2, Status: statusAccepted})

	m.advance(200 * time.Second)
	m.wantRevert(m.prov, nil, m.abi.PackAcceptOrders([]*big.Int{due}),
		&HearthMarketDeadlinePassed{Id: due, Deadline: new(big.Int).SetUint64(soon.deadline)})

	m.accept(m.prov2, forProv2)
	if n := m.provider(m.prov2).OpenOrders; n != 1 {
		t.Errorf("prov2 openOrders = %d, want 1", n)
	}
	if n := m.provider(m.prov).OpenOrders; n != 2 {
		t.Errorf("prov openOrders = %d, want 2", n)
	}
}

func TestSettle(t *testing.T) {
	m := newMarket(t)
	m.register(m.prov)
	m.register(m.prov2)
	m.deposit(m.req, ether)
	m.deposit(m.req2, ether)

	oa := m.newOrder() // 10 tasks
	a, _ := m.post(m.req, oa)
	ob := m.newOrder()
	ob.tasks, ob.price = 5, big.NewInt(3_000_000_000_000_003)
	b, _ := m.post(m.req2, ob)
	oc := m.newOrder()
	oc.tasks = 4
	c, _ := m.post(m.req, oc)
	od := m.newOrder()
	d, _ := m.post(m.req, od)
	open, _ := m.post(m.req, m.newOrder())
	m.accept(m.prov, a, b, c)
	m.accept(m.prov2, d)

	settle := func(s ...HearthMarketSettlement) []byte { return m.abi.PackSettle(s) }
	m.wantRevert(m.prov2, nil, settle(settlement(a, 7)), &HearthMarketNotYourOrder{Id: a})
	m.wantRevert(m.prov, nil, settle(settlement(a, 7), settlement(d, 1)), &HearthMarketNotYourOrder{Id: d})
	m.wantRevert(m.stranger, nil, settle(settlement(a, 7)), &HearthMarketNotYourOrder{Id: a})
	m.wantRevert(m.prov, nil, settle(settlement(a, 11)),
		&HearthMarketTooManyTasksDone{Id: a, TasksDone: big.NewInt(11), Tasks: big.NewInt(10)})
	m.wantRevert(m.prov, nil, settle(settlement(a, 7), settlement(open, 1)),
		&HearthMarketWrongStatus{Id: open, Status: statusOpen})

	provBal, reqBal, req2Bal := m.balanceOf(m.prov), m.balanceOf(m.req), m.balanceOf(m.req2)
	r := m.mustSend(m.prov, nil, settle(settlement(a, 7), settlement(b, 5), settlement(c, 0)))

	type want struct {
		id           *big.Int
		done         int64
		paid, refund *big.Int
		requester    *account
	}
	wants := []want{
		{a, 7, mul(oa.price, 7), mul(oa.price, 3), m.req},
		{b, 5, mul(ob.price, 5), new(big.Int), m.req2},
		{c, 0, new(big.Int), mul(oc.price, 4), m.req},
	}
	evs := events(t, r, m.abi.UnpackOrderSettledEvent)
	if len(evs) != len(wants) {
		t.Fatalf("%d OrderSettled events, want %d", len(evs), len(wants))
	}
	for i, w := range wants {
		ev := evs[i]
		if ev.Id.Cmp(w.id) != 0 || ev.Provider != m.prov.addr || ev.ResultRoot != resultRoot(w.id) ||
			ev.TasksDone.Int64() != w.done || ev.Paid.Cmp(w.paid) != 0 || ev.Refunded.Cmp(w.refund) != 0 {
			t.Errorf("OrderSettled[%d] = %+v, want id %v done %d paid %v refunded %v",
				i, ev, w.id, w.done, w.paid, w.refund)
		}
		o := m.order(w.id)
		if o.Status != statusSettled || o.ResultRoot != resultRoot(w.id) || o.TasksDone.Int64() != w.done ||
			o.Provider != m.prov.addr || o.Requester != w.requester.addr {
			t.Errorf("getOrder(%v) = %s", w.id, describe(o))
		}
	}
	wantBig(t, "balanceOf(prov)", m.balanceOf(m.prov), add(provBal, wants[0].paid, wants[1].paid))
	wantBig(t, "balanceOf(req)", m.balanceOf(m.req), add(reqBal, wants[0].refund, wants[2].refund))
	wantBig(t, "balanceOf(req2)", m.balanceOf(m.req2), req2Bal)
	if n := m.provider(m.prov).OpenOrders; n != 0 {
		t.Errorf("prov openOrders = %d, want 0", n)
	}

	m.wantRevert(m.prov, nil, settle(settlement(a, 7)), &HearthMarketWrongStatus{Id: a, Status: statusSettled})
	m.wantRevert(m.prov, nil, settle(settlement(b, 1)), &HearthMarketWrongStatus{Id: b, Status: statusSettled})

	prov2Bal := m.balanceOf(m.prov2)
	m.mustSend(m.prov2, nil, settle(settlement(d, 10)))
	wantBig(t, "balanceOf(prov2)", m.balanceOf(m.prov2), add(prov2Bal, mul(od.price, 10)))
	if n := m.provider(m.prov2).OpenOrders; n != 0 {
		t.Errorf("prov2 openOrders = %d, want 0", n)
	}
}

func TestReclaim(t *testing.T) {
	m := newMarket(t)
	m.register(m.prov)
	m.deposit(m.req, ether)

	o := m.newOrder()
	o.deadline = m.now() + 600
	open, _ := m.post(m.req, o)
	accepted, _ := m.post(m.req, o)
	done, _ := m.post(m.req, o)
	m.accept(m.prov, accepted, done)
	m.mustSend(m.prov, nil, m.abi.PackSettle([]HearthMarketSettlement{settlement(done, 10)}))

	deadline := new(big.Int).SetUint64(o.deadline)
	m.wantRevert(m.req, nil, m.abi.PackReclaim(open), &HearthMarketDeadlineNotPassed{Id: open, Deadline: deadline})
	m.wantRevert(m.req, nil, m.abi.PackReclaim(accepted), &HearthMarketDeadlineNotPassed{Id: accepted, Deadline: deadline})
	m.wantRevert(m.stranger, nil, m.abi.PackReclaim(open), &HearthMarketNotYourOrder{Id: open})
	m.wantRevert(m.prov, nil, m.abi.PackReclaim(accepted), &HearthMarketNotYourOrder{Id: accepted})
	m.wantRevert(m.req, nil, m.abi.PackReclaim(big.NewInt(99)), &HearthMarketNotYourOrder{Id: big.NewInt(99)})

	m.advance(601 * time.Second)
	if now := m.now(); now < o.deadline {
		t.Fatalf("chain time %d still before the deadline %d", now, o.deadline)
	}
	escrow := mul(o.price, o.tasks)

	for _, id := range []*big.Int{open, accepted} {
		before := m.balanceOf(m.req)
		openOrders := m.provider(m.prov).OpenOrders
		wasAccepted := m.order(id).Status == statusAccepted
		r := m.mustSend(m.req, nil, m.abi.PackReclaim(id))
		wantBig(t, "balanceOf(req) after reclaim", m.balanceOf(m.req), add(before, escrow))
		evs := events(t, r, m.abi.UnpackOrderReclaimedEvent)
		if len(evs) != 1 || evs[0].Id.Cmp(id) != 0 || evs[0].Requester != m.req.addr || evs[0].Refunded.Cmp(escrow) != 0 {
			t.Errorf("OrderReclaimed events = %+v, want id %v refunded %v", evs, id, escrow)
		}
		if s := m.order(id).Status; s != statusReclaimed {
			t.Errorf("order %v status %d, want Reclaimed", id, s)
		}
		wantOpen := openOrders
		if wasAccepted {
			wantOpen--
		}
		if n := m.provider(m.prov).OpenOrders; n != wantOpen {
			t.Errorf("prov openOrders after reclaiming order %v = %d, want %d", id, n, wantOpen)
		}
		m.wantRevert(m.req, nil, m.abi.PackReclaim(id), &HearthMarketWrongStatus{Id: id, Status: statusReclaimed})
	}
	m.wantRevert(m.prov, nil, m.abi.PackSettle([]HearthMarketSettlement{settlement(accepted, 10)}),
		&HearthMarketWrongStatus{Id: accepted, Status: statusReclaimed})
	m.wantRevert(m.req, nil, m.abi.PackReclaim(done), &HearthMarketWrongStatus{Id: done, Status: statusSettled})

	// With nothing left open the provider may leave.
	m.mustSend(m.prov, nil, m.abi.PackExit())
}
