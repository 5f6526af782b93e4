package e2e

import (
	"context"
	"testing"
	"time"
)

func TestScratchEndpointAfterRestart(t *testing.T) {
	r := newMarketRig(t)
	contract, block := r.deploy(t)
	gw := r.newGateway(t, contract, block, "127.0.0.1:0")
	gw.start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	info := gw.waitRegistered(ctx, t)
	t.Logf("first: endpoint %s addr %s", info.ProviderEndpoint, gw.addr)
	gw.proc.stop()
	gw.addr = ""
	gw.start(t)
	t.Logf("restarted at %s", gw.addr)
	time.Sleep(45 * time.Second)
	info = gw.marketInfo(ctx, t)
	t.Logf("after restart: endpoint %s", info.ProviderEndpoint)
	t.Log(tail(gw.proc.logText(), 30))
}
