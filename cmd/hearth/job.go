package main

import (
	"fmt"

	"github.com/hearth-home/hearth/gateway/api"
)

func jobCmd() *command {
	return &command{
		name:    "job",
		summary: "batch jobs: submit, follow, fetch results",
		help: `Submit jobs (a WebAssembly module or OCI image run as one or more tasks), follow
them, cancel them, and fetch their results, verified against the digests the
devices reported.`,
		example: `hearth job submit examples/vanity/job.yaml --wait
hearth job ls
hearth job get vanity-1
hearth job cancel vanity-1
hearth job results vanity-1 --out results/`,
		subs: []*command{jobSubmitCmd(), jobLsCmd(), jobGetCmd(), jobCancelCmd(), jobResultsCmd()},
	}
}

// outcome is how a finished task ended, in a few characters: "0", "1",
// "timeout".
func outcome(r *api.TaskResult) string {
	if r == nil {
		return ""
	}
	if r.Failure != "" {
		return r.Failure
	}
	return fmt.Sprint(r.ExitCode)
}

// why explains a failed task in one line.
func why(t api.Task) string {
	r := t.Result
	if r == nil {
		if n := len(t.History); n > 0 {
			return t.History[n-1]
		}
		return string(t.State)
	}
	s := "exit " + fmt.Sprint(r.ExitCode)
	if r.Failure != "" {
		s = r.Failure
		if r.Reason != "" {
			s += ": " + r.Reason
		}
		return s
	}
	if line := firstLine(r.Stderr, 100); line != "" {
		s += ": " + line
	}
	return s
}
