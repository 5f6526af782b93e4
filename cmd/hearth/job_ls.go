package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

func jobLsCmd() *command {
	return &command{
		name:    "ls",
		summary: "list jobs, newest first",
		help:    "List the gateway's jobs, newest first, with how many of their tasks are done.",
		example: "hearth job ls\nhearth job ls -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) ([]api.Job, error) {
					jobs, err := cl.Jobs(ctx)
					return nonNil(jobs), err
				},
				func(_ *api.Admin, jobs []api.Job) error { return writeJobs(c.stdout, jobs, c.now()) })
		},
	}
}

func writeJobs(w io.Writer, jobs []api.Job, now time.Time) error {
	if len(jobs) == 0 {
		_, err := fmt.Fprintln(w, "No jobs yet. Submit one with `hearth job submit FILE`.")
		return err
	}
	t := table{header: []string{"ID", "NAME", "STATE", "RUNTIME", "DONE", "FAILED", "CREATED", "TOOK"}}
	for _, j := range jobs {
		t.add(j.ID, j.Spec.Name, string(j.State), j.Spec.Runtime,
			fmt.Sprintf("%d/%d", j.Counts.Done, jobTotal(j)), fmt.Sprint(j.Counts.Failed),
			ago(j.Created, now), took(j, now))
	}
	return t.write(w)
}

// jobTotal is the job's task count.
func jobTotal(j api.Job) int {
	n := j.Counts.Queued + j.Counts.Leased + j.Counts.Done + j.Counts.Failed + j.Counts.Canceled + j.Counts.Verifying
	return max(n, j.Spec.Tasks)
}

// took is how long the job ran, or has run so far.
func took(j api.Job, now time.Time) string {
	if j.Created.IsZero() {
		return ""
	}
	if j.Finished != nil {
		return elapsed(j.Finished.Sub(j.Created))
	}
	return elapsed(now.Sub(j.Created)) + " so far"
}
