package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// Outputs wait in the outbox (bucketStreamOut, in commit order per stream)
// until the broker acknowledges them (QoS 2), then leave it. While the
// broker is away they wait there, bounded by what the logs bound, and go
// out in order when it is back. A publish the broker acknowledged but the
// gateway could not yet delete (a crash in between) goes out again: the
// one case of a duplicate.

// publishBatch is how many outputs of a stream are in flight at once, and
// leave the outbox in one transaction. At 64 the publisher was the
// pipeline's bottleneck (nearly all of the benchmark's messages in flight
// waited in the outbox); 1,024 moved it back to the pulls but made each
// round, and so the latency at 1,000 msg/s, longer.
const publishBatch = 256

func (g *Gateway) wakePublisher() {
	select {
	case g.outKick <- struct{}{}:
	default:
	}
}

// runPublisher publishes pending outputs until ctx ends.
func (g *Gateway) runPublisher(ctx context.Context) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	sent := map[*streamState]*sentMark{}
	for {
		select {
		case <-ctx.Done():
			g.lastDeletions()
			return nil
		case <-g.outKick:
		case <-tick.C:
		}
		for g.broker.client.IsConnectionOpen() && ctx.Err() == nil {
			n, err := g.publishSome(ctx, sent)
			if err != nil {
				g.log.Warn("publishing stream outputs; trying again", "err", err)
				break
			}
			if n == 0 {
				break
			}
		}
	}
}

// sentMark is how far the broker has acknowledged a durable stream's
// outbox: the last key it acknowledged, and the deletion of the outbox up
// to it, which runIngest applies in its next transaction while the
// publisher goes on past it.
type sentMark struct {
	key     string
	deleted chan error // of the last deletion queued; nil once it answered
}

// publishSome publishes up to publishBatch outputs of each stream that has
// some, beyond what sent says went out already, and reports how many went
// out.
func (g *Gateway) publishSome(ctx context.Context, sent map[*streamState]*sentMark) (int, error) {
	g.smu.Lock()
	var names []string
	specs := map[string]api.StreamSpec{}
	streams := map[string]*streamState{}
	for n, s := range g.streams {
		if s.Counts.Pending > 0 {
			names = append(names, n)
			specs[n] = s.Spec
			streams[n] = s
		}
	}
	for s := range sent {
		if g.streams[s.Spec.Name] != s {
			delete(sent, s) // removed, with its outbox
		}
	}
	g.smu.Unlock()
	slices.Sort(names)
	total := 0
	for _, name := range names {
		type pending struct {
			key string
			rec outRecord
		}
		var outs []pending
		mark := sent[streams[name]]
		if mark != nil && mark.deleted != nil {
			select {
			case err := <-mark.deleted:
				mark.deleted = nil
				if err != nil { // the outputs it did not delete would go out again after a restart
					g.log.Warn("deleting published stream outputs; trying again", "stream", name, "err", err)
					g.queueDeletion(streams[name], mark)
				}
			default:
			}
		}
		scan := func(out kv) error {
			return out.Scan(bucketStreamOut, name+"/", func(k string, v []byte) error {
				if mark != nil && k <= mark.key {
					return nil // published; its deletion is on its way
				}
				if len(outs) == publishBatch {
					return errStopScan
				}
				var r outRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return fmt.Errorf("output %s: %w", k, err)
				}
				outs = append(outs, pending{k, r})
				return nil
			})
		}
		var err error
		if s := streams[name]; s.memory() {
			g.smu.Lock()
			if g.streams[name] == s { // not removed meanwhile
				err = scan(s.mem)
			}
			g.smu.Unlock()
		} else {
			err = g.db.View(func(tx *store.Tx) error { return scan(tx) })
		}
		if err != nil && !errors.Is(err, errStopScan) {
			return total, err
		}
		// In flight together, at QoS 2: the broker keeps each once even
		// when paho sends it again after a reconnection (its session and
		// store keep what was not acknowledged, in order), which QoS 1
		// would publish twice. A token is waited for as long as it takes:
		// publishing again under a new packet ID would repeat it. Only
		// the outputs before a failure leave the outbox, so nothing is
		// skipped; the rest go again. A memory stream's outputs go at
		// QoS 1: half the packets, and a duplicate only after a lost
		// connection, as its delivery says.
		tokens := make([]mqtt.Token, len(outs))
		spec := specs[name]
		qos := byte(2)
		if streams[name].memory() {
			qos = 1
		}
		for i, o := range outs {
			g.announceOutput(&spec, o.rec.Topic) // Home Assistant learns the entity before its first state
			tokens[i] = g.broker.client.Publish(o.rec.Topic, qos, o.rec.Retain, o.rec.Payload)
		}
		acked := 0
		var perr error
		for _, t := range tokens {
			for !t.WaitTimeout(time.Second) {
				if ctx.Err() != nil {
					return total, nil // paho's store has them; the outbox too
				}
			}
			if perr = t.Error(); perr != nil {
				break
			}
			acked++
		}
		switch s := streams[name]; {
		case acked == 0:
		case s.memory():
			if err := g.published(name, s, outs[acked-1].key); err != nil {
				return total, err
			}
			total += acked
		default:
			if mark == nil {
				mark = &sentMark{}
				sent[s] = mark
			}
			mark.key = outs[acked-1].key
			g.queueDeletion(s, mark)
			total += acked
			// The deletion shares runIngest's next transaction; waiting
			// for it makes the next round carry what came meanwhile.
			// Without the wait the publisher ran more rounds of fewer
			// outputs, and the durable rates at full load fell by a
			// tenth to a quarter.
			if d := mark.deleted; d != nil {
				select {
				case err := <-d:
					mark.deleted = nil
					if err != nil {
						g.log.Warn("deleting published stream outputs; trying again", "stream", name, "err", err)
						g.queueDeletion(s, mark)
					}
				case <-g.ingestDone:
				}
			}
		}
		if perr != nil {
			return total, perr
		}
	}
	return total, nil
}

// queueDeletion has runIngest delete s's outbox up to mark.key in its next
// transaction (with the messages and commits of the moment), without
// waiting: mark.deleted says how it went. A deletion that fails is queued
// again on the publisher's next round. Once runIngest has stopped, the
// deletion is applied at once.
func (g *Gateway) queueDeletion(s *streamState, mark *sentMark) {
	c := &commitReq{s: s, published: mark.key, done: make(chan error, 1)}
	select {
	case g.commits <- c:
		mark.deleted = c.done
	case <-g.ingestDone: // stopping
		if err := g.published(c.s.Spec.Name, c.s, c.published); err != nil {
			g.log.Error("deleting published stream outputs; they go out again after the restart", "stream", s.Spec.Name, "err", err)
		}
	}
}

// lastDeletions applies, as the gateway stops and once runIngest has
// returned, the deletions queued after its last transaction, so that a
// clean stop publishes nothing twice. The commits of pulls still queued
// are answered errStopping (their agents send them again).
func (g *Gateway) lastDeletions() {
	<-g.ingestDone
	for {
		select {
		case c := <-g.commits:
			if c.published == "" {
				c.done <- errStopping
				continue
			}
			err := g.published(c.s.Spec.Name, c.s, c.published)
			if err != nil {
				g.log.Error("deleting published stream outputs; they go out again after the restart", "stream", c.s.Spec.Name, "err", err)
			}
			c.done <- err
		default:
			return
		}
	}
}

// published deletes the outbox of stream name, as it was when it was
// read (was), up to and including last, at once: a memory stream's, or a
// durable stream's once runIngest has stopped.
func (g *Gateway) published(name string, was *streamState, last string) error {
	g.smu.Lock()
	defer g.smu.Unlock()
	s := g.streams[name]
	if s == nil || s != was {
		return nil // removed meanwhile, with its outbox (and perhaps deployed again)
	}
	undo := g.streamSnapshot(s)
	err := g.streamUpdate(s, func(tx *store.Tx) error { return deletePublished(tx, s, last) })
	if err != nil {
		undo()
	}
	return err
}

// deletePublished deletes s's outbox up to and including last, in tx (a
// durable stream's) or in memory, and counts what it deleted as
// published. smu must be held.
func deletePublished(tx *store.Tx, s *streamState, last string) error {
	out := s.kv(tx)
	var keys []string
	err := out.Scan(bucketStreamOut, s.Spec.Name+"/", func(k string, _ []byte) error {
		if k > last {
			return errStopScan
		}
		keys = append(keys, k)
		return nil
	})
	if err != nil && !errors.Is(err, errStopScan) {
		return err
	}
	for _, k := range keys {
		if err := out.Delete(bucketStreamOut, k); err != nil {
			return err
		}
	}
	s.Counts.Published += uint64(len(keys))
	s.Counts.Pending -= min(s.Counts.Pending, uint64(len(keys)))
	return s.save(tx)
}
