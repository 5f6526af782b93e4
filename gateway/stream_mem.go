package gateway

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/hearth-home/hearth/store"
)

// A stream with delivery: memory keeps its log and its outbox in memory
// (memKV) instead of the store: no transaction, no fsync, per message.
// Everything else (partitions, leases, pulls, commits, windows, the
// publisher) is the same code, reading and writing through kv. The
// stream's record (spec, version, job) is stored as for a durable stream;
// its offsets and counts are not kept across a restart of the gateway,
// which loses the log and the outputs not yet published.

// kv is where a stream's log and outbox are: the store's transaction for a
// durable stream, its memKV for a memory one. *store.Tx is one.
type kv interface {
	Get(bucket, key string) []byte
	Put(bucket, key string, value []byte) error
	PutJSON(bucket, key string, v any) error
	Delete(bucket, key string) error
	Scan(bucket, prefix string, fn func(key string, value []byte) error) error
}

var _ kv = (*store.Tx)(nil)

// memory reports whether s keeps its log in memory.
func (s *streamState) memory() bool { return s.mem != nil }

// kv is where s's log and outbox are, given tx (nil when the caller has
// no transaction, as for a memory stream). smu must be held.
func (s *streamState) kv(tx *store.Tx) kv {
	if s.mem != nil {
		return s.mem
	}
	return tx
}

// save stores s's record after a change of its offsets or counts: for a
// durable stream only. smu must be held.
func (s *streamState) save(tx *store.Tx) error {
	if s.mem != nil {
		return nil
	}
	return tx.PutJSON(bucketStreams, s.Spec.Name, s.streamRecord)
}

// update runs fn in a store transaction for a durable stream, and without
// one (tx nil) for a memory stream.
func (g *Gateway) streamUpdate(s *streamState, fn func(tx *store.Tx) error) error {
	if s.memory() {
		return fn(nil)
	}
	return g.db.Update(fn)
}

// streamView is streamUpdate for reading.
func (g *Gateway) streamView(s *streamState, fn func(tx *store.Tx) error) error {
	if s.memory() {
		return fn(nil)
	}
	return g.db.View(fn)
}

// memKV is an ordered key-value set per bucket, in memory. Each bucket is
// kept in runs by the key's directory (up to its last "/": a partition's
// log, a stream's outbox), each a sorted slice. Keys grow within a run
// (log offsets and output sequences), so a Put is an append and deleting
// the first key, what commits do, a reslice, however the partitions'
// messages interleave.
type memKV struct {
	buckets map[string]map[string]*memRun // bucket -> directory -> run
}

type memRun struct {
	keys []string
	vals [][]byte
}

func newMemKV() *memKV { return &memKV{buckets: map[string]map[string]*memRun{}} }

func keyDir(key string) string { return key[:strings.LastIndexByte(key, '/')+1] }

// run is key's run in bucket, made when create is set (else nil if none).
func (m *memKV) run(bucket, key string, create bool) *memRun {
	b := m.buckets[bucket]
	if b == nil {
		if !create {
			return nil
		}
		b = map[string]*memRun{}
		m.buckets[bucket] = b
	}
	r := b[keyDir(key)]
	if r == nil && create {
		r = &memRun{}
		b[keyDir(key)] = r
	}
	return r
}

// Get returns the value of key, or nil.
func (m *memKV) Get(bucket, key string) []byte {
	if r := m.run(bucket, key, false); r != nil {
		if i, ok := slices.BinarySearch(r.keys, key); ok {
			return r.vals[i]
		}
	}
	return nil
}

// Put sets key to value (kept, not copied).
func (m *memKV) Put(bucket, key string, value []byte) error {
	r := m.run(bucket, key, true)
	if n := len(r.keys); n == 0 || r.keys[n-1] < key {
		r.keys, r.vals = append(r.keys, key), append(r.vals, value)
		return nil
	}
	i, ok := slices.BinarySearch(r.keys, key)
	if ok {
		r.vals[i] = value
		return nil
	}
	r.keys, r.vals = slices.Insert(r.keys, i, key), slices.Insert(r.vals, i, value)
	return nil
}

// PutJSON sets key to v as JSON.
func (m *memKV) PutJSON(bucket, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return m.Put(bucket, key, b)
}

// Delete removes key, if it is there.
func (m *memKV) Delete(bucket, key string) error {
	r := m.run(bucket, key, false)
	if r == nil {
		return nil
	}
	i, ok := slices.BinarySearch(r.keys, key)
	switch {
	case !ok:
	case i == 0:
		r.keys[0], r.vals[0] = "", nil // for the collector
		r.keys, r.vals = r.keys[1:], r.vals[1:]
	default:
		r.keys, r.vals = slices.Delete(r.keys, i, i+1), slices.Delete(r.vals, i, i+1)
	}
	if len(r.keys) == 0 {
		delete(m.buckets[bucket], keyDir(key))
	}
	return nil
}

// Scan calls fn for each key with prefix, in order, until fn returns an
// error, which Scan returns. fn must not change the bucket.
func (m *memKV) Scan(bucket, prefix string, fn func(key string, value []byte) error) error {
	var dirs []string
	for d := range m.buckets[bucket] {
		if strings.HasPrefix(d, prefix) || strings.HasPrefix(prefix, d) {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs)
	for _, d := range dirs {
		r := m.buckets[bucket][d]
		i, _ := slices.BinarySearch(r.keys, prefix)
		for ; i < len(r.keys) && strings.HasPrefix(r.keys[i], prefix); i++ {
			if err := fn(r.keys[i], r.vals[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
