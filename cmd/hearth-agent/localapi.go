package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/netip"
	"time"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/http1"
	"github.com/hearth-home/hearth/power/policy"
)

// defaultLocalAPI is where the agent's local API listens: loopback only.
const defaultLocalAPI = "127.0.0.1:7381"

// checkLocalAPI accepts "off" (or empty) or a loopback host:port. The API has no
// authentication, so it must not be reachable from the network: other
// machines post to the gateway, which checks the owner's token.
func checkLocalAPI(addr string) error {
	if addr == "off" || addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--local-api %q: want host:port, e.g. %s, or off", addr, defaultLocalAPI)
	}
	if host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return fmt.Errorf("--local-api %q: only a loopback address (127.0.0.1, ::1, localhost): the local API has no authentication; from other machines, post to the gateway (hearth pool signal)", addr)
	}
	return nil
}

// localStatus is what GET /v1/power answers.
type localStatus struct {
	api.PowerStatus
	Profile     string   `json:"profile"`
	TempC       *float64 `json:"temp_c,omitempty"`
	Busy        float64  `json:"busy"`
	Tasks       int      `json:"tasks"`
	PausedTasks int      `json:"paused_tasks"`
	// Crowded says why other programs leave the tasks no room, when they do.
	Crowded string `json:"crowded,omitempty"`
	// Policy is the budget policy in force: the device's own, or the
	// one the gateway sent.
	Policy policy.Policy `json:"policy"`
}

// localAPI routes the agent's local API: the power status, the last
// hour's samples, and signals from programs on the device (a thermostat
// bridge, an inverter reader).
func localAPI(gov *governor.Governor) *http1.Mux {
	mux := &http1.Mux{}
	mux.Handle("GET", "/v1/power", func(context.Context, *http1.ServerRequest) (int, any) {
		s := gov.Status()
		out := localStatus{PowerStatus: *agent.PowerStatus(s), Profile: s.Profile, Busy: s.Busy, Tasks: s.Tasks,
			PausedTasks: s.PausedTasks, Crowded: s.Crowded, Policy: gov.Policy()}
		if !math.IsNaN(s.TempC) {
			t := s.TempC
			out.TempC = &t
		}
		return 200, out
	})
	mux.Handle("GET", "/v1/power/history", func(_ context.Context, r *http1.ServerRequest) (int, any) {
		since := time.Now().Add(-time.Hour)
		if q := r.Query.Get("since"); q != "" {
			d, err := time.ParseDuration(q)
			if err != nil || d <= 0 {
				return http1.Error(400, "since %q: want a span like 10m (at most the hour kept)", q)
			}
			since = time.Now().Add(-d)
		}
		hist := gov.History(since)
		out := make([]api.PowerSample, len(hist))
		for i, s := range hist {
			out[i] = agent.PowerSample(s)
		}
		return 200, out
	})
	mux.Handle("POST", "/v1/power/signal", func(_ context.Context, r *http1.ServerRequest) (int, any) {
		var req api.SignalRequest
		if err := json.Unmarshal(r.Body, &req); err != nil {
			return http1.Error(400, "body: %v (want JSON like {\"kind\": \"heat\", \"demand\": 0.6, \"source\": \"thermostat\"})", err)
		}
		if req.Device != "" {
			return http1.Error(400, "device: the local API is this device's; post to the gateway to reach another")
		}
		// Programs on the device post surpluses and demands; the pool's
		// share and the gateway's signals are the gateway's to send.
		if req.Kind != policy.KindSolar && req.Kind != policy.KindHeat {
			return http1.Error(400, "kind %q: want solar or heat", req.Kind)
		}
		if agent.GatewaySource(req.Source) {
			return http1.Error(400, "source %q: names starting with %q are the gateway's", req.Source, agent.GatewaySourcePrefix)
		}
		s, err := req.Signal(time.Now())
		if err == nil {
			err = gov.Signal(s)
		}
		if err != nil {
			return http1.Error(400, "%v", err)
		}
		// The budget follows at the governor's next step, within a
		// second: GET /v1/power shows it.
		return 200, map[string]any{"kind": s.Kind, "expires": s.Expires}
	})
	return mux
}

// serveLocalAPI serves the local API on addr until ctx ends. A port
// already taken is logged, not fatal: the agent's work does not depend on
// it.
func serveLocalAPI(ctx context.Context, addr string, gov *governor.Governor, log *slog.Logger) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Warn("local API not served; choose another address with --local-api", "addr", addr, "err", err)
		return
	}
	log.Info("local API", "addr", ln.Addr().String(), "try", "curl http://"+ln.Addr().String()+"/v1/power")
	srv := &http1.Server{Mux: localAPI(gov), Logger: log}
	if err := srv.Serve(ctx, ln); err != nil && !errors.Is(err, net.ErrClosed) {
		log.Warn("local API stopped", "err", err)
	}
}
