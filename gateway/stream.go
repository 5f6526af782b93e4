package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
	"github.com/hearth-home/hearth/stream"
)

// Streams (docs/streams.md): the gateway subscribes to the household's MQTT
// broker once per stream, logs each message in the partition its key picks
// (stream_log.go), and leases each partition to one device at a time as a
// task of the stream's job: the scheduler places it, heartbeats and pulls
// renew it, and an expired lease puts it back in the queue for another
// device. The device pulls batches (stream_pull.go) and commits what it
// processed with the outputs it made, which are published in order
// (stream_publish.go).

const (
	bucketStreams   = "streams"    // name -> streamRecord
	bucketStreamLog = "stream-log" // logKey(name, partition, offset) -> api.StreamMessage
	bucketStreamOut = "stream-out" // outKey(name, seq) -> outRecord
)

// streamTTL is how long a partition's lease lives without a pull or a
// heartbeat: short, so that a partition whose device died moves within
// seconds (task leases live LeaseTTL).
const streamTTL = 3 * time.Second

// streamJobPrefix names a stream's job: "stream-<name>-<seq>".
const streamJobPrefix = "stream-"

// streamLogKeep is how many lines `hearth stream logs` keeps per stream.
const streamLogKeep = 200

type streamRecord struct {
	Spec    api.StreamSpec   `json:"spec"`
	Version int              `json:"version"`
	JobID   string           `json:"job_id"`
	Created time.Time        `json:"created"`
	Updated time.Time        `json:"updated"`
	Counts  api.StreamCounts `json:"counts"`
	// OutSeq is the last sequence number given to an output.
	OutSeq uint64       `json:"out_seq"`
	Parts  []partRecord `json:"parts"`
	// Windows are the windows handed to tasks and not done yet (kind
	// window; stream_window.go).
	Windows []windowRecord `json:"windows,omitempty"`
}

type partRecord struct {
	Head      uint64 `json:"head"`
	Committed uint64 `json:"committed"`
	Dropped   uint64 `json:"dropped"`
	// Closed is the end (Unix ms) of the last tumbling window cut: a
	// message placed before it is late.
	Closed int64 `json:"closed,omitempty"`
	// Next is the start (Unix ms) of the next hopping window to cut: a
	// message placed before it and in no window is late.
	Next int64 `json:"next,omitempty"`
}

// streamState is a deployed stream in memory. Its record and partitions
// are guarded by Gateway.smu.
type streamState struct {
	streamRecord
	parts []*partState
	notes *noteLog
	// retained is, by topic, a hash of the last message logged: the
	// broker sends a topic's retained message again on every subscription
	// (the gateway subscribes again when it reconnects), and a retained
	// message that is the last one logged is not a new reading. Memory
	// only: after a restart of the gateway each retained message is
	// logged once more.
	retained map[string]uint64
	// mem holds the log and the outbox of a stream with delivery: memory
	// (stream_mem.go); nil for a durable one.
	mem *memKV
}

type partState struct {
	bytes  int64 // size of the entries in the log
	oldest int64 // TS of the first entry; 0 when empty
	// wake is closed when messages arrive, and replaced.
	wake chan struct{}
	// tail holds a durable map stream's messages that the transaction
	// being committed logs (see ingest): pulls hand them out while the
	// fsync runs. tailRead says one did.
	tail     []api.StreamMessage
	tailRead bool
	// loaded is the head the gateway loaded at start: a lease from before
	// then cannot have been handed a message beyond it that is stored.
	loaded uint64
}

func logKey(name string, part int, offset uint64) string {
	return fmt.Sprintf("%s/%04d/%016x", name, part, offset)
}

func logPrefix(name string, part int) string { return fmt.Sprintf("%s/%04d/", name, part) }

func outKey(name string, seq uint64) string { return fmt.Sprintf("%s/%016x", name, seq) }

// noteLog is what `hearth stream logs` shows of a stream: the last
// streamLogKeep lines. It has a lock of its own, so that the scheduler (under
// mu) and the streams (under smu) both write to it.
type noteLog struct {
	mu    sync.Mutex
	lines []api.StreamLogEntry
}

// add adds a line about partition part (-1: the whole stream).
func (n *noteLog) add(part int, format string, args ...any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lines = append(n.lines, api.StreamLogEntry{Time: time.Now().UTC(), Partition: part, Message: fmt.Sprintf(format, args...)})
	if k := len(n.lines) - streamLogKeep; k > 0 {
		n.lines = slices.Delete(n.lines, 0, k)
	}
}

// addRare adds a line unless one was added under the same tag within the
// last second: for what may happen per message.
func (n *noteLog) addRare(tag string, part int, format string, args ...any) {
	n.mu.Lock()
	if k := len(n.lines); k > 0 && time.Since(n.lines[k-1].Time) < time.Second && strings.HasPrefix(n.lines[k-1].Message, tag) {
		n.mu.Unlock()
		return
	}
	n.mu.Unlock()
	n.add(part, tag+format, args...)
}

func (n *noteLog) list() []api.StreamLogEntry {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.lines)
}

// DeployStream validates spec (its app uploaded), stores the stream and its
// job, and subscribes to its topics.
func (g *Gateway) DeployStream(spec api.StreamSpec) (api.Stream, error) {
	if err := g.checkStreamSpec(&spec); err != nil {
		return api.Stream{}, err
	}
	g.smu.Lock()
	defer g.smu.Unlock()
	g.waitStoredLocked()
	if g.streams[spec.Name] != nil {
		return api.Stream{}, fmt.Errorf("%w: %q; change it with `hearth stream update`, or remove it first", ErrStreamExists, spec.Name)
	}
	now := time.Now().UTC()
	s := &streamState{streamRecord: streamRecord{Spec: spec, Version: 1, Created: now, Updated: now,
		Parts: make([]partRecord, spec.Partitions)}}
	s.parts, s.notes, s.retained = newParts(spec.Partitions), &noteLog{}, map[string]uint64{}
	if spec.Delivery == api.StreamMemory {
		s.mem = newMemKV()
	}
	if spec.Kind == api.StreamWindow {
		// Its windows run as jobs of their own, as they close.
		if err := g.db.Update(func(tx *store.Tx) error { return tx.PutJSON(bucketStreams, spec.Name, s.streamRecord) }); err != nil {
			return api.Stream{}, err
		}
	} else if _, err := g.submitStreamJob(s); err != nil {
		return api.Stream{}, err
	}
	s.notes.add(-1, "deployed version 1: app %s, %d partitions, topics %v", store.Digest(spec.AppDigest).Short(), spec.Partitions, spec.Topics)
	g.streams[spec.Name] = s
	g.log.Info("stream deployed", "stream", spec.Name, "kind", spec.Kind, "job", s.JobID, "partitions", spec.Partitions, "topics", spec.Topics)
	g.resubscribe()
	return g.streamViewLocked(s), nil
}

func newParts(n int) []*partState {
	ps := make([]*partState, n)
	for i := range ps {
		ps[i] = &partState{wake: make(chan struct{})}
	}
	return ps
}

// checkStreamSpec validates spec, fills its defaults, and checks its app.
func (g *Gateway) checkStreamSpec(spec *api.StreamSpec) error {
	if err := stream.Validate(spec); err != nil {
		return err
	}
	switch {
	case spec.AppDigest == "":
		return fmt.Errorf("%w: app_digest: required; upload the app first (the CLI does)", api.ErrBadSpec)
	case !g.blobs.Has(store.Digest(spec.AppDigest)):
		return fmt.Errorf("%w: app %s", ErrMissingBlob, spec.AppDigest)
	case spec.Runtime == "oci": // a window function's image (stream.Validate allows no other)
		if _, err := appPlatforms(g.blobs.Path(store.Digest(spec.AppDigest))); err != nil {
			return fmt.Errorf("%w: app: runtime oci needs an OCI image archive (`hearth image pack` makes one): %v", api.ErrBadSpec, err)
		}
		return nil
	}
	return g.checkWasm(spec.AppDigest)
}

// submitStreamJob stores the stream with a new job whose tasks are its
// partitions, and queues them. smu must be held.
func (g *Gateway) submitStreamJob(s *streamState) (*job, error) {
	retries := 0
	j := &job{jobRecord: jobRecord{Spec: streamJobSpec(&s.Spec), Created: s.Created, Stream: s.Spec.Name}}
	err := g.db.Update(func(tx *store.Tx) error {
		seq, err := tx.NextSeq(bucketJobs)
		if err != nil {
			return err
		}
		j.ID = fmt.Sprintf("%s%s-%d", streamJobPrefix, s.Spec.Name, seq)
		j.Spec.Retries = &retries
		s.JobID = j.ID
		if err := tx.PutJSON(bucketJobs, j.ID, j.jobRecord); err != nil {
			return err
		}
		j.tasks = make([]*task, j.Spec.Tasks)
		for i := range j.tasks {
			j.tasks[i] = &task{taskRecord: taskRecord{JobID: j.ID, Index: i, State: api.TaskQueued}, job: j}
			if err := tx.PutJSON(bucketTasks, taskKey(j.ID, i), j.tasks[i].taskRecord); err != nil {
				return err
			}
		}
		return tx.PutJSON(bucketStreams, s.Spec.Name, s.streamRecord)
	})
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	j.streamVersion, j.notes = s.Version, s.notes
	j.counts.Queued = len(j.tasks)
	// Devices hear of the stream at their next heartbeat (agents hold no
	// request for partitions open while no stream runs) and ask one after
	// another: for that long, each takes its share only. Then whatever
	// is left goes to whoever asks, and waiting requests are woken for it.
	spread := g.cfg.Heartbeat + 2*time.Second
	j.spreadUntil = time.Now().Add(spread)
	time.AfterFunc(spread, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if j.counts.Queued > 0 {
			g.wakeLocked()
		}
	})
	g.jobs[j.ID] = j
	g.streamJobs = append(g.streamJobs, j)
	g.jobOrder = append(g.jobOrder, j.ID)
	g.queue = append(g.queue, j.tasks...)
	g.wakeLocked()
	g.mu.Unlock()
	return j, nil
}

// streamJobSpec is the job that runs a stream's partitions.
func streamJobSpec(spec *api.StreamSpec) api.JobSpec {
	return api.JobSpec{
		Name: streamJobPrefix + spec.Name, Runtime: spec.Runtime, App: spec.App, AppDigest: spec.AppDigest,
		Args: spec.Args, Env: spec.Env, Tasks: spec.Partitions, Resources: spec.Resources,
	}
}

// UpdateStream swaps a stream's function (and its other settings but its
// name and partitions). Each running partition finishes its batch,
// commits it, and stops; it starts again with the new function from the
// committed offset, so nothing is lost or repeated. Stopped partitions
// start again.
func (g *Gateway) UpdateStream(spec api.StreamSpec) (api.Stream, error) {
	if err := g.checkStreamSpec(&spec); err != nil {
		return api.Stream{}, err
	}
	g.smu.Lock()
	defer g.smu.Unlock()
	g.waitStoredLocked()
	s := g.streams[spec.Name]
	if s == nil {
		return api.Stream{}, fmt.Errorf("%w: %q; deploy it first", ErrUnknownStream, spec.Name)
	}
	if spec.Kind != s.Spec.Kind {
		return api.Stream{}, fmt.Errorf("%w: kind: %s -> %s: a stream's kind cannot change; remove the stream and deploy it again", api.ErrBadSpec, s.Spec.Kind, spec.Kind)
	}
	if was, now := s.Spec.Window, spec.Window; spec.Kind == api.StreamWindow &&
		((was.Type == api.WindowHopping) != (now.Type == api.WindowHopping) || was.Hop != now.Hop) {
		// Hopping windows place the messages of windows already cut in
		// later ones too: a change would place them in windows of both.
		return api.Stream{}, fmt.Errorf("%w: window: %s (hop %s) -> %s (hop %s): a stream's windows cannot change to or from hopping, nor their hop; remove the stream and deploy it again",
			api.ErrBadSpec, was.Type, was.Hop, now.Type, now.Hop)
	}
	if spec.Delivery != s.Spec.Delivery {
		return api.Stream{}, fmt.Errorf("%w: delivery: %s -> %s: a stream's delivery cannot change (its log is where it is); remove the stream and deploy it again", api.ErrBadSpec, s.Spec.Delivery, spec.Delivery)
	}
	if spec.Partitions != s.Spec.Partitions {
		return api.Stream{}, fmt.Errorf("%w: partitions: %d -> %d: the partitions of a stream cannot change (messages are logged by partition); remove the stream and deploy it again",
			api.ErrBadSpec, s.Spec.Partitions, spec.Partitions)
	}
	rec := s.streamRecord
	rec.Spec, rec.Version, rec.Updated = spec, s.Version+1, time.Now().UTC()
	rec.Parts = slices.Clone(s.Parts)
	if spec.Kind == api.StreamWindow {
		// The windows cut from now on run the new function.
		if err := g.db.Update(func(tx *store.Tx) error { return tx.PutJSON(bucketStreams, spec.Name, rec) }); err != nil {
			return api.Stream{}, err
		}
		s.streamRecord = rec
		s.notes.add(-1, "updated to version %d: app %s", rec.Version, store.Digest(spec.AppDigest).Short())
		g.resubscribe()
		return g.streamViewLocked(s), nil
	}
	g.mu.Lock()
	j := g.jobs[s.JobID]
	jrec := j.jobRecord
	jrec.Spec = streamJobSpec(&spec)
	jrec.Spec.Retries = j.Spec.Retries
	jrec.Finished = nil
	g.mu.Unlock()
	err := g.db.Update(func(tx *store.Tx) error {
		if err := tx.PutJSON(bucketJobs, jrec.ID, jrec); err != nil {
			return err
		}
		return tx.PutJSON(bucketStreams, spec.Name, rec)
	})
	if err != nil {
		return api.Stream{}, err
	}
	s.streamRecord = rec
	var recs []taskRecord
	g.mu.Lock()
	j.jobRecord = jrec
	j.streamVersion = rec.Version // running partitions stop at their next pull
	for _, t := range j.tasks {
		if t.State == api.TaskFailed || t.State == api.TaskDone {
			// Stopped: run again, with the new function.
			j.counts.Failed -= b2i(t.State == api.TaskFailed)
			j.counts.Done -= b2i(t.State == api.TaskDone)
			t.State, t.Result = api.TaskQueued, nil
			j.counts.Queued++
			g.queue = append(g.queue, t)
			recs = append(recs, t.snapshot())
		}
	}
	g.wakeLocked()
	g.mu.Unlock()
	if err := g.save(recs, nil); err != nil {
		g.log.Error("store restarted stream partitions; kept to store again", "stream", spec.Name, "err", err)
	}
	s.notes.add(-1, "updated to version %d: app %s", rec.Version, store.Digest(spec.AppDigest).Short())
	g.log.Info("stream updated", "stream", spec.Name, "version", rec.Version, "app", store.Digest(spec.AppDigest).Short())
	g.resubscribe()
	return g.streamViewLocked(s), nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RemoveStream cancels a stream's job, unsubscribes, and deletes its log
// and the outputs not yet published.
func (g *Gateway) RemoveStream(name string) error {
	g.smu.Lock()
	defer g.smu.Unlock()
	g.waitStoredLocked()
	s := g.streams[name]
	if s == nil {
		return fmt.Errorf("%w: %q", ErrUnknownStream, name)
	}
	if s.JobID != "" {
		if _, err := g.endJob(s.JobID, true); err != nil && !errors.Is(err, ErrJobFinished) {
			return err
		}
	}
	for _, w := range s.Windows {
		if err := g.CancelJob(w.JobID); err != nil && !errors.Is(err, ErrJobFinished) && !errors.Is(err, ErrUnknownJob) {
			return err
		}
	}
	err := g.db.Update(func(tx *store.Tx) error {
		for p := range s.Parts {
			if err := deletePrefix(tx, bucketStreamLog, logPrefix(name, p)); err != nil {
				return err
			}
		}
		if err := deletePrefix(tx, bucketStreamOut, name+"/"); err != nil {
			return err
		}
		return tx.Delete(bucketStreams, name)
	})
	if err != nil {
		return err
	}
	delete(g.streams, name)
	for _, p := range s.parts {
		close(p.wake) // pullers see the stream gone
	}
	g.log.Info("stream removed", "stream", name)
	g.resubscribe()
	return nil
}

// deletePrefix deletes every key of bucket that starts with prefix.
func deletePrefix(tx *store.Tx, bucket, prefix string) error {
	var keys []string
	if err := tx.Scan(bucket, prefix, func(k string, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(bucket, k); err != nil {
			return err
		}
	}
	return nil
}

// Streams lists the deployed streams by name.
func (g *Gateway) Streams() []api.Stream {
	g.smu.Lock()
	defer g.smu.Unlock()
	names := make([]string, 0, len(g.streams))
	for n := range g.streams {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]api.Stream, len(names))
	for i, n := range names {
		out[i] = g.streamViewLocked(g.streams[n])
	}
	return out
}

// Stream shows one stream.
func (g *Gateway) Stream(name string) (api.Stream, error) {
	g.smu.Lock()
	defer g.smu.Unlock()
	s := g.streams[name]
	if s == nil {
		return api.Stream{}, fmt.Errorf("%w: %q", ErrUnknownStream, name)
	}
	return g.streamViewLocked(s), nil
}

// StreamLogs lists what happened to a stream, oldest first.
func (g *Gateway) StreamLogs(name string) ([]api.StreamLogEntry, error) {
	g.smu.Lock()
	defer g.smu.Unlock()
	s := g.streams[name]
	if s == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownStream, name)
	}
	return s.notes.list(), nil
}

// streamViewLocked shows s; smu must be held (g.mu is taken here).
func (g *Gateway) streamViewLocked(s *streamState) api.Stream {
	v := api.Stream{Spec: s.Spec, Version: s.Version, JobID: s.JobID, Created: s.Created, Updated: s.Updated,
		Broker: g.brokerStatus(), Counts: s.Counts, Partitions: make([]api.StreamPartition, len(s.Parts))}
	v.Counts.Lag = 0
	g.mu.Lock()
	j := g.jobs[s.JobID]
	for i, p := range s.Parts {
		vp := api.StreamPartition{Index: i, State: api.PartitionWaiting, Head: p.Head, Committed: p.Committed,
			Lag: p.Head - p.Committed, Dropped: p.Dropped}
		if s.Spec.Kind == api.StreamWindow {
			vp.State = api.PartitionRunning // the gateway cuts its windows
		}
		if j != nil && i < len(j.tasks) {
			switch t := j.tasks[i]; t.State {
			case api.TaskLeased:
				vp.State, vp.Node = api.PartitionRunning, t.Node.String()
			case api.TaskFailed, api.TaskDone, api.TaskCanceled:
				vp.State, vp.Reason = api.PartitionStopped, stoppedWhy(t)
			}
		}
		v.Counts.Lag += vp.Lag
		v.Partitions[i] = vp
	}
	g.mu.Unlock()
	return v
}

// loadStreams rebuilds the streams from the store; the jobs are loaded.
func (g *Gateway) loadStreams(tx *store.Tx) error {
	return tx.Scan(bucketStreams, "", func(name string, v []byte) error {
		s := &streamState{}
		if err := json.Unmarshal(v, &s.streamRecord); err != nil {
			return fmt.Errorf("stream %s: %w", name, err)
		}
		s.parts, s.notes, s.retained = newParts(len(s.Parts)), &noteLog{}, map[string]uint64{}
		if s.Spec.Delivery == api.StreamMemory {
			// Its log and its outputs not yet published were in memory:
			// it goes on from the head as it was last stored.
			s.mem = newMemKV()
			for i := range s.Parts {
				s.Parts[i].Committed = s.Parts[i].Head
			}
			s.Windows = nil // their jobs run on; what they make is dropped
			s.Counts.Pending = 0
			s.notes.add(-1, "gateway started: version %d; delivery: memory, so what was not yet processed and published before is lost", s.Version)
			g.adoptStreamLocked(s)
			return nil
		}
		for i, p := range s.parts {
			p.loaded = s.Parts[i].Head
			err := tx.Scan(bucketStreamLog, logPrefix(name, i), func(_ string, v []byte) error {
				if p.oldest == 0 {
					var m api.StreamMessage
					if json.Unmarshal(v, &m) == nil {
						p.oldest = m.TS
					}
				}
				p.bytes += int64(len(v))
				return nil
			})
			if err != nil {
				return err
			}
		}
		s.notes.add(-1, "gateway started: version %d", s.Version)
		g.adoptStreamLocked(s)
		return nil
	})
}

// adoptStreamLocked makes s, loaded from the store, one of the streams.
func (g *Gateway) adoptStreamLocked(s *streamState) {
	if j := g.jobs[s.JobID]; j != nil {
		j.streamVersion, j.notes = s.Version, s.notes
	}
	g.streams[s.Spec.Name] = s
}

// noteAll adds a line to every stream's log.
func (g *Gateway) noteAll(format string, args ...any) {
	g.smu.Lock()
	defer g.smu.Unlock()
	for _, s := range g.streams {
		s.notes.add(-1, format, args...)
	}
}

// partitionEndedLocked applies the end of a partition's lease that its
// device reports; the task has left the leases. A function that failed by
// itself (a trap, an exit, no answer within its timeout, out of memory)
// stops its partition until the stream is updated; the other partitions go
// on. An instance that ended for other reasons (the device lost it, a
// sandbox failure, a stop for an update) runs again. mu must be held.
func (g *Gateway) partitionEndedLocked(t *task, node identity.NodeID, r *api.TaskResult) {
	j := t.job
	updated := r.Failure == "" && r.ExitCode == 0 && t.streamVersion != j.streamVersion
	if retryable(r.Failure) || updated {
		t.History = append(t.History, fmt.Sprintf("attempt %d on %s ended: %s", r.Attempt, node.Short(), partitionEnd(r)))
		if j.notes != nil {
			why := "to start again"
			if !updated {
				why = partitionEnd(r) + "; it runs again"
			}
			j.notes.add(t.Index, "given up by %s: %s", node.Short(), why)
		}
		t.State = api.TaskQueued
		j.counts.Queued++
		g.queue = append(g.queue, t)
		g.wakeLocked()
		return
	}
	res := *r
	t.Result, t.DoneAt, t.Node = &res, time.Now().UTC(), node
	t.State = api.TaskFailed
	j.counts.Failed++
	why := stoppedWhy(t)
	t.History = append(t.History, "stopped: "+why)
	if j.notes != nil {
		j.notes.add(t.Index, "stopped on %s: %s; `hearth stream update` starts it again", node.Short(), why)
	}
	g.log.Warn("stream partition stopped", "stream", j.Stream, "partition", t.Index, "node", node.Short(), "why", why)
}

// stoppedWhy says why a partition's function stopped.
func stoppedWhy(t *task) string {
	if t.Result == nil {
		return string(t.State)
	}
	return partitionEnd(t.Result)
}

func partitionEnd(r *api.TaskResult) string {
	why := r.Reason
	switch {
	case r.Failure == "timeout" && why == "":
		why = "the function did not answer a message within its timeout (resources.timeout): does it loop?"
	case r.Failure == "" && r.ExitCode == 0:
		why = "the function exited by itself (a map function must keep reading stdin)"
	case r.Failure == "":
		why = fmt.Sprintf("the function exited with status %d", r.ExitCode)
	}
	if tail := stderrLine(r.Stderr); tail != "" {
		why += "; stderr: " + tail
	}
	return why
}

// stderrLine picks the line of a function's stderr that says most: a Go
// panic's or fatal error's first line, otherwise the last non-empty line;
// cut to 200 bytes.
func stderrLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	l := strings.TrimSpace(lines[len(lines)-1])
	for _, s := range lines {
		if strings.HasPrefix(s, "panic: ") || strings.HasPrefix(s, "fatal error: ") {
			l = strings.TrimSpace(s)
			break
		}
	}
	if len(l) > 200 {
		l = l[:200] + "..."
	}
	return l
}
