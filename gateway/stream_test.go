package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hearth-home/hearth/gateway/api"
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
	app := []byte("\x00asm\x01\x00\x00\x00")
	d := store.DigestOf(app)
	if err := tg.admin.PutBlob(ctx, string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
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
	pub := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + b.Addr()).SetClientID("pub"))
	if tok := pub.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer pub.Disconnect(100)
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
