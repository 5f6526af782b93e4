package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DB is a node's database.
type DB struct {
	b     *bolt.DB
	fault atomic.Pointer[error] // see SetFault
}

// Open opens or creates the database at path, creating its directory with
// mode 0700. It fails with ErrLocked after a second if another process has it
// open, rather than waiting forever.
func Open(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", ErrLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// bbolt's default 10 ms batch window would add that much to every
	// acknowledged result; 2 ms still coalesces a busy pool's writes.
	b.MaxBatchDelay = 2 * time.Millisecond
	return &DB{b: b}, nil
}

// SetNoSync turns off (or back on) the fsync at each commit: a crash may
// then lose the last writes. Only for simulated devices (hearth-sim), of
// which thousands share one disk: their fsyncs would measure that disk,
// not the gateway they load.
func (db *DB) SetNoSync(on bool) { db.b.NoSync = on }

// Close closes the database.
func (db *DB) Close() error { return db.b.Close() }

// SetFault makes every later Update and Batch fail with err before it
// starts, as writes do on a full or failing disk, until SetFault(nil);
// reads keep working. It is for tests of what callers do when the store
// fails: bbolt's own state is untouched, so the store works again at once.
func (db *DB) SetFault(err error) {
	if err == nil {
		db.fault.Store(nil)
		return
	}
	db.fault.Store(&err)
}

func (db *DB) faulty() error {
	if e := db.fault.Load(); e != nil {
		return *e
	}
	return nil
}

// Update runs fn in a read-write transaction, committed (and fsynced) when fn
// returns nil and rolled back otherwise.
func (db *DB) Update(fn func(*Tx) error) error {
	if err := db.faulty(); err != nil {
		return err
	}
	return db.b.Update(func(t *bolt.Tx) error { return fn(&Tx{t: t}) })
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(*Tx) error) error {
	return db.b.View(func(t *bolt.Tx) error { return fn(&Tx{t: t}) })
}

// Batch is Update for many concurrent small writers: calls are coalesced into
// fewer commits. fn may run more than once, so it must not have side effects
// outside the transaction.
func (db *DB) Batch(fn func(*Tx) error) error {
	if err := db.faulty(); err != nil {
		return err
	}
	return db.b.Batch(func(t *bolt.Tx) error { return fn(&Tx{t: t}) })
}

// Tx is a transaction. It is valid only inside the function it was handed to.
type Tx struct {
	t *bolt.Tx
}

func (tx *Tx) bucket(name string, create bool) (*bolt.Bucket, error) {
	if b := tx.t.Bucket([]byte(name)); b != nil || !create {
		return b, nil
	}
	return tx.t.CreateBucket([]byte(name))
}

// Get returns a copy of the value under key, or nil when absent.
func (tx *Tx) Get(bucket, key string) []byte {
	b, _ := tx.bucket(bucket, false)
	if b == nil {
		return nil
	}
	v := b.Get([]byte(key))
	if v == nil {
		return nil
	}
	return append([]byte(nil), v...)
}

// Put stores value under key.
func (tx *Tx) Put(bucket, key string, value []byte) error {
	b, err := tx.bucket(bucket, true)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), value)
}

// Delete removes key; deleting an absent key is not an error.
func (tx *Tx) Delete(bucket, key string) error {
	b, _ := tx.bucket(bucket, false)
	if b == nil {
		return nil
	}
	return b.Delete([]byte(key))
}

// GetJSON decodes the value under key into v and reports whether it existed.
func (tx *Tx) GetJSON(bucket, key string, v any) (bool, error) {
	raw := tx.Get(bucket, key)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("decode %s/%s: %w", bucket, key, err)
	}
	return true, nil
}

// PutJSON encodes v as JSON under key.
func (tx *Tx) PutJSON(bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", bucket, key, err)
	}
	return tx.Put(bucket, key, raw)
}

// Scan calls fn for every key starting with prefix, in key order, with a copy
// of its value. fn returning an error stops the scan with that error.
func (tx *Tx) Scan(bucket, prefix string, fn func(key string, value []byte) error) error {
	b, _ := tx.bucket(bucket, false)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, v = c.Next() {
		if err := fn(string(k), append([]byte(nil), v...)); err != nil {
			return err
		}
	}
	return nil
}

// Count returns the number of keys in bucket.
func (tx *Tx) Count(bucket string) int {
	b, _ := tx.bucket(bucket, false)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// NextSeq returns the next value of the bucket's sequence, starting at 1.
func (tx *Tx) NextSeq(bucket string) (uint64, error) {
	b, err := tx.bucket(bucket, true)
	if err != nil {
		return 0, err
	}
	return b.NextSequence()
}
