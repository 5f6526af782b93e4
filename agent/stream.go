package agent

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/stream"
)

// Stream partitions (docs/streams.md): a lease with Stream set runs its app
// as a long-lived instance, fed one message line at a time on stdin, whose
// answer is the output lines before an empty line on stdout. The agent
// pulls batches from the gateway and commits each batch with its outputs in
// the next pull; it never speaks MQTT.

const (
	// streamPullMax is the batch the agent asks for.
	streamPullMax = 64
	// streamPullWait is how long a pull may wait for messages: short, as
	// the pulls renew the partition's lease.
	streamPullWait = 500 * time.Millisecond
	// streamStopGrace is how long an instance has to exit once its stdin
	// is closed, before it is killed.
	streamStopGrace = 2 * time.Second
)

// streamIO is a partition's instance's standard input and output.
type streamIO struct {
	in  *pipe // the feeder writes, the instance reads
	out *pipe // the instance writes, the feeder reads
	// ended is closed when the instance has ended.
	ended chan struct{}
	// fed is closed when the feeder has returned; then fail, set by the
	// feeder before it kills the instance, is the failure to report
	// instead of the kill's.
	fed    chan struct{}
	fail   sandbox.Failure
	reason string
}

func newStreamIO() *streamIO {
	return &streamIO{in: newPipe(), out: newPipe(), ended: make(chan struct{}), fed: make(chan struct{})}
}

// stdin and stdout are the instance's ends.
func (s *streamIO) stdin() io.Reader  { return readEnd{s.in} }
func (s *streamIO) stdout() io.Writer { return writeEnd{s.out} }

// streamRoom is how many more partitions the agent may take.
func (a *Agent) streamRoom() int {
	return a.cfg.Streams - a.work.count(func(w *work) bool { return w.lease.Stream != nil })
}

// streamRuntimes are the runtimes that run map functions: those that take
// Spec.Stdin and Spec.Stdout.
func (a *Agent) streamRuntimes() []string {
	if slices.Contains(a.rtNames, "wasm") {
		return []string{"wasm"}
	}
	return nil
}

// streamLeases asks for stream partitions while the agent has room for
// them, the power budget leaves some, and the gateway has not said that no
// stream runs; it returns an error that ends the session.
func (a *Agent) streamLeases(ctx context.Context, c *api.Client) error {
	rts := a.streamRuntimes()
	for ctx.Err() == nil {
		room := a.streamRoom()
		if room <= 0 || a.noStreams.Load() || a.refusal(diskSpace(a.cfg.DataDir)) != "" ||
			a.cap.headroom != nil && !(a.cap.headroom() >= minPowerCores) {
			sleep(ctx, time.Second)
			continue
		}
		req := api.LeaseRequest{Runtimes: rts, Platforms: a.platforms, Streams: room,
			Wait: api.Duration(a.timing.leaseWait), HeadroomW: a.headroomW()}
		rctx, cancel := context.WithTimeout(ctx, a.timing.leaseWait+15*time.Second)
		asked := time.Now()
		got, err := c.Lease(rctx, req)
		cancel()
		switch {
		case ctx.Err() != nil:
		case err != nil && refusedBy(err):
			return err
		case err != nil:
			a.log.Warn("asking for stream partitions", "err", err)
			sleep(ctx, a.timing.maxBackoff)
		case len(got) == 0 && time.Since(asked) < a.timing.leaseWait/2:
			sleep(ctx, time.Second)
		}
		a.startAll(got)
	}
	return nil
}

// feed runs a partition: it pulls batches, writes each message to the
// instance, reads its answer, and commits in the next pull, until the
// gateway says stop, the instance ends, or ctx does. It then closes the
// instance's stdin and, if it does not exit in time, kills it.
func (a *Agent) feed(ctx context.Context, w *work, t sandbox.Task, sio *streamIO, cpu func() (time.Duration, bool)) {
	l := &w.lease
	lines := make(chan outLine, linesBuffer)
	go readLines(sio.out, lines)
	defer func() {
		sio.in.CloseWrite() // EOF: a well-behaved function exits
		select {
		case <-sio.ended:
		case <-time.After(streamStopGrace):
			t.Kill(context.WithoutCancel(ctx))
		}
	}()
	timeout := l.Stream.Timeout.D()
	if timeout <= 0 {
		timeout = api.DefaultStreamTimeout
	}
	req := api.StreamPull{LeaseID: l.ID, Max: streamPullMax, Wait: api.Duration(streamPullWait)}
	acked := uint64(0) // the committed offset as the gateway last said
	var line []byte
	defer func() {
		// What was processed before the end (a failure, the instance's
		// own end, a stop) is committed with its outputs: the partition
		// goes on after the last message it processed.
		if req.Committed > acked {
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalCommitWait)
			defer cancel()
			req.Max, req.Wait = -1, 0
			if c := a.client.Load(); c != nil {
				if _, err := c.StreamPull(fctx, req); err != nil {
					a.log.Warn("committing a stream partition's last batch; it runs again", "lease", l.ID, "err", err)
				}
			}
		}
	}()
	for ctx.Err() == nil && !w.isRevoked() {
		c := a.client.Load()
		if c == nil {
			sleep(ctx, streamPullWait) // between sessions
			continue
		}
		batch, err := c.StreamPull(ctx, req)
		if err != nil {
			if ctx.Err() == nil {
				a.log.Debug("stream pull; trying again", "lease", l.ID, "err", err)
				sleep(ctx, streamPullWait) // the same request again: its commit stands
			}
			continue
		}
		req.Outputs = nil
		req.Committed = max(req.Committed, batch.Committed)
		acked = req.Committed
		if batch.Stop != "" {
			a.log.Info("stream partition stopped by the gateway", "lease", l.ID, "why", batch.Stop)
			return
		}
		msgs := slices.DeleteFunc(batch.Messages, func(m api.StreamMessage) bool { return m.Offset < req.Committed })
		if len(msgs) == 0 {
			continue
		}
		// The whole batch is written at once, and the answers read in
		// order: the function reads its next line while its last answer
		// is on its way, rather than waiting for the next write.
		line = line[:0]
		for i := range msgs {
			line = stream.AppendMessageLine(line, &msgs[i])
		}
		wrote := make(chan error, 1)
		go func(b []byte) { _, err := sio.in.Write(b); wrote <- err }(line)
		for _, m := range msgs {
			outs, fail, why, ended := answer(ctx, lines, timeout, cpu)
			switch {
			case fail != "":
				sio.fail, sio.reason = fail, why
				t.Kill(context.WithoutCancel(ctx))
				return
			case ended:
				return
			}
			for i := range outs {
				outs[i].Offset, outs[i].Index = m.Offset, i
			}
			req.Outputs = append(req.Outputs, outs...)
			req.Committed = m.Offset + 1
		}
		if err := <-wrote; err != nil {
			return // the instance ended: its result says how
		}
	}
}

// finalCommitWait bounds the last commit of a partition that ends.
const finalCommitWait = 2 * time.Second

// taskCPU is how the feeder reads the CPU time a task has used so far,
// when its runtime can tell (sandbox.CPUMeter); nil otherwise.
func taskCPU(rt sandbox.Runtime, id string) func() (time.Duration, bool) {
	m, ok := rt.(sandbox.CPUMeter)
	if !ok {
		return nil
	}
	return func() (time.Duration, bool) { return m.CPUUsage(id) }
}

// minTimeoutCheck is the least wall time between two looks at an
// instance's CPU time while it has not answered.
const minTimeoutCheck = 100 * time.Millisecond

// stallFactor bounds the wall time an instance may take over a message
// when its CPU time is counted: stallFactor times its timeout. One that
// waits without computing (a sleep) fails then, as does one held back by
// the power budget so long that it cannot finish a message.
const stallFactor = 20

// answer reads the function's outputs for one message, up to the empty
// line. A failure says what the function did wrong; ended, that the
// instance ended (or ctx did) before it answered.
//
// The function has timeout for the message: of CPU time when cpu can
// tell it (so that an instance that the power budget pauses or holds to a
// share of a core, and that answers slowly for it, is not taken for one
// that loops), within stallFactor times it of wall time; else timeout of
// wall time.
func answer(ctx context.Context, lines <-chan outLine, timeout time.Duration, cpu func() (time.Duration, bool)) (outs []api.StreamOutput, fail sandbox.Failure, why string, ended bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	began := time.Now()
	var cpu0 time.Duration
	if cpu != nil {
		var ok bool
		if cpu0, ok = cpu(); !ok {
			cpu = nil
		}
	}
	for {
		select {
		case l, ok := <-lines:
			switch {
			case !ok:
				return nil, "", "", true // its result says how
			case l.err != nil:
				return nil, failOutput, "the function's output: " + l.err.Error(), false
			case len(l.b) == 0:
				return outs, "", "", false
			}
			o, err := stream.ParseOutputLine(l.b)
			if err != nil {
				return nil, failOutput, fmt.Sprintf("the function wrote a bad output line: %v", err), false
			}
			if len(outs) == stream.MaxOutputs {
				return nil, failOutput, fmt.Sprintf("the function wrote more than %d outputs for one message", stream.MaxOutputs), false
			}
			outs = append(outs, o)
		case <-timer.C:
			if cpu != nil {
				stall := stallFactor*timeout - time.Since(began)
				if used, ok := cpu(); ok && used-cpu0 < timeout && stall > 0 {
					timer.Reset(min(max(timeout-(used-cpu0), minTimeoutCheck), stall))
					continue
				}
			}
			return nil, sandbox.FailTimeout, fmt.Sprintf("the function did not answer a message within %s (resources.timeout): does it loop?", timeout), false
		case <-ctx.Done():
			return nil, "", "", true
		}
	}
}

// linesBuffer is how many lines the reader of an instance's stdout may be
// ahead of the feeder.
const linesBuffer = 256

// outLine is a line the instance wrote, without its newline, or the error
// that ended its output.
type outLine struct {
	b   []byte
	err error
}

// readLines sends each line of r until r ends; a line longer than
// stream.MaxLineBytes ends it with an error, sent last.
func readLines(r io.Reader, lines chan<- outLine) {
	defer close(lines)
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if len(buf) > stream.MaxLineBytes {
				lines <- outLine{err: fmt.Errorf("an output line is longer than %d bytes", stream.MaxLineBytes)}
				io.Copy(io.Discard, r)
				return
			}
			continue
		case err != nil:
			return
		}
		line := buf[:len(buf)-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		lines <- outLine{b: slices.Clone(line)}
		buf = buf[:0]
	}
}

// ended closes the instance's ends of the pipes once it has ended, waits
// for the feeder, and puts the feeder's verdict in r.
func (s *streamIO) finish(r *sandbox.Result) {
	close(s.ended)
	s.out.CloseWrite()               // the feeder's reads end
	s.in.CloseRead(io.ErrClosedPipe) // and its writes
	<-s.fed
	if s.fail != "" {
		r.Failure, r.Reason = s.fail, s.reason
	}
}
