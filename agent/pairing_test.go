package agent

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

func TestPendingUntilApproved(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{})
	dir := t.TempDir()
	// No token, no pin, found by the discovery hook: trust on first use.
	discover := func(ctx context.Context, want identity.NodeID) (string, error) { return gw.addr(), nil }
	ag := startAgent(t, Config{DataDir: dir, Discover: discover})
	ag.logs.waitLog(t, 5*time.Second, "waiting for approval: run `hearth pool approve "+ag.ID().Short()+"` on the gateway")

	app := testApp(t)
	j := gw.submit(app, api.JobSpec{Name: "pending", Args: []string{"exit", "0"}})
	time.Sleep(300 * time.Millisecond)
	if c := gw.job(j.ID).Counts; c.Queued != 1 {
		t.Fatalf("a pending agent took work: %+v", c)
	}
	if _, err := gw.admin.Approve(context.Background(), ag.ID().Short()); err != nil {
		t.Fatal(err)
	}
	if d := gw.waitJob(j.ID, 30*time.Second); d.State != api.JobDone {
		t.Fatalf("job %s: %+v", d.State, d.Tasks)
	}
	ag.logs.waitLog(t, time.Second, "trusting the gateway on first use", gw.ID().String())
	ag.stop()

	// The pin outlives the process.
	again := startAgent(t, Config{DataDir: dir, Discover: discover})
	id, source := again.pin.describe()
	if id != gw.ID() || source != "earlier pairing" {
		t.Fatalf("pin after restart = %s from %q, want %s from an earlier pairing", id.Short(), source, gw.ID().Short())
	}
}

func TestWrongTokenGetsNoWork(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{})
	bad := api.JoinToken{Gateway: gw.ID(), Secret: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"}
	ag := startAgent(t, Config{Gateway: gw.addr(), JoinToken: bad.String()})
	ag.logs.waitLog(t, 5*time.Second, "gateway refused this node", "the join token is wrong")

	j := gw.submit(testApp(t), api.JobSpec{Name: "refused", Args: []string{"exit", "0"}})
	time.Sleep(500 * time.Millisecond)
	if c := gw.job(j.ID).Counts; c.Queued != 1 {
		t.Fatalf("a refused agent took work: %+v", c)
	}
	members, err := gw.admin.Members(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 0 {
		t.Fatalf("the gateway lists %+v", members)
	}
}

func TestUnpinnedGatewayGetsNoRequest(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{})
	other, _ := identity.Generate()
	ag := startAgent(t, Config{Gateway: gw.addr(), GatewayID: other.ID.String()})
	ag.logs.waitLog(t, 5*time.Second, "not the pinned one", other.ID.String())

	j := gw.submit(testApp(t), api.JobSpec{Name: "unpinned", Args: []string{"exit", "0"}})
	time.Sleep(300 * time.Millisecond)
	if c := gw.job(j.ID).Counts; c.Queued != 1 {
		t.Fatalf("the agent took work from a gateway it does not trust: %+v", c)
	}
	members, _ := gw.admin.Members(context.Background())
	if len(members) != 0 {
		t.Fatalf("the agent said hello to a gateway it does not trust: %+v", members)
	}
}

func TestPinConflict(t *testing.T) {
	gw, _ := identity.Generate()
	other, _ := identity.Generate()
	tok := api.JoinToken{Gateway: gw.ID, Secret: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"}
	_, err := New(Config{DataDir: t.TempDir(), JoinToken: tok.String(), GatewayID: other.ID.String()})
	if err == nil || !errors.Is(err, ErrPinConflict) {
		t.Fatalf("New with disagreeing pins: %v, want ErrPinConflict", err)
	}
	_, err = New(Config{DataDir: t.TempDir(), JoinToken: "not-a-token"})
	if !errors.Is(err, api.ErrBadToken) {
		t.Fatalf("New with a malformed token: %v, want ErrBadToken", err)
	}
}
