package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/hearth-home/hearth/gateway/api"
)

func streamLsCmd() *command {
	return &command{
		name:    "ls",
		summary: "list streams",
		help: `List the deployed streams: version, partitions (and how many run on a device
now), lag (messages logged but not yet processed), messages received and
outputs published, and whether the gateway is connected to the MQTT broker.`,
		example: "hearth stream ls\nhearth stream ls -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) ([]api.Stream, error) {
					ss, err := cl.Streams(ctx)
					if err != nil {
						return nil, streamError("", err)
					}
					return nonNil(ss), nil
				},
				func(_ *api.Admin, ss []api.Stream) error { return writeStreams(c.stdout, ss) })
		},
	}
}

func writeStreams(w io.Writer, ss []api.Stream) error {
	if len(ss) == 0 {
		_, err := fmt.Fprintln(w, "No streams yet. Deploy one with `hearth stream deploy FILE` (docs/streams.md shows how).")
		return err
	}
	ss = append([]api.Stream(nil), ss...)
	sort.Slice(ss, func(i, j int) bool { return ss[i].Spec.Name < ss[j].Spec.Name })
	t := table{header: []string{"NAME", "VERSION", "PARTITIONS", "RUNNING", "LAG", "RECEIVED", "PUBLISHED", "BROKER"}}
	for _, s := range ss {
		t.add(s.Spec.Name, fmt.Sprint(s.Version), fmt.Sprint(streamPartitions(s)), fmt.Sprint(partitionsRunning(s)),
			fmt.Sprint(s.Counts.Lag), fmt.Sprint(s.Counts.Received), fmt.Sprint(s.Counts.Published), s.Broker)
	}
	return t.write(w)
}

// streamPartitions is how many partitions a stream has.
func streamPartitions(s api.Stream) int {
	switch {
	case len(s.Partitions) > 0:
		return len(s.Partitions)
	case s.Spec.Partitions > 0:
		return s.Spec.Partitions
	}
	return api.DefaultStreamPartitions
}

func partitionsRunning(s api.Stream) int {
	n := 0
	for _, p := range s.Partitions {
		if p.State == api.PartitionRunning {
			n++
		}
	}
	return n
}
