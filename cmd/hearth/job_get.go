package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

func jobGetCmd() *command {
	return &command{
		name:    "get",
		args:    "ID",
		nargs:   1,
		summary: "show a job and its tasks",
		help: `Show a job's spec and state, and a table of its tasks: state, attempt, the
node that ran it (short ID), exit code or failure, wall time, result digest
and the first line of its stdout.

For a certified job (certify: in its spec) each task also shows how its
result was taken (quorum, trusted, inconclusive) with the agreeing votes'
confidence, and a table of its replicas: the device that ran each, its
class, its result digest, its weight in the vote and whether it agrees.`,
		example: "hearth job get vanity-1\nhearth job get vanity-1 -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, args []string) (api.JobDetail, error) {
					return cl.Job(ctx, args[0])
				},
				func(_ *api.Admin, d api.JobDetail) error { return writeJobDetail(c.stdout, d, c.now()) })
		},
	}
}

func writeJobDetail(w io.Writer, d api.JobDetail, now time.Time) error {
	s := d.Spec
	rows := [][]string{
		{"Job:", d.ID},
		{"Name:", s.Name},
		{"State:", string(d.State)},
		{"Runtime:", s.Runtime},
		{"App:", strings.TrimSpace(s.App + " " + s.AppDigest)},
		{"Args:", strings.Join(s.Args, " ")},
		{"Tasks:", taskCountsText(d.Job)},
		{"Resources:", fmt.Sprintf("cpu %g, memory %s, timeout %s", s.Resources.CPU, bytesIEC(uint64(max(s.Resources.Memory, 0))), s.Resources.Timeout)},
	}
	if s.Image != "" {
		rows = append(rows, []string{"Image:", s.Image})
	}
	if s.Prefer != "" {
		rows = append(rows, []string{"Prefer:", s.Prefer + " (wasm elsewhere: " + strings.TrimSpace(s.Wasm+" "+s.WasmDigest) + ")"})
	}
	if d.EnergyWh > 0 {
		rows = append(rows, []string{"Energy:", energyText(d.EnergyWh)})
	}
	if len(s.Platforms) > 0 {
		// Tasks wait in the queue until a device with containerd and one
		// of these joins the pool.
		rows = append(rows, []string{"Platforms:", strings.Join(s.Platforms, ", ")})
	}
	if s.Retries != nil {
		rows = append(rows, []string{"Retries:", fmt.Sprint(*s.Retries)})
	}
	if c := s.Certify; c != nil {
		rows = append(rows, []string{"Certify:", fmt.Sprintf("trust %g, replicas %d to %d, class %s, spot checks %g", c.Trust, c.MinReplicas, c.MaxReplicas, c.Class, c.SpotCheck)})
		if r := d.Replicas; r != nil {
			rows = append(rows, []string{"Replicas:", fmt.Sprintf("%d done, %d leased, %d queued, %d failed, %d canceled", r.Done, r.Leased, r.Queued, r.Failed, r.Canceled)})
		}
		if d.Nondeterministic != "" {
			rows = append(rows, []string{"Nondeterministic:", d.Nondeterministic})
		}
	}
	if len(s.Env) > 0 {
		keys := make([]string, 0, len(s.Env))
		for k := range s.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			keys[i] = k + "=" + s.Env[k]
		}
		rows = append(rows, []string{"Env:", strings.Join(keys, " ")})
	}
	for _, in := range s.Inputs {
		rows = append(rows, []string{"Input:", fmt.Sprintf("%s %s (%s)", in.Name, in.Digest, bytesIEC(uint64(max(in.Size, 0))))})
	}
	rows = append(rows, []string{"Created:", fmt.Sprintf("%s (%s)", d.Created.Local().Format(time.DateTime), ago(d.Created, now))})
	if d.Finished != nil {
		rows = append(rows, []string{"Finished:", fmt.Sprintf("%s (took %s)", d.Finished.Local().Format(time.DateTime), took(d.Job, now))})
	}
	for i := range rows {
		rows[i][1] = cleanCell(rows[i][1])
	}
	writeAligned(w, "", rows)
	if len(d.Tasks) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	if err := taskTable(d.Tasks).write(w); err != nil {
		return err
	}
	var hist []string
	for _, t := range d.Tasks {
		for i, h := range t.History {
			hist = append(hist, fmt.Sprintf("  task %d attempt %d: %s", t.Index, i+1, cleanCell(h)))
		}
	}
	if len(hist) > 0 {
		fmt.Fprintf(w, "\nEarlier attempts:\n%s\n", strings.Join(hist, "\n"))
	}
	if s.Certify != nil {
		fmt.Fprintln(w, "\nReplicas:")
		return replicaTable(d.Tasks).write(w)
	}
	return nil
}

// replicaTable lists a certified job's replicas, task by task, with how
// each task's result was taken.
func replicaTable(tasks []api.Task) *table {
	t := &table{header: []string{"TASK", "CERTIFIED", "CONFIDENCE", "REPLICA", "STATE", "NODE", "CLASS", "RESULT", "WEIGHT", "VOTE"}}
	for _, task := range tasks {
		how, conf := "", ""
		if c := task.Certification; c != nil {
			how, conf = c.How, fmt.Sprintf("%.4f", c.Confidence)
			if how == "" {
				how = "waiting: " + c.Waiting
			}
		}
		for i, r := range task.Replicas {
			if i > 0 {
				how, conf = "", ""
			}
			weight, vote := "", r.Vote
			if r.Weight > 0 {
				weight = fmt.Sprint(r.Weight)
			}
			if r.Ringer {
				vote = strings.TrimSpace(vote + " (known-answer check)")
			}
			t.add(fmt.Sprint(task.Index), cleanCell(how), conf, fmt.Sprint(r.Replica), string(r.State), shortNode(r.Node),
				r.Class, shortDigest(r.Digest), weight, vote)
		}
	}
	return t
}

// taskCountsText sums a job's tasks by state: "4: 1 done, 1 leased, 2
// queued, 0 failed", and ", 2 canceled" when some are.
func taskCountsText(j api.Job) string {
	n := j.Counts
	s := fmt.Sprintf("%d: %d done, %d leased, %d queued, %d failed", jobTotal(j), n.Done, n.Leased, n.Queued, n.Failed)
	if n.Verifying > 0 {
		s += fmt.Sprintf(", %d verifying", n.Verifying)
	}
	if n.Canceled > 0 {
		s += fmt.Sprintf(", %d canceled", n.Canceled)
	}
	return s
}

func taskTable(tasks []api.Task) *table {
	t := &table{header: []string{"INDEX", "STATE", "ATTEMPT", "NODE", "EXIT", "WALL", "RESULT", "STDOUT"}}
	for _, task := range tasks {
		var wall, digest, stdout string
		if r := task.Result; r != nil {
			wall = elapsed(time.Duration(r.WallMilli) * time.Millisecond)
			digest = shortDigest(r.Digest)
			stdout = firstLine(r.Stdout, 60)
		}
		t.add(fmt.Sprint(task.Index), string(task.State), fmt.Sprint(task.Attempt), shortNode(task.Node),
			outcome(task.Result), wall, digest, stdout)
	}
	return t
}

// energyText shows watt-hours at a scale people read: mWh for a small task.
func energyText(wh float64) string {
	if wh < 1 {
		return fmt.Sprintf("%.2f mWh", wh*1000)
	}
	return fmt.Sprintf("%.3f Wh", wh)
}
