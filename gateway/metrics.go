package gateway

// Prometheus metrics of the pool (docs/operations.md#prometheus-and-grafana).
// One collector reads the gateway's state at each scrape, as node_exporter
// reads the kernel's: nothing is counted twice, and a scrape costs what
// the views behind `hearth pool ls` and `hearth job ls` cost. Names follow
// Prometheus's conventions: base units, `_total` for counters, energy as a
// joule counter (rate() of it is watts). Devices are labelled by their
// short ID; their names are on hearth_device_info only, so that a rename
// does not split a series.

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

var (
	descBuild = prometheus.NewDesc("hearth_build_info",
		"The gateway's build: 1, labelled with its version and protocol version.", []string{"version", "proto"}, nil)
	descDeviceInfo = prometheus.NewDesc("hearth_device_info",
		"A device of the pool: 1, labelled with its name, architecture and runtimes.", []string{"device", "name", "arch", "runtimes"}, nil)
	descDeviceState = prometheus.NewDesc("hearth_device_state",
		"1 for the device's state (pending, ready, suspect, lost), 0 for the others.", []string{"device", "state"}, nil)
	descWatts = prometheus.NewDesc("hearth_device_power_watts",
		"The device's draw at its last heartbeat, measured or modelled.", []string{"device"}, nil)
	descBudget = prometheus.NewDesc("hearth_device_power_budget_watts",
		"The device's power budget now.", []string{"device"}, nil)
	descPaused = prometheus.NewDesc("hearth_device_power_paused",
		"1 when the device's budget or temperature lets no work run.", []string{"device"}, nil)
	descTemp = prometheus.NewDesc("hearth_device_temperature_celsius",
		"The device's temperature at its last heartbeat.", []string{"device"}, nil)
	descLoad = prometheus.NewDesc("hearth_device_load1",
		"The device's one-minute load average at its last heartbeat.", []string{"device"}, nil)
	descMemFree = prometheus.NewDesc("hearth_device_memory_available_bytes",
		"The device's available memory at its last heartbeat.", []string{"device"}, nil)
	descRunning = prometheus.NewDesc("hearth_device_tasks_running",
		"Tasks running on the device.", []string{"device"}, nil)
	descCompleted = prometheus.NewDesc("hearth_device_results_total",
		"Results the device reported and the gateway accepted.", []string{"device"}, nil)
	descQuarantined = prometheus.NewDesc("hearth_device_quarantined",
		"1 when the device was caught returning wrong results and takes no certified work.", []string{"device"}, nil)
	descEnergy = prometheus.NewDesc("hearth_device_energy_joules_total",
		"Energy the device drew, as its heartbeats' samples add up (days the gateway keeps).", []string{"device"}, nil)
	descTaskEnergy = prometheus.NewDesc("hearth_device_task_energy_joules_total",
		"Energy charged to tasks run on the device (days the gateway keeps).", []string{"device"}, nil)
	descJobs = prometheus.NewDesc("hearth_jobs",
		"Jobs the gateway keeps, by state.", []string{"state"}, nil)
	descTasks = prometheus.NewDesc("hearth_tasks",
		"Tasks of the jobs the gateway keeps, by state.", []string{"state"}, nil)
	descQueue = prometheus.NewDesc("hearth_queue_tasks",
		"Tasks and replicas waiting in the queue for a device.", nil, nil)
	descLeases = prometheus.NewDesc("hearth_leases",
		"Leases devices hold now.", nil, nil)
	descLeaseWakeups = prometheus.NewDesc("hearth_lease_wakeups_total",
		"Times a device's parked request for tasks was woken to look at the queue: about one per task queued, not one per device waiting.", nil, nil)
	descLeaseWaiting = prometheus.NewDesc("hearth_lease_requests_waiting",
		"Devices' requests for work held open now, for tasks or for stream partitions.", []string{"kind"}, nil)
	descStreamMsgs = prometheus.NewDesc("hearth_stream_messages_total",
		"Messages of a stream: received from the broker (in), outputs the broker acknowledged (out).", []string{"stream", "direction"}, nil)
	descStreamLag = prometheus.NewDesc("hearth_stream_lag_messages",
		"Messages of a stream logged and not yet answered by its function.", []string{"stream"}, nil)
	descStreamDropped = prometheus.NewDesc("hearth_stream_dropped_total",
		"Messages of a stream dropped, by why: the log's bounds (bounds), not JSON (malformed), after their window (late).", []string{"stream", "reason"}, nil)
	descMQTT = prometheus.NewDesc("hearth_mqtt_connected",
		"1 while the gateway is connected to the MQTT broker.", nil, nil)
)

// MetricNames are the names of the pool's metrics (not the process's).
func MetricNames() []string { return descNames(poolCollector{}) }

// descNames are the names of the metrics c describes.
func descNames(c prometheus.Collector) []string {
	ch := make(chan *prometheus.Desc, 64)
	go func() {
		c.Describe(ch)
		close(ch)
	}()
	var out []string
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// DescNames are the names of the metrics c describes (for tests and
// docs that list them).
func DescNames(c prometheus.Collector) []string { return descNames(c) }

var fqName = regexp.MustCompile(`fqName: "([a-zA-Z0-9_:]+)"`)

// poolCollector reads the pool's metrics from the gateway at each scrape.
type poolCollector struct{ g *Gateway }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descBuild, descDeviceInfo, descDeviceState, descWatts, descBudget, descPaused,
		descTemp, descLoad, descMemFree, descRunning, descCompleted, descQuarantined, descEnergy, descTaskEnergy,
		descJobs, descTasks, descQueue, descLeases, descLeaseWaiting, descLeaseWakeups, descStreamMsgs, descStreamLag, descStreamDropped, descMQTT} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	g := c.g
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	gauge(descBuild, 1, g.cfg.Version, strconv.Itoa(api.ProtocolVersion))

	for _, m := range g.membersView() {
		dev := shortID(m.ID)
		gauge(descDeviceInfo, 1, dev, m.Node.Name, m.Node.Arch, strings.Join(m.Node.Runtimes, ","))
		for _, s := range []api.MemberState{api.MemberPending, api.MemberReady, api.MemberSuspect, api.MemberLost} {
			gauge(descDeviceState, b2f(m.State == s), dev, string(s))
		}
		if p := m.Power; p != nil {
			gauge(descWatts, p.Watts, dev)
			gauge(descBudget, p.BudgetW, dev)
			gauge(descPaused, b2f(p.Paused), dev)
		}
		if m.TempC != nil {
			gauge(descTemp, *m.TempC, dev)
		}
		gauge(descLoad, m.Load1, dev)
		gauge(descMemFree, float64(m.MemFree), dev)
		gauge(descRunning, float64(m.Running), dev)
		counter(descCompleted, float64(m.Completed), dev)
		gauge(descQuarantined, b2f(m.Quarantined != ""), dev)
	}
	device, tasks := g.energyTotals()
	for node, wh := range device {
		counter(descEnergy, wh*3600, shortID(node))
	}
	for node, wh := range tasks {
		counter(descTaskEnergy, wh*3600, shortID(node))
	}

	jobs := map[api.JobState]int{api.JobRunning: 0, api.JobDone: 0, api.JobFailed: 0, api.JobCanceled: 0}
	var counts api.TaskCounts
	for _, j := range g.jobsView(0) {
		jobs[j.State]++
		counts.Queued += j.Counts.Queued
		counts.Leased += j.Counts.Leased
		counts.Verifying += j.Counts.Verifying
		counts.Done += j.Counts.Done
		counts.Failed += j.Counts.Failed
		counts.Canceled += j.Counts.Canceled
	}
	for s, n := range jobs {
		gauge(descJobs, float64(n), string(s))
	}
	for s, n := range map[api.TaskState]int{api.TaskQueued: counts.Queued, api.TaskLeased: counts.Leased,
		api.TaskVerifying: counts.Verifying, api.TaskDone: counts.Done, api.TaskFailed: counts.Failed, api.TaskCanceled: counts.Canceled} {
		gauge(descTasks, float64(n), string(s))
	}
	g.mu.Lock()
	queued, leased, wakeups := len(g.queue), len(g.leased), g.parked.woken
	g.mu.Unlock()
	taskWaits, streamWaits := g.LeaseRequestsWaiting()
	gauge(descQueue, float64(queued))
	gauge(descLeases, float64(leased))
	gauge(descLeaseWaiting, float64(taskWaits), "tasks")
	gauge(descLeaseWaiting, float64(streamWaits), "streams")
	counter(descLeaseWakeups, float64(wakeups))

	for _, s := range g.Streams() {
		n := s.Spec.Name
		counter(descStreamMsgs, float64(s.Counts.Received), n, "in")
		counter(descStreamMsgs, float64(s.Counts.Published), n, "out")
		gauge(descStreamLag, float64(s.Counts.Lag), n)
		counter(descStreamDropped, float64(s.Counts.Dropped), n, "bounds")
		counter(descStreamDropped, float64(s.Counts.Malformed), n, "malformed")
		counter(descStreamDropped, float64(s.Counts.Late), n, "late")
	}
	if g.broker != nil {
		gauge(descMQTT, b2f(g.broker.client.IsConnectionOpen()))
	}
}

// energyTotals sums the energy records the gateway keeps, per device: its
// draw and its tasks' share, in Wh.
func (g *Gateway) energyTotals() (device, tasks map[string]float64) {
	device, tasks = map[string]float64{}, map[string]float64{}
	if err := g.flushEnergy(); err != nil {
		g.log.Warn("metrics: storing the energy kept in memory", "err", err)
	}
	err := g.db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketEnergy, "", func(key string, v []byte) error {
			_, node, _ := strings.Cut(key, "/")
			var e energyRecord
			if err := json.Unmarshal(v, &e); err != nil {
				return nil // a bad record counts for nothing here; /v1/pool/energy names it
			}
			device[node] += e.DeviceWh
			tasks[node] += e.TaskWh
			return nil
		})
	})
	if err != nil {
		g.log.Warn("metrics: reading the energy records", "err", err)
	}
	return device, tasks
}

func shortID(s string) string {
	if id, err := identity.ParseNodeID(s); err == nil {
		return id.Short()
	}
	return s
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// SetMarketMetrics adds the market's metrics (market.Market.Collector)
// to what /metrics serves; the market may start after the listener.
func (g *Gateway) SetMarketMetrics(c prometheus.Collector) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.marketMetrics = c
}

// lateCollector serves the market's metrics once it has set them. It
// describes nothing (an unchecked collector, to the registry), since the
// market may not exist when the registry is made.
type lateCollector struct{ g *Gateway }

func (lateCollector) Describe(chan<- *prometheus.Desc) {}

func (c lateCollector) Collect(ch chan<- prometheus.Metric) {
	c.g.mu.Lock()
	m := c.g.marketMetrics
	c.g.mu.Unlock()
	if m != nil {
		m.Collect(ch)
	}
}

// MetricsHandler serves the pool's metrics, the market's once it set them,
// and the gateway process's own (go_*, process_*), in Prometheus's text
// format.
func (g *Gateway) MetricsHandler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(poolCollector{g}, lateCollector{g}, g.heartbeatSeconds, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: nil, ErrorHandling: promhttp.ContinueOnError})
}

// ServeMetrics serves MetricsHandler on ln at /metrics until ctx ends (it
// then shuts the server down: idle scrapes' connections are closed, a
// scrape under way may finish). With token set, a request must carry "Authorization: Bearer
// TOKEN" (a Prometheus scrape's authorization.credentials_file); without
// it, ln must be a loopback address, checked here, so that the metrics of
// the home do not leave the machine by mistake.
func (g *Gateway) ServeMetrics(ctx context.Context, ln net.Listener, token string) error {
	if token == "" {
		if a, ok := ln.Addr().(*net.TCPAddr); !ok || !a.IP.IsLoopback() {
			return &net.OpError{Op: "listen", Net: "tcp", Addr: ln.Addr(), Err: errMetricsNeedToken}
		}
	}
	h := g.MetricsHandler()
	mux := http.NewServeMux()
	want := sha256.Sum256([]byte("Bearer " + token))
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		got := sha256.Sum256([]byte(r.Header.Get("Authorization")))
		if token != "" && subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hearth metrics"`)
			http.Error(w, "unauthorized: send Authorization: Bearer <the token in --metrics-token-file>", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

var errMetricsNeedToken = errors.New("metrics on an address other than loopback need a token (--metrics-token-file)")
