// hearth-update installs a signed Hearth OS release into the inactive slot
// of an appliance and reboots into it for a trial (docs/firmware.md). The
// agent runs it when its gateway offers an update.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const usage = `hearth-update installs a Hearth OS release into this device's inactive slot
and reboots into it for a trial (docs/firmware.md). The agent runs it when its
gateway offers an update; run by hand, it does the same.

It fetches the update from the gateway's mirror over the agent's mutual TLS,
checks it against the project's keys pinned in the running slot
(/etc/hearth/root.json) with TUF, writes the inactive slot, reads it back, and
only then lets the next boot try it. Anything refused leaves both slots as
they were.

The agent's session (its node key, the gateway's address and ID) comes on
standard input as JSON: {"seed":"<base64>","gateway":"host:port","gateway_id":"ID"}.

On a gateway-role appliance the gateway runs it with --gateway --mirror DIR:
the slot with the gateway, read from the gateway's own mirror on disk, and
checked the same way.

On a system that keeps its OS (the .deb), where hearth-update supervise runs
the agent and sets HEARTH_UPDATE_DIR for it, it installs the signed agent
binary of the release instead (docs/install-deb.md).

Usage:
  hearth-update --version VERSION [flags] < session.json
  hearth-update supervise [flags] -- AGENT [AGENT-FLAGS...]   (see supervise --help)

Flags:
`

// rootEnv names the pinned root.json in the agent's environment, beside
// binDirEnv.
const rootEnv = "HEARTH_UPDATE_ROOT"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "supervise" {
		os.Exit(supervise(os.Args[2:]))
	}
	fs := flag.NewFlagSet("hearth-update", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	var cfg config
	fs.StringVar(&cfg.Version, "version", "", "the release to install, as the gateway offered it (required)")
	fs.StringVar(&cfg.Root, "root", "/slot/etc/hearth/root.json", "the pinned root.json of the update repository")
	fs.StringVar(&cfg.TUFDir, "tuf-dir", "/data/hearth/tuf", "where the trusted update metadata is kept (on the data partition)")
	fs.StringVar(&cfg.Board, "board", "", "this device's board (default: /etc/hearth/board of the running slot)")
	fs.StringVar(&cfg.Current, "current", "", "the running release (default: /etc/hearth/version of the running slot)")
	fs.StringVar(&cfg.DataDir, "data-dir", "", "the agent's data directory (accepted for the agent's sake; the session comes on stdin)")
	fs.BoolVar(&cfg.NoReboot, "no-reboot", false, "arm the trial but do not reboot")
	fs.StringVar(&cfg.Mirror, "mirror", "", "read the release from this mirror directory (the gateway's own, on a gateway-role\nappliance) instead of from the gateway over the agent's session")
	fs.BoolVar(&cfg.Gateway, "gateway", false, "install the slot of gateway-role appliances (with the gateway)")
	fs.StringVar(&cfg.BinDir, "dir", os.Getenv(binDirEnv), "install the agent binary into this update directory (a .deb installation;\ndefault $"+binDirEnv+", set by hearth-update supervise) instead of a slot")
	fs.DurationVar(&cfg.Timeout, "timeout", 30*time.Minute, "give up after this long")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(2)
	}
	if cfg.Version == "" {
		fmt.Fprintln(os.Stderr, "hearth-update: say which release with --version")
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var s session
	if cfg.Mirror == "" {
		if err := json.NewDecoder(io.LimitReader(os.Stdin, 64<<10)).Decode(&s); err != nil {
			fmt.Fprintln(os.Stderr, "hearth-update: no session on standard input (the agent passes it), and no --mirror:", err)
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	run := run
	if cfg.BinDir != "" {
		rootSet := false
		fs.Visit(func(f *flag.Flag) { rootSet = rootSet || f.Name == "root" })
		if !rootSet {
			cfg.Root = cmp.Or(os.Getenv(rootEnv), "/usr/share/hearth/root.json")
		}
		run = func(ctx context.Context, cfg config, s session, log *slog.Logger) error {
			return installBinary(ctx, cfg, binDir(cfg.BinDir), s, log)
		}
	}
	if err := run(ctx, cfg, s, log); err != nil {
		fmt.Fprintln(os.Stderr, "hearth-update:", strings.TrimSpace(err.Error()))
		os.Exit(1)
	}
}
