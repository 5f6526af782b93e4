package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
	"github.com/hearth-home/hearth/internal/discovery"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
	"github.com/hearth-home/hearth/store"
)

// TestDiscoversGateway runs the agent as the binary wires it, without
// --join, in a network namespace of its own: it finds the gateway over
// mDNS, passing over a stranger that also announces itself as a gateway,
// pairs with its token and runs a task.
func TestDiscoversGateway(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		discoverChild(t)
		return
	}
	h := netnstest.NewLoopback(t, "agentmdns")
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "home")
}

func discoverChild(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	gw := runGateway(t, t.TempDir())
	port := gw.Addr().(*net.TCPAddr).Port
	stranger, _ := identity.Generate()
	announce := func(id string, port int) {
		d := discovery.New(discovery.Config{Interval: 200 * time.Millisecond},
			discovery.Announcement{ID: id, Role: discovery.RoleGateway, Proto: api.ProtocolVersion, Port: port})
		go d.Run(ctx)
	}
	announce(stranger.ID.String(), 1) // first, and never answers
	time.Sleep(100 * time.Millisecond)
	announce(gw.ID().String(), port)

	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, setup{cfg: agent.Config{DataDir: t.TempDir(), JoinToken: gw.JoinToken().String(), Slots: 1, Logger: logger}, logger: logger})
	}()
	app, err := os.ReadFile(sandboxtest.WasmTestApp(t).Path)
	if err != nil {
		t.Fatal(err)
	}
	d := store.DigestOf(app)
	if err := gw.admin.PutBlob(ctx, string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	job, err := gw.admin.SubmitJob(ctx, api.JobSpec{Name: "mdns", Runtime: "wasm", AppDigest: string(d), Args: []string{"exit", "0"}})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the job to finish", func() bool { return jobOf(t, gw.admin, job.ID).State != api.JobRunning })
	if s := jobOf(t, gw.admin, job.ID).State; s != api.JobDone {
		t.Fatalf("job %s", s)
	}
	members, err := gw.admin.Members(ctx)
	if err != nil || len(members) != 1 {
		t.Fatalf("members %+v, %v", members, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}
