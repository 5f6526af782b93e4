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

// memKV is an ordered key-value set per bucket, in memory. Keys are
// appended in order (log offsets and output sequences grow), so a Put is
// an append and deleting the first key, what commits do, is a reslice.
type memKV struct {
	buckets map[string]*memBucket
}

type memBucket struct {
	keys []string
	vals [][]byte
}

func newMemKV() *memKV { return &memKV{buckets: map[string]*memBucket{}} }

func (m *memKV) bucket(name string) *memBucket {
	b := m.buckets[name]
	if b == nil {
		b = &memBucket{}
		m.buckets[name] = b
	}
	return b
}

// Get returns the value of key, or nil.
func (m *memKV) Get(bucket, key string) []byte {
	b := m.bucket(bucket)
	if i, ok := slices.BinarySearch(b.keys, key); ok {
		return b.vals[i]
	}
	return nil
}

// Put sets key to value (kept, not copied).
func (m *memKV) Put(bucket, key string, value []byte) error {
	b := m.bucket(bucket)
	if n := len(b.keys); n == 0 || b.keys[n-1] < key {
		b.keys, b.vals = append(b.keys, key), append(b.vals, value)
		return nil
	}
	i, ok := slices.BinarySearch(b.keys, key)
	if ok {
		b.vals[i] = value
		return nil
	}
	b.keys, b.vals = slices.Insert(b.keys, i, key), slices.Insert(b.vals, i, value)
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
	b := m.bucket(bucket)
	i, ok := slices.BinarySearch(b.keys, key)
	switch {
	case !ok:
	case i == 0:
		b.keys[0], b.vals[0] = "", nil // for the collector
		b.keys, b.vals = b.keys[1:], b.vals[1:]
	default:
		b.keys, b.vals = slices.Delete(b.keys, i, i+1), slices.Delete(b.vals, i, i+1)
	}
	return nil
}

// Scan calls fn for each key with prefix, in order, until fn returns an
// error, which Scan returns. fn must not change the bucket.
func (m *memKV) Scan(bucket, prefix string, fn func(key string, value []byte) error) error {
	b := m.bucket(bucket)
	i, _ := slices.BinarySearch(b.keys, prefix)
	for ; i < len(b.keys) && strings.HasPrefix(b.keys[i], prefix); i++ {
		if err := fn(b.keys[i], b.vals[i]); err != nil {
			return err
		}
	}
	return nil
}
