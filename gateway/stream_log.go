package gateway

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
	"github.com/hearth-home/hearth/stream"
)

// A stream's log: each partition's messages under logKey(name, partition,
// offset), from the partition's committed offset (what is below has been
// processed and is deleted by the commit) to its head. It is bounded per
// partition by the spec's log.max_bytes and log.max_age: beyond them the
// oldest messages are dropped, counted, and the committed offset moves
// past them.

// inMsg is a message from the broker, to be logged, then acknowledged.
type inMsg struct {
	topic   string
	payload []byte
	qos     byte
	retain  bool
	at      time.Time
	ack     func()
	// dup and id are the MQTT DUP flag and packet ID: a message the
	// broker sends again because it did not see the acknowledgement.
	dup bool
	id  uint16
}

// bucketMQTTIDs holds, by packet ID ("%05d"), a hash of the last QoS 1
// message logged with it, stored with the log: a message the broker sends
// again (DUP) after the gateway logged it but before the broker had its
// acknowledgement (a broker restart, a gateway crash) is not logged twice.
const bucketMQTTIDs = "mqtt-ids"

func packetKey(id uint16) string { return fmt.Sprintf("%05d", id) }

// msgHash identifies a message's topic and payload.
func msgHash(m *inMsg) uint64 {
	h := fnv.New64a()
	h.Write([]byte(m.topic))
	h.Write([]byte{0})
	h.Write(m.payload)
	return h.Sum64()
}

// ingestBatch is how many messages one transaction logs at most: a
// transaction (an fsync) per batch, not per message.
const ingestBatch = 256

// runIngest logs what the broker delivers, in batches, and acknowledges
// each message once its batch is stored. A batch that cannot be stored is
// tried again (unacknowledged, the broker keeps it for this session). The
// durable streams' commits (queueCommit) go in the same transactions: a
// failed one fails them, and their pulls say so. It also drops messages
// older than their stream's log.max_age.
func (g *Gateway) runIngest(ctx context.Context) error {
	defer close(g.ingestDone) // runBroker disconnects after the last acknowledgements
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var batch []inMsg
	var commits []*commitReq
	for {
		if len(batch) == 0 {
			select {
			case <-ctx.Done():
				g.lastCommits(commits)
				return nil
			case m := <-g.inbox:
				batch = append(batch, m)
			case c := <-g.commits:
				commits = append(commits, c)
			case now := <-tick.C:
				g.expireStreamLogs(now)
				g.runWindows(now)
				continue
			}
		}
	fill:
		for len(batch) < ingestBatch {
			select {
			case m := <-g.inbox:
				batch = append(batch, m)
			case c := <-g.commits:
				commits = append(commits, c)
			default:
				break fill
			}
		}
		err := g.ingest(batch, commits)
		for _, c := range commits {
			c.done <- cmp.Or(err, c.err)
		}
		commits = commits[:0]
		if err != nil {
			g.log.Error("logging stream messages; trying again", "count", len(batch), "err", err)
			select {
			case <-ctx.Done():
				g.lastCommits(nil)
				return nil
			case <-time.After(time.Second):
			}
			continue
		}
		for _, m := range batch {
			m.ack()
		}
		batch = batch[:0]
	}
}

// lastCommits applies, as the gateway stops, the commits and deletions of
// published outputs still queued (pending, and those in g.commits), so
// that a clean stop publishes nothing again after the restart. The
// messages not yet logged are not acknowledged: the broker sends them
// again.
func (g *Gateway) lastCommits(pending []*commitReq) {
	for {
		select {
		case c := <-g.commits:
			pending = append(pending, c)
			continue
		default:
		}
		break
	}
	if len(pending) == 0 {
		return
	}
	err := g.ingest(nil, pending)
	if err != nil {
		g.log.Error("storing the last commits; they are applied again after the restart", "err", err)
	}
	for _, c := range pending {
		c.done <- cmp.Or(err, c.err)
	}
}

// ingest logs a batch and applies commits: the durable streams' messages
// and the commits in one transaction, then, once it is stored, the memory
// streams' messages. A batch none of whose messages goes to a durable
// stream, with no commit, writes nothing to the store. A commit that is
// refused (beyond its partition's head) gets its own error in c.err and
// changes nothing; the others go on.
func (g *Gateway) ingest(batch []inMsg, commits []*commitReq) error {
	g.smu.Lock()
	defer g.smu.Unlock()
	durable := len(commits) > 0
	for i := range batch {
		m := &batch[i]
		g.haMessage(m)
		if len(g.signals) > 0 {
			g.signalFrom(m)
		}
		for _, s := range g.streams {
			durable = durable || !s.memory() && subscribed(s, m.topic)
		}
	}
	// A message the broker sends again (DUP) with the hash of the last
	// one logged under its packet ID was logged already: only its
	// acknowledgement was lost.
	skip := make([]bool, len(batch))
	ids := map[uint16]uint64{}
	for i := range batch {
		m := &batch[i]
		if m.qos == 0 {
			continue
		}
		h := msgHash(m)
		prev, ok := ids[m.id] // this batch's, else the stored one
		if !ok {
			prev = g.packetIDs[m.id]
		}
		skip[i] = m.dup && prev == h
		ids[m.id] = h
	}
	touched := map[*streamState][]bool{}
	last := map[*streamState]map[string]uint64{} // applied once stored
	logAll := func(tx *store.Tx, memory bool) error {
		for i := range batch {
			if skip[i] {
				continue
			}
			m := &batch[i]
			for _, s := range g.streams {
				if s.memory() != memory || !subscribed(s, m.topic) {
					continue
				}
				if seenLast(s, last, m) && m.retain {
					continue
				}
				if err := g.logMessage(s.kv(tx), s, m, touched); err != nil {
					return err
				}
			}
		}
		for s, parts := range touched {
			if s.memory() != memory {
				continue
			}
			for p, ok := range parts {
				if ok && s.parts[p].bytes > int64(s.Spec.Log.MaxBytes) {
					if err := dropOldest(s.kv(tx), s, p, func(_ api.StreamMessage, bytes int64) bool { return bytes > int64(s.Spec.Log.MaxBytes) }); err != nil {
						return err
					}
				}
			}
			if err := s.save(tx); err != nil {
				return err
			}
		}
		return nil
	}
	published := false
	if durable {
		var ds []*streamState
		for _, s := range g.streams {
			if !s.memory() {
				ds = append(ds, s)
			}
		}
		undo := g.streamSnapshot(ds...)
		locked := true
		err := g.db.Update(func(tx *store.Tx) error {
			for id, h := range ids {
				var b [8]byte
				binary.BigEndian.PutUint64(b[:], h)
				if err := tx.Put(bucketMQTTIDs, packetKey(id), b[:]); err != nil {
					return err
				}
			}
			if err := logAll(tx, false); err != nil {
				return err
			}
			for _, c := range commits {
				c.err = nil
				if c.published != "" {
					if g.streams[c.s.Spec.Name] == c.s {
						if err := deletePublished(tx, c.s, c.published); err != nil {
							return err
						}
					}
					continue
				}
				if g.streams[c.s.Spec.Name] != c.s || c.upTo <= c.s.Parts[c.p].Committed {
					continue // removed meanwhile, or applied already
				}
				pub, err := g.commitTx(tx, c.s, c.p, c.upTo, c.outputs)
				switch {
				case errors.Is(err, ErrBadRequest):
					c.err = err
				case err != nil:
					return err
				}
				published = published || pub
			}
			// The commit (its fsync) runs without smu: pulls, memory
			// streams and the publisher go on meanwhile, and what they
			// read of the store is the last transaction's. What else
			// changes a durable stream's record (deploy, update, remove)
			// waits for storing to close (waitStoredLocked): the undo of
			// a failed commit would undo it. The waiting pulls are woken now:
			// they hand out the partitions' tails, what this transaction
			// logs, so that the functions run during the fsync. A
			// commit of those messages can only come in a later
			// transaction, once they are stored.
			for s, parts := range touched {
				for p, ok := range parts {
					if ok && !s.memory() {
						s.parts[p].signal()
					}
				}
			}
			g.storing = make(chan struct{})
			g.smu.Unlock()
			locked = false
			if hook := g.ingestHook.Load(); hook != nil {
				return (*hook)()
			}
			return nil
		})
		if !locked {
			g.smu.Lock()
			defer func() { close(g.storing); g.storing = nil }() // once undone, if it failed
		}
		heads := map[*partState]uint64{}
		for _, s := range ds {
			for p, ps := range s.parts {
				if ps.tailRead {
					heads[ps] = s.Parts[p].Head
				}
				ps.tail, ps.tailRead = nil, false
			}
		}
		if err != nil {
			undo()
			// A partition whose tail was handed out keeps its head: the
			// messages come again at new offsets, and the device's commit
			// of the ones it had (now a gap in the log) commits nothing
			// but that gap, whose outputs are dropped.
			for _, s := range ds {
				for p, ps := range s.parts {
					if h, ok := heads[ps]; ok {
						s.Parts[p].Head = h
					}
				}
			}
			return err // nothing logged: the batch comes again
		}
	}
	if published {
		g.wakePublisher()
	}
	if err := logAll(nil, true); err != nil {
		// Only marshalling fails here, and it cannot: a message that
		// would fail it is malformed and skipped before.
		g.log.Error("logging messages in memory", "err", err)
	}
	for s, parts := range touched {
		if !s.memory() {
			continue // woken before the fsync
		}
		for p, ok := range parts {
			if ok {
				s.parts[p].signal()
			}
		}
	}
	for s, l := range last {
		maps.Copy(s.retained, l)
	}
	maps.Copy(g.packetIDs, ids)
	return nil
}

// loadPacketIDs reads the hashes of the last messages logged by packet ID.
func (g *Gateway) loadPacketIDs(tx *store.Tx) error {
	return tx.Scan(bucketMQTTIDs, "", func(k string, v []byte) error {
		id, err := strconv.ParseUint(k, 10, 16)
		if err != nil || len(v) != 8 {
			return fmt.Errorf("%s %q: malformed", bucketMQTTIDs, k)
		}
		g.packetIDs[uint16(id)] = binary.BigEndian.Uint64(v)
		return nil
	})
}

// seenLast reports whether m's payload is that of the last message on its
// topic that s logged (or that this batch logs), and notes m as the last in
// batch if not. A retained message that is the last one logged is not a new
// reading: the broker sends it again on each subscription.
func seenLast(s *streamState, batch map[*streamState]map[string]uint64, m *inMsg) bool {
	h := fnv.New64a()
	h.Write(m.payload)
	sum := h.Sum64()
	if batch[s] == nil {
		batch[s] = map[string]uint64{}
	}
	last, ok := batch[s][m.topic]
	if !ok {
		last, ok = s.retained[m.topic]
	}
	if ok && last == sum {
		return true
	}
	batch[s][m.topic] = sum
	return false
}

// subscribed reports whether one of s's topic filters matches topic.
func subscribed(s *streamState, topic string) bool {
	return slices.ContainsFunc(s.Spec.Topics, func(f string) bool { return stream.Match(f, topic) })
}

// logMessage appends m to the partition of s its key picks, in log.
func (g *Gateway) logMessage(log kv, s *streamState, m *inMsg, touched map[*streamState][]bool) error {
	key, err := stream.Key(s.Spec.Key, m.topic, m.payload)
	if err != nil {
		s.Counts.Malformed++
		s.notes.addRare("skipped: ", -1, "a message on %s: %v (%d skipped so far)", m.topic, err, s.Counts.Malformed)
		return nil
	}
	payload, raw, ok := stream.Wrap(m.payload, s.Spec.Malformed)
	if !ok {
		s.Counts.Malformed++
		s.notes.addRare("skipped: ", -1, "a message on %s: its payload is not JSON (malformed: skip) (%d skipped so far)", m.topic, s.Counts.Malformed)
		return nil
	}
	p := stream.Partition(key, len(s.Parts))
	rec := &s.Parts[p]
	msg := api.StreamMessage{Offset: rec.Head, Topic: m.topic, Key: key, Payload: payload, PayloadB64: raw,
		TS: m.at.UnixMilli(), QoS: m.qos, Retain: m.retain}
	v, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if err := log.Put(bucketStreamLog, logKey(s.Spec.Name, p, rec.Head), v); err != nil {
		return err
	}
	if !s.memory() && s.Spec.Kind != api.StreamWindow {
		s.parts[p].tail = append(s.parts[p].tail, msg)
	}
	rec.Head++
	s.Counts.Received++
	ps := s.parts[p]
	ps.bytes += int64(len(v))
	if ps.oldest == 0 {
		ps.oldest = msg.TS
	}
	if touched[s] == nil {
		touched[s] = make([]bool, len(s.Parts))
	}
	touched[s][p] = true
	return nil
}

// dropOldest deletes the first messages of partition p from log while drop
// says so, given each message and the partition's size before it goes;
// the committed offset moves past them.
func dropOldest(log kv, s *streamState, p int, drop func(m api.StreamMessage, bytes int64) bool) error {
	ps, rec := s.parts[p], &s.Parts[p]
	var gone []string
	ps.oldest = 0
	err := log.Scan(bucketStreamLog, logPrefix(s.Spec.Name, p), func(k string, v []byte) error {
		var m api.StreamMessage
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		if !drop(m, ps.bytes) {
			ps.oldest = m.TS
			return errStopScan
		}
		gone = append(gone, k)
		ps.bytes -= int64(len(v))
		rec.Committed = max(rec.Committed, m.Offset+1)
		return nil
	})
	if err != nil && !errors.Is(err, errStopScan) {
		return err
	}
	for _, k := range gone {
		if err := log.Delete(bucketStreamLog, k); err != nil {
			return err
		}
	}
	if n := uint64(len(gone)); n > 0 {
		rec.Dropped += n
		s.Counts.Dropped += n
		s.notes.add(p, "log full: dropped the %d oldest messages (log.max_bytes %d bytes, log.max_age %s)", n, int64(s.Spec.Log.MaxBytes), s.Spec.Log.MaxAge)
	}
	return nil
}

// errStopScan ends a Scan early.
var errStopScan = errors.New("stop scan")

// expireStreamLogs drops messages older than their stream's log.max_age.
func (g *Gateway) expireStreamLogs(now time.Time) {
	g.smu.Lock()
	defer g.smu.Unlock()
	for _, s := range g.streams {
		limit := now.Add(-s.Spec.Log.MaxAge.D()).UnixMilli()
		var old []int
		for p, ps := range s.parts {
			if ps.oldest != 0 && ps.oldest < limit {
				old = append(old, p)
			}
		}
		if len(old) == 0 {
			continue
		}
		undo := g.streamSnapshot(s)
		err := g.streamUpdate(s, func(tx *store.Tx) error {
			for _, p := range old {
				if err := dropOldest(s.kv(tx), s, p, func(m api.StreamMessage, _ int64) bool { return m.TS < limit }); err != nil {
					return err
				}
			}
			return s.save(tx)
		})
		if err != nil {
			undo()
			g.log.Error("dropping expired stream messages", "stream", s.Spec.Name, "err", err)
		}
	}
}

// streamSnapshot returns a function that puts the records and partition
// sizes of ss (every stream when none is given) back as they are now, for
// a transaction that failed.
func (g *Gateway) streamSnapshot(ss ...*streamState) (undo func()) {
	if len(ss) == 0 {
		ss = slices.Collect(maps.Values(g.streams))
	}
	type saved struct {
		rec           streamRecord
		bytes, oldest []int64
	}
	was := make(map[*streamState]saved, len(ss))
	for _, s := range ss {
		sv := saved{rec: s.streamRecord}
		sv.rec.Parts = slices.Clone(s.Parts)
		sv.rec.Windows = slices.Clone(s.Windows)
		for _, p := range s.parts {
			sv.bytes, sv.oldest = append(sv.bytes, p.bytes), append(sv.oldest, p.oldest)
		}
		was[s] = sv
	}
	return func() {
		for s, sv := range was {
			s.streamRecord = sv.rec
			for i, p := range s.parts {
				p.bytes, p.oldest = sv.bytes[i], sv.oldest[i]
			}
		}
	}
}

// waitStoredLocked waits until no durable ingest transaction is being
// committed (ingest releases smu for its fsync), so that a change of a
// stream's record is not undone by that transaction's failure, nor stores
// its offsets before they are. smu must be held; it is released while
// waiting.
func (g *Gateway) waitStoredLocked() {
	for g.storing != nil {
		ch := g.storing
		g.smu.Unlock()
		<-ch
		g.smu.Lock()
	}
}

// signal wakes the partition's waiting pull.
func (p *partState) signal() {
	close(p.wake)
	p.wake = make(chan struct{})
}

// readBatch returns up to max messages of partition p from its committed
// offset, and at most about maxBatchBytes of them.
func readBatch(log kv, name string, p, max int) ([]api.StreamMessage, error) {
	var out []api.StreamMessage
	size := 0
	err := log.Scan(bucketStreamLog, logPrefix(name, p), func(_ string, v []byte) error {
		if len(out) == max || len(out) > 0 && size+len(v) > maxBatchBytes {
			return errStopScan
		}
		var m api.StreamMessage
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		out = append(out, m)
		size += len(v)
		return nil
	})
	if err != nil && !errors.Is(err, errStopScan) {
		return nil, err
	}
	return out, nil
}

// maxBatchBytes bounds a pulled batch (one message may exceed it alone).
const maxBatchBytes = 1 << 20
