package gateway

import (
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/otahttp"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// This file is the gateway's side of firmware updates (docs/firmware.md,
// "Updates"): the mirror of signed releases, imported from bundles and
// served to the paired devices, and the rollouts that decide which device
// is offered a release when (rollout.go).

const (
	bucketFirmware = "firmware" // keyCatalogue, and rolloutKey(board) -> rollout
	keyCatalogue   = "catalogue"
)

// firmware is the mirror and what the gateway knows of it. Its fields
// other than mirror are guarded by the gateway's mu.
type firmware struct {
	mirror   *ota.Mirror
	policy   rolloutPolicy
	cat      catalogue
	rollouts map[string]*rollout // by board
	self     *selfUpdate         // nil unless the gateway runs on an appliance
}

// catalogue is what the mirror serves, as the last import left it.
type catalogue struct {
	Imported time.Time           `json:"imported"`
	Expires  time.Time           `json:"expires"`
	Images   []api.FirmwareImage `json:"images"`
	// Gateway are the slots of gateway-role appliances
	// (ota.ProductGatewayOS), which no rollout offers: the gateway
	// installs its own (selfupdate.go).
	Gateway []api.FirmwareImage `json:"gateway,omitempty"`
}

func rolloutKey(board string) string { return "rollout/" + board }

// openFirmware sets up the mirror when the gateway has a pinned root.
func (g *Gateway) openFirmware() error {
	switch self := g.cfg.Updater != "" || g.cfg.FirmwareStatus != ""; {
	case self && (g.cfg.Updater == "" || g.cfg.FirmwareStatus == ""):
		return errors.New("gateway: --updater and --firmware-status go together (hearth-init passes both on Hearth OS)")
	case self && g.cfg.FirmwareRoot == "":
		return errors.New("gateway: --updater needs --firmware-root, the keys its releases are checked against")
	case g.cfg.FirmwareRoot == "":
		return nil
	}
	root, err := os.ReadFile(g.cfg.FirmwareRoot)
	if err != nil {
		return fmt.Errorf("gateway: firmware root: %w", err)
	}
	var probe struct {
		Signed struct {
			Type string `json:"_type"`
		} `json:"signed"`
	}
	if err := json.Unmarshal(root, &probe); err != nil || probe.Signed.Type != "root" {
		return fmt.Errorf("gateway: firmware root %s is not a TUF root.json (the 1.root.json of the release repository)", g.cfg.FirmwareRoot)
	}
	g.fw = &firmware{
		mirror: &ota.Mirror{Dir: filepath.Join(g.cfg.DataDir, "firmware"), Root: root,
			MaxBundleBytes: g.cfg.MaxFirmwareBundle, Logger: g.log.With("part", "firmware")},
		policy:   rolloutPolicy{batch: g.cfg.FirmwareBatch, stall: g.cfg.FirmwareStall},
		rollouts: map[string]*rollout{},
	}
	if g.cfg.Updater != "" && g.cfg.FirmwareStatus != "" {
		g.fw.self = newSelfUpdate(g.cfg.Updater, g.cfg.FirmwareStatus, g.fw.mirror.Dir, g.log)
	}
	return nil
}

// loadFirmware reads the catalogue and the rollouts back after a restart.
func (g *Gateway) loadFirmware(tx *store.Tx) error {
	if g.fw == nil {
		return nil
	}
	if _, err := tx.GetJSON(bucketFirmware, keyCatalogue, &g.fw.cat); err != nil {
		return err
	}
	return tx.Scan(bucketFirmware, "rollout/", func(_ string, v []byte) error {
		r := &rollout{}
		if err := json.Unmarshal(v, r); err != nil {
			return err
		}
		g.fw.rollouts[r.Board] = r
		return nil
	})
}

// importFirmware verifies a bundle and serves it, then makes each board's
// newest image its rollout's target.
func (g *Gateway) importFirmware(ctx context.Context, bundle io.Reader) (api.FirmwareImport, error) {
	if g.fw == nil {
		return api.FirmwareImport{}, ErrFirmwareOff
	}
	res, err := g.fw.mirror.Import(ctx, bundle)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = fmt.Errorf("%w: bundle larger than %d MiB", ErrBadRequest, tooBig.Limit>>20)
		}
		return api.FirmwareImport{}, err
	}
	images, gwImages, err := servedImages(g.fw.mirror.Dir, res.Targets)
	if err != nil {
		return api.FirmwareImport{}, fmt.Errorf("gateway: read the imported targets: %w", err)
	}
	now := time.Now()
	g.mu.Lock()
	g.fw.cat = catalogue{Imported: now.UTC(), Expires: res.Expires, Images: images, Gateway: gwImages}
	boards := map[string]bool{}
	for _, im := range images {
		boards[im.Board] = true
	}
	for b := range g.fw.rollouts {
		boards[b] = true
	}
	var saves []*rollout
	for b := range boards {
		r := g.fw.rollouts[b]
		if r == nil {
			r = &rollout{Board: b}
			g.fw.rollouts[b] = r
		}
		v, minFrom := newest(images, b)
		changed := r.retarget(v, minFrom, now)
		if r.settle(g.boardDevicesLocked(b)) || changed {
			saves = append(saves, r)
		}
		if changed && v != "" {
			g.log.Info("firmware rollout starts", "board", b, "version", v)
		}
	}
	cat, recs := g.fw.cat, g.rolloutRecordsLocked(saves)
	out := api.FirmwareImport{Root: res.Root, Timestamp: res.Timestamp, Snapshot: res.Snapshot, Targets: res.Targets,
		Expires: res.Expires, Files: res.Files, Missing: res.Missing, Images: images, Rollouts: g.rolloutViewsLocked()}
	g.mu.Unlock()
	err = g.db.Update(func(tx *store.Tx) error {
		if err := tx.PutJSON(bucketFirmware, keyCatalogue, cat); err != nil {
			return err
		}
		return putRollouts(tx, recs)
	})
	g.fw.self.kick()
	return out, err
}

// newest is the board's newest image version and its min_from.
func newest(images []api.FirmwareImage, board string) (version, minFrom string) {
	for _, im := range images {
		if im.Board == board && (version == "" || ota.CompareVersions(im.Version, version) > 0) {
			version, minFrom = im.Version, im.MinFrom
		}
	}
	return version, minFrom
}

// servedImages lists the slot images, and the agent binaries of the
// installations that keep their OS (the .deb: product hearth-agent, board
// linux-<arch>), that the mirror's targets metadata (version targets, as
// the import verified it) names and whose files it holds, and apart from
// them the slots of gateway-role appliances. The metadata is read as served: the import checked its signatures,
// and the gateway only needs its names.
func servedImages(dir string, targets int64) (images, gateway []api.FirmwareImage, err error) {
	raw, err := os.ReadFile(filepath.Join(dir, "metadata", strconv.FormatInt(targets, 10)+".targets.json"))
	if err != nil {
		return nil, nil, err
	}
	var md struct {
		Signed struct {
			Targets map[string]struct {
				Length int64             `json:"length"`
				Hashes map[string]string `json:"hashes"`
				Custom *ota.Custom       `json:"custom"`
			} `json:"targets"`
		} `json:"signed"`
	}
	if err := json.Unmarshal(raw, &md); err != nil {
		return nil, nil, err
	}
	for name, t := range md.Signed.Targets {
		c := t.Custom
		if c == nil || ota.ValidateTarget(name, *c) != nil {
			continue
		}
		if c.Kind == ota.KindBinary && !strings.HasPrefix(name, ota.ProductAgent+"/") {
			continue // a binary the devices do not update themselves with
		}
		sum, err := hex.DecodeString(t.Hashes["sha256"])
		if err != nil || len(sum) != 32 {
			continue
		}
		file := path.Join(path.Dir(name), hex.EncodeToString(sum)+"."+path.Base(name))
		if _, err := os.Stat(filepath.Join(dir, "targets", filepath.FromSlash(file))); err != nil {
			continue // listed, but no bundle brought it
		}
		im := api.FirmwareImage{Board: c.Board, Version: c.Version, MinFrom: c.MinFrom, Target: name, Length: t.Length}
		if strings.HasPrefix(name, ota.ProductGatewayOS+"/") {
			gateway = append(gateway, im)
		} else {
			images = append(images, im)
		}
	}
	byBoardNewest := func(a, b api.FirmwareImage) int {
		if c := strings.Compare(a.Board, b.Board); c != 0 {
			return c
		}
		return -ota.CompareVersions(a.Version, b.Version)
	}
	slices.SortFunc(images, byBoardNewest)
	slices.SortFunc(gateway, byBoardNewest)
	return images, gateway, nil
}

// firmwareLocked takes in a member's firmware status and, when offer is
// set, decides whether it is offered an update. It returns the offer and
// the rollout records to store.
func (g *Gateway) firmwareLocked(m *member, now time.Time, offer bool) (*api.FirmwareUpdate, []rolloutRecord) {
	if g.fw == nil || m.Firmware == nil {
		return nil, nil
	}
	r := g.fw.rollouts[m.Firmware.Board]
	if r == nil {
		return nil, nil
	}
	d := rolloutDevice{id: m.ID.String(), live: m.state == api.MemberReady, fw: m.Firmware}
	changed := false
	if r.observe(d, now) {
		changed = true
		r.settle(g.boardDevicesLocked(r.Board))
		switch r.State {
		case api.RolloutStopped:
			if r.Stopped.Device == d.id {
				g.log.Warn("firmware rollout stopped: a device rolled back", "board", r.Board, "version", r.Target,
					"node", m.ID.Short(), "name", m.Node.Name, "reason", r.Stopped.Reason)
			}
		case api.RolloutRolling, api.RolloutDone:
			g.log.Info("firmware update committed", "board", r.Board, "version", r.Target, "node", m.ID.Short(),
				"name", m.Node.Name, "rollout", r.State)
		}
	}
	var up *api.FirmwareUpdate
	if offer {
		var ch bool
		up, ch = r.offer(d, now, g.liveLocked, g.fw.policy)
		if ch {
			changed = true
			g.log.Info("firmware update offered", "board", r.Board, "version", r.Target, "node", m.ID.Short(),
				"name", m.Node.Name, "canary", r.Canary == d.id)
		}
	}
	if !changed {
		return up, nil
	}
	g.fw.self.kick() // the gateway's own update may wait on this rollout
	return up, g.rolloutRecordsLocked([]*rollout{r})
}

// liveLocked reports whether the member with this ID is ready.
func (g *Gateway) liveLocked(id string) bool {
	node, err := identity.ParseNodeID(id)
	if err != nil {
		return false
	}
	m := g.members[node]
	return m != nil && m.state == api.MemberReady
}

// boardDevicesLocked lists the paired members that run board.
func (g *Gateway) boardDevicesLocked(board string) []rolloutDevice {
	var out []rolloutDevice
	for _, m := range g.members {
		if m.memberRecord.State != api.MemberPending && m.Firmware != nil && m.Firmware.Board == board {
			out = append(out, rolloutDevice{id: m.ID.String(), live: m.state == api.MemberReady, fw: m.Firmware})
		}
	}
	return out
}

// rolloutRecord is a rollout marshalled under the lock, to store outside it.
type rolloutRecord struct {
	board   string
	version uint64
	data    []byte
}

func (g *Gateway) rolloutRecordsLocked(rs []*rollout) []rolloutRecord {
	var out []rolloutRecord
	for _, r := range rs {
		r.Version++
		data, err := json.Marshal(r)
		if err != nil {
			g.log.Error("encode firmware rollout", "board", r.Board, "err", err)
			continue
		}
		out = append(out, rolloutRecord{r.Board, r.Version, data})
	}
	return out
}

// putRollouts stores rollout records unless the store holds newer ones.
func putRollouts(tx *store.Tx, recs []rolloutRecord) error {
	for _, rec := range recs {
		var old rollout
		if ok, _ := tx.GetJSON(bucketFirmware, rolloutKey(rec.board), &old); ok && old.Version > rec.version {
			continue
		}
		if err := tx.Put(bucketFirmware, rolloutKey(rec.board), rec.data); err != nil {
			return err
		}
	}
	return nil
}

func (g *Gateway) rolloutViewsLocked() []api.Rollout {
	out := []api.Rollout{}
	for _, r := range g.fw.rollouts {
		out = append(out, r.view())
	}
	slices.SortFunc(out, func(a, b api.Rollout) int { return strings.Compare(a.Board, b.Board) })
	return out
}

// firmwareView is GET /v1/firmware: by board, the versions served, the
// rollout and the devices.
func (g *Gateway) firmwareView() api.Firmware {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := api.Firmware{Enabled: g.fw != nil, Boards: []api.FirmwareBoard{}}
	boards := map[string]*api.FirmwareBoard{}
	board := func(b string) *api.FirmwareBoard {
		if boards[b] == nil {
			boards[b] = &api.FirmwareBoard{Board: b, Versions: []string{}, Devices: []api.FirmwareDevice{},
				Rollout: api.Rollout{Board: b, State: api.RolloutNone}}
		}
		return boards[b]
	}
	if g.fw != nil {
		if !g.fw.cat.Imported.IsZero() {
			imp, exp := g.fw.cat.Imported, g.fw.cat.Expires
			out.Imported, out.Expires = &imp, &exp
		}
		for _, im := range g.fw.cat.Images {
			fb := board(im.Board)
			fb.Versions = append(fb.Versions, im.Version) // the catalogue is sorted newest first
		}
		for b, r := range g.fw.rollouts {
			if r.State != api.RolloutNone || boards[b] != nil {
				board(b).Rollout = r.view()
			}
		}
		out.Gateway = g.selfViewLocked(time.Now())
	}
	for _, m := range g.members {
		if m.Firmware == nil || m.memberRecord.State == api.MemberPending {
			continue
		}
		v := m.view()
		fb := board(m.Firmware.Board)
		fb.Devices = append(fb.Devices, api.FirmwareDevice{ID: v.ID, Name: v.Node.Name, State: v.State, Firmware: v.Firmware})
	}
	for _, fb := range boards {
		slices.SortFunc(fb.Devices, func(a, b api.FirmwareDevice) int {
			return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
		})
		out.Boards = append(out.Boards, *fb)
	}
	slices.SortFunc(out.Boards, func(a, b api.FirmwareBoard) int { return strings.Compare(a.Board, b.Board) })
	return out
}

// firmwareFiles serves the mirror read-only to paired devices: 404 for
// every file while nothing was imported (or firmware is off). Images get
// the time a slow link needs.
func (g *Gateway) firmwareFiles() http.HandlerFunc {
	var files http.Handler
	if g.fw != nil {
		files = http.StripPrefix("/v1/agent/firmware", otahttp.Handler(g.fw.mirror.Dir))
	}
	return g.agent(func(w http.ResponseWriter, r *http.Request, node identity.NodeID) {
		g.mu.Lock()
		_, err := g.workerLocked(node)
		g.mu.Unlock()
		switch {
		case err != nil:
			reply(w, nil, err)
		case files == nil:
			reply(w, nil, fmt.Errorf("%w: this gateway serves no firmware (it runs without --firmware-root)", store.ErrNotFound))
		default:
			if strings.HasPrefix(r.URL.Path, "/v1/agent/firmware/targets/") {
				g.allowTransfer(w, ota.DefaultMaxTargetBytes)
			}
			files.ServeHTTP(w, r)
		}
	})
}
