package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
)

// waitPaired waits until every agent of h is a ready member, printing each
// as it pairs, and returns the members by ID. It fails after within, naming
// the agents that did not pair and showing the end of their logs.
func waitPaired(ctx context.Context, h *home.Home, start time.Time, within time.Duration) (map[string]api.Member, error) {
	wctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	members := map[string]api.Member{}
	paired := map[string]bool{} // by agent name
	for len(paired) < len(h.Agents) {
		ms, err := h.Members(wctx)
		if err == nil {
			for _, m := range ms {
				if m.State != api.MemberReady || paired[m.Node.Name] {
					continue
				}
				paired[m.Node.Name] = true
				members[m.ID] = m
				fmt.Printf("  %-8s %s paired %5.1fs after start: %s\n", m.Node.Name, m.ID[:7], time.Since(start).Seconds(), describe(m.Node))
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-wctx.Done():
			var late []string
			var logs strings.Builder
			for _, a := range h.Agents {
				if !paired[a.Name] {
					late = append(late, a.Name)
					fmt.Fprintf(&logs, "--- end of %s's log:\n%s\n", a.Name, tail(a.Log(), 15))
				}
			}
			return nil, fmt.Errorf("%s did not pair within %s (run with -v to see every log)\n%s", strings.Join(late, ", "), within, logs.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return members, nil
}

// describe says what a node is and runs: "amd64, runtimes wasm,oci (images
// linux/amd64)".
func describe(n api.NodeInfo) string {
	s := fmt.Sprintf("%s, runtimes %s", n.Arch, strings.Join(n.Runtimes, ","))
	if len(n.Platforms) > 0 {
		s += " (images " + strings.Join(n.Platforms, ", ") + ")"
	}
	if !slices.Contains(n.Runtimes, "oci") {
		s += ", no containers"
	}
	return s
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
