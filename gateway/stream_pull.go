package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
	"github.com/hearth-home/hearth/stream"
)

// Pulls: the device that holds a partition's lease asks for the next batch
// and, in the same request, commits the batch before with its outputs. The
// commit is one transaction (outputs into the outbox, processed messages out
// of the log, the committed offset forward), applied once: a request that
// repeats an older offset, from a device whose answer was lost or from one
// whose lease has moved on, changes nothing. So a device killed mid-batch
// costs a re-run of that batch elsewhere and no duplicate output.

const (
	// defaultPullMax is the batch size when the agent asks for none.
	defaultPullMax = 64
	// maxPullWait bounds how long a pull waits for messages: the pulls
	// renew the lease, so they come back well within streamTTL.
	maxPullWait = time.Second
)

// outRecord is an output waiting to be published.
type outRecord struct {
	Topic   string `json:"topic"`
	Payload []byte `json:"payload"`
	Retain  bool   `json:"retain,omitempty"`
}

// streamPull commits what req reports and answers with the next batch.
func (g *Gateway) streamPull(ctx context.Context, node identity.NodeID, req api.StreamPull) (api.StreamBatch, error) {
	now := time.Now()
	g.mu.Lock()
	if _, err := g.workerLocked(node); err != nil {
		g.mu.Unlock()
		return api.StreamBatch{}, err
	}
	t := g.leased[req.LeaseID]
	if t == nil || t.Node != node || t.job.Stream == "" {
		g.mu.Unlock()
		return api.StreamBatch{Stop: "the lease is no longer this device's (it expired or the stream was removed)"}, nil
	}
	name, p := t.job.Stream, t.Index
	t.expires = later(t.expires, now.Add(streamTTL))
	stop := ""
	restarted := t.streamVersion == 0
	switch {
	case restarted:
		// Leased before the gateway restarted: started again, so that
		// the lease names the version it runs.
		stop = "the gateway restarted"
	case t.streamVersion != t.job.streamVersion:
		stop = fmt.Sprintf("the stream was updated to version %d", t.job.streamVersion)
	}
	g.mu.Unlock()

	max := req.Max
	if max == 0 {
		max = defaultPullMax
	}
	deadline := time.NewTimer(min(req.Wait.D(), maxPullWait))
	defer deadline.Stop()
	committed := false // the request's commit, applied or tried once
	for {
		g.smu.Lock()
		s := g.streams[name]
		if s == nil {
			g.smu.Unlock()
			return api.StreamBatch{Stop: "the stream was removed"}, nil
		}
		// A memory stream's offsets from before a restart of the gateway
		// name messages it no longer has, and a durable stream's beyond
		// the head it stored, messages handed out from a tail (ingest)
		// that it never stored: that commit is dropped.
		stale := restarted && (s.memory() || req.Committed > s.parts[p].loaded)
		if req.Committed > s.Parts[p].Committed && !stale && !committed {
			committed = true
			if !s.memory() {
				g.smu.Unlock()
				if err := g.queueCommit(ctx, &commitReq{s: s, p: p, upTo: req.Committed, outputs: req.Outputs}); err != nil {
					return api.StreamBatch{}, err
				}
				continue // as it stands now
			}
			if err := g.commitLocked(s, p, req.Committed, req.Outputs); err != nil {
				g.smu.Unlock()
				return api.StreamBatch{}, err
			}
		}
		req.Outputs = nil
		out := api.StreamBatch{Committed: s.Parts[p].Committed, Stop: stop}
		if stop != "" || req.Max < 0 { // Max < 0: a commit only
			g.smu.Unlock()
			return out, nil
		}
		err := g.streamView(s, func(tx *store.Tx) error {
			var err error
			out.Messages, err = readBatch(s.kv(tx), name, p, max)
			return err
		})
		if ps := s.parts[p]; err == nil && !s.memory() {
			// During a transaction's fsync the store is as the one before
			// left it: messages the transaction commits or drops
			// (log.max_bytes) are below the committed offset, and its
			// tail is not there yet.
			from := s.Parts[p].Committed
			out.Messages = slices.DeleteFunc(out.Messages, func(m api.StreamMessage) bool { return m.Offset < from })
			if n := len(out.Messages); n > 0 {
				from = out.Messages[n-1].Offset + 1 // stored meanwhile: the tail repeats them
			}
			size := 0
			for _, m := range out.Messages {
				size += len(m.Payload) + len(m.PayloadB64)
			}
			for _, m := range ps.tail {
				if m.Offset < from {
					continue
				}
				if len(out.Messages) == max || len(out.Messages) > 0 && size+len(m.Payload)+len(m.PayloadB64) > maxBatchBytes {
					break
				}
				out.Messages = append(out.Messages, m)
				size += len(m.Payload) + len(m.PayloadB64)
				ps.tailRead = true
			}
		}
		wake := s.parts[p].wake
		g.smu.Unlock()
		if err != nil || len(out.Messages) > 0 {
			return out, err
		}
		select {
		case <-wake:
		case <-deadline.C:
			return out, nil
		case <-ctx.Done():
			return out, nil
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// commitReq is a durable partition's commit, which runIngest applies in
// the transaction of its next batch: the commits of every partition and
// the messages that came meanwhile share one transaction, and one fsync,
// instead of one each.
type commitReq struct {
	s       *streamState
	p       int
	upTo    uint64
	outputs []api.StreamOutput
	// published, when set, makes this not a commit but the deletion of
	// s's outbox up to this key, which the broker acknowledged
	// (queueDeletion).
	published string
	err       error // of this commit alone; set by ingest
	done      chan error
}

// queueCommit has runIngest apply c and waits for it. A commit whose pull
// is gone meanwhile may still be applied: the agent's next pull repeats
// it, which applies nothing twice.
func (g *Gateway) queueCommit(ctx context.Context, c *commitReq) error {
	c.done = make(chan error, 1)
	select {
	case g.commits <- c:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.ingestDone:
		return errStopping
	}
	select {
	case err := <-c.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-g.ingestDone:
		return errStopping
	}
}

// errStopping answers a commit that comes while the gateway stops.
var errStopping = errors.New("the gateway is stopping; try again")

// commitLocked moves partition p's committed offset to upTo, storing the
// outputs of the messages below it, in a transaction of its own (a memory
// stream's commits: no disk). smu must be held.
func (g *Gateway) commitLocked(s *streamState, p int, upTo uint64, outputs []api.StreamOutput) error {
	undo := g.streamSnapshot(s)
	published := false
	err := g.streamUpdate(s, func(tx *store.Tx) error {
		var err error
		published, err = g.commitTx(tx, s, p, upTo, outputs)
		return err
	})
	if err != nil {
		undo()
		return err
	}
	if published {
		g.wakePublisher()
	}
	return nil
}

// commitTx is a commit's work in tx, and reports whether it put outputs in
// the outbox. A commit beyond the partition's head is refused before it
// changes anything. smu must be held.
func (g *Gateway) commitTx(tx *store.Tx, s *streamState, p int, upTo uint64, outputs []api.StreamOutput) (published bool, err error) {
	if rec := s.Parts[p]; upTo > rec.Head {
		return false, fmt.Errorf("%w: committed %d is beyond partition %d's head %d", ErrBadRequest, upTo, p, rec.Head)
	}
	err = func() error {
		log := s.kv(tx)
		ins := map[uint64]api.StreamMessage{}
		var done []string
		var freed int64
		ps := s.parts[p]
		ps.oldest = 0
		err := log.Scan(bucketStreamLog, logPrefix(s.Spec.Name, p), func(k string, v []byte) error {
			var m api.StreamMessage
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if m.Offset >= upTo {
				ps.oldest = m.TS
				return errStopScan
			}
			ins[m.Offset] = m
			done = append(done, k)
			freed += int64(len(v))
			return nil
		})
		if err != nil && !errors.Is(err, errStopScan) {
			return err
		}
		for _, o := range outputs {
			in, ok := ins[o.Offset]
			if !ok {
				s.Counts.Rejected++ // not an output of this batch
				continue
			}
			ok, err := g.outboxLocked(log, s, p, o, in.Topic, in.Key)
			if err != nil {
				return err
			}
			published = published || ok
		}
		for _, k := range done {
			if err := log.Delete(bucketStreamLog, k); err != nil {
				return err
			}
		}
		ps.bytes -= freed
		s.Parts[p].Committed = upTo
		s.Counts.Processed += uint64(len(done))
		return s.save(tx)
	}()
	return published, err
}

// outboxLocked puts output o of a message on topic inTopic with key inKey
// in s's outbox, in out, and reports whether it did: an output to a topic
// that output.allow does not allow is counted as rejected. smu must be
// held.
func (g *Gateway) outboxLocked(out kv, s *streamState, p int, o api.StreamOutput, inTopic, inKey string) (bool, error) {
	topic := o.Topic
	if topic == "" {
		topic = stream.OutputTopic(s.Spec.Output.Topic, s.Spec.Name, inTopic, inKey)
	}
	if stream.ValidTopic(topic) != nil || !stream.Allowed(s.Spec.Output.Allow, topic) {
		s.Counts.Rejected++
		s.notes.addRare("rejected: ", p, "an output to %q: not in output.allow %v", topic, s.Spec.Output.Allow)
		return false, nil
	}
	r := outRecord{Topic: topic, Payload: o.Payload, Retain: s.Spec.Output.Retain}
	if o.Payload == nil {
		r.Payload = o.PayloadB64
	}
	if o.Retain != nil {
		r.Retain = *o.Retain
	}
	s.OutSeq++
	if err := out.PutJSON(bucketStreamOut, outKey(s.Spec.Name, s.OutSeq), r); err != nil {
		return false, err
	}
	s.Counts.Pending++
	return true, nil
}
