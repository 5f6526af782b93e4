package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/http1"
	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/power/policy"
)

// The local API over a real socket: a thermostat's heat demand posted to
// it sets the budget the governor works to; the status and the history
// read back; bad signals are refused with the reason and change nothing.
func TestLocalAPI(t *testing.T) {
	pi4, ok := power.Named("rpi4")
	if !ok {
		t.Fatal("no rpi4 profile")
	}
	model, err := power.NewModel(pi4, 4) // 2.7 to 6.4 W
	if err != nil {
		t.Fatal(err)
	}
	gov, err := governor.New(governor.Config{Model: model, Policy: policy.Policy{Watts: 5}, Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go gov.Run(ctx)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http1.Server{Mux: localAPI(gov)}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	call := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}

	// A surplus measured for the whole house may be far above what this
	// board draws: a cap that does not bind.
	for _, signal := range []string{
		`{"kind": "solar", "watts": 300, "source": "inverter", "ttl": "1m"}`,
		`{"kind": "heat", "demand": 0.5, "source": "thermostat", "ttl": "1m"}`,
	} {
		if code, body := call("POST", "/v1/power/signal", signal); code != 200 {
			t.Fatalf("signal %s: %d %s", signal, code, body)
		}
	}
	var code int
	var body string
	var st localStatus
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body = call("GET", "/v1/power", "")
		if code != 200 || json.Unmarshal([]byte(body), &st) != nil {
			t.Fatalf("status: %d %s", code, body)
		}
		if st.BudgetW == 3.2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st.BudgetW != 3.2 || !strings.Contains(strings.Join(st.Reasons, "; "), "heat demand 50%") || st.Policy.Watts != 5 {
		t.Errorf("after a 50%% heat demand on a 6.4 W board with a 5 W budget: %+v", st)
	}

	// Samples are taken once a second: under load the first may come late.
	var hist []api.PowerSample
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		code, body = call("GET", "/v1/power/history?since=1m", "")
		hist = nil
		ok := code == 200 && json.Unmarshal([]byte(body), &hist) == nil && len(hist) > 0 && hist[len(hist)-1].BudgetW == 3.2
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("history: %d %s", code, body)
			break
		}
	}

	for _, c := range []struct{ body, want string }{
		{`{"kind": "heat", "demand": 1.5}`, "outside 0..1"},
		{`{"kind": "solar", "watts": -3}`, "negative"},
		{`{"kind": "wind", "watts": 3}`, "want solar or heat"},
		{`{"kind": "heat", "demand": 0.2, "ttl": "48h"}`, "ttl"},
		{`{"kind": "heat", "demand": 0.2, "device": "kitchen"}`, "gateway"},
		{`{"kind": "heat", "demand": }`, "body"},
		{`{"kind": "share", "watts": 1, "source": "pool total"}`, "want solar or heat"},
		{`{"kind": "heat", "demand": 0.1, "source": "gateway: pool thermostat"}`, "the gateway's"},
	} {
		if code, body := call("POST", "/v1/power/signal", c.body); code != 400 || !strings.Contains(body, c.want) {
			t.Errorf("signal %s: %d %s, want 400 saying %q", c.body, code, body, c.want)
		}
	}
	if code, body := call("GET", "/v1/power/history?since=soon", ""); code != 400 {
		t.Errorf("since=soon: %d %s", code, body)
	}
	time.Sleep(100 * time.Millisecond)
	if b := gov.Status().BudgetW; b != 3.2 {
		t.Errorf("a refused signal changed the budget to %v", b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

func TestCheckLocalAPI(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:7381": true, "[::1]:7381": true, "localhost:9000": true, "off": true,
		"0.0.0.0:7381": false, ":7381": false, "192.168.1.10:7381": false, "7381": false,
	} {
		if err := checkLocalAPI(addr); (err == nil) != ok {
			t.Errorf("checkLocalAPI(%q) = %v", addr, err)
		} else if err != nil && !strings.Contains(err.Error(), "--local-api") {
			t.Errorf("checkLocalAPI(%q): %v does not name the flag", addr, err)
		}
	}
}
