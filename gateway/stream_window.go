package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/tarball"
	"github.com/hearth-home/hearth/store"
	"github.com/hearth-home/hearth/stream"
)

// Windows (kind window): once a second the gateway cuts each partition's
// log into windows, and hands each closed one to the pool as an ordinary
// job of one task whose input /in/window.ndjson holds the window's
// messages, one StreamMessage line each; any device runs it, under its
// power budget. When the task is done, the lines of its /out/*.ndjson (in
// file name order) are the window's outputs: they go to the outbox and the
// window's messages leave the log, in one transaction. A window whose task
// fails is noted and its messages dropped (counted), so that one bad window
// does not hold the partition. The log is the windows' state: nothing else
// is kept between them.
//
// Hopping windows overlap: the window starting at each multiple of hop
// holds the messages of the size that follows. A message stays in the log
// until the last window that holds it has been cut and has finished; one
// placed before the next window to cut (partRecord.Next) and in no window
// came too late.

// windowRecord is a window handed to a task and not yet done.
type windowRecord struct {
	Partition int   `json:"partition"`
	Start     int64 `json:"start,omitempty"` // Unix ms; tumbling windows
	End       int64 `json:"end,omitempty"`
	// Offsets are the window's messages, in order.
	Offsets []uint64 `json:"offsets"`
	JobID   string   `json:"job_id"`
}

// windowJobPrefix names the jobs of windows: "window-<stream>-<seq>".
const windowJobPrefix = "window-"

// maxWindowBytes bounds a window's input; the rest of a larger window's
// messages wait for the next.
const maxWindowBytes = 64 << 20

// runWindows cuts the windows that have closed and finishes those whose
// task is done.
func (g *Gateway) runWindows(now time.Time) {
	g.finishWindows()
	g.cutWindows(now)
}

// windowMsg is a logged message, and what places it in a window.
type windowMsg struct {
	key string // the log key
	raw []byte
	msg api.StreamMessage
	ts  int64 // ms: processing or event time
}

// cutWindows hands each closed window to a task.
func (g *Gateway) cutWindows(now time.Time) {
	g.smu.Lock()
	defer g.smu.Unlock()
	for _, s := range g.streams {
		if s.Spec.Kind != api.StreamWindow {
			continue
		}
		for p := range s.Parts {
			if err := g.cutPartition(s, p, now); err != nil {
				g.log.Error("cutting stream windows; trying again", "stream", s.Spec.Name, "partition", p, "err", err)
			}
		}
	}
}

// cutPartition cuts partition p's closed windows; smu must be held.
func (g *Gateway) cutPartition(s *streamState, p int, now time.Time) error {
	w := s.Spec.Window
	pending := map[uint64]bool{}
	for _, r := range s.Windows {
		if r.Partition == p {
			for _, o := range r.Offsets {
				pending[o] = true
			}
		}
	}
	var msgs, late, bad []windowMsg
	err := g.streamView(s, func(tx *store.Tx) error {
		return s.kv(tx).Scan(bucketStreamLog, logPrefix(s.Spec.Name, p), func(k string, v []byte) error {
			m := windowMsg{key: k, raw: v}
			if err := json.Unmarshal(v, &m.msg); err != nil {
				return err
			}
			if pending[m.msg.Offset] && w.Type != api.WindowHopping {
				return nil
			}
			m.ts = m.msg.TS
			if w.Time == api.WindowEvent {
				ts, err := eventTime(w.TSPath, m.msg.Payload)
				if err != nil {
					bad = append(bad, m)
					return nil
				}
				m.ts = ts
			}
			if w.Type == api.WindowTumbling && m.ts < s.Parts[p].Closed ||
				w.Type == api.WindowHopping && m.ts < s.Parts[p].Next && !pending[m.msg.Offset] {
				late = append(late, m) // its window has gone
				return nil
			}
			msgs = append(msgs, m)
			return nil
		})
	})
	if err != nil {
		return err
	}
	var closed []windowRecord
	var groups [][]windowMsg
	switch w.Type {
	case api.WindowHopping:
		groups, closed = hoppingWindows(w, p, s.Parts[p].Next, msgs, now)
	case api.WindowCount:
		for len(msgs) >= w.Count {
			groups, msgs = append(groups, msgs[:w.Count]), msgs[w.Count:]
			closed = append(closed, windowRecord{Partition: p})
		}
	default:
		size := w.Size.D().Milliseconds()
		byStart := map[int64][]windowMsg{}
		for _, m := range msgs {
			start := floorDiv(m.ts, size) * size
			byStart[start] = append(byStart[start], m)
		}
		for _, start := range slices.Sorted(maps.Keys(byStart)) {
			end := start + size
			if now.UnixMilli() < end+w.Late.D().Milliseconds() {
				break // open, and so are the later ones
			}
			groups = append(groups, byStart[start])
			closed = append(closed, windowRecord{Partition: p, Start: start, End: end})
		}
	}
	if len(late)+len(bad) > 0 {
		if err := g.dropWindowMsgs(s, p, late, bad); err != nil {
			return err
		}
	}
	for i, grp := range groups {
		r := closed[i]
		if err := g.startWindow(s, &r, grp); err != nil {
			return err
		}
	}
	return nil
}

// maxCutWindows bounds how many hopping windows one cut hands out per
// partition; the others wait for the next second.
const maxCutWindows = 100

// hoppingWindows cuts partition p's closed hopping windows from next on,
// given its messages in log order (those in pending windows too): each
// window that has closed by now and holds messages, up to maxCutWindows.
// Empty windows are skipped, not handed out.
func hoppingWindows(w *api.WindowSpec, p int, next int64, msgs []windowMsg, now time.Time) (groups [][]windowMsg, closed []windowRecord) {
	size, hop, late := w.Size.D().Milliseconds(), w.Hop.D().Milliseconds(), w.Late.D().Milliseconds()
	// first is the start of the first window that holds a message at or
	// after from: the first multiple of hop after ts - size.
	first := func(from int64) (int64, bool) {
		min, ok := int64(math.MaxInt64), false
		for _, m := range msgs {
			if m.ts >= from && m.ts < min {
				min, ok = m.ts, true
			}
		}
		return floorDiv(min-size, hop)*hop + hop, ok
	}
	if start, ok := first(next); !ok {
		return nil, nil
	} else if start > next {
		next = start // the windows in between are empty
	}
	for len(closed) < maxCutWindows && now.UnixMilli() >= next+size+late {
		var grp []windowMsg
		for _, m := range msgs {
			if m.ts >= next && m.ts < next+size {
				grp = append(grp, m)
			}
		}
		if len(grp) > 0 {
			groups = append(groups, grp)
			closed = append(closed, windowRecord{Partition: p, Start: next, End: next + size})
			next += hop
			continue
		}
		start, ok := first(next)
		if !ok {
			break
		}
		next = max(next+hop, start)
	}
	return groups, closed
}

// startWindow submits the job of one closed window and records it; smu
// must be held.
func (g *Gateway) startWindow(s *streamState, r *windowRecord, msgs []windowMsg) error {
	var in bytes.Buffer
	for _, m := range msgs {
		if in.Len() > 0 && in.Len()+len(m.raw) > maxWindowBytes {
			break
		}
		in.Write(m.raw)
		in.WriteByte('\n')
		r.Offsets = append(r.Offsets, m.msg.Offset)
	}
	d, err := g.blobs.PutBytes(in.Bytes())
	if err != nil {
		return err
	}
	retries := 3
	name := windowJobPrefix + s.Spec.Name
	if len(name) > 63 { // a job name's limit; a stream's is the same
		name = strings.TrimRight(name[:63], "-._")
	}
	spec := api.JobSpec{
		Name: name, Runtime: s.Spec.Runtime, AppDigest: s.Spec.AppDigest,
		Args: s.Spec.Args, Env: s.Spec.Env, Tasks: 1, Resources: s.Spec.Resources, Retries: &retries,
		Inputs: []api.Input{{Name: "window.ndjson", Digest: string(d), Size: int64(in.Len())}},
	}
	j, err := g.submit(spec)
	if err != nil {
		return fmt.Errorf("submit the window's job: %w", err)
	}
	r.JobID = j.ID
	rec := s.streamRecord
	rec.Windows = append(slices.Clone(s.Windows), *r)
	rec.Parts = slices.Clone(s.Parts)
	if s.Spec.Window.Type == api.WindowHopping {
		rec.Parts[r.Partition].Next = max(rec.Parts[r.Partition].Next, r.Start+s.Spec.Window.Hop.D().Milliseconds())
	} else {
		rec.Parts[r.Partition].Closed = max(rec.Parts[r.Partition].Closed, r.End)
	}
	if err := g.db.Update(func(tx *store.Tx) error { return tx.PutJSON(bucketStreams, s.Spec.Name, rec) }); err != nil {
		g.CancelJob(j.ID) // cut again next time
		return err
	}
	s.streamRecord = rec
	what := fmt.Sprintf("%d messages", len(r.Offsets))
	if r.End != 0 {
		what = fmt.Sprintf("%s to %s, %s", time.UnixMilli(r.Start).UTC().Format(time.TimeOnly), time.UnixMilli(r.End).UTC().Format(time.TimeOnly), what)
	}
	s.notes.add(r.Partition, "window (%s) handed to job %s", what, j.ID)
	return nil
}

// dropWindowMsgs deletes messages that came after their window closed
// (late) and those without a readable event time (bad); smu must be held.
func (g *Gateway) dropWindowMsgs(s *streamState, p int, late, bad []windowMsg) error {
	undo := g.streamSnapshot(s)
	err := g.streamUpdate(s, func(tx *store.Tx) error {
		for _, m := range slices.Concat(late, bad) {
			if err := s.kv(tx).Delete(bucketStreamLog, m.key); err != nil {
				return err
			}
			s.parts[p].bytes -= int64(len(m.raw))
		}
		s.Counts.Late += uint64(len(late))
		s.Counts.Malformed += uint64(len(bad))
		return g.advanceCommitted(tx, s, p)
	})
	if err != nil {
		undo()
		return err
	}
	if len(late) > 0 {
		s.notes.addRare("late: ", p, "%d messages came after their window had closed (window.late %s): dropped", len(late), s.Spec.Window.Late)
	}
	if len(bad) > 0 {
		s.notes.addRare("no time: ", p, "%d messages without a time at %s: dropped", len(bad), s.Spec.Window.TSPath)
	}
	return nil
}

// advanceCommitted sets partition p's committed offset to its first
// message still logged (its head when none is), and stores the stream.
func (g *Gateway) advanceCommitted(tx *store.Tx, s *streamState, p int) error {
	rec := &s.Parts[p]
	first := rec.Head
	s.parts[p].oldest = 0
	err := s.kv(tx).Scan(bucketStreamLog, logPrefix(s.Spec.Name, p), func(_ string, v []byte) error {
		var m api.StreamMessage
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		first, s.parts[p].oldest = m.Offset, m.TS
		return errStopScan
	})
	if err != nil && !errors.Is(err, errStopScan) {
		return err
	}
	rec.Committed = first
	return s.save(tx)
}

// finishWindows takes the outputs of the windows whose task has ended.
func (g *Gateway) finishWindows() {
	type ended struct {
		s   *streamState
		r   windowRecord
		res *api.TaskResult
		why string
	}
	var done []ended
	g.smu.Lock()
	g.mu.Lock()
	for _, s := range g.streams {
		for _, r := range s.Windows {
			j := g.jobs[r.JobID]
			switch {
			case j == nil:
				done = append(done, ended{s: s, r: r, why: "its job is gone"})
			case j.Finished != nil:
				t := j.tasks[0]
				e := ended{s: s, r: r, res: t.Result}
				if t.State != api.TaskDone {
					e.why = stoppedWhy(t)
				}
				done = append(done, e)
			}
		}
	}
	g.mu.Unlock()
	for _, e := range done {
		if err := g.finishWindow(e.s, e.r, e.res, e.why); err != nil {
			g.log.Error("taking a window's outputs; trying again", "stream", e.s.Spec.Name, "job", e.r.JobID, "err", err)
		}
	}
	g.smu.Unlock()
}

// finishWindow stores a window's outputs and deletes its messages, or,
// when its task failed (why), drops them; smu must be held.
func (g *Gateway) finishWindow(s *streamState, r windowRecord, res *api.TaskResult, why string) error {
	var outs []api.StreamOutput
	if why == "" {
		var err error
		if outs, err = g.windowOutputs(res.Output.Digest); err != nil {
			why = err.Error()
		}
	}
	undo := g.streamSnapshot(s)
	published := false
	w := s.Spec.Window
	// A hopping window's message that a later window holds too (one
	// pending, or one not yet cut) stays.
	keep := func(api.StreamMessage) bool { return false }
	if w.Type == api.WindowHopping {
		others := map[uint64]bool{}
		for _, o := range s.Windows {
			if o.JobID != r.JobID && o.Partition == r.Partition {
				for _, off := range o.Offsets {
					others[off] = true
				}
			}
		}
		keep = func(m api.StreamMessage) bool {
			ts, err := windowTime(w, &m)
			return others[m.Offset] || err == nil && ts >= s.Parts[r.Partition].Next
		}
	}
	gone := uint64(0)
	err := g.streamUpdate(s, func(tx *store.Tx) error {
		log := s.kv(tx)
		var first api.StreamMessage
		for i, o := range r.Offsets {
			k := logKey(s.Spec.Name, r.Partition, o)
			v := log.Get(bucketStreamLog, k)
			if v == nil {
				continue // dropped by the log's bounds meanwhile
			}
			var m api.StreamMessage
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if i == 0 {
				first = m
			}
			if keep(m) {
				continue
			}
			if err := log.Delete(bucketStreamLog, k); err != nil {
				return err
			}
			s.parts[r.Partition].bytes -= int64(len(v))
			gone++
		}
		for _, o := range outs {
			ok, err := g.outboxLocked(log, s, r.Partition, o, first.Topic, first.Key)
			if err != nil {
				return err
			}
			published = published || ok
		}
		n := uint64(len(r.Offsets))
		if w.Type == api.WindowHopping {
			n = gone // a message is counted once, when its last window is done
		}
		if why == "" {
			s.Counts.Processed += n
			s.Counts.Windows++
		} else {
			s.Counts.Dropped += n
		}
		s.Windows = slices.DeleteFunc(slices.Clone(s.Windows), func(w windowRecord) bool { return w.JobID == r.JobID })
		return g.advanceCommitted(tx, s, r.Partition)
	})
	if err != nil {
		undo()
		return err
	}
	if why != "" {
		s.notes.add(r.Partition, "window of %d messages (job %s) failed: %s; its messages are dropped", len(r.Offsets), r.JobID, why)
	}
	if published {
		g.wakePublisher()
	}
	return nil
}

// windowOutputs reads the outputs a window's task left: the lines of its
// /out/*.ndjson, by file name.
func (g *Gateway) windowOutputs(digest string) ([]api.StreamOutput, error) {
	f, _, err := g.blobs.Open(store.Digest(digest))
	if err != nil {
		return nil, fmt.Errorf("the task's output: %w", err)
	}
	defer f.Close()
	dir, err := os.MkdirTemp("", "hearth-window-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	files, err := tarball.Unpack(f, dir, maxWindowBytes)
	if err != nil {
		return nil, fmt.Errorf("the task's output: %w", err)
	}
	slices.Sort(files)
	var outs []api.StreamOutput
	for _, name := range files {
		if !strings.HasSuffix(name, ".ndjson") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		for i, line := range bytes.Split(b, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			o, err := stream.ParseOutputLine(line)
			if err != nil {
				return nil, fmt.Errorf("/out/%s line %d: %w", name, i+1, err)
			}
			if len(outs) == stream.MaxOutputs*16 {
				return nil, fmt.Errorf("more than %d outputs in one window", stream.MaxOutputs*16)
			}
			outs = append(outs, o)
		}
	}
	return outs, nil
}

// eventTime reads a message's time at path: Unix seconds or milliseconds
// (told apart by size), or RFC 3339 text; in ms.
// windowTime is what places m in a tumbling or hopping window of w: its
// processing or its event time, in Unix ms.
func windowTime(w *api.WindowSpec, m *api.StreamMessage) (int64, error) {
	if w.Time == api.WindowEvent {
		return eventTime(w.TSPath, m.Payload)
	}
	return m.TS, nil
}

func eventTime(path string, payload json.RawMessage) (int64, error) {
	v, err := stream.Key(path, "", payload)
	if err != nil {
		return 0, err
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if math.Abs(f) < 1e11 { // seconds until the year 5138
			f *= 1000
		}
		if !(math.Abs(f) < math.MaxInt64) {
			return 0, fmt.Errorf("time %q is out of range", v)
		}
		return int64(f), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return 0, fmt.Errorf("time %q: want Unix seconds or milliseconds, or RFC 3339", v)
	}
	return t.UnixMilli(), nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
