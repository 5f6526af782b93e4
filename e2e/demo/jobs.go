package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
)

// submit submits a job spec file through the CLI.
func submit(ctx context.Context, h *home.Home, spec string) (api.Job, error) {
	out, err := h.CLI(ctx, "job", "submit", spec, "-o", "json")
	if err != nil {
		return api.Job{}, err
	}
	var j api.Job
	if err := json.Unmarshal(out, &j); err != nil {
		return j, fmt.Errorf("decode submit output: %w", err)
	}
	return j, nil
}

// waitJobs follows jobs until none is running and returns their details
// in the order of ids. It fails when they run longer than within. It prints a progress line when a job ends and, at
// most every progressEvery, when the counts changed: a job of hundreds of
// tasks would otherwise print hundreds of lines. It polls `job ls`, which
// carries counts without every task's result.
func waitJobs(ctx context.Context, h *home.Home, within time.Duration, ids ...string) ([]api.JobDetail, error) {
	const progressEvery = 2 * time.Second
	t0 := time.Now()
	wctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	last, lastAt, lastRunning := "", time.Time{}, -1
	for {
		var jobs []api.Job
		if err := h.CLIJSON(wctx, &jobs, "job", "ls"); err != nil && ctx.Err() == nil && wctx.Err() != nil {
			return nil, fmt.Errorf("jobs still running after %s:%s", within, last)
		} else if err != nil {
			return nil, err
		}
		byID := map[string]api.Job{}
		for _, j := range jobs {
			byID[j.ID] = j
		}
		running := 0
		var parts []string
		for _, id := range ids {
			j, ok := byID[id]
			if !ok {
				return nil, fmt.Errorf("job %s is not in `hearth job ls`", id)
			}
			state := ""
			if j.State == api.JobRunning {
				running++
			} else {
				state = " (" + string(j.State) + ")"
			}
			parts = append(parts, fmt.Sprintf("%s: %d/%d done, %d running, %d queued%s", id, j.Counts.Done+j.Counts.Failed, j.Spec.Tasks, j.Counts.Leased, j.Counts.Queued, state))
		}
		line := strings.Join(parts, " | ")
		if line != last && (running != lastRunning || time.Since(lastAt) >= progressEvery) {
			fmt.Printf("  %5.1fs  %s\n", time.Since(t0).Seconds(), line)
			last, lastAt, lastRunning = line, time.Now(), running
		}
		if running == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-wctx.Done():
			return nil, fmt.Errorf("jobs still running after %s:%s", within, last)
		case <-time.After(250 * time.Millisecond):
		}
	}
	ds := make([]api.JobDetail, len(ids))
	for i, id := range ids {
		if err := h.CLIJSON(ctx, &ds[i], "job", "get", id); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// placement is where one task ran, as the demo tells it.
type placement struct {
	node, arch, image string
}

// where describes the node of each task of d. For an oci job it also names
// the image platform the node ran: its best platform that the app has, as
// the agent picks it.
func where(d api.JobDetail, members map[string]api.Member) func(api.Task) placement {
	return func(t api.Task) placement {
		m, ok := members[t.Node]
		if !ok {
			return placement{node: short(t.Node), arch: "?", image: "-"}
		}
		p := placement{node: m.Node.Name, arch: m.Node.Arch, image: "-"}
		if d.Spec.Runtime == "oci" {
			p.image = "?"
			for _, pl := range m.Node.Platforms {
				if slices.Contains(d.Spec.Platforms, pl) {
					p.image = pl
					break
				}
			}
		}
		return p
	}
}

// printTasks prints one line per task that show selects (every task when
// show is nil), a line counting the others, which hidden describes, and
// the count of tasks per node.
func printTasks(d api.JobDetail, members map[string]api.Member, show func(api.Task) bool, hidden string) {
	at := where(d, members)
	fmt.Printf("  %-5s %-9s %-6s %-7s %-13s %-8s %-8s %s\n", "TASK", "NODE", "ARCH", "RUNTIME", "IMAGE", "WALL", "CPU", "RESULT")
	perNode := map[string]int{}
	skipped := 0
	for _, t := range d.Tasks {
		p := at(t)
		perNode[fmt.Sprintf("%s (%s, %s)", p.node, p.arch, d.Spec.Runtime)]++
		if show != nil && !show(t) {
			skipped++
			continue
		}
		wall, cpu, line := "-", "-", ""
		if t.Result != nil {
			wall = (time.Duration(t.Result.WallMilli) * time.Millisecond).Round(10 * time.Millisecond).String()
			cpu = (time.Duration(t.Result.CPUMilli) * time.Millisecond).Round(10 * time.Millisecond).String()
			line = strings.TrimSpace(string(t.Result.Stdout))
			if line == "" {
				line = strings.TrimSpace(t.Result.Failure + " " + t.Result.Reason)
			}
			if len(line) > 60 {
				line = line[:60] + "..."
			}
		}
		fmt.Printf("  %-5d %-9s %-6s %-7s %-13s %-8s %-8s %s\n", t.Index, p.node, p.arch, d.Spec.Runtime, p.image, wall, cpu, line)
	}
	if skipped > 0 {
		fmt.Printf("  ... and %d more tasks %s\n", skipped, hidden)
	}
	var spread []string
	for n, c := range perNode {
		spread = append(spread, fmt.Sprintf("%s: %d", n, c))
	}
	slices.Sort(spread)
	fmt.Printf("  tasks per node: %s\n", strings.Join(spread, ", "))
}

// nodesOf returns the names of the nodes that ran d's tasks.
func nodesOf(d api.JobDetail, members map[string]api.Member) map[string]int {
	n := map[string]int{}
	for _, t := range d.Tasks {
		n[where(d, members)(t).node]++
	}
	return n
}

func short(id string) string {
	if len(id) > 7 {
		return id[:7]
	}
	return id
}
