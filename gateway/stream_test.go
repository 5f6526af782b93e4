package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/internal/mosquitto"
	"github.com/hearth-home/hearth/internal/mosquitto/mosquittotest"
	"github.com/hearth-home/hearth/store"
	"github.com/hearth-home/hearth/stream"
)

// A window function may be an OCI image (examples/streams/average's
// stream-oci.yaml): the gateway takes an image archive for runtime oci and
// refuses anything else with a message that says how to make one; a map
// function stays wasm only.
func TestStreamWindowImage(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	put := func(b []byte) string {
		d := store.DigestOf(b)
		if err := tg.admin.PutBlob(ctx, string(d), bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatal(err)
		}
		return string(d)
	}
	image, notImage := put(packArchive(t, "linux/amd64", "linux/arm64")), put([]byte("\x00asm\x01\x00\x00\x00"))
	spec := api.StreamSpec{Name: "avg", Topics: []string{"sensors/#"}, Kind: api.StreamWindow, Runtime: "oci", AppDigest: image,
		Window: &api.WindowSpec{Size: api.Duration(time.Minute)}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatalf("a window function as an image: %v", err)
	}
	spec.Name, spec.AppDigest = "avg2", notImage
	if _, err := tg.admin.DeployStream(ctx, spec); !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), "hearth image pack") {
		t.Errorf("runtime oci with a wasm module: %v; want a bad request that says how to make an image", err)
	}
	spec.Name, spec.Kind, spec.Window, spec.AppDigest = "map", api.StreamMap, nil, image
	if _, err := tg.admin.DeployStream(ctx, spec); !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), "runs as wasm only") {
		t.Errorf("a map function as an image: %v; want a bad request", err)
	}
}

// A durable partition's commit joins the transaction of the next batch
// (runIngest), with the other partitions' commits: a commit beyond its
// partition's head is refused on its own (400, nothing applied), the
// others apply, and a commit sent again applies nothing twice.
func TestStreamCommits(t *testing.T) {
	b := mosquittotest.Start(t)
	tg := startGateway(t, t.TempDir(), Config{MQTT: b.URL()})
	ctx := context.Background()
	d := putDummyApp(t, tg)
	spec := api.StreamSpec{Name: "s", Topics: []string{"in/#"}, Partitions: 2, AppDigest: string(d),
		Output: api.StreamOutputSpec{Topic: "out/{topic}"}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	ls, err := n.c.Lease(ctx, api.LeaseRequest{Runtimes: []string{"wasm"}, Streams: 2, Wait: api.Duration(2 * time.Second)})
	if err != nil || len(ls) != 2 {
		t.Fatalf("leases %d, %v; want both partitions", len(ls), err)
	}
	// A topic for each partition, a few messages on each.
	var topics [2]string
	for i := 0; topics[0] == "" || topics[1] == ""; i++ {
		tp := fmt.Sprintf("in/%d", i)
		topics[stream.Partition(tp, 2)] = tp
	}
	pub := connectMQTT(t, b, "pub")
	for _, tp := range topics {
		for i := range 3 {
			pub.Publish(tp, 1, false, fmt.Sprintf(`{"n": %d}`, i)).Wait()
		}
	}
	batches := map[int]api.StreamBatch{}
	for _, l := range ls {
		req := api.StreamPull{LeaseID: l.ID, Max: 10, Wait: api.Duration(time.Second)}
		for len(batches[l.Index].Messages) < 3 {
			got, err := n.c.StreamPull(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Messages) >= 3 {
				batches[l.Index] = got
			}
		}
	}
	// Both at once: partition 0 commits its 3 messages with an output each,
	// partition 1 commits past its head.
	pulls := make([]api.StreamPull, 2)
	for _, l := range ls {
		req := api.StreamPull{LeaseID: l.ID, Max: -1, Committed: 3}
		if l.Index == 1 {
			req.Committed = 99
		} else {
			for _, m := range batches[l.Index].Messages {
				req.Outputs = append(req.Outputs, api.StreamOutput{Offset: m.Offset, Payload: []byte(`{"ok": true}`)})
			}
		}
		pulls[l.Index] = req
	}
	errs := make(chan error, 2)
	for _, req := range pulls {
		go func() { _, err := n.c.StreamPull(ctx, req); errs <- err }()
	}
	var failed []error
	for range 2 {
		if err := <-errs; err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) != 1 || !errors.Is(failed[0], api.ErrBadRequest) || !strings.Contains(failed[0].Error(), "beyond partition 1's head 3") {
		t.Fatalf("errors %v; want one bad request, for the commit past partition 1's head", failed)
	}
	if _, err := n.c.StreamPull(ctx, pulls[0]); err != nil { // again: nothing applied twice
		t.Fatal(err)
	}
	st, err := tg.admin.Stream(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if p := st.Partitions; p[0].Committed != 3 || p[1].Committed != 0 || p[1].Head != 3 {
		t.Errorf("partitions %+v; want 0 committed to 3, 1 untouched", p)
	}
	if c := st.Counts; c.Processed != 3 || c.Published+c.Pending != 3 || c.Received != 6 {
		t.Errorf("counts %+v; want 6 received, 3 processed, 3 outputs", c)
	}
}

// A durable partition's waiting pull is handed the messages of the
// transaction being committed (its tail), so that the function runs
// during the fsync. When that transaction fails instead, the messages come
// again at new offsets: the device's commit of the ones it had covers only
// a gap, whose outputs are dropped, and each message is published once.
// After a restart, a lease from before it cannot commit beyond the head
// that was stored.
func TestStreamTail(t *testing.T) {
	b := mosquittotest.Start(t)
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{MQTT: b.URL()})
	ctx := context.Background()
	d := putDummyApp(t, tg)
	spec := api.StreamSpec{Name: "s", Topics: []string{"in"}, Partitions: 1, AppDigest: string(d),
		Output: api.StreamOutputSpec{Topic: "out"}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	ls, err := n.c.Lease(ctx, api.LeaseRequest{Runtimes: []string{"wasm"}, Streams: 1, Wait: api.Duration(2 * time.Second)})
	if err != nil || len(ls) != 1 {
		t.Fatalf("leases %d, %v; want the partition", len(ls), err)
	}
	outs := make(chan string, 10)
	sub := connectMQTT(t, b, "sub")
	if tok := sub.Subscribe("out", 1, func(_ mqtt.Client, m mqtt.Message) { outs <- string(m.Payload()) }); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	pub := connectMQTT(t, b, "pub")

	pull := func(req api.StreamPull) api.StreamBatch {
		t.Helper()
		req.LeaseID, req.Max = ls[0].ID, 10
		if req.Wait == 0 {
			req.Wait = api.Duration(5 * time.Second)
		}
		got, err := n.c.StreamPull(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	answer := func(msgs []api.StreamMessage) (outs []api.StreamOutput) {
		for _, m := range msgs {
			outs = append(outs, api.StreamOutput{Offset: m.Offset, Payload: m.Payload})
		}
		return outs
	}
	offsets := func(msgs []api.StreamMessage) (o []uint64) {
		for _, m := range msgs {
			o = append(o, m.Offset)
		}
		return o
	}
	pub.Publish("in", 1, false, `{"n":0}`).Wait()
	first := pull(api.StreamPull{})
	if got := offsets(first.Messages); len(got) != 1 || got[0] != 0 {
		t.Fatalf("first pull: offsets %v; want [0]", got)
	}
	pull(api.StreamPull{Committed: 1, Outputs: answer(first.Messages), Wait: api.Duration(time.Millisecond)})
	published := func(want string) {
		t.Helper()
		select {
		case o := <-outs:
			if o != want {
				t.Fatalf("output %q; want %q", o, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no output; want %q", want)
		}
		for { // and its deletion from the outbox stored
			st, err := tg.admin.Stream(ctx, "s")
			if err != nil {
				t.Fatal(err)
			}
			if st.Counts.Pending == 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	published(`{"n":0}`)

	// The next message's transaction waits until the pull has its tail,
	// then fails, as long as failing is set.
	var failing atomic.Bool
	served := make(chan struct{})
	hook := func() error {
		if failing.Load() {
			<-served
			return errors.New("injected: the commit failed")
		}
		return nil
	}
	tg.ingestHook.Store(&hook)
	handOut := func(committed uint64, payload string) api.StreamBatch {
		t.Helper()
		failing.Store(true)
		served = make(chan struct{})
		pulled := make(chan api.StreamBatch, 1)
		go func() { pulled <- pull(api.StreamPull{Committed: committed}) }()
		time.Sleep(200 * time.Millisecond) // waiting
		pub.Publish("in", 1, false, payload).Wait()
		select {
		case b := <-pulled:
			return b
		case <-time.After(5 * time.Second):
			t.Fatal("the waiting pull was not handed the message being stored")
		}
		return api.StreamBatch{}
	}
	tail := handOut(1, `{"n":1}`)
	failing.Store(false)
	close(served)
	if got := offsets(tail.Messages); !slices.Equal(got, []uint64{1}) || string(tail.Messages[0].Payload) != `{"n":1}` {
		t.Fatalf("pull during the transaction: offsets %v (%+v); want [1], from the tail", got, tail)
	}
	// The batch is logged again (runIngest tries again after a second) at
	// offset 2; the commit of 1 drops its output.
	next := pull(api.StreamPull{Committed: 2, Outputs: answer(tail.Messages)})
	for i := 0; len(next.Messages) == 0 && i < 10; i++ {
		next = pull(api.StreamPull{Committed: 2})
	}
	if got := offsets(next.Messages); !slices.Equal(got, []uint64{2}) || string(next.Messages[0].Payload) != `{"n":1}` {
		t.Fatalf("after the failed transaction: offsets %v; want [2], the message again", got)
	}
	pull(api.StreamPull{Committed: 3, Outputs: answer(next.Messages), Wait: api.Duration(time.Millisecond)})
	published(`{"n":1}`)
	select {
	case o := <-outs:
		t.Fatalf("output %q again; want each once", o)
	case <-time.After(500 * time.Millisecond):
	}

	// A transaction that never stores (the gateway stops first): after
	// the restart, the old lease's commit of what it was handed from the
	// tail is dropped, and the message it had comes again.
	tail = handOut(3, `{"n":2}`)
	if got := offsets(tail.Messages); !slices.Equal(got, []uint64{3}) {
		t.Fatalf("tail %v; want [3]", got)
	}
	close(served) // failing still: it is never stored
	tg.stop()
	tg = startGateway(t, dir, Config{MQTT: b.URL()})
	n = &testNode{id: n.id}
	if n.c, err = api.NewAgentClient(tg.Addr().String(), n.id, identity.Pin(tg.ID())); err != nil {
		t.Fatal(err)
	}
	n.hello(t, tg.JoinToken().String())
	stop := pull(api.StreamPull{Committed: 4, Outputs: answer(tail.Messages)})
	if stop.Stop == "" || stop.Committed != 3 {
		t.Fatalf("the old lease's commit after a restart: %+v; want a stop, committed still 3", stop)
	}
	st, err := tg.admin.Stream(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if p := st.Partitions[0]; p.Committed != 3 {
		t.Errorf("partition %+v; want committed 3", p)
	}
	select {
	case o := <-outs:
		t.Errorf("output %q of a message that was never stored", o)
	case <-time.After(500 * time.Millisecond):
	}
}

// A stream deployed, updated or removed while a durable transaction is
// being committed (without the streams' lock) waits for it: a failed
// commit does not undo the update, and a removal does not race the
// transaction's wake-ups.
func TestStreamChangeDuringCommit(t *testing.T) {
	b := mosquittotest.Start(t)
	tg := startGateway(t, t.TempDir(), Config{MQTT: b.URL()})
	ctx := context.Background()
	d := putDummyApp(t, tg)
	spec := api.StreamSpec{Name: "s", Topics: []string{"in"}, Partitions: 1, AppDigest: string(d),
		Output: api.StreamOutputSpec{Topic: "out"}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	pub := connectMQTT(t, b, "pub")

	// commitBlocked publishes a message whose transaction waits for
	// release, then fails or not, while change runs; change must wait.
	commitBlocked := func(fail bool, change func() error) {
		t.Helper()
		var once atomic.Bool
		release, entered := make(chan struct{}), make(chan struct{})
		hook := func() error {
			if !once.CompareAndSwap(false, true) {
				return nil
			}
			close(entered)
			<-release
			if fail {
				return errors.New("injected: the commit failed")
			}
			return nil
		}
		tg.ingestHook.Store(&hook)
		defer tg.ingestHook.Store(nil)
		pub.Publish("in", 1, false, `{"n":1}`).Wait()
		select {
		case <-entered:
		case <-time.After(5 * time.Second):
			t.Fatal("no transaction for the message")
		}
		changed := make(chan error, 1)
		go func() { changed <- change() }()
		select {
		case err := <-changed:
			t.Fatalf("the change went on during the commit (%v); want it to wait", err)
		case <-time.After(300 * time.Millisecond):
		}
		close(release)
		select {
		case err := <-changed:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the change still waits after the commit")
		}
	}

	spec.Output.Topic = "out2"
	commitBlocked(true, func() error { _, err := tg.admin.UpdateStream(ctx, spec); return err })
	st, err := tg.admin.Stream(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if st.Spec.Output.Topic != "out2" || st.Version != 2 {
		t.Errorf("after an update during a failed commit: version %d, output %q; want 2, out2", st.Version, st.Spec.Output.Topic)
	}
	commitBlocked(false, func() error { return tg.admin.RemoveStream(ctx, "s") })
	if _, err := tg.admin.Stream(ctx, "s"); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("after a removal during a commit: %v; want not found", err)
	}
	if _, err := tg.admin.Status(ctx); err != nil {
		t.Errorf("the gateway after it: %v", err)
	}
}

// putDummyApp uploads a module header, enough for a stream that no agent
// runs, and returns its digest.
func putDummyApp(t *testing.T, tg *testGateway) store.Digest {
	t.Helper()
	app := []byte("\x00asm\x01\x00\x00\x00")
	d := store.DigestOf(app)
	if err := tg.admin.PutBlob(context.Background(), string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	return d
}

// connectMQTT connects a client of broker b, disconnected at the test's end.
func connectMQTT(t *testing.T, b *mosquitto.Broker, id string) mqtt.Client {
	t.Helper()
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + b.Addr()).SetClientID(id))
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

// The heartbeat's answer says whether the pool has stream partitions to
// lease, so that agents hold no request for them open in a pool that runs
// no stream: none before a stream is deployed, some while it runs, none
// again once it is removed.
func TestHeartbeatSaysNoStreams(t *testing.T) {
	b := mosquittotest.Start(t)
	tg := startGateway(t, t.TempDir(), Config{MQTT: b.URL()})
	ctx := context.Background()
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	noStreams := func() bool {
		t.Helper()
		resp, err := n.c.Heartbeat(ctx, api.Heartbeat{})
		if err != nil {
			t.Fatal(err)
		}
		return resp.NoStreams
	}
	if !noStreams() {
		t.Error("no stream deployed, yet the heartbeat's answer leaves out no_streams")
	}
	spec := api.StreamSpec{Name: "s", Topics: []string{"in"}, Partitions: 1, AppDigest: string(putDummyApp(t, tg)),
		Output: api.StreamOutputSpec{Topic: "out"}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	if noStreams() {
		t.Error("a stream's partition is queued, yet the heartbeat's answer says no_streams")
	}
	if ls, err := n.c.Lease(ctx, api.LeaseRequest{Runtimes: []string{"wasm"}, Streams: 1, Wait: api.Duration(2 * time.Second)}); err != nil || len(ls) != 1 {
		t.Fatalf("leases %d, %v; want the partition", len(ls), err)
	}
	if noStreams() {
		t.Error("a stream's partition is leased, yet the heartbeat's answer says no_streams")
	}
	if err := tg.admin.RemoveStream(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	if !noStreams() {
		t.Error("the only stream was removed, yet the heartbeat's answer leaves out no_streams")
	}
}
