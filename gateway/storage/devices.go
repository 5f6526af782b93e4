package storage

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// Devices are the pool's devices that keep shards (hearth-agent
// --storage-dir), as their polls show them, and the shard operations the
// gateway has asked of them. A device holds a poll open
// (POST /v1/agent/storage/poll); an operation queued for it answers that
// poll, and the device then fetches or sends the shard and reports done
// (api.StorageOp). So the gateway never dials a device: everything rides
// the device's own mutual-TLS session.
type Devices struct {
	routes  sync.Once
	mux     *http.ServeMux
	started time.Time
	mu      sync.Mutex
	devs    map[string]*device
	ops     map[string]*op
}

// Device is what a device last said of itself.
type Device struct {
	Node   string    `json:"node"`
	Free   int64     `json:"free"`
	Used   int64     `json:"used"`
	Shards int       `json:"shards"`
	Seen   time.Time `json:"seen"`
	Live   bool      `json:"live"`
}

type device struct {
	Device
	polling int           // polls open now
	queue   []*op         // not yet handed to the device
	wake    chan struct{} // closed when the queue grows
}

type op struct {
	api.StorageOp
	node  string
	body  []byte // a put's shard
	taken bool   // handed to the device
	done  chan opResult
}

type opResult struct {
	body []byte // a get's shard
	err  error
}

const (
	// liveWindow: a device is live while a poll of its is open or one
	// ended this recently (a device between two polls).
	liveWindow = 10 * time.Second
	// maxPollWait bounds how long a poll waits for work.
	maxPollWait = 25 * time.Second
	// opsPerPoll bounds the operations one poll's answer carries.
	opsPerPoll = 16
)

// ErrDevice is an operation a device failed or did not answer.
var ErrDevice = errors.New("storage device")

// ErrShardBad is a shard its device says it lacks or found damaged.
var ErrShardBad = errors.New("shard missing or damaged")

// NewDevices makes an empty set: devices join it by polling.
func NewDevices() *Devices {
	return &Devices{started: time.Now(), devs: map[string]*device{}, ops: map[string]*op{}}
}

// List is every device that has polled since the gateway started, by
// node ID.
func (ds *Devices) List() []Device {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	now := time.Now()
	out := make([]Device, 0, len(ds.devs))
	for _, d := range ds.devs {
		v := d.Device
		v.Live = d.liveLocked(now)
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Device) int { return cmp.Compare(a.Node, b.Node) })
	return out
}

// Live is the devices that poll now, most free space first.
func (ds *Devices) Live() []Device {
	out := slices.DeleteFunc(ds.List(), func(d Device) bool { return !d.Live })
	slices.SortStableFunc(out, func(a, b Device) int { return cmp.Compare(b.Free, a.Free) })
	return out
}

func (d *device) liveLocked(now time.Time) bool {
	return d.polling > 0 || now.Sub(d.Seen) < liveWindow
}

// do asks node to carry out o and waits for its answer, until ctx ends
// or the device stops polling before it took the operation.
func (ds *Devices) do(ctx context.Context, node string, o api.StorageOp, body []byte) ([]byte, error) {
	var raw [12]byte
	rand.Read(raw[:])
	o.ID = hex.EncodeToString(raw[:])
	p := &op{StorageOp: o, node: node, body: body, done: make(chan opResult, 1)}
	ds.mu.Lock()
	d := ds.devs[node]
	if d == nil || !d.liveLocked(time.Now()) {
		ds.mu.Unlock()
		return nil, fmt.Errorf("%w %s is not connected", ErrDevice, short(node))
	}
	ds.ops[p.ID] = p
	d.queue = append(d.queue, p)
	close(d.wake)
	d.wake = make(chan struct{})
	ds.mu.Unlock()
	defer func() {
		ds.mu.Lock()
		delete(ds.ops, p.ID)
		if d := ds.devs[node]; d != nil {
			d.queue = slices.DeleteFunc(d.queue, func(q *op) bool { return q == p })
		}
		ds.mu.Unlock()
	}()
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case r := <-p.done:
			return r.body, r.err
		case <-ctx.Done():
			return nil, fmt.Errorf("%w %s: %s %s: no answer: %w", ErrDevice, short(node), o.Kind, o.Name, ctx.Err())
		case <-tick.C:
			ds.mu.Lock()
			gone := !d.liveLocked(time.Now())
			ds.mu.Unlock()
			if gone {
				return nil, fmt.Errorf("%w %s went away during the %s of %s", ErrDevice, short(node), o.Kind, o.Name)
			}
		}
	}
}

// Put stores a shard on node, durably when it returns nil.
func (ds *Devices) Put(ctx context.Context, node, name, digest string, shard []byte) error {
	_, err := ds.do(ctx, node, api.StorageOp{Kind: api.ShardPut, Name: name, Digest: digest, Size: int64(len(shard))}, shard)
	return err
}

// Get fetches a shard from node; the caller checks it.
func (ds *Devices) Get(ctx context.Context, node, name string) ([]byte, error) {
	return ds.do(ctx, node, api.StorageOp{Kind: api.ShardGet, Name: name}, nil)
}

// Check asks node whether a shard is whole (ErrShardBad when not).
func (ds *Devices) Check(ctx context.Context, node, name string) error {
	_, err := ds.do(ctx, node, api.StorageOp{Kind: api.ShardCheck, Name: name}, nil)
	return err
}

// Names lists the shards on node whose names begin with prefix.
func (ds *Devices) Names(ctx context.Context, node, prefix string) ([]string, error) {
	body, err := ds.do(ctx, node, api.StorageOp{Kind: api.ShardList, Name: prefix}, nil)
	if err != nil || len(body) == 0 {
		return nil, err
	}
	return strings.Split(string(body), "\n"), nil
}

// Delete removes a shard from node.
func (ds *Devices) Delete(ctx context.Context, node, name string) error {
	_, err := ds.do(ctx, node, api.StorageOp{Kind: api.ShardDelete, Name: name}, nil)
	return err
}

// AgentRoutes serves the devices' calls under /v1/agent/storage/. node is
// the calling device's ID, from its client certificate: the caller
// checked that it is a member of the pool.
func (ds *Devices) AgentRoutes(w http.ResponseWriter, r *http.Request, node string) {
	ds.routes.Do(func() { ds.mux = ds.newMux() })
	ds.mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nodeKey{}, node)))
}

// nodeKey carries the calling device's node ID to the routes.
type nodeKey struct{}

func (ds *Devices) newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/agent/storage/poll", func(w http.ResponseWriter, r *http.Request) {
		node := r.Context().Value(nodeKey{}).(string)
		var req api.StoragePoll
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			writeErr(w, http.StatusBadRequest, "bad_request", "storage poll: "+err.Error())
			return
		}
		writeJSON(w, api.StorageOps{Ops: ds.poll(r.Context(), node, req)})
	})
	mux.HandleFunc("GET /v1/agent/storage/ops/{id}", func(w http.ResponseWriter, r *http.Request) {
		node := r.Context().Value(nodeKey{}).(string)
		p := ds.opOf(node, r.PathValue("id"), api.ShardPut)
		if p == nil {
			writeErr(w, http.StatusNotFound, "not_found", "no such shard operation for this device (it timed out?)")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", fmt.Sprint(len(p.body)))
		w.Write(p.body)
	})
	mux.HandleFunc("PUT /v1/agent/storage/ops/{id}", func(w http.ResponseWriter, r *http.Request) {
		node := r.Context().Value(nodeKey{}).(string)
		p := ds.opOf(node, r.PathValue("id"), "")
		if p == nil || p.Kind != api.ShardGet && p.Kind != api.ShardList {
			writeErr(w, http.StatusNotFound, "not_found", "no such shard operation for this device (it timed out?)")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxShard))
		if err != nil {
			writeErr(w, http.StatusBadRequest, "bad_request", "shard: "+err.Error())
			return
		}
		p.finish(opResult{body: body})
		writeJSON(w, map[string]string{})
	})
	mux.HandleFunc("POST /v1/agent/storage/ops/{id}/done", func(w http.ResponseWriter, r *http.Request) {
		node := r.Context().Value(nodeKey{}).(string)
		var done api.StorageDone
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&done); err != nil {
			writeErr(w, http.StatusBadRequest, "bad_request", "shard done: "+err.Error())
			return
		}
		if p := ds.opOf(node, r.PathValue("id"), ""); p != nil {
			var err error
			switch {
			case done.Code == "not_found" || done.Code == "digest":
				err = fmt.Errorf("%w: %s on %s: %s", ErrShardBad, p.Name, short(node), done.Error)
			case done.Error != "" || p.Kind == api.ShardGet || p.Kind == api.ShardList:
				err = fmt.Errorf("%w %s: %s %s: %s (%s)", ErrDevice, short(node), p.Kind, p.Name, done.Error, done.Code)
			}
			p.finish(opResult{err: err})
		}
		writeJSON(w, map[string]string{})
	})
	return mux
}

// maxShard bounds a shard a device sends: a file's largest (maxFile over
// one data shard) with room to spare.
const maxShard = 512 << 20

func (p *op) finish(r opResult) {
	select {
	case p.done <- r:
	default: // answered already
	}
}

// opOf is node's operation id, of kind when kind is set.
func (ds *Devices) opOf(node, id, kind string) *op {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	p := ds.ops[id]
	if p == nil || p.node != node || kind != "" && p.Kind != kind {
		return nil
	}
	return p
}

// poll records what the device says and waits for work.
func (ds *Devices) poll(ctx context.Context, node string, req api.StoragePoll) []api.StorageOp {
	wait := min(max(req.Wait.D(), 0), maxPollWait)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	ds.mu.Lock()
	d := ds.devs[node]
	if d == nil {
		d = &device{Device: Device{Node: node}, wake: make(chan struct{})}
		ds.devs[node] = d
	}
	d.Free, d.Used, d.Shards, d.Seen = req.Free, req.Used, req.Shards, time.Now()
	d.polling++
	defer func() {
		ds.mu.Lock()
		d.polling--
		d.Seen = time.Now()
		ds.mu.Unlock()
	}()
	for {
		if len(d.queue) > 0 {
			n := min(len(d.queue), opsPerPoll)
			out := make([]api.StorageOp, n)
			for i, p := range d.queue[:n] {
				p.taken, out[i] = true, p.StorageOp
			}
			d.queue = d.queue[n:]
			ds.mu.Unlock()
			return out
		}
		wake := d.wake
		ds.mu.Unlock()
		select {
		case <-wake:
		case <-timer.C:
			return nil
		case <-ctx.Done():
			return nil
		}
		ds.mu.Lock()
	}
}
