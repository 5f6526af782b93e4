package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// unreachableGrace is how long --wait rides out a gateway it cannot reach
// (a restart, a Wi-Fi hiccup) before giving up.
const unreachableGrace = 30 * time.Second

// waitJob polls the job until it ends, drawing progress on stderr.
func (c *cli) waitJob(ctx context.Context, cl *api.Admin, id string) (api.JobDetail, error) {
	start := c.now()
	p := &progress{w: c.stderr, terminal: c.terminal}
	defer p.finish()
	tick := time.NewTicker(c.pollEvery)
	defer tick.Stop()
	var last api.JobDetail
	var downSince time.Time
	for {
		d, err := cl.Job(ctx, id)
		now := c.now()
		switch {
		case err == nil:
			last, downSince = d, time.Time{}
			p.update(progressKey(d.Job), progressLine(d.Job, now.Sub(start)), now)
			if d.State != api.JobRunning {
				return d, nil
			}
		case ctx.Err() != nil:
		case !api.IsUnreachable(err):
			return last, err // the gateway answered no: waiting will not help
		default:
			if downSince.IsZero() {
				downSince = now
			}
			if now.Sub(downSince) > unreachableGrace {
				return last, err
			}
			p.update("unreachable", progressLine(last.Job, now.Sub(start))+" (gateway unreachable, retrying)", now)
		}
		select {
		case <-ctx.Done():
			fmt.Fprintf(c.stderr, "stopped waiting; job %s goes on (`hearth job get %s` shows it)\n", id, id)
			return last, &exitError{exitInterrupted}
		case <-tick.C:
		}
	}
}

// progressLine is the one line that --wait draws:
// "job vanity-7 running: 5/8 done, 2 leased, 1 queued, 0 failed (3.2s)".
func progressLine(j api.Job, d time.Duration) string {
	n := j.Counts
	total := jobTotal(j)
	state := string(j.State)
	if state == "" {
		state = "submitted"
	}
	since := elapsed(d)
	if d < time.Minute {
		since = fmt.Sprintf("%.1fs", d.Seconds())
	}
	canceled := ""
	if n.Canceled > 0 {
		canceled = fmt.Sprintf(", %d canceled", n.Canceled)
	}
	if r := j.Replicas; r != nil {
		// A certified job's tasks wait for their replicas' votes.
		return fmt.Sprintf("job %s %s: %d/%d done, %d verifying (replicas: %d leased, %d queued), %d failed%s (%s)",
			j.ID, state, n.Done, total, n.Verifying, r.Leased, r.Queued, n.Failed, canceled, since)
	}
	return fmt.Sprintf("job %s %s: %d/%d done, %d leased, %d queued, %d failed%s (%s)",
		j.ID, state, n.Done, total, n.Leased, n.Queued, n.Failed, canceled, since)
}

// progressKey changes when the line says something new, apart from time.
func progressKey(j api.Job) string { return fmt.Sprint(j.State, j.Counts) }

// progress draws the --wait line: redrawn in place on a terminal; on a log
// or pipe, a line when something changed (at most every few seconds) and
// now and then when nothing did.
type progress struct {
	w        io.Writer
	terminal bool
	key      string
	at       time.Time
	drawn    bool
}

const (
	progressEvery = 3 * time.Second
	progressQuiet = 30 * time.Second
)

func (p *progress) update(key, line string, now time.Time) {
	if p.terminal {
		// \x1b[K clears what a longer earlier line left.
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
		p.drawn = true
		return
	}
	since := now.Sub(p.at)
	if !p.drawn || (key != p.key && since >= progressEvery) || since >= progressQuiet {
		fmt.Fprintln(p.w, line)
		p.key, p.at, p.drawn = key, now, true
	}
}

// finish ends the redrawn line so that what follows starts on its own.
func (p *progress) finish() {
	if p.terminal && p.drawn {
		fmt.Fprintln(p.w)
	}
}

// waitAndSummarize waits for the job, then prints its summary (or the
// detail as JSON) and fails if the job failed or was canceled.
func (c *cli) waitAndSummarize(ctx context.Context, cl *api.Admin, id string, out format) error {
	d, err := c.waitJob(ctx, cl, id)
	if err != nil {
		return err
	}
	if out == formatJSON {
		if err := writeJSON(c.stdout, d); err != nil {
			return err
		}
	} else {
		writeSummary(c.stdout, d, c.now())
	}
	if d.State == api.JobFailed || d.State == api.JobCanceled {
		if out == formatJSON {
			fmt.Fprintf(c.stderr, "job %s %s\n", id, d.State)
		}
		return &exitError{exitFail}
	}
	return nil
}

// writeSummary tells how a finished job went, naming the failed tasks.
func writeSummary(w io.Writer, d api.JobDetail, now time.Time) {
	took := now.Sub(d.Created)
	if d.Finished != nil {
		took = d.Finished.Sub(d.Created)
	}
	total := len(d.Tasks)
	if total == 0 {
		total = d.Spec.Tasks
	}
	canceled := ""
	if d.Counts.Canceled > 0 {
		canceled = fmt.Sprintf(", %d canceled", d.Counts.Canceled)
	}
	fmt.Fprintf(w, "job %s %s: %d of %d tasks succeeded, %d failed%s, in %s\n",
		d.ID, d.State, d.Counts.Done, total, d.Counts.Failed, canceled, elapsed(took))
	var failed []api.Task
	for _, t := range d.Tasks {
		if t.State == api.TaskFailed {
			failed = append(failed, t)
		}
	}
	const show = 10
	for i, t := range failed {
		if i == show {
			fmt.Fprintf(w, "  ... and %d more\n", len(failed)-show)
			break
		}
		fmt.Fprintf(w, "  task %d: %s\n", t.Index, cleanCell(why(t)))
	}
	if len(failed) > 0 {
		fmt.Fprintf(w, "Details: hearth job get %s\n", d.ID)
	}
	if d.Counts.Done > 0 {
		fmt.Fprintf(w, "Results: hearth job results %s --out DIR\n", d.ID)
	}
}
