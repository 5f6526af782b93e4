package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// The firmware commands that talk to the gateway: its mirror of signed
// releases and the rollouts to the devices (docs/firmware.md, "Updates").

func firmwareImportCmd() *command {
	return &command{
		name:    "import",
		args:    "BUNDLE",
		nargs:   1,
		summary: "give the gateway an update bundle to check and serve to its devices",
		help: `Upload an update bundle (a tar from hearth-release bundle, e.g. from a USB
stick) to the gateway. The gateway checks it against the release keys it pins
(--firmware-root): signatures, versions (never older than what it has),
expiry, and every image's length and sha256. A refused bundle changes
nothing and the command says why. Once imported, the newest release of each
board is rolled out: to one device first, then to the others a few at a
time; a rollback stops it (hearth firmware status).`,
		example: "hearth firmware import hearth-updates-0.5.0.tar",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				return c.firmwareImport(ctx, args[0], *out)
			}
		},
	}
}

func (c *cli) firmwareImport(ctx context.Context, file string, out format) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() > api.MaxFirmwareBundle {
		return fmt.Errorf("%s is %s, more than the %s a bundle may be", file, bytesIEC(uint64(st.Size())), bytesIEC(api.MaxFirmwareBundle))
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	defer cl.Close()
	up := &uploadProgress{p: progress{w: c.stderr, terminal: c.terminal}, total: st.Size(), now: c.now, r: f}
	res, err := cl.ImportFirmware(ctx, up, st.Size())
	up.finish()
	if err != nil {
		return err
	}
	if out == formatJSON {
		return writeJSON(c.stdout, res)
	}
	fmt.Fprintf(c.stdout, "imported: %d files (%d listed but not in any bundle); metadata timestamp %d, targets %d\n",
		res.Files, res.Missing, res.Timestamp, res.Targets)
	fmt.Fprintf(c.stdout, "good until %s (%s): devices refuse the mirror after that, until a newer bundle is imported\n",
		res.Expires.Local().Format("2006-01-02 15:04"), untilText(res.Expires, c.now()))
	for _, r := range res.Rollouts {
		fmt.Fprintf(c.stdout, "%s: %s\n", r.Board, rolloutText(r))
	}
	return nil
}

// uploadProgress counts the bytes read from r for the progress line.
type uploadProgress struct {
	r     io.Reader
	total int64
	now   func() time.Time

	mu   sync.Mutex
	p    progress
	sent int64
}

func (u *uploadProgress) Read(b []byte) (int, error) {
	n, err := u.r.Read(b)
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sent += int64(n)
	pct := int64(100)
	if u.total > 0 {
		pct = u.sent * 100 / u.total
	}
	u.p.update(fmt.Sprint(pct/10), fmt.Sprintf("sent %s of %s (%d%%)", bytesIEC(uint64(u.sent)), bytesIEC(uint64(u.total)), pct), u.now())
	if err == io.EOF && u.sent == u.total {
		u.p.update("checking", "sent; the gateway checks the bundle", u.now())
	}
	return n, err
}

func (u *uploadProgress) finish() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.p.finish()
}

func firmwareStatusCmd() *command {
	return &command{
		name:    "status",
		summary: "the gateway's releases, rollouts and the devices' firmware",
		help: `Show, by board, the releases the gateway's mirror serves (newest first), where
the rollout of the newest stands, and each device's firmware: version, slot
(A or B), whether it runs a trial boot that has not committed yet, and its
last rollback. Rollout states: none (no release for the board), canary
(offered to one device first), rolling (the canary committed it; the others
get it a few at a time), done, stopped (a device rolled back from it: no one
more is offered it; a newer release starts a new rollout).`,
		example: "hearth firmware status\nhearth firmware status -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) (api.Firmware, error) { return cl.Firmware(ctx) },
				func(_ *api.Admin, st api.Firmware) error { return writeFirmware(c.stdout, st, c.now()) })
		},
	}
}

func writeFirmware(w io.Writer, st api.Firmware, now time.Time) error {
	switch {
	case !st.Enabled:
		fmt.Fprintln(w, "Firmware updates are off: the gateway runs without --firmware-root.")
	case st.Imported == nil:
		fmt.Fprintln(w, "No update bundle imported yet (hearth firmware import BUNDLE.tar).")
	default:
		fmt.Fprintf(w, "Mirror: imported %s; good until %s (%s).\n", ago(*st.Imported, now),
			st.Expires.Local().Format("2006-01-02 15:04"), untilText(*st.Expires, now))
	}
	if g := st.Gateway; g != nil {
		fmt.Fprintln(w, gatewayFirmwareText(g))
	}
	if len(st.Boards) == 0 {
		_, err := fmt.Fprintln(w, "No board has images or devices.")
		return err
	}
	boards := table{header: []string{"BOARD", "NEWEST", "VERSIONS", "ROLLOUT"}}
	devices := table{header: []string{"ID", "NAME", "BOARD", "STATE", "VERSION", "SLOT", "TRIAL", "ROLLOUT", "LAST ROLLBACK"}}
	var stops []string
	for _, b := range st.Boards {
		newest := ""
		if len(b.Versions) > 0 {
			newest = b.Versions[0]
		}
		boards.add(b.Board, newest, strings.Join(b.Versions, " "), rolloutText(b.Rollout))
		for _, d := range b.Devices {
			fw := d.Firmware
			trial, rollback := "", ""
			if fw.Trial {
				trial = "trial"
			}
			if lr := fw.LastRollback; lr != nil {
				rollback = fmt.Sprintf("from %s to %s: %s", lr.To, lr.From, lr.Reason)
				if !lr.At.IsZero() {
					rollback = fmt.Sprintf("from %s to %s %s: %s", lr.To, lr.From, ago(lr.At, now), lr.Reason)
				}
			}
			devices.add(shortNode(d.ID), d.Name, b.Board, string(d.State), fw.Version, fw.Slot, trial, deviceRole(b.Rollout, d.ID), rollback)
		}
		if s := b.Rollout.Stopped; s != nil {
			name := shortNode(s.Device)
			if i := slices.IndexFunc(b.Devices, func(d api.FirmwareDevice) bool { return d.ID == s.Device }); i >= 0 {
				name = b.Devices[i].Name + " (" + name + ")"
			}
			stops = append(stops, fmt.Sprintf("The rollout of %s %s stopped: %s rolled back from it %s: %s",
				b.Board, b.Rollout.Target, cleanCell(name), ago(s.At, now), cleanCell(s.Reason)))
		}
	}
	if err := boards.write(w); err != nil {
		return err
	}
	if len(devices.rows) > 0 {
		fmt.Fprintln(w)
		if err := devices.write(w); err != nil {
			return err
		}
	}
	for _, s := range stops {
		fmt.Fprintln(w, s)
	}
	return nil
}

// gatewayFirmwareText is a line on the gateway's own appliance.
func gatewayFirmwareText(g *api.FirmwareSelf) string {
	fw := g.Firmware
	if fw == nil {
		return "This gateway's appliance: its firmware status cannot be read."
	}
	line := fmt.Sprintf("This gateway's appliance: %s %s from slot %s", fw.Board, fw.Version, fw.Slot)
	switch {
	case fw.Trial:
		line += " (trial)"
	case g.Installing != "":
		line += "; installing " + g.Installing + " now"
	case g.Next != "":
		line += "; installs " + g.Next + " next"
	case g.Waiting != "":
		line += "; waiting: " + cleanCell(g.Waiting)
	}
	return line + "."
}

// rolloutText says where a rollout stands in a few words.
func rolloutText(r api.Rollout) string {
	switch r.State {
	case api.RolloutNone, "":
		return "none"
	case api.RolloutCanary:
		if r.Canary == "" {
			return fmt.Sprintf("canary: %s waits for a device to try it first", r.Target)
		}
		return fmt.Sprintf("canary: %s on %s first", r.Target, shortNode(r.Canary))
	case api.RolloutRolling:
		return fmt.Sprintf("rolling: %s, %d updated, %d updating", r.Target, len(r.Updated), len(r.Offered))
	case api.RolloutDone:
		return fmt.Sprintf("done: %s, %d updated", r.Target, len(r.Updated))
	case api.RolloutStopped:
		return fmt.Sprintf("stopped: %s rolled back on %s", r.Target, shortNode(r.Stopped.Device))
	}
	return string(r.State)
}

// deviceRole is a device's part in its board's rollout.
func deviceRole(r api.Rollout, id string) string {
	switch {
	case r.Stopped != nil && r.Stopped.Device == id:
		return "rolled back"
	case slices.Contains(r.Updated, id):
		return "updated"
	case slices.Contains(r.Offered, id) && r.Canary == id:
		return "canary"
	case slices.Contains(r.Offered, id):
		return "updating"
	}
	return ""
}

// firmwareCell is the FIRMWARE column of pool ls: "0.5.0 B", "0.5.0 B trial",
// "0.4.0 A ↩0.5.0" after a rollback from 0.5.0; empty for devices that are
// not appliances.
func firmwareCell(fw *api.FirmwareStatus) string {
	if fw == nil {
		return ""
	}
	s := strings.TrimSpace(fw.Version + " " + fw.Slot)
	if fw.Trial {
		s += " trial"
	}
	if lr := fw.LastRollback; lr != nil && lr.To != "" {
		s += " ↩" + lr.To
	}
	return s
}

// untilText renders how long until t: "in 6d", "expired 2h ago".
func untilText(t, now time.Time) string {
	if !t.After(now) {
		return "expired " + ago(t, now)
	}
	return "in " + strings.TrimSuffix(ago(now, t), " ago")
}
