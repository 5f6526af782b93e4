package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/klauspost/reedsolomon"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sync/singleflight"
)

// Sharded keeps users' repositories on the pool's devices: every file is
// cut into k data shards and m parity shards (Reed-Solomon, systematic:
// the data shards are the file's bytes in k slices), each on a device of
// its own, so that any m devices may be lost. Small files, where coding
// does not pay, are kept whole on m+1 devices. The gateway keeps only the
// metadata (where each shard is and its SHA-256), in a bbolt database.
//
// A file is acknowledged (Put returns nil) once every shard is fsynced on
// its device and the metadata is committed: a crash before that loses
// nothing restic was told is stored, and restic sends the file again.
type Sharded struct {
	Devices *Devices
	// Quota is a user's quota in bytes of restic's files; 0: none.
	Quota  func(user string) int64
	Logger *slog.Logger
	// Scheme is (k, m) for n live devices. Default DefaultScheme.
	Scheme func(n int) (k, m int)
	// RepairAfter is how long a device may be away before its shards
	// are rebuilt elsewhere (default DefaultRepairAfter); ScrubEvery how
	// often every shard is checked (default DefaultScrubEvery).
	RepairAfter time.Duration
	ScrubEvery  time.Duration
	// Busy names the devices at their power budgets (paused, or drawing
	// their budget): a repair reads from and writes to the others, or
	// waits; a scrub leaves them for its next pass. Nil: none is.
	Busy func() map[string]bool
	// CatalogKey signs the catalogs copied to the devices (catalog.go);
	// nil: none are. Users are included in them and restored by Recover.
	CatalogKey []byte
	Users      *Users

	db    *bolt.DB
	mu    sync.Mutex
	usage map[string]int64
	cache fileCache
	reads singleflight.Group
	puts  chan struct{} // bounds the files being coded at once (memory)

	dirty    atomic.Bool // the metadata changed since the last catalog
	cmu      sync.Mutex
	catSeq   uint64
	catName  string
	catBlob  []byte
	catUsers []byte
	catOn    map[string]string // the catalog each device took last

	pmu     sync.Mutex
	pending map[string]int // names of shards placed for files not yet committed

	rmu      sync.Mutex
	turn     *sync.Cond // on rmu: a pass ended
	passes   int        // the last pass reserved
	ran      int        // the last pass that ended
	progress api.StorageRepair
	suspect  map[string]bool // files a read found a bad shard of
}

// smallFile is the size under which a file is kept whole on m+1 devices:
// restic's config, keys, locks and snapshots, and small indexes.
const smallFile = 128 << 10

// shardTimeout bounds one shard's transfer to or from a device.
const shardTimeout = 2 * time.Minute

// ErrUnavailable: not enough devices keep backups right now.
var ErrUnavailable = errors.New("not enough storage devices")

var (
	bucketRepos = []byte("repos")
	bucketFiles = []byte("files")
	bucketTrash = []byte("trash") // shards to delete: node \x00 name
)

// fileMeta is where a file's shards are.
type fileMeta struct {
	Size int64 `json:"size"`
	// K and M: K data shards and M parity shards of ShardSize bytes each;
	// K = 1 and M = copies-1 for a file kept whole.
	K         int       `json:"k"`
	M         int       `json:"m"`
	ShardSize int64     `json:"shard_size"`
	Shards    []shard   `json:"shards"`
	Stored    time.Time `json:"stored"`
}

type shard struct {
	Node   string `json:"node"`
	Name   string `json:"name"`
	Digest string `json:"digest"` // sha256:hex
}

// DefaultScheme is k data + m parity shards for n devices, as MinIO sizes
// its erasure sets: 1 -> 1+0, 2 -> 1+1, 3 -> 2+1, 4 -> 2+2, 5 -> 3+2,
// 6-7 -> 4+2, 8 and more -> 6+3.
func DefaultScheme(n int) (k, m int) {
	switch {
	case n <= 1:
		return 1, 0
	case n == 2:
		return 1, 1
	case n == 3:
		return 2, 1
	case n == 4:
		return 2, 2
	case n == 5:
		return 3, 2
	case n < 8:
		return 4, 2
	}
	return 6, 3
}

// OpenSharded opens (or makes) the metadata database at path.
func OpenSharded(path string, s *Sharded) (*Sharded, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("backup storage metadata %s: %w", path, err)
	}
	s.db, s.usage, s.puts, s.suspect, s.catOn = db, map[string]int64{}, make(chan struct{}, 3), map[string]bool{}, map[string]string{}
	s.pending = map[string]int{}
	s.turn = sync.NewCond(&s.rmu)
	s.cache.max = 64 << 20
	if s.Scheme == nil {
		s.Scheme = DefaultScheme
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketRepos, bucketFiles, bucketTrash} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketFiles).ForEach(func(k, v []byte) error {
			var m fileMeta
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("file %q: %w", k, err)
			}
			user, _, _ := strings.Cut(string(k), "\x00")
			s.usage[user] += m.Size
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("backup storage metadata %s: %w", path, err)
	}
	return s, nil
}

// Status counts the files, what they take on the devices and those at
// risk, and lists the devices.
func (s *Sharded) Status() (api.StorageStatus, error) {
	out := api.StorageStatus{On: "devices", Repair: s.RepairStatus()}
	live := s.Devices.Live()
	if len(live) > 0 {
		out.K, out.M = s.Scheme(len(live))
	}
	up := map[string]bool{}
	for _, d := range s.Devices.List() {
		up[d.Node] = d.Live
		out.Devices = append(out.Devices, api.StorageDevice{Node: d.Node, Live: d.Live, Seen: d.Seen, Free: d.Free, Used: d.Used, Shards: d.Shards})
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFiles).ForEach(func(_, v []byte) error {
			var m fileMeta
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			out.Files++
			out.Bytes += m.Size
			out.Stored += m.ShardSize * int64(len(m.Shards))
			for _, sh := range m.Shards {
				if !up[sh.Node] {
					out.AtRisk++
					break
				}
			}
			return nil
		})
	})
	return out, err
}

// Close closes the metadata database.
func (s *Sharded) Close() error { return s.db.Close() }

func fileKey(user, typ, name string) []byte { return []byte(user + "\x00" + typ + "\x00" + name) }

func (s *Sharded) Create(user string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRepos)
		if b.Get([]byte(user)) != nil {
			return nil
		}
		return b.Put([]byte(user), []byte(time.Now().UTC().Format(time.RFC3339)))
	})
}

func (s *Sharded) Exists(user string) bool {
	ok := false
	s.db.View(func(tx *bolt.Tx) error { ok = tx.Bucket(bucketRepos).Get([]byte(user)) != nil; return nil })
	return ok
}

func (s *Sharded) meta(user, typ, name string) (fileMeta, error) {
	var m fileMeta
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketFiles).Get(fileKey(user, typ, name))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &m)
	})
	return m, err
}

func (s *Sharded) Stat(user, typ, name string) (int64, error) {
	m, err := s.meta(user, typ, name)
	return m.Size, err
}

func (s *Sharded) List(user, typ string) ([]FileInfo, error) {
	out := []FileInfo{}
	prefix := fileKey(user, typ, "")
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketFiles).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var m fileMeta
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			out = append(out, FileInfo{Name: string(k[len(prefix):]), Size: m.Size})
		}
		return nil
	})
	return out, err
}

// Usage is the bytes of restic's files user keeps.
func (s *Sharded) Usage(user string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.usage[user], nil
}

func (s *Sharded) Put(user, typ, name string, size int64, r io.Reader, verify func([32]byte) error) error {
	if q := s.Quota(user); q > 0 {
		used, _ := s.Usage(user)
		if used+size > q {
			return fmt.Errorf("%w: %s's quota is %d bytes and %d are used", ErrFull, user, q, used)
		}
	}
	s.puts <- struct{}{}
	defer func() { <-s.puts }()
	buf := make([]byte, size)
	if _, err := io.ReadFull(r, buf); err != nil {
		return fmt.Errorf("reading the file: %w", err)
	}
	if verify != nil {
		if err := verify(sha256.Sum256(buf)); err != nil {
			return err
		}
	}
	devs := s.Devices.Live()
	if len(devs) == 0 {
		return fmt.Errorf("%w: no device keeps backups now (start agents with --storage-dir; docs/storage.md)", ErrUnavailable)
	}
	k, m := s.Scheme(len(devs))
	pieces, meta, err := code(buf, k, m)
	if err != nil {
		return err
	}
	if err := s.place(meta.Shards, pieces, devs); err != nil {
		s.pend(meta.Shards, -1)
		return err
	}
	defer s.pend(meta.Shards, -1) // committed or forgotten by then
	raw, _ := json.Marshal(meta)
	var old *fileMeta
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFiles)
		key := fileKey(user, typ, name)
		if v := b.Get(key); v != nil {
			old = &fileMeta{}
			if err := json.Unmarshal(v, old); err != nil {
				return err
			}
			if err := trash(tx, old.Shards); err != nil {
				return err
			}
		}
		return b.Put(key, raw)
	})
	if err != nil {
		s.forget(meta.Shards)
		return fmt.Errorf("backup storage metadata: %w", err)
	}
	s.dirty.Store(true)
	s.mu.Lock()
	s.usage[user] += size
	if old != nil {
		s.usage[user] -= old.Size
	}
	s.mu.Unlock()
	s.cache.drop(string(fileKey(user, typ, name)))
	if old != nil {
		go s.emptyTrash(old.Shards)
	}
	return nil
}

// code cuts buf into k data and m parity shards (or m+1 copies of a
// small file) and names each: a random ID for the file, its index and its
// SHA-256. The shards may share buf's bytes: buf is the caller's to give
// up (never the read cache's).
func code(buf []byte, k, m int) ([][]byte, fileMeta, error) {
	size := int64(len(buf))
	var pieces [][]byte
	meta := fileMeta{Size: size, Stored: time.Now().UTC()}
	if size < smallFile || k == 1 {
		meta.K, meta.M, meta.ShardSize = 1, m, size
		pieces = make([][]byte, m+1)
		for i := range pieces {
			pieces[i] = buf
		}
	} else {
		enc, err := reedsolomon.New(k, m)
		if err != nil {
			return nil, meta, err
		}
		// Split keeps buf as the data shards where its capacity allows:
		// buf is the caller's to give up.
		if pieces, err = enc.Split(buf); err != nil {
			return nil, meta, err
		}
		if err := enc.Encode(pieces); err != nil {
			return nil, meta, err
		}
		meta.K, meta.M, meta.ShardSize = k, m, int64(len(pieces[0]))
	}
	meta.Shards = make([]shard, len(pieces))
	for i, p := range pieces {
		meta.Shards[i] = newShard(i, p)
	}
	return pieces, meta, nil
}

// newShard names piece i of a file: a random ID, so that a shard rebuilt
// onto a device never takes the name of one owed deletion there.
func newShard(i int, piece []byte) shard {
	var id [8]byte
	rand.Read(id[:])
	sum := sha256.Sum256(piece)
	return shard{Name: fmt.Sprintf("%x-%d-%x", id, i, sum), Digest: "sha256:" + hex.EncodeToString(sum[:])}
}

// place stores each piece on a device of its own, choosing among devs
// (most free space first) and moving a piece to another device when its
// first one fails; it returns once all are stored, or fails and leaves
// what it stored to the trash.
func (s *Sharded) place(shards []shard, pieces [][]byte, devs []Device) error {
	s.pend(shards, 1)
	var mu sync.Mutex
	next := 0 // devs[next:] are unused
	take := func(size int64) (string, bool) {
		mu.Lock()
		defer mu.Unlock()
		for next < len(devs) {
			d := devs[next]
			next++
			if d.Free >= size {
				return d.Node, true
			}
		}
		return "", false
	}
	errs := make([]error, len(pieces))
	var wg sync.WaitGroup
	for i := range pieces {
		wg.Go(func() {
			for {
				node, ok := take(int64(len(pieces[i])))
				if !ok {
					errs[i] = fmt.Errorf("%w: shard %d of %d has no device left with room (%d live): %v",
						ErrUnavailable, i+1, len(pieces), len(devs), errs[i])
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), shardTimeout)
				err := s.Devices.Put(ctx, node, shards[i].Name, shards[i].Digest, pieces[i])
				cancel()
				if err == nil {
					shards[i].Node, errs[i] = node, nil
					return
				}
				s.Logger.Warn("backup storage: a device did not store a shard; trying another", "node", short(node), "err", err)
				errs[i] = err
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		s.forget(shards)
		if errors.Is(err, ErrUnavailable) && strings.Contains(err.Error(), "room") {
			return fmt.Errorf("%w: %w", ErrFull, err)
		}
		return err
	}
	return nil
}

// pend counts shards in (by 1) or out (by -1) of those placed for a file
// whose metadata is not committed yet: the collection of orphans leaves
// them. place counts them in; its caller counts them out once the
// metadata is committed or the shards forgotten.
func (s *Sharded) pend(shards []shard, by int) {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	for _, sh := range shards {
		if s.pending[sh.Name] += by; s.pending[sh.Name] <= 0 {
			delete(s.pending, sh.Name)
		}
	}
}

// forget queues the placed shards of a file that was not kept for
// deletion.
func (s *Sharded) forget(shards []shard) {
	placed := make([]shard, 0, len(shards))
	for _, sh := range shards {
		if sh.Node != "" {
			placed = append(placed, sh)
		}
	}
	if len(placed) == 0 {
		return
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return trash(tx, placed) }); err != nil {
		s.Logger.Warn("backup storage: shards of a file not kept stay on their devices", "err", err)
		return
	}
	go s.emptyTrash(placed)
}

func trash(tx *bolt.Tx, shards []shard) error {
	b := tx.Bucket(bucketTrash)
	for _, sh := range shards {
		if sh.Node == "" {
			continue
		}
		if err := b.Put([]byte(sh.Node+"\x00"+sh.Name), nil); err != nil {
			return err
		}
	}
	return nil
}

// emptyTrash deletes shards from their devices, and from the trash once
// deleted; what a device that is away keeps stays in the trash for
// EmptyTrash.
func (s *Sharded) emptyTrash(shards []shard) {
	for _, sh := range shards {
		ctx, cancel := context.WithTimeout(context.Background(), shardTimeout)
		err := s.Devices.Delete(ctx, sh.Node, sh.Name)
		cancel()
		if err != nil {
			continue
		}
		s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketTrash).Delete([]byte(sh.Node + "\x00" + sh.Name)) })
	}
}

// EmptyTrash deletes the shards owed to the devices that are live now.
func (s *Sharded) EmptyTrash() {
	live := map[string]bool{}
	for _, d := range s.Devices.Live() {
		live[d.Node] = true
	}
	var owed []shard
	s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTrash).ForEach(func(k, _ []byte) error {
			node, name, _ := strings.Cut(string(k), "\x00")
			if live[node] {
				owed = append(owed, shard{Node: node, Name: name})
			}
			return nil
		})
	})
	s.emptyTrash(owed)
}

func (s *Sharded) Delete(user, typ, name string) error {
	var m fileMeta
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFiles)
		key := fileKey(user, typ, name)
		v := b.Get(key)
		if v == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		if err := trash(tx, m.Shards); err != nil {
			return err
		}
		return b.Delete(key)
	})
	if err != nil {
		return err
	}
	s.dirty.Store(true)
	s.mu.Lock()
	s.usage[user] -= m.Size
	s.mu.Unlock()
	s.cache.drop(string(fileKey(user, typ, name)))
	go s.emptyTrash(m.Shards)
	return nil
}

func (s *Sharded) Open(user, typ, name string, off, length int64) (io.ReadCloser, error) {
	m, err := s.meta(user, typ, name)
	if err != nil {
		return nil, err
	}
	key := string(fileKey(user, typ, name))
	data := s.cache.get(key)
	if data == nil {
		// restic reads a pack's blobs in several requests at once: one
		// fetch of its shards serves them all.
		v, err, _ := s.reads.Do(key, func() (any, error) {
			data, err := s.read(key, m)
			if err != nil {
				return nil, err
			}
			if typ != "config" {
				if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != name {
					return nil, fmt.Errorf("backup storage: %s/%s was rebuilt wrong (hash %x): report this", typ, name, sum)
				}
			}
			s.cache.put(key, data)
			return data, nil
		})
		if err != nil {
			return nil, err
		}
		data = v.([]byte)
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	end := int64(len(data))
	if length >= 0 && off+length < end {
		end = off + length
	}
	return io.NopCloser(bytes.NewReader(data[off:end])), nil
}

// read fetches a file's shards and puts it together: the data shards when
// they come back whole, else any k good shards, rebuilt. A shard that
// does not hash to its digest counts as missing.
func (s *Sharded) read(key string, m fileMeta) ([]byte, error) {
	n := len(m.Shards)
	pieces := make([][]byte, n)
	errs := make([]error, n)
	fetch := func(idx []int) {
		var wg sync.WaitGroup
		for _, i := range idx {
			wg.Go(func() {
				sh := m.Shards[i]
				ctx, cancel := context.WithTimeout(context.Background(), shardTimeout)
				defer cancel()
				if sh.Node == "" {
					errs[i] = fmt.Errorf("shard %d is being rebuilt", i)
					return
				}
				b, err := s.Devices.Get(ctx, sh.Node, sh.Name)
				if err == nil {
					if sum := sha256.Sum256(b); "sha256:"+hex.EncodeToString(sum[:]) != sh.Digest {
						err = fmt.Errorf("%w: %s from %s hashes to %x", ErrShardBad, sh.Name, short(sh.Node), sum)
					}
				}
				if errors.Is(err, ErrShardBad) {
					s.markSuspect(key)
				}
				if err != nil {
					s.Logger.Warn("backup storage: a shard could not be read; using the others", "node", short(sh.Node), "err", err)
					errs[i] = err
					return
				}
				pieces[i] = b
			})
		}
		wg.Wait()
	}
	good := func() int {
		c := 0
		for _, p := range pieces {
			if p != nil {
				c++
			}
		}
		return c
	}
	// First the data shards (the first copy of a whole file), then as
	// many others as are missing, then the rest.
	first := make([]int, m.K)
	for i := range first {
		first[i] = i
	}
	fetch(first)
	for next := m.K; good() < m.K && next < n; {
		want := min(m.K-good(), n-next)
		idx := make([]int, want)
		for j := range idx {
			idx[j] = next + j
		}
		next += want
		fetch(idx)
	}
	if good() < m.K {
		return nil, fmt.Errorf("backup storage: a file is lost: %d of its %d shards could be read and %d are needed: %w",
			good(), n, m.K, errors.Join(errs...))
	}
	if m.K == 1 {
		for _, p := range pieces {
			if p != nil {
				return p, nil
			}
		}
	}
	enc, err := reedsolomon.New(m.K, m.M)
	if err != nil {
		return nil, err
	}
	if err := enc.ReconstructData(pieces); err != nil {
		return nil, fmt.Errorf("backup storage: rebuilding a file: %w", err)
	}
	var out bytes.Buffer
	out.Grow(int(m.Size))
	if err := enc.Join(&out, pieces, int(m.Size)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// fileCache keeps the files read last, up to max bytes: restic reads a
// pack's blobs in several ranged requests, and each would otherwise
// fetch the pack's shards again.
type fileCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order []string
	files map[string][]byte
}

func (c *fileCache) get(key string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.files[key]
}

func (c *fileCache) put(key string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if int64(len(data)) > c.max/2 {
		return
	}
	if c.files == nil {
		c.files = map[string][]byte{}
	}
	if _, ok := c.files[key]; ok {
		return
	}
	c.files[key] = data
	c.order = append(c.order, key)
	c.size += int64(len(data))
	for c.size > c.max && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= int64(len(c.files[old]))
		delete(c.files, old)
	}
}

func (c *fileCache) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.files[key]; ok {
		c.size -= int64(len(d))
		delete(c.files, key)
		for i, k := range c.order {
			if k == key {
				c.order = append(c.order[:i], c.order[i+1:]...)
				break
			}
		}
	}
}
