package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// testDevice speaks the shard protocol as hearth-agent does, over HTTP to
// Devices.AgentRoutes, keeping its shards in memory. The e2e tests run
// the real agents; this one lets a test break a device at will.
type testDevice struct {
	node   string
	srv    *httptest.Server
	mu     sync.Mutex
	shards map[string][]byte
	free   atomic.Int64 // what its polls say it takes
	cancel context.CancelFunc
	done   chan struct{}
}

func startDevice(t *testing.T, srv *httptest.Server, node string) *testDevice {
	ctx, cancel := context.WithCancel(context.Background())
	d := &testDevice{node: node, srv: srv, shards: map[string][]byte{}, cancel: cancel, done: make(chan struct{})}
	d.free.Store(1 << 30)
	go d.run(ctx)
	t.Cleanup(d.stop)
	return d
}

func (d *testDevice) stop() {
	d.cancel()
	<-d.done
}

func (d *testDevice) call(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, method, d.srv.URL+path, body)
	req.Header.Set("X-Node", d.node)
	return http.DefaultClient.Do(req)
}

func (d *testDevice) run(ctx context.Context) {
	defer close(d.done)
	for ctx.Err() == nil {
		raw, _ := json.Marshal(api.StoragePoll{Free: d.free.Load(), Wait: api.Duration(time.Second)})
		resp, err := d.call(ctx, "POST", "/v1/agent/storage/poll", bytes.NewReader(raw))
		if err != nil {
			continue
		}
		var ops api.StorageOps
		json.NewDecoder(resp.Body).Decode(&ops)
		resp.Body.Close()
		for _, op := range ops.Ops {
			go d.do(ctx, op)
		}
	}
}

func (d *testDevice) do(ctx context.Context, op api.StorageOp) {
	done := api.StorageDone{}
	switch op.Kind {
	case api.ShardPut:
		resp, err := d.call(ctx, "GET", "/v1/agent/storage/ops/"+op.ID, nil)
		if err != nil {
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		d.mu.Lock()
		d.shards[op.Name] = b
		d.mu.Unlock()
	case api.ShardGet:
		d.mu.Lock()
		b, ok := d.shards[op.Name]
		d.mu.Unlock()
		if ok {
			if resp, err := d.call(ctx, "PUT", "/v1/agent/storage/ops/"+op.ID, bytes.NewReader(b)); err == nil {
				resp.Body.Close()
			}
			return
		}
		done.Error, done.Code = "no such shard", "not_found"
	case api.ShardDelete:
		d.mu.Lock()
		delete(d.shards, op.Name)
		d.mu.Unlock()
	case api.ShardList:
		var names []string
		d.mu.Lock()
		for n := range d.shards {
			if strings.HasPrefix(n, op.Name) {
				names = append(names, n)
			}
		}
		d.mu.Unlock()
		if resp, err := d.call(ctx, "PUT", "/v1/agent/storage/ops/"+op.ID, strings.NewReader(strings.Join(names, "\n"))); err == nil {
			resp.Body.Close()
		}
		return
	case api.ShardCheck:
		d.mu.Lock()
		b, ok := d.shards[op.Name]
		d.mu.Unlock()
		sum := sha256.Sum256(b)
		switch {
		case !ok:
			done.Error, done.Code = "no such shard", "not_found"
		case !strings.HasSuffix(op.Name, hex.EncodeToString(sum[:])):
			done.Error, done.Code = "damaged", "digest"
		}
	}
	raw, _ := json.Marshal(done)
	if resp, err := d.call(ctx, "POST", "/v1/agent/storage/ops/"+op.ID+"/done", bytes.NewReader(raw)); err == nil {
		resp.Body.Close()
	}
}

func (d *testDevice) bytes() (n int64, count int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, b := range d.shards {
		n += int64(len(b))
	}
	return n, len(d.shards)
}

type shardedRig struct {
	s    *Sharded
	devs []*testDevice
	path string
	srv  *httptest.Server
}

func newShardedRig(t *testing.T, n int) *shardedRig {
	devices := NewDevices()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		devices.AgentRoutes(w, r, r.Header.Get("X-Node"))
	}))
	t.Cleanup(srv.Close)
	r := &shardedRig{path: filepath.Join(t.TempDir(), "storage.db"), srv: srv}
	s, err := OpenSharded(r.path, &Sharded{Devices: devices, Quota: func(string) int64 { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r.s = s
	for i := range n {
		r.devs = append(r.devs, startDevice(t, srv, strings.Repeat(string(rune('a'+i)), 64)))
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(devices.Live()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d devices polled", len(devices.Live()), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return r
}

// randomBytes is n bytes that do not compress, the same for a seed.
func randomBytes(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func putFile(t *testing.T, s *Sharded, user, typ string, data []byte) string {
	t.Helper()
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:])
	if err := s.Put(user, typ, name, int64(len(data)), bytes.NewReader(data), nil); err != nil {
		t.Fatalf("put %s: %v", typ, err)
	}
	return name
}

func readFile(s *Sharded, user, typ, name string, off, length int64) ([]byte, error) {
	s.cache.drop(string(fileKey(user, typ, name))) // from the devices, every time
	rc, err := s.Open(user, typ, name, off, length)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// Five devices: 3+2. A file survives any two devices lost, a damaged
// shard is caught by its hash, a third loss is a clear error and never a
// wrong file; small files are kept whole on three devices.
func TestShardedSurvivesTwoLostDevices(t *testing.T) {
	r := newShardedRig(t, 5)
	s := r.s
	if err := s.Create("laptop"); err != nil {
		t.Fatal(err)
	}
	big := randomBytes(5<<20+12345, 1)
	small := []byte(`{"version":2}`)
	bigName := putFile(t, s, "laptop", "data", big)
	smallName := putFile(t, s, "laptop", "keys", small)

	m, err := s.meta("laptop", "data", bigName)
	if err != nil {
		t.Fatal(err)
	}
	if m.K != 3 || m.M != 2 || len(m.Shards) != 5 {
		t.Fatalf("5 devices: %d+%d in %d shards, want 3+2", m.K, m.M, len(m.Shards))
	}
	nodes := map[string]bool{}
	for _, sh := range m.Shards {
		nodes[sh.Node] = true
	}
	if len(nodes) != 5 {
		t.Errorf("the shards sit on %d devices, want 5 distinct", len(nodes))
	}
	var stored int64
	for _, d := range r.devs {
		n, _ := d.bytes()
		stored += n
	}
	overhead := float64(stored-int64(3*len(small))) / float64(len(big))
	if overhead < 1.66 || overhead > 1.68 {
		t.Errorf("overhead %.3f, want 5/3", overhead)
	}
	if sm, _ := s.meta("laptop", "keys", smallName); sm.K != 1 || len(sm.Shards) != 3 {
		t.Errorf("a small file: k=%d in %d copies, want whole on 3", sm.K, len(sm.Shards))
	}

	check := func(what string) {
		t.Helper()
		got, err := readFile(s, "laptop", "data", bigName, 0, -1)
		if err != nil || !bytes.Equal(got, big) {
			t.Fatalf("%s: the big file read back wrong (%d bytes): %v", what, len(got), err)
		}
		part, err := readFile(s, "laptop", "data", bigName, 3<<20, 1000)
		if err != nil || !bytes.Equal(part, big[3<<20:3<<20+1000]) {
			t.Fatalf("%s: a range read back wrong: %v", what, err)
		}
		if got, err := readFile(s, "laptop", "keys", smallName, 0, -1); err != nil || !bytes.Equal(got, small) {
			t.Fatalf("%s: the small file read back wrong: %q %v", what, got, err)
		}
	}
	check("all devices up")

	// A device serves a damaged shard: its hash catches it.
	holder := func(sh shard) *testDevice {
		for _, d := range r.devs {
			if d.node == sh.Node {
				return d
			}
		}
		t.Fatalf("no device %s", sh.Node)
		return nil
	}
	d0 := holder(m.Shards[0])
	d0.mu.Lock()
	d0.shards[m.Shards[0].Name][100] ^= 1
	d0.mu.Unlock()
	check("a damaged data shard")

	// Two devices lost, their shards with them (data shards 1 and 2).
	for _, i := range []int{1, 2} {
		d := holder(m.Shards[i])
		d.stop()
		d.mu.Lock()
		clear(d.shards)
		d.mu.Unlock()
	}
	waitGone(t, s.Devices, 3)
	// With the damaged shard 0, only shards 3 and 4 are good: 2 of 3.
	if got, err := readFile(s, "laptop", "data", bigName, 0, -1); err == nil || !strings.Contains(err.Error(), "lost") {
		t.Fatalf("three shards gone: read %d bytes, err %v; want a 'lost' error", len(got), err)
	}
	d0.mu.Lock()
	d0.shards[m.Shards[0].Name][100] ^= 1 // mended
	d0.mu.Unlock()
	check("two devices lost")

	// Three live devices: new files are 2+1; a put needing more devices
	// than are live fails as unavailable, not as full.
	name3 := putFile(t, s, "laptop", "data", big[:1<<20])
	if m3, _ := s.meta("laptop", "data", name3); m3.K != 2 || m3.M != 1 {
		t.Errorf("3 devices: %d+%d, want 2+1", m3.K, m3.M)
	}
	s.Scheme = func(int) (int, int) { return 3, 2 }
	err = s.Put("laptop", "data", strings.Repeat("0", 64), 1<<20, bytes.NewReader(big[:1<<20]), nil)
	if !errors.Is(err, ErrUnavailable) {
		t.Errorf("3+2 on 3 devices: %v, want ErrUnavailable", err)
	}
}

func waitGone(t *testing.T, ds *Devices, live int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(ds.Live()) != live {
		if time.Now().After(deadline) {
			t.Fatalf("%d devices live, want %d", len(ds.Live()), live)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Deleting a file deletes its shards from the devices; the metadata
// outlives a restart of the gateway.
func TestShardedDeleteAndReopen(t *testing.T) {
	r := newShardedRig(t, 3)
	s := r.s
	s.Create("u")
	data := bytes.Repeat([]byte("hearth "), 100000)
	name := putFile(t, s, "u", "data", data)
	keep := putFile(t, s, "u", "snapshots", []byte("a snapshot"))
	if used, _ := s.Usage("u"); used != int64(len(data))+10 {
		t.Errorf("usage %d", used)
	}
	if err := s.Delete("u", "data", name); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("u", "data", name); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		total := 0
		for _, d := range r.devs {
			_, c := d.bytes()
			total += c
		}
		if total == 2 { // the snapshot's copies (2+1: kept whole twice)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d shards left on the devices after the delete, want 2", total)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Close()
	s2, err := OpenSharded(r.path, &Sharded{Devices: s.Devices, Quota: func(string) int64 { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	r.s = s2
	t.Cleanup(func() { s2.Close() })
	if !s2.Exists("u") {
		t.Error("the repository was forgotten")
	}
	list, _ := s2.List("u", "snapshots")
	if len(list) != 1 || list[0].Name != keep {
		t.Errorf("snapshots after a restart: %v", list)
	}
	if used, _ := s2.Usage("u"); used != 10 {
		t.Errorf("usage after a restart: %d, want 10", used)
	}
	if got, err := readFile(s2, "u", "snapshots", keep, 0, -1); err != nil || string(got) != "a snapshot" {
		t.Errorf("read after a restart: %q %v", got, err)
	}
}

// Two of five devices lost for good: a repair codes each file anew for
// the three left (2+1), so that one more loss is survived; a shard
// damaged on a device is found by a scrub and rebuilt.
func TestShardedRepair(t *testing.T) {
	r := newShardedRig(t, 5)
	s := r.s
	s.Create("u")
	big := randomBytes(3<<20, 5)
	bigName := putFile(t, s, "u", "data", big)
	smallName := putFile(t, s, "u", "snapshots", []byte("snapshot"))
	ctx := t.Context()

	// A scrub finds a damaged shard and rebuilds it; nothing else moves.
	m, _ := s.meta("u", "data", bigName)
	for _, d := range r.devs {
		if d.node == m.Shards[4].Node {
			d.mu.Lock()
			d.shards[m.Shards[4].Name][7] ^= 0x80
			d.mu.Unlock()
		}
	}
	rep, err := s.Repair(ctx, RepairOptions{Scrub: true})
	if err != nil || rep.Damaged != 1 || rep.Rebuilt != 1 || rep.Recoded != 0 || rep.Lost != 0 || rep.Checked != 2 {
		t.Fatalf("scrub: %+v %v; want 1 damaged, 1 rebuilt", rep, err)
	}
	m2, _ := s.meta("u", "data", bigName)
	if m2.Shards[4].Name == m.Shards[4].Name || m2.Shards[4].Digest != m.Shards[4].Digest || m2.Shards[3] != m.Shards[3] {
		t.Errorf("the rebuilt shard: %+v, was %+v", m2.Shards[4], m.Shards[4])
	}
	if rep, _ := s.Repair(ctx, RepairOptions{Scrub: true}); rep.Damaged != 0 || rep.Rebuilt != 0 {
		t.Errorf("a second scrub: %+v, want nothing to do", rep)
	}

	// Two devices lost: away, but not yet for RepairAfter, nothing moves;
	// with Now, every file is coded anew for the three left.
	for _, d := range r.devs[:2] {
		d.stop()
		d.mu.Lock()
		clear(d.shards)
		d.mu.Unlock()
	}
	waitGone(t, s.Devices, 3)
	if rep, _ := s.Repair(ctx, RepairOptions{}); rep.Rebuilt+rep.Recoded != 0 {
		t.Errorf("devices away for seconds: %+v, want nothing rebuilt yet", rep)
	}
	rep, err = s.Repair(ctx, RepairOptions{Now: true})
	if err != nil || rep.Lost != 0 || rep.Rebuilt+rep.Recoded != 2 {
		t.Fatalf("repair with two devices lost: %+v %v; want both files repaired", rep, err)
	}
	if st, _ := s.Status(); st.AtRisk != 0 {
		t.Errorf("after the repair %d files are at risk", st.AtRisk)
	}
	if m3, _ := s.meta("u", "data", bigName); m3.K != 2 || m3.M != 1 {
		t.Errorf("the big file after the repair: %d+%d, want 2+1 on the three left", m3.K, m3.M)
	}
	// One more loss is survived.
	r.devs[2].stop()
	r.devs[2].mu.Lock()
	clear(r.devs[2].shards)
	r.devs[2].mu.Unlock()
	waitGone(t, s.Devices, 2)
	if got, err := readFile(s, "u", "data", bigName, 0, -1); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("a third device lost after the repair: %v", err)
	}
	if got, err := readFile(s, "u", "snapshots", smallName, 0, -1); err != nil || string(got) != "snapshot" {
		t.Fatalf("the small file after a third loss: %q %v", got, err)
	}
}

// Devices without room for a shard: the file is refused as full (restic
// gets 507 and stops), and nothing of it is kept.
func TestShardedFull(t *testing.T) {
	r := newShardedRig(t, 3)
	for _, d := range r.devs {
		d.free.Store(100 << 10)
	}
	time.Sleep(1500 * time.Millisecond) // a poll with the new figure
	r.s.Create("u")
	data := make([]byte, 1<<20)
	err := r.s.Put("u", "data", strings.Repeat("1", 64), int64(len(data)), bytes.NewReader(data), nil)
	if !errors.Is(err, ErrFull) {
		t.Fatalf("a 1 MiB file on devices with 100 KiB free: %v, want ErrFull", err)
	}
	if list, _ := r.s.List("u", "data"); len(list) != 0 {
		t.Errorf("listed after a refusal: %v", list)
	}
	for _, d := range r.devs {
		if _, n := d.bytes(); n != 0 {
			t.Errorf("%s keeps %d shards of a refused file", d.node[:4], n)
		}
	}
}

// A repair waits while the devices it must read from are at their power
// budgets, and goes ahead once they are not.
func TestShardedRepairWaitsForPower(t *testing.T) {
	r := newShardedRig(t, 3)
	s := r.s
	s.Create("u")
	data := randomBytes(1<<20, 9)
	name := putFile(t, s, "u", "data", data)
	r.devs[0].stop()
	waitGone(t, s.Devices, 2)
	busy := map[string]bool{r.devs[1].node: true}
	s.Busy = func() map[string]bool { return busy }
	rep, err := s.Repair(t.Context(), RepairOptions{Now: true})
	if err != nil || rep.Postponed != 1 || rep.Rebuilt+rep.Recoded != 0 {
		t.Fatalf("a device it needs at its budget: %+v %v, want the repair postponed", rep, err)
	}
	busy = nil
	rep, err = s.Repair(t.Context(), RepairOptions{Now: true})
	if err != nil || rep.Postponed != 0 || rep.Recoded != 1 {
		t.Fatalf("power back: %+v %v, want the file coded anew", rep, err)
	}
	if got, err := readFile(s, "u", "data", name, 0, -1); err != nil || !bytes.Equal(got, data) {
		t.Errorf("after the repair: %v", err)
	}
}

// A scrub deletes shards no file names (an upload a crash cut short) and
// keeps the files' shards and the catalogs.
func TestScrubCollectsOrphans(t *testing.T) {
	r := newShardedRig(t, 3)
	s := r.s
	s.Create("u")
	s.CatalogKey = []byte("k")
	name := putFile(t, s, "u", "data", bytes.Repeat([]byte("x"), 300<<10))
	s.pushCatalogs(t.Context())
	orphan := newShard(0, []byte("left by a crash"))
	d := r.devs[1]
	d.mu.Lock()
	d.shards[orphan.Name] = []byte("left by a crash")
	d.mu.Unlock()
	rep, err := s.Repair(t.Context(), RepairOptions{Scrub: true})
	if err != nil || rep.Collected != 1 || rep.Damaged != 0 {
		t.Fatalf("scrub: %+v %v, want 1 collected", rep, err)
	}
	d.mu.Lock()
	_, left := d.shards[orphan.Name]
	_, cat := d.shards[s.catName]
	d.mu.Unlock()
	if left || !cat {
		t.Errorf("after the scrub: the orphan is there %v, the catalog %v", left, cat)
	}
	if got, err := readFile(s, "u", "data", name, 0, -1); err != nil || len(got) != 300<<10 {
		t.Errorf("the file after the scrub: %v", err)
	}
}

// A pass asked for while another runs is not lost: it runs after it,
// with its own options (the CLI's --now beside the gateway's own pass).
func TestRepairRequestsQueue(t *testing.T) {
	r := newShardedRig(t, 3)
	s := r.s
	first := s.reservePass() // a pass under way: it runs below
	a := s.RequestRepair(RepairOptions{})
	b := s.RequestRepair(RepairOptions{Now: true})
	s.repairIfIdle(t.Context(), RepairOptions{Scrub: true}) // the background's: covered by those asked for
	if a != first+1 || b != a+1 {
		t.Errorf("passes %d, %d then %d", first, a, b)
	}
	time.Sleep(50 * time.Millisecond)
	if st := s.RepairStatus(); st.Pass != 0 {
		t.Errorf("pass %d ran before pass %d", st.Pass, first)
	}
	s.runPass(t.Context(), RepairOptions{}, first)
	deadline := time.Now().Add(10 * time.Second)
	for st := s.RepairStatus(); st.Pass != b || st.Running; st = s.RepairStatus() {
		if time.Now().After(deadline) {
			t.Fatalf("pass %d did not run: %+v", b, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st := s.RepairStatus(); !st.Now || st.Scrub {
		t.Errorf("the last pass: %+v, want the one asked for with Now", st)
	}
}
