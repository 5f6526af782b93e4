package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/hearth-home/hearth/gateway/api"
)

func statusCmd() *command {
	return &command{
		name:    "status",
		summary: "show the gateway: its ID, version and how busy it is",
		help: `Show the gateway this client talks to: its node ID, version and protocol, how
many devices are in the pool, and how many jobs and queued tasks it holds.`,
		example: "hearth status\nhearth status -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) (api.Status, error) { return cl.Status(ctx) },
				func(cl *api.Admin, st api.Status) error { return writeStatus(c, cl.Addr(), st) })
		},
	}
}

func writeStatus(c *cli, addr string, st api.Status) error {
	rows := [][]string{
		{"Gateway:", st.ID},
		{"Address:", addr},
		{"Version:", fmt.Sprintf("%s (protocol %d)", st.Version, st.Proto)},
		{"Members:", fmt.Sprint(st.Members)},
		{"Jobs:", fmt.Sprint(st.Jobs)},
		{"Queued:", fmt.Sprintf("%d tasks", st.Queued)},
		{"Credentials:", c.credentialsPath},
	}
	if st.Chain != "" {
		rows = append(rows, []string{"Chain:", st.Chain})
	}
	writeAligned(c.stdout, "", rows)
	return nil
}

// version is set at build time: -ldflags "-X main.version=v0.1.0".
var version = ""

func versionCmd() *command {
	return &command{
		name:    "version",
		summary: "print this client's version",
		help:    "Print this client's version, the Go version it was built with and the protocol it speaks.\n`hearth status` shows the gateway's version.",
		example: "hearth version",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			return func(context.Context, []string) error {
				fmt.Fprintf(c.stdout, "hearth %s (%s %s/%s, protocol %d)\n",
					buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH, api.ProtocolVersion)
				return nil
			}
		},
	}
}

// buildVersion is the -X version, else the module version or VCS revision
// that the Go toolchain stamped into the binary.
func buildVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel-" + rev
}
