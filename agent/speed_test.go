package agent

import (
	"context"
	"testing"
	"time"

	"github.com/hearth-home/hearth/agent/speed"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
)

// An agent measures its speed when it starts and the gateway's member
// shows it; one given a speed (by Config or by $HEARTH_AGENT_SPEED)
// reports that instead.
func TestSpeedReported(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{Heartbeat: 100 * time.Millisecond})
	t.Setenv(speed.Env, "wasm=5e6,native=2e7")
	startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Name: "set"})
	t.Setenv(speed.Env, "")
	startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Name: "measured"})
	startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Name: "given",
		Speed: &api.Speed{WasmOps: 7}})

	deadline := time.Now().Add(10 * time.Second)
	for {
		ms, err := gw.admin.Members(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]*api.Speed{}
		for _, m := range ms {
			got[m.Node.Name] = m.Speed
		}
		if got["set"] != nil && got["measured"] != nil && got["given"] != nil {
			if *got["set"] != (api.Speed{WasmOps: 5e6, NativeOps: 2e7}) || *got["given"] != (api.Speed{WasmOps: 7}) {
				t.Errorf("speeds set %+v, given %+v: want those set", *got["set"], *got["given"])
			}
			if m := got["measured"]; m.WasmOps <= 0 || m.NativeOps <= 0 {
				t.Errorf("measured speed %+v: want both figures", *m)
			}
			t.Logf("measured %+v", *got["measured"])
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("speeds after 10s: %v", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
