package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

func streamLogsCmd() *command {
	return &command{
		name:    "logs",
		args:    "NAME",
		nargs:   1,
		summary: "show what the gateway did with a stream",
		help: `Show the stream's log: what the gateway did with it and why, one line each:
deployed and updated, partitions taken by a device or given up, functions
that failed or took too long, the broker going away and coming back. Start
here when ` + "`hearth stream get`" + ` shows a partition stopped or a lag that grows.`,
		example: "hearth stream logs temps\nhearth stream logs temps -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return withStreamName(show(c, out,
				func(ctx context.Context, cl *api.Admin, args []string) ([]api.StreamLogEntry, error) {
					es, err := cl.StreamLogs(ctx, args[0])
					if err != nil {
						return nil, streamError(args[0], err)
					}
					return nonNil(es), nil
				},
				func(_ *api.Admin, es []api.StreamLogEntry) error { return writeStreamLogs(c.stdout, es) }))
		},
	}
}

func writeStreamLogs(w io.Writer, es []api.StreamLogEntry) error {
	if len(es) == 0 {
		_, err := fmt.Fprintln(w, "Nothing logged for this stream yet.")
		return err
	}
	t := table{header: []string{"TIME", "PARTITION", "MESSAGE"}}
	for _, e := range es {
		part := "all"
		if e.Partition >= 0 {
			part = fmt.Sprint(e.Partition)
		}
		t.add(e.Time.Local().Format(time.DateTime), part, e.Message)
	}
	return t.write(w)
}
