package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
)

func jobCancelCmd() *command {
	return &command{
		name:    "cancel",
		args:    "ID",
		nargs:   1,
		summary: "stop a job: its unfinished tasks never run",
		help: `Cancel a job that has not finished. Its queued tasks never run; the devices that
run its other tasks learn at their next heartbeat (a couple of seconds) that
their leases are revoked, stop them and drop what they were computing. Tasks
that had finished keep their results: ` + "`hearth job results`" + ` still fetches them.
The job ends in the state canceled, which a restart of the gateway keeps.

A job that has already finished (done, failed or canceled) cannot be
canceled: the command says so and fails.`,
		example: "hearth job cancel vanity-1\nhearth job cancel vanity-1 -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				id := strings.TrimSpace(args[0])
				if id == "" {
					return usageErrorf("ID is empty: give a job ID from `hearth job ls`")
				}
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				j, err := cl.CancelJob(ctx, id)
				if err != nil {
					return cancelError(ctx, cl, id, err)
				}
				if *out == formatJSON {
					return writeJSON(c.stdout, j)
				}
				writeCanceled(c.stdout, j)
				return nil
			}
		},
	}
}

// cancelError says why a job could not be canceled, in the owner's words.
func cancelError(ctx context.Context, cl *api.Admin, id string, err error) error {
	switch {
	case errors.Is(err, api.ErrNotFound):
		return fmt.Errorf("no job %q to cancel (`hearth job ls` lists the jobs): %w", id, err)
	case errors.Is(err, api.ErrConflict):
		if d, jerr := cl.Job(ctx, id); jerr == nil {
			return fmt.Errorf("job %s has already finished (%s): there is nothing left to cancel", id, d.State)
		}
		return fmt.Errorf("job %s has already finished: there is nothing left to cancel: %w", id, err)
	}
	return err
}

// writeCanceled reports a job just canceled.
func writeCanceled(w io.Writer, j api.Job) {
	n := j.Counts
	fmt.Fprintf(w, "job %s canceled: %d of %d tasks will not run (%d done, %d failed before)\n",
		j.ID, n.Canceled, jobTotal(j), n.Done, n.Failed)
	if n.Done+n.Failed > 0 {
		fmt.Fprintf(w, "Results of the finished tasks: hearth job results %s --out DIR\n", j.ID)
	}
}
