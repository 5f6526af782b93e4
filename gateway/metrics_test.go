package gateway

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// scrape gets url and parses it as Prometheus's text format, with the
// client library's parser.
func scrape(t *testing.T, url, token string) map[string]*dto.MetricFamily {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	return fams
}

// value is the value of the sample of family name whose labels include
// want, and whether there is one.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		}
	}
	return 0, false
}

// TestMetrics scrapes a pool with one paired device and a job of three
// tasks, one of which it holds: the device, its state and power, the jobs
// and tasks by state, the queue and the leases are there with the values
// the API gives, with the process's own metrics; names pass the client
// library's parser.
func TestMetrics(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	if _, err := n.c.Heartbeat(context.Background(), api.Heartbeat{Load1: 0.5,
		Power: &api.PowerStatus{Watts: 3.5, BudgetW: 6, Source: "model pi4"}}); err != nil {
		t.Fatal(err)
	}
	app := []byte("\x00asm metrics")
	d := store.DigestOf(app)
	ctx := context.Background()
	if err := tg.admin.PutBlob(ctx, string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	if _, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "m", Runtime: "wasm", AppDigest: string(d), Tasks: 3}); err != nil {
		t.Fatal(err)
	}
	if ls, err := n.c.Lease(ctx, api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 1}); err != nil || len(ls) != 1 {
		t.Fatalf("lease: %v %v", ls, err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go tg.ServeMetrics(context.Background(), ln, "")
	t.Cleanup(func() { ln.Close() })
	fams := scrape(t, "http://"+ln.Addr().String()+"/metrics", "")
	dev := n.id.ID.Short()
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"hearth_device_info", map[string]string{"device": dev, "name": dev, "runtimes": "wasm"}, 1},
		{"hearth_device_state", map[string]string{"device": dev, "state": "ready"}, 1},
		{"hearth_device_state", map[string]string{"device": dev, "state": "lost"}, 0},
		{"hearth_device_power_watts", map[string]string{"device": dev}, 3.5},
		{"hearth_device_power_budget_watts", map[string]string{"device": dev}, 6},
		{"hearth_device_load1", map[string]string{"device": dev}, 0.5},
		{"hearth_device_tasks_running", map[string]string{"device": dev}, 0},
		{"hearth_jobs", map[string]string{"state": "running"}, 1},
		{"hearth_jobs", map[string]string{"state": "done"}, 0},
		{"hearth_tasks", map[string]string{"state": "queued"}, 2},
		{"hearth_tasks", map[string]string{"state": "leased"}, 1},
		{"hearth_queue_tasks", nil, 2},
		{"hearth_leases", nil, 1},
		{"hearth_build_info", map[string]string{"proto": strconv.Itoa(api.ProtocolVersion)}, 1},
	} {
		got, ok := value(fams, c.name, c.labels)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if got, ok := value(fams, "hearth_lease_requests_waiting", map[string]string{"kind": "tasks"}); !ok || got != 0 {
		t.Errorf("hearth_lease_requests_waiting{kind=tasks} = %v (present %v) with no request open, want 0", got, ok)
	}
	// A request for a runtime no task wants stays open: it is counted
	// while it waits.
	go n.c.Lease(ctx, api.LeaseRequest{Runtimes: []string{"oci"}, Max: 1, Wait: api.Duration(5 * time.Second)})
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got, _ := value(scrape(t, "http://"+ln.Addr().String()+"/metrics", ""), "hearth_lease_requests_waiting", map[string]string{"kind": "tasks"})
		if got == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("hearth_lease_requests_waiting{kind=tasks} = %v while a request waits, want 1", got)
		}
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("no go_goroutines: the process's own metrics are missing")
	}
	for name := range fams {
		if strings.HasPrefix(name, "hearth_") && strings.HasSuffix(name, "_total") && fams[name].GetType() != dto.MetricType_COUNTER {
			t.Errorf("%s ends in _total but is a %s", name, fams[name].GetType())
		}
	}
}

// TestMetricsListener: metrics on an address other than loopback are
// refused without a token; with one, a scrape without it gets 401.
func TestMetricsListener(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.ServeMetrics(context.Background(), ln, ""); err == nil || !strings.Contains(err.Error(), "need a token") {
		t.Fatalf("metrics on 0.0.0.0 without a token: %v, want refused", err)
	}
	ln.Close()
	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const token = "0123456789abcdef0123"
	go tg.ServeMetrics(context.Background(), ln, token)
	t.Cleanup(func() { ln.Close() })
	url := "http://" + ln.Addr().String() + "/metrics"
	for _, h := range []string{"", "Bearer wrong", "Basic " + token} {
		req, _ := http.NewRequest("GET", url, nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %s, want 401", h, resp.Status)
		}
	}
	if fams := scrape(t, url, token); fams["hearth_build_info"] == nil {
		t.Error("no hearth_build_info with the token")
	}
}
