package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/mosquitto"
	"github.com/hearth-home/hearth/internal/mqttconn"
	"github.com/hearth-home/hearth/store"
)

// TestStreamBench measures streams through the pool (make bench): a real
// mosquitto, hearth-gateway as a process of its own (bin/, built by make
// bench), two agents in this process with the identity function, and a
// load generator and a subscriber (paho) beside them, all on this machine.
// The broker alone is measured in the same run as the baseline. It prints
// BENCH lines:
//
//	stream.broker_qos0_msgs_per_s, stream.broker_qos1_msgs_per_s  the broker alone
//	stream.broker_relay_qos0_msgs_per_s, ..._qos1_...              the broker twice, through a client that only republishes
//	stream.map_qos0_msgs_per_s, stream.map_qos1_msgs_per_s        publish -> function -> subscriber
//	stream.latency_p50_ms, stream.latency_p99_ms                  at 1,000 msg/s, QoS 0 in and out
//	stream.latency_qos1_p50_ms, stream.latency_qos1_p99_ms        the same with QoS 1
//	stream.map_memory_qos0_msgs_per_s, ..._qos1_...               the same stream with delivery: memory
//	stream.latency_memory_p50_ms, stream.latency_memory_p99_ms    (no store on the message's way)
//	stream.lost, stream.duplicated_publishes                      over every phase
//	stream.instance_rss_kib                                       memory per map instance, its module compiled
//	stream.module_rss_kib                                         memory of the compiled module, once per device
//	stream.gateway_rss_idle_mb, stream.gateway_rss_added_mb       the gateway at rest, and what full rate adds
//
// HEARTH_STREAM_BENCH_SECONDS sets how long each throughput phase runs
// (default 60: the goal is a rate sustained for a minute), and
// HEARTH_STREAM_BENCH_RATE the rate of the latency phases (default 1000/s).
func TestStreamBench(t *testing.T) {
	if os.Getenv("HEARTH_STREAM_BENCH") == "" {
		t.Skip("set HEARTH_STREAM_BENCH=1 to run the streams benchmark (make bench does)")
	}
	secs := 60
	if s := os.Getenv("HEARTH_STREAM_BENCH_SECONDS"); s != "" {
		secs, _ = strconv.Atoi(s)
	}
	bin := filepath.Join("..", "bin", "hearth-gateway")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s: %v (make build first; make bench does)", bin, err)
	}
	b := startBroker(t)
	bench := func(name string, v float64, unit string) {
		line := fmt.Sprintf("BENCH %s %.6g %s", name, v, unit)
		fmt.Println(line)
		t.Log(line)
	}
	dur := time.Duration(secs) * time.Second

	bench("stream.broker_qos0_msgs_per_s", flood(t, b, "base0/in/", "base0/in/#", 0, dur).rate, "msg/s")
	bench("stream.broker_qos1_msgs_per_s", flood(t, b, "base1/in/", "base1/in/#", 1, dur).rate, "msg/s")
	// A stream's message crosses the broker twice (in, and its result
	// out): a client that only subscribes and publishes each message
	// again is what any relay through this broker can do here.
	for _, qos := range []byte{0, 1} {
		stop := relay(t, b, qos)
		bench(fmt.Sprintf("stream.broker_relay_qos%d_msgs_per_s", qos), flood(t, b, "relay/in/", "relay/out/#", qos, dur).rate, "msg/s")
		stop()
	}

	gw := startGatewayProc(t, b.URL())
	admin := gw.admin
	for range 2 {
		startAgent(t, Config{Gateway: gw.addr, JoinToken: gw.token, Streams: 8})
	}
	time.Sleep(time.Second) // paired, speed measured
	ctx := context.Background()
	app := uploadFile(t, admin, buildStreamFn(t))
	// Memory: a stream of 2 partitions first, one on each agent, has the
	// module compiled on both; the 8 partitions after it cost only their
	// instances. What the heap keeps but does not use is not theirs.
	debug.FreeOSMemory()
	before := selfRSS(t)
	compile := api.StreamSpec{Name: "compile", Topics: []string{"compile/in/#"}, Partitions: 2, AppDigest: app,
		Args: []string{"-echo"}, Output: api.StreamOutputSpec{Topic: "compile/out/{topic}"}}
	if _, err := admin.DeployStream(ctx, compile); err != nil {
		t.Fatal(err)
	}
	if st := waitRunning(t, admin, "compile", 2); st.Partitions[0].Node == st.Partitions[1].Node {
		t.Log("both partitions of the compiling stream are on one agent: instance_rss_kib includes a compilation")
	}
	flood(t, b, "compile/in/", "compile/out/#", 1, time.Second)
	debug.FreeOSMemory()
	compiled := selfRSS(t)
	spec := api.StreamSpec{Name: "bench", Topics: []string{"bench/in/#"}, Partitions: 8,
		AppDigest: app, Args: []string{"-echo"},
		Resources: api.Resources{CPU: 1}, Output: api.StreamOutputSpec{Topic: "bench/out/{topic}"}}
	if _, err := admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, admin, "bench", 8)
	warm := flood(t, b, "bench/in/", "bench/out/#", 1, time.Second) // every instance answering
	debug.FreeOSMemory()
	instance := float64(selfRSS(t)-compiled) / 8
	bench("stream.instance_rss_kib", instance/1024, "KiB")
	bench("stream.module_rss_kib", (float64(compiled-before)/2-instance)/1024, "KiB")
	if err := admin.RemoveStream(ctx, "compile"); err != nil { // room for the memory stream's partitions
		t.Fatal(err)
	}
	idle := gw.rss(t)
	bench("stream.gateway_rss_idle_mb", float64(idle)/(1<<20), "MB")

	var peak atomic.Int64
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if r := gw.rss(t); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()
	q0 := flood(t, b, "bench/in/", "bench/out/#", 0, dur)
	q1 := flood(t, b, "bench/in/", "bench/out/#", 1, dur)
	close(stop)
	bench("stream.map_qos0_msgs_per_s", q0.rate, "msg/s")
	bench("stream.map_qos1_msgs_per_s", q1.rate, "msg/s")
	bench("stream.gateway_rss_added_mb", float64(peak.Load()-idle)/(1<<20), "MB")

	rate := 1000
	if s := os.Getenv("HEARTH_STREAM_BENCH_RATE"); s != "" {
		rate, _ = strconv.Atoi(s)
	}
	l0 := paced(t, b, "bench/", 0, rate, 10*time.Second)
	l1 := paced(t, b, "bench/", 1, rate, 10*time.Second)
	bench("stream.latency_p50_ms", l0.p(50), "ms")
	bench("stream.latency_p99_ms", l0.p(99), "ms")
	bench("stream.latency_qos1_p50_ms", l1.p(50), "ms")
	bench("stream.latency_qos1_p99_ms", l1.p(99), "ms")

	// The same with delivery: memory, the durable stream idle beside it.
	spec.Name, spec.Topics, spec.Delivery = "benchmem", []string{"benchm/in/#"}, api.StreamMemory
	spec.Output.Topic = "benchm/out/{topic}"
	if _, err := admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, admin, "benchmem", 8)
	mwarm := flood(t, b, "benchm/in/", "benchm/out/#", 1, time.Second)
	m0 := flood(t, b, "benchm/in/", "benchm/out/#", 0, dur)
	m1 := flood(t, b, "benchm/in/", "benchm/out/#", 1, dur)
	bench("stream.map_memory_qos0_msgs_per_s", m0.rate, "msg/s")
	bench("stream.map_memory_qos1_msgs_per_s", m1.rate, "msg/s")
	ml := paced(t, b, "benchm/", 0, rate, 10*time.Second)
	bench("stream.latency_memory_p50_ms", ml.p(50), "ms")
	bench("stream.latency_memory_p99_ms", ml.p(99), "ms")

	// QoS 0 may drop by design (the broker and the publisher keep nothing);
	// what went in at QoS 1 must come out once. A memory stream publishes
	// at QoS 1, which repeats an output only after a lost connection:
	// none here.
	bench("stream.lost", float64(warm.lost+q1.lost+l1.lost+mwarm.lost+m1.lost), "msgs")
	bench("stream.duplicated_publishes", float64(warm.dups+q0.dups+q1.dups+l0.dups+l1.dups+mwarm.dups+m0.dups+m1.dups+ml.dups), "msgs")
	t.Logf("QoS 0 phases: %d, %d, %d and %d of %d, %d, %d and %d messages lost (QoS 0 keeps nothing)",
		q0.lost, l0.lost, m0.lost, ml.lost, q0.sent, l0.sent, m0.sent, ml.sent)
}

// floodResult is what a throughput phase measured.
type floodResult struct {
	rate             float64
	sent, lost, dups int
}

// flood publishes 120-byte JSON messages over 16 topics under prefix for
// d, as fast as they come out on filter: at most floodWindow are on their
// way at once (published, their result not yet seen), which is the rate
// the pipeline sustains, whatever the QoS (at QoS 0 nothing else slows a
// publisher down, and what overflows a queue is dropped). It counts what
// arrives until it stops arriving; messages of other phases are not
// counted.
func flood(t *testing.T, b *mosquitto.Broker, prefix, filter string, qos byte, d time.Duration) floodResult {
	t.Helper()
	phase := strconv.FormatInt(time.Now().UnixNano(), 36)
	seen := newSeen(phase)
	sub := client(t, b, "bench-sub")
	if tok := sub.Subscribe(filter, qos, func(_ mqtt.Client, m mqtt.Message) { seen.add(m.Payload()) }); tok.Wait() && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer sub.Disconnect(100)
	pub := client(t, b, "bench-pub")
	defer pub.Disconnect(100)
	pad := strings.Repeat("x", 48)
	start := time.Now()
	n := 0
	var window []mqtt.Token
	for time.Since(start) < d {
		if got, _ := seen.counts(); n-got >= floodWindow {
			time.Sleep(time.Millisecond)
			continue
		}
		payload := fmt.Sprintf(`{"p":"%s","n":%d,"t":%d,"pad":"%s"}`, phase, n, time.Now().UnixNano(), pad)
		window = append(window, pub.Publish(prefix+strconv.Itoa(n%16), qos, false, payload))
		n++
		if len(window) == 500 {
			for _, tok := range window {
				tok.Wait()
			}
			window = window[:0]
		}
	}
	for _, tok := range window {
		tok.Wait()
	}
	last := seen.waitQuiet(2 * time.Second)
	got, dups := seen.counts()
	return floodResult{rate: float64(got) / last.Sub(start).Seconds(), sent: n, lost: n - got, dups: dups}
}

// floodWindow is how many messages a throughput phase keeps on their way.
const floodWindow = 2000

// latencies are one paced phase's delays, publish to result received.
type latencies struct {
	ms               []float64
	sent, lost, dups int
}

func (l latencies) p(q float64) float64 {
	if len(l.ms) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(l.ms))
	return s[min(len(s)-1, int(float64(len(s))*q/100))]
}

// paced publishes rate messages a second for d through the stream on
// prefix+"in/#" and measures each one's delay until its result arrives on
// prefix+"out/".
func paced(t *testing.T, b *mosquitto.Broker, prefix string, qos byte, rate int, d time.Duration) latencies {
	t.Helper()
	phase := strconv.FormatInt(time.Now().UnixNano(), 36)
	seen := newSeen(phase)
	var mu sync.Mutex
	var l latencies
	sub := client(t, b, "bench-lat-sub")
	tok := sub.Subscribe(prefix+"out/#", qos, func(_ mqtt.Client, m mqtt.Message) {
		now := time.Now().UnixNano()
		if seen.add(m.Payload()) {
			var p struct{ T int64 }
			if json.Unmarshal(m.Payload(), &p) == nil {
				mu.Lock()
				l.ms = append(l.ms, float64(now-p.T)/1e6)
				mu.Unlock()
			}
		}
	})
	if tok.Wait() && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer sub.Disconnect(100)
	pub := client(t, b, "bench-lat-pub")
	defer pub.Disconnect(100)
	every := time.Second / time.Duration(rate)
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		due := start.Add(time.Duration(n) * every)
		if w := time.Until(due); w > 0 {
			time.Sleep(w)
		}
		pub.Publish(prefix+"in/"+strconv.Itoa(n%16), qos, false, fmt.Sprintf(`{"p":"%s","n":%d,"t":%d}`, phase, n, time.Now().UnixNano()))
		n++
	}
	seen.waitQuiet(2 * time.Second)
	got, dups := seen.counts()
	mu.Lock()
	defer mu.Unlock()
	l.sent, l.lost, l.dups = n, n-got, dups
	return l
}

// seen counts the results of one phase by their message's "n".
type seen struct {
	phase string
	mu    sync.Mutex
	n     map[int64]int
	total int
	last  time.Time
}

func newSeen(phase string) *seen { return &seen{phase: phase, n: map[int64]int{}} }

// add counts a result of the phase and reports whether it is the first of
// its message.
func (s *seen) add(payload []byte) bool {
	var p struct {
		P string
		N int64
	}
	json.Unmarshal(payload, &p)
	if p.P != s.phase {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n[p.N]++
	s.total++
	s.last = time.Now()
	return s.n[p.N] == 1
}

func (s *seen) counts() (distinct, dups int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.n), s.total - len(s.n)
}

// waitQuiet waits until results have stopped arriving for quiet (or none
// came within a minute), and returns when the last one did.
func (s *seen) waitQuiet(quiet time.Duration) time.Time {
	start := time.Now()
	for {
		time.Sleep(quiet / 4)
		s.mu.Lock()
		last := s.last
		s.mu.Unlock()
		if !last.IsZero() && time.Since(last) > quiet || last.IsZero() && time.Since(start) > time.Minute {
			return last
		}
	}
}

func client(t *testing.T, b *mosquitto.Broker, id string) mqtt.Client {
	t.Helper()
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + b.Addr()).SetClientID(id).
		SetCustomOpenConnectionFn(mqttconn.Open).SetCleanSession(true).SetOrderMatters(false).SetMessageChannelDepth(100000))
	if tok := c.Connect(); tok.Wait() && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	return c
}

// relay subscribes to relay/in/# and publishes each message again, at the
// same QoS, under relay/out/, until stop.
func relay(t *testing.T, b *mosquitto.Broker, qos byte) (stop func()) {
	t.Helper()
	c := client(t, b, "bench-relay")
	tok := c.Subscribe("relay/in/#", qos, func(c mqtt.Client, m mqtt.Message) {
		c.Publish("relay/out/"+strings.TrimPrefix(m.Topic(), "relay/in/"), qos, false, m.Payload())
	})
	if tok.Wait() && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	return func() { c.Disconnect(100) }
}

// gatewayProc is hearth-gateway running as a process of its own.
type gatewayProc struct {
	cmd   *exec.Cmd
	addr  string
	token string
	admin *api.Admin
}

func startGatewayProc(t *testing.T, mqttURL string) *gatewayProc {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join("..", "bin", "hearth-gateway"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	port := freeTCPPort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	common := []string{"--data-dir", dir, "--listen", addr, "--no-mdns"}
	out, err := exec.Command(bin, append([]string{"init"}, common...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("hearth-gateway init: %v\n%s", err, out)
	}
	g := &gatewayProc{addr: addr}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Join token:"); ok {
			g.token = strings.TrimSpace(v)
		}
	}
	logf, err := os.Create(filepath.Join(dir, "gateway.log"))
	if err != nil {
		t.Fatal(err)
	}
	g.cmd = exec.Command(bin, append(common, "--mqtt", mqttURL, "--no-market")...)
	g.cmd.Stdout, g.cmd.Stderr = logf, logf
	g.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		g.cmd.Process.Signal(syscall.SIGTERM)
		g.cmd.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("gateway log:\n%s", b)
		}
	})
	creds, err := api.LoadCredentials(filepath.Join(dir, "credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	creds.Gateway = addr
	if g.admin, err = api.NewAdminClient(creds); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := g.admin.Status(context.Background()); err == nil {
			return g
		} else if time.Now().After(deadline) {
			t.Fatalf("the gateway does not answer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// rss is the gateway process's resident memory, in bytes.
func (g *gatewayProc) rss(t *testing.T) int64 { return procRSS(t, g.cmd.Process.Pid) }

func selfRSS(t *testing.T) int64 { return procRSS(t, os.Getpid()) }

func procRSS(t *testing.T, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}

func freeTCPPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func uploadFile(t *testing.T, admin *api.Admin, b []byte) string {
	t.Helper()
	d := string(store.DigestOf(b))
	if err := admin.PutBlob(context.Background(), d, bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatal(err)
	}
	return d
}
