package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

func streamGetCmd() *command {
	return &command{
		name:    "get",
		args:    "NAME",
		nargs:   1,
		summary: "show a stream, its counts and its partitions",
		help: `Show a stream's spec (topics, key, function, output topic), its counts since it
was deployed, and a table of its partitions: state, the device that runs it
(short ID), head and committed offsets, lag, messages dropped by the log's
bounds, and why a stopped partition stopped. A partition that stays stopped
usually means the function fails: see ` + "`hearth stream logs NAME`" + `.`,
		example: "hearth stream get temps\nhearth stream get temps -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return withStreamName(show(c, out,
				func(ctx context.Context, cl *api.Admin, args []string) (api.Stream, error) {
					s, err := cl.Stream(ctx, args[0])
					return s, streamError(args[0], err)
				},
				func(_ *api.Admin, s api.Stream) error { return writeStreamDetail(c.stdout, s, c.now()) }))
		},
	}
}

func writeStreamDetail(w io.Writer, s api.Stream, now time.Time) error {
	sp, n := s.Spec, s.Counts
	rows := [][]string{
		{"Stream:", sp.Name},
		{"Version:", fmt.Sprint(s.Version)},
		{"Topics:", strings.Join(sp.Topics, ", ")},
		{"Key:", orDefault(sp.Key, api.StreamKeyTopic)},
		{"Function:", strings.Join(slices.DeleteFunc(append([]string{orDefault(sp.Kind, api.StreamMap), sp.Runtime, sp.App, shortDigest(sp.AppDigest)}, sp.Args...),
			func(s string) bool { return s == "" }), " ")},
		{"Resources:", streamResources(sp.Resources)},
		{"Output:", streamOutput(sp.Output)},
		{"Delivery:", fmt.Sprintf("%s, malformed payloads: %s", orDefault(sp.Delivery, api.StreamDurable), orDefault(sp.Malformed, api.MalformedSkip))},
		{"Log bounds:", streamLogBounds(sp.Log)},
	}
	if len(sp.Env) > 0 {
		keys := make([]string, 0, len(sp.Env))
		for k := range sp.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			keys[i] = k + "=" + sp.Env[k]
		}
		rows = append(rows, []string{"Env:", strings.Join(keys, " ")})
	}
	rows = append(rows,
		[]string{"Broker:", s.Broker},
		[]string{"Messages:", fmt.Sprintf("%d received, %d processed, %d lag, %d dropped, %d malformed",
			n.Received, n.Processed, n.Lag, n.Dropped, n.Malformed)},
		[]string{"Outputs:", fmt.Sprintf("%d published, %d pending, %d rejected", n.Published, n.Pending, n.Rejected)},
		[]string{"Job:", s.JobID},
		[]string{"Deployed:", fmt.Sprintf("%s (%s)", s.Created.Local().Format(time.DateTime), ago(s.Created, now))},
	)
	if s.Version > 1 && !s.Updated.IsZero() {
		rows = append(rows, []string{"Updated:", fmt.Sprintf("%s (%s)", s.Updated.Local().Format(time.DateTime), ago(s.Updated, now))})
	}
	for i := range rows {
		rows[i][1] = cleanCell(rows[i][1])
	}
	writeAligned(w, "", rows)
	if n.Rejected > 0 {
		fmt.Fprintf(w, "\n%d outputs went to topics that output.allow does not list and were not published.\n", n.Rejected)
	}
	if len(s.Partitions) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return partitionTable(s.Partitions).write(w)
}

func partitionTable(ps []api.StreamPartition) *table {
	t := &table{header: []string{"INDEX", "STATE", "NODE", "HEAD", "COMMITTED", "LAG", "DROPPED", "REASON"}}
	for _, p := range ps {
		t.add(fmt.Sprint(p.Index), p.State, shortNode(p.Node), fmt.Sprint(p.Head), fmt.Sprint(p.Committed),
			fmt.Sprint(p.Lag), fmt.Sprint(p.Dropped), truncate(cleanCell(p.Reason), 80))
	}
	return t
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// streamResources shows a partition's bounds, with the documented defaults
// where the spec leaves them out.
func streamResources(r api.Resources) string {
	cpu, mem := "0.25", "32Mi"
	if r.CPU > 0 {
		cpu = fmt.Sprintf("%g", r.CPU)
	}
	if r.Memory > 0 {
		mem = bytesIEC(uint64(r.Memory))
	}
	timeout := api.DefaultStreamTimeout
	if r.Timeout > 0 {
		timeout = r.Timeout.D()
	}
	return fmt.Sprintf("cpu %s, memory %s per partition; %s per message", cpu, mem, timeout)
}

func streamOutput(o api.StreamOutputSpec) string {
	s := orDefault(o.Topic, api.DefaultStreamOutput)
	if len(o.Allow) > 0 {
		s += " (allowed: " + strings.Join(o.Allow, ", ") + ")"
	}
	if o.Retain {
		s += ", retained"
	}
	return s
}

func streamLogBounds(l api.StreamLogSpec) string {
	size, age := uint64(api.DefaultStreamLogBytes), api.DefaultStreamLogAge
	if l.MaxBytes > 0 {
		size = uint64(l.MaxBytes)
	}
	if l.MaxAge > 0 {
		age = l.MaxAge.D()
	}
	return fmt.Sprintf("%s or %s per partition", bytesIEC(size), age)
}
