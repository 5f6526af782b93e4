package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	bolt "go.etcd.io/bbolt"
)

// Repair and scrub. A shard is bad when its device has been away longer
// than RepairAfter, or when its device says it lacks it or found it
// damaged (a read, or a scrub's check). A repair pass rebuilds every
// file with a bad shard from k good ones: onto devices that hold no other
// shard of the file when there are enough; else, when the devices left
// can keep it safer than it is, coded anew for them (five devices 3+2
// with two lost: 2+1 on the three left). A file with fewer than k good
// shards is lost, and counted so.

const (
	// DefaultRepairAfter is how long a device may be away before its
	// shards are rebuilt elsewhere: a reboot or an update is not a loss.
	DefaultRepairAfter = 15 * time.Minute
	// DefaultScrubEvery is how often every shard is read and checked on
	// its device.
	DefaultScrubEvery = 7 * 24 * time.Hour
	// repairEvery is how often the gateway looks for files to repair.
	repairEvery = 30 * time.Second
)

// Run repairs, scrubs, empties the trash and copies the catalog to the
// devices, in the background, until ctx ends.
func (s *Sharded) Run(ctx context.Context) {
	repair := time.NewTicker(repairEvery)
	defer repair.Stop()
	trash := time.NewTicker(time.Minute)
	defer trash.Stop()
	catalogs := time.NewTicker(catalogEvery)
	defer catalogs.Stop()
	lastScrub := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-trash.C:
			s.EmptyTrash()
		case <-catalogs.C:
			s.pushCatalogs(ctx)
		case <-repair.C:
			scrub := time.Since(lastScrub) > s.scrubEvery()
			if scrub {
				lastScrub = time.Now()
			}
			s.repairIfIdle(ctx, RepairOptions{Scrub: scrub})
		}
	}
}

func (s *Sharded) scrubEvery() time.Duration {
	if s.ScrubEvery > 0 {
		return s.ScrubEvery
	}
	return DefaultScrubEvery
}

func (s *Sharded) repairAfter() time.Duration {
	if s.RepairAfter > 0 {
		return s.RepairAfter
	}
	return DefaultRepairAfter
}

// RepairOptions shape a repair pass.
type RepairOptions struct {
	// Scrub checks every shard on a live device (the device reads it and
	// checks its hash) as well.
	Scrub bool
	// Now counts every device that is away as lost, however short a
	// time it has been away.
	Now bool
}

// errPostponed: the devices a repair needs are at their power budgets; the
// next pass tries again.
var errPostponed = errors.New("postponed: the devices it needs are at their power budgets")

// Repair runs one pass and returns what it did, after the pass under way
// when there is one: passes run one at a time, each numbered
// (StorageRepair.Pass). The status shows its progress meanwhile.
func (s *Sharded) Repair(ctx context.Context, o RepairOptions) (api.StorageRepair, error) {
	return s.runPass(ctx, o, s.reservePass())
}

// RequestRepair starts a pass in the background, after the one under way,
// and returns its number: the status says when that pass has run.
func (s *Sharded) RequestRepair(o RepairOptions) int {
	n := s.reservePass()
	go func() {
		// The pass outlives the call that asked for it.
		ctx, cancel := context.WithTimeout(context.Background(), 24*time.Hour)
		defer cancel()
		s.runPass(ctx, o, n)
	}()
	return n
}

func (s *Sharded) reservePass() int {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	s.passes++
	return s.passes
}

// repairIfIdle runs a pass unless one is under way or waiting (the
// background's: a pass asked for covers it).
func (s *Sharded) repairIfIdle(ctx context.Context, o RepairOptions) {
	s.rmu.Lock()
	busy := s.progress.Running || s.progress.Pass < s.passes
	s.rmu.Unlock()
	if !busy {
		s.Repair(ctx, o)
	}
}

// runPass runs pass n once the passes before it have run: in the order
// they were asked for, one at a time.
func (s *Sharded) runPass(ctx context.Context, o RepairOptions, n int) (api.StorageRepair, error) {
	s.rmu.Lock()
	for s.ran < n-1 {
		s.turn.Wait()
	}
	defer s.turn.Broadcast()
	s.progress = api.StorageRepair{Pass: n, Running: true, Scrub: o.Scrub, Now: o.Now, Started: time.Now().UTC()}
	suspect := s.suspect
	s.suspect = map[string]bool{}
	s.rmu.Unlock()
	err := s.repairPass(ctx, o, suspect)
	s.rmu.Lock()
	defer s.rmu.Unlock()
	s.ran = n
	s.progress.Running, s.progress.Finished = false, time.Now().UTC()
	if err != nil {
		s.progress.Error = err.Error()
		for k := range suspect { // looked at again next time
			s.suspect[k] = true
		}
	}
	if s.progress.Rebuilt+s.progress.Recoded+s.progress.Lost > 0 || s.progress.Damaged > 0 {
		s.Logger.Info("backup storage: repair", "files", s.progress.Files, "damaged", s.progress.Damaged,
			"rebuilt", s.progress.Rebuilt, "recoded", s.progress.Recoded, "lost", s.progress.Lost, "took", time.Since(s.progress.Started).Round(time.Millisecond))
	}
	return s.progress, err
}

// RepairStatus is the last or running pass.
func (s *Sharded) RepairStatus() api.StorageRepair {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	return s.progress
}

func (s *Sharded) note(f func(p *api.StorageRepair)) {
	s.rmu.Lock()
	f(&s.progress)
	s.rmu.Unlock()
}

// markSuspect makes the next pass look at a file whose shard was found
// missing or damaged.
func (s *Sharded) markSuspect(key string) {
	s.rmu.Lock()
	s.suspect[key] = true
	s.rmu.Unlock()
}

func (s *Sharded) repairPass(ctx context.Context, o RepairOptions, suspect map[string]bool) error {
	live := map[string]bool{}
	lost := map[string]bool{} // away long enough
	known := map[string]bool{}
	for _, d := range s.Devices.List() {
		known[d.Node] = true
		switch {
		case d.Live:
			live[d.Node] = true
		case o.Now || time.Since(d.Seen) > s.repairAfter():
			lost[d.Node] = true
		}
	}
	var busy map[string]bool
	if s.Busy != nil {
		busy = s.Busy()
	}
	// A device that has not polled since the gateway started is away
	// since then.
	unknownLost := o.Now || time.Since(s.Devices.started) > s.repairAfter()
	type entry struct {
		key  string
		meta fileMeta
	}
	var files []entry
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFiles).ForEach(func(k, v []byte) error {
			var m fileMeta
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			files = append(files, entry{string(k), m})
			return nil
		})
	})
	if err != nil {
		return err
	}
	s.note(func(p *api.StorageRepair) { p.Files = len(files) })
	for _, f := range files {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var bad []int
		for i, sh := range f.meta.Shards {
			switch {
			case sh.Node == "" || lost[sh.Node] || !known[sh.Node] && unknownLost:
				bad = append(bad, i)
			case live[sh.Node] && (o.Scrub && !busy[sh.Node] || suspect[f.key]):
				cctx, cancel := context.WithTimeout(ctx, shardTimeout)
				err := s.Devices.Check(cctx, sh.Node, sh.Name)
				cancel()
				if errors.Is(err, ErrShardBad) {
					s.Logger.Warn("backup storage: a shard is missing or damaged", "err", err)
					s.note(func(p *api.StorageRepair) { p.Damaged++ })
					bad = append(bad, i)
				}
			}
		}
		if len(bad) > 0 {
			if err := s.repairFile(ctx, f.key, f.meta, bad, live, busy); errors.Is(err, errPostponed) {
				s.Logger.Debug("backup storage: a repair waits for power", "file", printable(f.key))
			} else if err != nil {
				s.Logger.Warn("backup storage: a file could not be repaired now", "file", printable(f.key), "err", err)
			}
		}
		s.note(func(p *api.StorageRepair) { p.Checked++ })
	}
	if o.Scrub {
		for node := range live {
			if !busy[node] {
				s.collect(ctx, node)
			}
		}
	}
	return nil
}

// collect deletes the shards on node that no file names: those stored
// for a file whose upload a crash cut short. The device's list comes
// first, then what is pending and what the metadata names: a shard on
// the list was placed before it, so it is pending or committed by then.
func (s *Sharded) collect(ctx context.Context, node string) {
	lctx, cancel := context.WithTimeout(ctx, shardTimeout)
	names, err := s.Devices.Names(lctx, node, "")
	cancel()
	if err != nil {
		s.Logger.Warn("backup storage: a device did not list its shards", "node", short(node), "err", err)
		return
	}
	keep := map[string]bool{}
	s.pmu.Lock()
	for n := range s.pending {
		keep[n] = true
	}
	s.pmu.Unlock()
	err = s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFiles).ForEach(func(_, v []byte) error {
			var m fileMeta
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			for _, sh := range m.Shards {
				if sh.Node == node {
					keep[sh.Name] = true
				}
			}
			return nil
		})
	})
	if err != nil {
		return
	}
	for _, n := range names {
		if n == "" || keep[n] || strings.HasPrefix(n, catalogPrefix) {
			continue
		}
		dctx, cancel := context.WithTimeout(ctx, shardTimeout)
		err := s.Devices.Delete(dctx, node, n)
		cancel()
		if err == nil {
			s.note(func(p *api.StorageRepair) { p.Collected++ })
		}
	}
}

// repairFile rebuilds the bad shards of one file.
func (s *Sharded) repairFile(ctx context.Context, key string, m fileMeta, bad []int, live, busy map[string]bool) error {
	good := len(m.Shards) - len(bad)
	if good < m.K {
		s.note(func(p *api.StorageRepair) { p.Lost++ })
		return fmt.Errorf("lost: %d of its %d shards are left and %d are needed", good, len(m.Shards), m.K)
	}
	read := m
	read.Shards = slices.Clone(m.Shards)
	holders := map[string]bool{}
	idle := 0 // good shards on devices with power to spare
	for i := range read.Shards {
		switch {
		case slices.Contains(bad, i):
			read.Shards[i].Node = "" // not read from
		default:
			holders[read.Shards[i].Node] = true
			if !busy[read.Shards[i].Node] {
				idle++
			}
		}
	}
	if idle < m.K {
		s.note(func(p *api.StorageRepair) { p.Postponed++ })
		return errPostponed
	}
	for i := range read.Shards {
		if busy[read.Shards[i].Node] {
			read.Shards[i].Node = "" // read from the others
		}
	}
	data, err := s.read(key, read)
	if err != nil {
		return err
	}
	if _, typ, name := splitKey(key); typ != "config" {
		// Never spread what does not hash to restic's name for it.
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != name {
			return fmt.Errorf("rebuilt wrong (hash %x): left as it is", sum)
		}
	}
	var spare, idleLive []Device
	for _, d := range s.Devices.Live() {
		if busy[d.Node] {
			continue
		}
		idleLive = append(idleLive, d)
		if !holders[d.Node] && d.Free >= m.ShardSize {
			spare = append(spare, d)
		}
	}
	next := m
	next.Shards = slices.Clone(m.Shards)
	var placed []shard // new shards, to forget if the commit fails
	var replaced []shard
	recoded := false
	if len(spare) >= len(bad) {
		pieces, _, err := code(data, m.K, m.M)
		if err != nil {
			return err
		}
		news := make([]shard, len(bad))
		subset := make([][]byte, len(bad))
		for j, i := range bad {
			news[j], subset[j] = newShard(i, pieces[i]), pieces[i]
		}
		err = s.place(news, subset, spare)
		defer s.pend(news, -1)
		if err != nil {
			return err
		}
		for j, i := range bad {
			replaced = append(replaced, m.Shards[i])
			next.Shards[i] = news[j]
		}
		placed = news
	} else {
		devs := idleLive
		k2, m2 := s.Scheme(len(s.Devices.Live()))
		if m2 <= good-m.K {
			return fmt.Errorf("no device to rebuild %d shards on (%d connected, each holding one already)", len(bad), len(devs))
		}
		if len(devs) < k2+m2 {
			s.note(func(p *api.StorageRepair) { p.Postponed++ })
			return errPostponed
		}
		pieces, meta, err := code(data, k2, m2)
		if err != nil {
			return err
		}
		err = s.place(meta.Shards, pieces, devs)
		defer s.pend(meta.Shards, -1)
		if err != nil {
			return err
		}
		meta.Stored = m.Stored
		next, placed, replaced, recoded = meta, meta.Shards, m.Shards, true
	}
	raw, _ := json.Marshal(next)
	changed := false
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFiles)
		v := b.Get([]byte(key))
		var cur fileMeta
		if v == nil || json.Unmarshal(v, &cur) != nil || !sameShards(cur, m) {
			changed = true // deleted or replaced meanwhile
			return nil
		}
		if err := trash(tx, replaced); err != nil {
			return err
		}
		return b.Put([]byte(key), raw)
	})
	if err != nil || changed {
		s.forget(placed)
		return err
	}
	s.dirty.Store(true)
	s.note(func(p *api.StorageRepair) {
		if recoded {
			p.Recoded++
		} else {
			p.Rebuilt++
		}
	})
	var reachable []shard
	for _, sh := range replaced {
		if live[sh.Node] {
			reachable = append(reachable, sh)
		}
	}
	go s.emptyTrash(reachable)
	return nil
}

func sameShards(a, b fileMeta) bool {
	return a.Stored.Equal(b.Stored) && slices.Equal(a.Shards, b.Shards)
}

// splitKey is fileKey's inverse.
func splitKey(key string) (user, typ, name string) {
	user, rest, _ := strings.Cut(key, "\x00")
	typ, name, _ = strings.Cut(rest, "\x00")
	return user, typ, name
}

// printable is a file's key as type/name.
func printable(key string) string {
	b := []byte(key)
	for i, c := range b {
		if c == 0 {
			b[i] = '/'
		}
	}
	return string(b)
}
