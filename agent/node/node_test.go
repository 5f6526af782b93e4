package node

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
	"github.com/hearth-home/hearth/store"
)

func TestDialable(t *testing.T) {
	in := []netip.Addr{netip.MustParseAddr("192.168.1.2"), netip.MustParseAddr("fe80::1"), netip.MustParseAddr("fd00::2")}
	got := Dialable(in)
	want := []netip.Addr{in[0], in[2]}
	if !slices.Equal(got, want) {
		t.Fatalf("Dialable = %v, want %v", got, want)
	}
}

// TestBuildRun: a node built from an agent config alone (wasm, no
// governor, no mDNS) pairs with a real gateway, runs a task, and Run
// returns nil when its context ends; Close closes its store, so the data
// directory can be opened again.
func TestBuildRun(t *testing.T) {
	gw, err := gateway.New(gateway.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0", Heartbeat: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	gctx, gcancel := context.WithCancel(context.Background())
	gdone := make(chan error, 1)
	go func() { gdone <- gw.Run(gctx) }()
	defer func() { gcancel(); <-gdone }()
	admin, err := api.NewAdminClient(gw.Credentials())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()

	dir := t.TempDir()
	cfg := Config{}
	cfg.Agent.DataDir, cfg.Agent.Gateway, cfg.Agent.JoinToken, cfg.Agent.Slots = dir, gw.Addr().String(), gw.JoinToken().String(), 1
	n, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n.Discovery() != nil {
		t.Error("a node without Config.Discovery has one")
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()

	app, err := os.ReadFile(sandboxtest.WasmTestApp(t).Path)
	if err != nil {
		t.Fatal(err)
	}
	d := string(store.DigestOf(app))
	if err := admin.PutBlob(t.Context(), d, bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	j, err := admin.SubmitJob(t.Context(), api.JobSpec{Name: "echo", Tasks: 1, Runtime: "wasm", AppDigest: d, Args: []string{"echo", "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		jd, err := admin.Job(t.Context(), j.ID)
		if err == nil && jd.State == api.JobDone {
			if r := jd.Tasks[0].Result; r == nil || r.ExitCode != 0 || r.Node != n.ID().String() {
				t.Fatalf("task result %+v", r)
			}
			break
		}
		if time.Now().After(end) {
			t.Fatalf("job not done: %+v, %v", jd, err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after its context ended: %v, want nil", err)
	}
	if err := n.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	again, err := Build(cfg)
	if err != nil {
		t.Fatalf("building again on the same data directory: %v", err)
	}
	if again.ID() != n.ID() {
		t.Error("the node's identity changed across a rebuild")
	}
	again.Close()
}
