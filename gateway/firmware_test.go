package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/otahttp"
	"github.com/hearth-home/hearth/firmware/ota/otatest"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

// releaseRepo is a release repository signed by throwaway keys.
type releaseRepo struct {
	t    *testing.T
	repo *otatest.Repo
}

func newReleaseRepo(t *testing.T) *releaseRepo {
	t.Helper()
	repo, err := otatest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &releaseRepo{t: t, repo: repo}
}

// rootFile writes the pinned root where a gateway reads it.
func (r *releaseRepo) rootFile() string {
	r.t.Helper()
	p := filepath.Join(r.t.TempDir(), "root.json")
	if err := r.repo.WriteRoot(p); err != nil {
		r.t.Fatal(err)
	}
	return p
}

// release signs slot images of board at versions and returns the bundle.
func (r *releaseRepo) release(board string, versions ...string) *bytes.Buffer {
	r.t.Helper()
	for _, v := range versions {
		if err := r.repo.AddSlotData(board, v, []byte(strings.Repeat("slot "+board+" "+v+"\n", 100)), r.t.TempDir()); err != nil {
			r.t.Fatal(err)
		}
	}
	if err := r.repo.Publish(); err != nil {
		r.t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.repo.Bundle(&buf); err != nil {
		r.t.Fatal(err)
	}
	return &buf
}

// beat sends a heartbeat with a firmware status and returns the offer.
func (n *testNode) beatFW(t *testing.T, fw *api.FirmwareStatus) *api.FirmwareUpdate {
	t.Helper()
	resp, err := n.c.Heartbeat(context.Background(), api.Heartbeat{Firmware: fw})
	if err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	return resp.FirmwareUpdate
}

func (n *testNode) helloFW(t *testing.T, token string, fw *api.FirmwareStatus) {
	t.Helper()
	if _, err := n.c.Hello(context.Background(), api.HelloRequest{Node: api.NodeInfo{Name: n.id.ID.Short()},
		JoinToken: token, Firmware: fw}); err != nil {
		t.Fatalf("hello: %v", err)
	}
}

// reconnect points the node at a restarted gateway.
func (n *testNode) reconnect(t *testing.T, g *Gateway) {
	t.Helper()
	c, err := api.NewAgentClient(g.Addr().String(), n.id, identity.Pin(g.ID()))
	if err != nil {
		t.Fatal(err)
	}
	n.c = c
}

// mirrorGet fetches a mirror file over the agents' mutual TLS as id.
func mirrorGet(t *testing.T, g *Gateway, id identity.Identity, path string) (int, []byte) {
	t.Helper()
	cfg, err := id.ClientTLS(true, identity.Pin(g.ID()))
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	defer c.CloseIdleConnections()
	resp, err := c.Get("https://" + g.Addr().String() + "/v1/agent/firmware/" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func TestFirmwareOffWithoutRoot(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	_, err := tg.admin.ImportFirmware(context.Background(), strings.NewReader("not a tar"), 9)
	if !errors.Is(err, api.ErrConflict) || !strings.Contains(err.Error(), "--firmware-root") {
		t.Fatalf("import without a root: %v", err)
	}
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	if code, _ := mirrorGet(t, tg.Gateway, n.id, "metadata/timestamp.json"); code != http.StatusNotFound {
		t.Errorf("mirror without firmware: %d", code)
	}
	st, err := tg.admin.Firmware(context.Background())
	if err != nil || st.Enabled {
		t.Fatalf("status: %+v, %v", st, err)
	}
}

func TestFirmwareImportServesAndRollsOut(t *testing.T) {
	ctx := context.Background()
	rel := newReleaseRepo(t)
	dir := t.TempDir()
	cfg := Config{FirmwareRoot: rel.rootFile(), FirmwareBatch: 1}
	tg := startGateway(t, dir, cfg)
	token := tg.JoinToken().String()
	const board = "generic-arm64"
	old := func() *api.FirmwareStatus { return &api.FirmwareStatus{Board: board, Version: "0.4.0", Slot: "A"} }
	nodes := []*testNode{newNode(t, tg.Gateway), newNode(t, tg.Gateway), newNode(t, tg.Gateway)}
	for _, n := range nodes {
		n.helloFW(t, token, old())
	}
	// Nothing imported: no offer, and the mirror answers 404 to members.
	if up := nodes[0].beatFW(t, old()); up != nil {
		t.Fatalf("offer before any import: %+v", up)
	}
	if code, _ := mirrorGet(t, tg.Gateway, nodes[0].id, "metadata/timestamp.json"); code != http.StatusNotFound {
		t.Fatalf("empty mirror: %d", code)
	}

	// A bundle signed by other keys is refused as the bundle's fault.
	other := newReleaseRepo(t)
	forged := other.release(board, "9.9.9")
	if _, err := tg.admin.ImportFirmware(ctx, forged, int64(forged.Len())); !errors.Is(err, api.ErrBadRequest) ||
		!strings.Contains(err.Error(), "bundle refused") {
		t.Fatalf("forged bundle: %v", err)
	}

	b := rel.release(board, "0.4.0", "0.5.0")
	res, err := tg.admin.ImportFirmware(ctx, b, int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Images) != 2 || res.Images[0].Version != "0.5.0" || len(res.Rollouts) != 1 ||
		res.Rollouts[0].State != api.RolloutCanary || res.Rollouts[0].Target != "0.5.0" {
		t.Fatalf("import: %+v", res)
	}

	// Members read the mirror; strangers do not.
	if code, body := mirrorGet(t, tg.Gateway, nodes[0].id, "metadata/timestamp.json"); code != 200 || !bytes.Contains(body, []byte(`"timestamp"`)) {
		t.Fatalf("timestamp: %d %.200s", code, body)
	}
	if code, _ := mirrorGet(t, tg.Gateway, nodes[0].id, "metadata/.trusted"); code != http.StatusNotFound {
		t.Errorf("hidden file: %d", code)
	}
	stranger, _ := identity.Generate()
	if code, _ := mirrorGet(t, tg.Gateway, stranger, "metadata/timestamp.json"); code != http.StatusForbidden {
		t.Errorf("stranger: %d", code)
	}
	// A device's TUF client over the agents' endpoint finds the update.
	tlsCfg, err := nodes[0].id.ClientTLS(true, identity.Pin(tg.ID()))
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}}
	t.Cleanup(hc.CloseIdleConnections)
	root, _ := rel.repo.RootJSON()
	dev, err := ota.NewClient(ota.Config{Root: root, Dir: t.TempDir(), BaseURL: "https://" + tg.Addr().String() + "/v1/agent/firmware",
		Fetcher: otahttp.Fetcher{Client: hc}, Board: board, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := dev.Check(ctx, "0.4.0"); err != nil || u == nil || u.Version != "0.5.0" {
		t.Fatalf("device check through the gateway: %+v, %v", u, err)
	}

	fws := []*api.FirmwareStatus{old(), old(), old()}
	target := "0.5.0"
	round := func() []int {
		t.Helper()
		var out []int
		for i, n := range nodes {
			if up := n.beatFW(t, fws[i]); up != nil {
				if up.Version != target || up.Board != board {
					t.Fatalf("offer %+v", up)
				}
				out = append(out, i)
			}
		}
		return out
	}
	want := func(got []int, w ...int) {
		t.Helper()
		if len(got) != len(w) || len(w) > 0 && got[0] != w[0] {
			t.Fatalf("offered to %v, want %v", got, w)
		}
	}
	// The canary first, alone.
	want(round(), 0)
	want(round(), 0)
	fws[0] = &api.FirmwareStatus{Board: board, Version: "0.5.0", Slot: "B", Trial: true}
	want(round())
	fws[0] = &api.FirmwareStatus{Board: board, Version: "0.5.0", Slot: "B"}
	want(round(), 1) // batch of one
	st, err := tg.admin.Firmware(ctx)
	if err != nil || len(st.Boards) != 1 || st.Boards[0].Rollout.State != api.RolloutRolling ||
		st.Boards[0].Rollout.Canary != nodes[0].id.ID.String() || len(st.Boards[0].Devices) != 3 ||
		len(st.Boards[0].Versions) != 2 || st.Boards[0].Versions[0] != "0.5.0" {
		t.Fatalf("status while rolling: %+v, %v", st, err)
	}
	ms, _ := tg.admin.Members(ctx)
	for _, m := range ms {
		if m.Firmware == nil || m.Firmware.Board != board {
			t.Errorf("member %s firmware %+v", m.ID, m.Firmware)
		}
	}

	// A restart goes on where the rollout was: node 1 still holds the
	// batch's one place, node 2 waits.
	tg.stop()
	tg = startGateway(t, dir, cfg)
	for i, n := range nodes {
		n.reconnect(t, tg.Gateway)
		n.helloFW(t, "", fws[i])
	}
	want(round(), 1)
	// Node 1 rolls back: no one more is offered it, ever.
	fws[1] = &api.FirmwareStatus{Board: board, Version: "0.4.0", Slot: "A",
		LastRollback: &api.FirmwareRollback{From: "0.4.0", To: "0.5.0", Reason: "the agent exited 3 times", At: time.Now().UTC()}}
	nodes[1].helloFW(t, "", fws[1])
	want(round())
	st, _ = tg.admin.Firmware(ctx)
	r := st.Boards[0].Rollout
	if r.State != api.RolloutStopped || r.Stopped == nil || r.Stopped.Device != nodes[1].id.ID.String() ||
		r.Stopped.Reason != "the agent exited 3 times" {
		t.Fatalf("after the rollback: %+v", r)
	}
	tg.stop()
	tg = startGateway(t, dir, cfg)
	for i, n := range nodes {
		n.reconnect(t, tg.Gateway)
		n.helloFW(t, "", fws[i])
	}
	want(round())
	if st, _ := tg.admin.Firmware(ctx); st.Boards[0].Rollout.State != api.RolloutStopped {
		t.Fatalf("stopped rollout after a restart: %+v", st.Boards[0].Rollout)
	}

	// A newer release starts a new rollout; the device that rolled back
	// may take it.
	b = rel.release(board, "0.5.1")
	if _, err := tg.admin.ImportFirmware(ctx, b, int64(b.Len())); err != nil {
		t.Fatal(err)
	}
	target = "0.5.1"
	if got := round(); len(got) != 1 {
		t.Fatalf("new canary: %v", got)
	}
}
