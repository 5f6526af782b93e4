package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/mosquitto"
	"github.com/hearth-home/hearth/internal/mosquitto/mosquittotest"
	"github.com/hearth-home/hearth/stream"
	"github.com/hearth-home/hearth/stream/specfile"
)

// The stream tests run a real mosquitto as the household's broker,
// mosquitto_pub and mosquitto_sub as its devices, the real gateway and
// agents in-process, and the alert example as the map function.

// streamPool runs a private mosquitto, a gateway reading it, and agents
// paired with the gateway.
func streamPool(t *testing.T, agents int) (*mosquitto.Broker, *testGateway) {
	t.Helper()
	b := startBroker(t)
	tg := startGateway(t, t.TempDir(), gateway.Config{MQTT: b.URL()})
	for range agents {
		startAgent(t, Config{Gateway: tg.addr(), JoinToken: tg.JoinToken().String()})
	}
	return b, tg
}

// startBroker runs a private mosquitto; without one the test is skipped,
// except in CI, where .ci/run installs it.
func startBroker(t *testing.T) *mosquitto.Broker { return mosquittotest.Start(t) }

// restartablePool is streamPool with a gateway on a fixed port, so that
// tg.stop and tg.start restart it where the agents find it again.
func restartablePool(t *testing.T, agents int) (*mosquitto.Broker, *testGateway) {
	t.Helper()
	b := startBroker(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tg := startGateway(t, t.TempDir(), gateway.Config{MQTT: b.URL(), Listen: addr})
	for range agents {
		startAgent(t, Config{Gateway: tg.addr(), JoinToken: tg.JoinToken().String()})
	}
	return b, tg
}

// buildExample builds an example under examples/ as a WASI module.
func buildExample(t *testing.T, dir string) []byte {
	t.Helper()
	return buildWasm(t, filepath.Join("..", "examples", dir))
}

// buildWasm builds the program in dir as a WASI module.
func buildWasm(t *testing.T, dir string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "app.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", dir, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// subscriber is mosquitto_sub printing "topic payload" lines.
type subscriber struct {
	mu   sync.Mutex
	msgs []string
	cmd  *exec.Cmd
}

func subscribe(t *testing.T, b *mosquitto.Broker, filter string) *subscriber {
	t.Helper()
	_, port, _ := strings.Cut(b.Addr(), ":")
	s := &subscriber{cmd: exec.Command("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-v", "-t", filter)}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			s.mu.Lock()
			s.msgs = append(s.msgs, sc.Text())
			s.mu.Unlock()
		}
	}()
	time.Sleep(200 * time.Millisecond) // subscribed before anything is published
	return s
}

// wait returns the messages once there are at least n of those that
// start with prefix.
func (s *subscriber) wait(t *testing.T, prefix string, n int, within time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		s.mu.Lock()
		var got []string
		for _, m := range s.msgs {
			if strings.HasPrefix(m, prefix) {
				got = append(got, m)
			}
		}
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages on %s* within %v, want %d", len(got), prefix, within, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// publish sends lines as messages on topic with mosquitto_pub, QoS 1.
func publish(t *testing.T, b *mosquitto.Broker, topic string, lines []string) {
	t.Helper()
	_, port, _ := strings.Cut(b.Addr(), ":")
	cmd := exec.Command("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", topic, "-l")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_pub: %v\n%s", err, out)
	}
}

// alertSpec is the alert example's stream, as its file says, running app.
func alertSpec(t *testing.T, tg *testGateway, app []byte) api.StreamSpec {
	t.Helper()
	spec, _, err := specfile.Load(filepath.Join("..", "examples", "streams", "alert", "stream.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	spec.AppDigest = tg.upload(app)
	return spec
}

// readings are n temperature readings of a sensor, rising by 0.1 from
// base so that their order shows in the outputs.
func readings(base float64, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(`{"temperature": %.1f, "humidity": 40}`, base+float64(i)/10)
	}
	return out
}

// checkConverted checks that the converted outputs of each sensor are the
// n readings from base, each once, in order.
func checkConverted(t *testing.T, msgs []string, sensors []string, base float64, n int) {
	t.Helper()
	for _, sensor := range sensors {
		var got []float64
		for _, m := range msgs {
			topic, payload, _ := strings.Cut(m, " ")
			if topic != "hearth/alert/sensors/"+sensor {
				continue
			}
			var p struct {
				Celsius float64 `json:"celsius"`
			}
			if err := json.Unmarshal([]byte(payload), &p); err != nil {
				t.Fatalf("output %q: %v", m, err)
			}
			got = append(got, p.Celsius)
		}
		if len(got) != n {
			t.Errorf("sensor %s: %d outputs, want %d (lost or repeated): %v", sensor, len(got), n, got)
			continue
		}
		for i, c := range got {
			if want := base + float64(i)/10; c < want-0.01 || c > want+0.01 {
				t.Errorf("sensor %s: output %d is %.1f, want %.1f (out of order)", sensor, i, c, want)
				break
			}
		}
	}
}

func TestStreamMap(t *testing.T) {
	b, tg := streamPool(t, 2)
	app := buildExample(t, "streams/alert")
	out := subscribe(t, b, "hearth/#")
	ctx := context.Background()
	if _, err := tg.admin.DeployStream(ctx, alertSpec(t, tg, app)); err != nil {
		t.Fatal(err)
	}
	st := waitRunning(t, tg.admin, "alert", 4)
	nodes := map[string]bool{}
	for _, p := range st.Partitions {
		nodes[p.Node] = true
	}
	if len(nodes) != 2 {
		t.Errorf("partitions on %d devices, want both: %+v", len(nodes), st.Partitions)
	}

	sensors := []string{"kitchen", "hall", "attic", "cellar", "garage"}
	const n = 40
	for _, s := range sensors {
		publish(t, b, "sensors/"+s, readings(25, n))
	}
	msgs := out.wait(t, "hearth/alert/", n*len(sensors), 30*time.Second)
	checkConverted(t, msgs, sensors, 25, n)
	// Readings above 28 (28.1 to 28.9) raise an alert each.
	alerts := out.wait(t, "hearth/alerts/", 9*len(sensors), 10*time.Second)
	if len(alerts) != 9*len(sensors) {
		t.Errorf("%d alerts, want %d", len(alerts), 9*len(sensors))
	}
	want := api.StreamCounts{Received: n * 5, Processed: n * 5, Published: n*5 + 45}
	if c := waitCounts(t, tg, "alert", want); c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
}

// waitCounts waits until a stream's counts are want, for a few seconds,
// and returns them as they are then: the broker's acknowledgements reach
// the gateway after the subscriber has the messages.
func waitCounts(t *testing.T, tg *testGateway, name string, want api.StreamCounts) api.StreamCounts {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := tg.admin.Stream(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Counts == want || time.Now().After(deadline) {
			return st.Counts
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitRunning waits until n partitions of a stream run.
func waitRunning(t *testing.T, admin *api.Admin, name string, n int) api.Stream {
	t.Helper()
	return waitPartitions(t, admin, name, api.PartitionRunning, n)
}

// waitPartitions waits until n partitions of a stream are in state.
func waitPartitions(t *testing.T, admin *api.Admin, name, state string, n int) api.Stream {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := admin.Stream(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		in := 0
		for _, p := range st.Partitions {
			if p.State == state {
				in++
			}
		}
		if in == n {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d partitions of %s %s after 30s, want %d: %+v", in, name, state, n, st.Partitions)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// buildStreamFn builds testdata/streamfn, the tests' misbehaving function.
func buildStreamFn(t *testing.T) []byte {
	t.Helper()
	return buildWasm(t, filepath.Join("testdata", "streamfn"))
}

// topicsInPartitions names one topic under prefix per partition of n.
func topicsInPartitions(prefix string, n int) []string {
	out := make([]string, n)
	found := 0
	for i := 0; found < n; i++ {
		topic := fmt.Sprintf("%s%d", prefix, i)
		if p := stream.Partition(topic, n); out[p] == "" {
			out[p] = topic
			found++
		}
	}
	return out
}

// outputsOf returns the "n" of each output on topic, in arrival order,
// and the versions that made them.
func outputsOf(t *testing.T, msgs []string, topic string) (ns, vs []int) {
	t.Helper()
	for _, m := range msgs {
		tp, payload, _ := strings.Cut(m, " ")
		if tp != topic {
			continue
		}
		var p struct{ N, V int }
		if err := json.Unmarshal([]byte(payload), &p); err != nil {
			t.Fatalf("output %q: %v", m, err)
		}
		ns, vs = append(ns, p.N), append(vs, p.V)
	}
	return ns, vs
}

// numbered is the messages {"field": n} for n from from to to-1.
func numbered(field string, from, to int) []string {
	var out []string
	for n := from; n < to; n++ {
		out = append(out, fmt.Sprintf(`{%q: %d}`, field, n))
	}
	return out
}

// A function that crashes, loops or writes garbage stops its partition,
// with a reason, while the others go on; an update starts the stopped ones
// again from where they stopped, and nothing is lost. Malformed messages
// are counted and skipped.
func TestStreamFunctionFails(t *testing.T) {
	b, tg := streamPool(t, 1)
	app := buildStreamFn(t)
	out := subscribe(t, b, "out/#")
	ctx := context.Background()
	spec := api.StreamSpec{Name: "poison", Topics: []string{"in/#"}, AppDigest: tg.upload(app),
		Resources: api.Resources{Timeout: api.Duration(time.Second)}, Output: api.StreamOutputSpec{Topic: "out/{topic}"}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, tg.admin, "poison", 4)
	topics := topicsInPartitions("in/s", 4) // crash, loop, garbage, healthy
	publish(t, b, topics[0], []string{`{"n": 0}`, `{"crash": true}`, `{"n": 1}`})
	publish(t, b, topics[1], []string{`{"n": 0}`, `{"loop": true}`, `{"n": 1}`})
	publish(t, b, topics[2], []string{`{"n": 0}`, `{"garbage": true}`, `{"n": 1}`})
	publish(t, b, topics[3], append(numbered("n", 0, 5), "not json", `{"n": 5}`))
	out.wait(t, "out/"+topics[3], 6, 10*time.Second)

	st := waitPartitions(t, tg.admin, "poison", api.PartitionStopped, 3)
	for p, want := range map[int]string{0: "panic: crash requested", 1: "did not answer a message within 1s", 2: "bad output line"} {
		if got := st.Partitions[p]; got.State != api.PartitionStopped || !strings.Contains(got.Reason, want) {
			t.Errorf("partition %d: %s, %q; want stopped, saying %q", p, got.State, got.Reason, want)
		}
	}
	if p := st.Partitions[3]; p.State != api.PartitionRunning || p.Committed != 6 {
		t.Errorf("the healthy partition: %+v, want running with its 6 messages committed (not the one skipped)", p)
	}
	if st.Counts.Malformed != 1 {
		t.Errorf("%d malformed messages counted, want 1", st.Counts.Malformed)
	}
	for p := range 3 {
		ns, _ := outputsOf(t, out.wait(t, "out/"+topics[p], 1, time.Second), "out/"+topics[p])
		if len(ns) != 1 || ns[0] != 0 {
			t.Errorf("partition %d: outputs %v before it stopped, want [0]", p, ns)
		}
	}
	logs, err := tg.admin.StreamLogs(ctx, "poison")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(logs, func(e api.StreamLogEntry) bool { return strings.Contains(e.Message, "crash requested") }) {
		t.Errorf("stream logs say nothing of the crash: %+v", logs)
	}

	// The fixed function goes on from the poison message.
	spec.Args = []string{"-forgive", "-v", "2"}
	if _, err := tg.admin.UpdateStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	for p := range 3 {
		topic := "out/" + topics[p]
		ns, vs := outputsOf(t, out.wait(t, topic, 3, 20*time.Second), topic)
		if want := []int{0, 0, 1}; !slices.Equal(ns, want) || !slices.Equal(vs, []int{1, 2, 2}) {
			t.Errorf("partition %d: outputs n %v v %v, want n %v v [1 2 2]", p, ns, vs, want)
		}
	}
}

// A hot update under load and a restart of the gateway lose and repeat
// nothing: each message is answered once, in order, by the version in
// force when its batch was committed.
func TestStreamUpdateAndRestart(t *testing.T) {
	b, tg := restartablePool(t, 2)
	app := buildStreamFn(t)
	out := subscribe(t, b, "out/#")
	ctx := context.Background()
	spec := api.StreamSpec{Name: "numbers", Topics: []string{"in/#"}, AppDigest: tg.upload(app),
		Output: api.StreamOutputSpec{Topic: "out/{topic}"}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, tg.admin, "numbers", 4)

	topics := topicsInPartitions("in/s", 4)
	const chunks, per = 40, 10
	var wg sync.WaitGroup
	for _, topic := range topics {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range chunks {
				publish(t, b, topic, numbered("n", c*per, (c+1)*per))
				time.Sleep(25 * time.Millisecond)
			}
		}()
	}
	// The update comes once every partition has answered some messages,
	// the restart once a quarter of them are answered.
	for _, topic := range topics {
		out.wait(t, "out/"+topic, per, 30*time.Second)
	}
	spec.Args = []string{"-v", "2"}
	if _, err := tg.admin.UpdateStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	out.wait(t, "out/", chunks*per, 30*time.Second)
	tg.stop()
	time.Sleep(200 * time.Millisecond)
	tg.start()
	wg.Wait()

	for _, topic := range topics {
		ns, vs := outputsOf(t, out.wait(t, "out/"+topic, chunks*per, 30*time.Second), "out/"+topic)
		if !slices.Equal(ns, numberSeq(chunks*per)) {
			t.Errorf("%s: outputs %v, want 0 to %d once each, in order", topic, ns, chunks*per-1)
		}
		if !slices.IsSorted(vs) || vs[0] != 1 || vs[len(vs)-1] != 2 {
			t.Errorf("%s: versions %v, want 1s then 2s", topic, vs)
		}
	}
	time.Sleep(200 * time.Millisecond) // anything repeated would come now
	msgs := out.wait(t, "out/", 4*chunks*per, time.Second)
	if len(msgs) != 4*chunks*per {
		t.Errorf("%d outputs, want %d", len(msgs), 4*chunks*per)
	}
}

func numberSeq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// A retained message is one reading, however often the broker sends it
// again: it does on every subscription, and the gateway subscribes again
// when it reconnects after the broker restarted.
func TestStreamRetained(t *testing.T) {
	b, tg := streamPool(t, 1)
	app := buildStreamFn(t)
	out := subscribe(t, b, "out/#")
	ctx := context.Background()
	spec := api.StreamSpec{Name: "retained", Topics: []string{"in/#"}, Partitions: 1, AppDigest: tg.upload(app),
		Output: api.StreamOutputSpec{Topic: "out/{topic}"}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, tg.admin, "retained", 1)
	_, port, _ := strings.Cut(b.Addr(), ":")
	if out, err := exec.Command("mosquitto_pub", "-p", port, "-q", "1", "-r", "-t", "in/state", "-m", `{"n": 7}`).CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_pub -r: %v\n%s", err, out)
	}
	out.wait(t, "out/in/state", 1, 10*time.Second)
	if err := b.Restart(); err != nil {
		t.Fatal(err)
	}
	tg.logs.waitLog(t, 20*time.Second, "MQTT broker connected")
	out = subscribe(t, b, "out/#") // mosquitto_sub ends with its broker
	time.Sleep(time.Second)        // the gateway subscribed again and got the retained message
	publish(t, b, "in/live", []string{`{"n": 8}`})
	out.wait(t, "out/in/live", 1, 10*time.Second)
	if got := out.wait(t, "out/in/", 1, 0); len(got) != 1 {
		t.Errorf("outputs after the broker restarted: %q, want only in/live's", got)
	}
	st, err := tg.admin.Stream(ctx, "retained")
	if err != nil {
		t.Fatal(err)
	}
	if st.Counts.Received != 2 {
		t.Errorf("%d messages logged, want 2: the retained one again is not a new reading", st.Counts.Received)
	}
}

// Window functions: the average example over 2-second tumbling windows,
// then over count windows of 5, each window run as a task on a device; a
// message that comes after its window (event time) is dropped and counted.
func TestStreamWindow(t *testing.T) {
	b, tg := streamPool(t, 2)
	app := buildExample(t, "streams/average")
	out := subscribe(t, b, "hearth/average/#")
	ctx := context.Background()
	spec := averageSpec(t)
	spec.AppDigest = tg.upload(app)
	spec.Window.Size = api.Duration(2 * time.Second)
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	publish(t, b, "sensors/kitchen", []string{`{"temperature": 20}`, `{"temperature": 22}`, `{"temperature": 24}`})
	publish(t, b, "sensors/hall", []string{`{"temperature": 10}`, `{"temperature": 11}`})
	got := out.wait(t, "hearth/average/", 2, 15*time.Second)
	type avg struct {
		Count          int
		Mean, Min, Max float64
	}
	want := map[string]avg{"hearth/average/sensors/kitchen": {3, 22, 20, 24}, "hearth/average/sensors/hall": {2, 10.5, 10, 11}}
	for _, m := range got {
		topic, payload, _ := strings.Cut(m, " ")
		var a avg
		if err := json.Unmarshal([]byte(payload), &a); err != nil {
			t.Fatalf("output %q: %v", m, err)
		}
		if w, ok := want[topic]; !ok || a != w {
			t.Errorf("output %s %+v, want %+v", topic, a, w)
		}
	}
	if c := waitCounts(t, tg, "average", api.StreamCounts{Received: 5, Processed: 5, Published: 2, Windows: 1}); c.Windows < 1 || c.Processed != 5 || c.Lag != 0 {
		t.Errorf("counts %+v: want 5 messages processed in windows, no lag", c)
	}
	jobs, err := tg.admin.Jobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(slices.DeleteFunc(jobs, func(j api.Job) bool { return !strings.HasPrefix(j.ID, "window-average-") })); n < 1 {
		t.Errorf("%d window jobs, want the windows run as jobs", n)
	}

	// Count windows of 5, event time with late ones dropped: by update.
	spec.Window = &api.WindowSpec{Type: api.WindowCount, Count: 5}
	if _, err := tg.admin.UpdateStream(ctx, spec); err == nil {
		t.Log("updated to count windows")
	} else {
		t.Fatal(err)
	}
	publish(t, b, "sensors/attic", numbered("temperature", 0, 12)) // two windows of 5, 2 left over
	got = out.wait(t, "hearth/average/sensors/attic", 2, 15*time.Second)
	time.Sleep(1500 * time.Millisecond) // a third window would come now
	got = out.wait(t, "hearth/average/sensors/attic", 2, 0)
	for i, m := range got {
		var a avg
		_, payload, _ := strings.Cut(m, " ")
		json.Unmarshal([]byte(payload), &a)
		if w := (avg{5, float64(5*i + 2), float64(5 * i), float64(5*i + 4)}); a != w || len(got) != 2 {
			t.Errorf("count window %d: %+v, want %+v (of 2 windows, got %d)", i, a, w, len(got))
		}
	}
}

// Event time: a reading stamped in a window that has closed is late.
func TestStreamWindowLate(t *testing.T) {
	b, tg := streamPool(t, 1)
	app := buildExample(t, "streams/average")
	out := subscribe(t, b, "hearth/average/#")
	ctx := context.Background()
	spec := averageSpec(t)
	spec.AppDigest, spec.Partitions = tg.upload(app), 1
	spec.Window = &api.WindowSpec{Size: api.Duration(time.Second), Time: api.WindowEvent, TSPath: "$.ts", Late: api.Duration(500 * time.Millisecond)}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	publish(t, b, "sensors/cellar", []string{
		fmt.Sprintf(`{"temperature": 12, "ts": %d}`, now.UnixMilli()),
		fmt.Sprintf(`{"temperature": 14, "ts": %d}`, now.UnixMilli()),
		`{"temperature": 99}`, // no time: dropped
	})
	out.wait(t, "hearth/average/sensors/cellar", 1, 15*time.Second)
	publish(t, b, "sensors/cellar", []string{fmt.Sprintf(`{"temperature": 50, "ts": "%s"}`, now.Add(-time.Minute).Format(time.RFC3339))})
	c := waitCounts(t, tg, "average", api.StreamCounts{Received: 4, Processed: 2, Published: 1, Windows: 1, Late: 1, Malformed: 1})
	if want := (api.StreamCounts{Received: 4, Processed: 2, Published: 1, Windows: 1, Late: 1, Malformed: 1}); c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
}

// Home Assistant: the alert example's readings are announced as
// temperature entities before their first state, and the gateway
// announces and publishes the pool's power and energy (total_increasing,
// for the Energy dashboard); when Home Assistant says it started, all is
// announced again.
func TestStreamHomeAssistant(t *testing.T) {
	b, tg := streamPool(t, 1)
	app := buildExample(t, "streams/alert")
	ha := subscribe(t, b, "homeassistant/#")
	states := subscribe(t, b, "hearth/+/power")
	ctx := context.Background()
	if _, err := tg.admin.DeployStream(ctx, alertSpec(t, tg, app)); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, tg.admin, "alert", 4)
	publish(t, b, "sensors/kitchen", []string{`{"temperature": 21.5}`, `{"temperature": 30}`})

	configs := func() map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, m := range ha.wait(t, "homeassistant/sensor/", 0, 0) {
			topic, payload, _ := strings.Cut(m, " ")
			var c map[string]any
			if err := json.Unmarshal([]byte(payload), &c); err != nil {
				t.Fatalf("config %q: %v", m, err)
			}
			out[topic] = c
		}
		return out
	}
	ha.wait(t, "homeassistant/sensor/", 3, 15*time.Second) // the reading's, the pool's power and energy
	var reading, energy map[string]any
	for _, c := range configs() {
		switch {
		case c["state_topic"] == "hearth/alert/sensors/kitchen":
			reading = c
		case c["state_class"] == "total_increasing":
			energy = c
		}
		if c["availability_topic"] == nil || c["unique_id"] == nil {
			t.Errorf("config without availability or unique_id: %v", c)
		}
	}
	if reading == nil || reading["device_class"] != "temperature" || reading["unit_of_measurement"] != "°C" || reading["name"] != "kitchen temperature" {
		t.Errorf("the reading's entity: %v", reading)
	}
	if energy == nil || energy["device_class"] != "energy" || energy["unit_of_measurement"] != "Wh" {
		t.Errorf("the pool's energy entity: %v", energy)
	}
	for _, m := range ha.wait(t, "homeassistant/sensor/", 0, 0) {
		if strings.Contains(m, "hearth/alerts/") {
			t.Errorf("an alert was announced, but output.ha.topics is hearth/alert/#: %s", m)
		}
	}
	st := states.wait(t, "hearth/", 1, 15*time.Second)
	if _, payload, _ := strings.Cut(st[0], " "); !strings.Contains(payload, `"energy_wh"`) {
		t.Errorf("the pool's state %q has no energy_wh", st[0])
	}
	before := len(ha.wait(t, "homeassistant/sensor/", 0, 0))
	_, port, _ := strings.Cut(b.Addr(), ":")
	if out, err := exec.Command("mosquitto_pub", "-p", port, "-t", "homeassistant/status", "-m", "online").CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_pub: %v\n%s", err, out)
	}
	ha.wait(t, "homeassistant/sensor/", before+2, 15*time.Second) // the pool's again
}

// A memory stream (delivery: memory) keeps its log and outbox out of the
// store: beside a durable stream, each answers every message once, in
// order per key. After a restart of the gateway it goes on from where its
// log was last stored, says what it lost, and takes new messages; its
// delivery cannot be changed by an update.
func TestStreamMemory(t *testing.T) {
	b, tg := restartablePool(t, 2)
	app := buildStreamFn(t)
	out := subscribe(t, b, "out/#")
	ctx := context.Background()
	digest := tg.upload(app)
	mem := api.StreamSpec{Name: "fast", Topics: []string{"fast/#"}, AppDigest: digest, Delivery: api.StreamMemory,
		Output: api.StreamOutputSpec{Topic: "out/{topic}"}}
	dur := api.StreamSpec{Name: "safe", Topics: []string{"safe/#"}, AppDigest: digest,
		Output: api.StreamOutputSpec{Topic: "out/{topic}"}}
	for _, spec := range []api.StreamSpec{mem, dur} {
		if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
			t.Fatal(err)
		}
		waitRunning(t, tg.admin, spec.Name, 4)
	}
	const n = 300
	for _, prefix := range []string{"fast/s", "safe/s"} {
		for _, topic := range topicsInPartitions(prefix, 4) {
			publish(t, b, topic, numbered("n", 0, n))
		}
	}
	for _, prefix := range []string{"fast/s", "safe/s"} {
		for _, topic := range topicsInPartitions(prefix, 4) {
			ns, _ := outputsOf(t, out.wait(t, "out/"+topic, n, 30*time.Second), "out/"+topic)
			if !slices.Equal(ns, numberSeq(n)) {
				t.Errorf("%s: outputs %v, want 0 to %d once each, in order", topic, ns, n-1)
			}
		}
	}
	want := api.StreamCounts{Received: 4 * n, Processed: 4 * n, Published: 4 * n}
	for _, name := range []string{"fast", "safe"} {
		if c := waitCounts(t, tg, name, want); c != want {
			t.Errorf("%s: counts %+v, want %+v", name, c, want)
		}
	}
	changed := mem
	changed.Delivery = api.StreamDurable
	if _, err := tg.admin.UpdateStream(ctx, changed); err == nil || !strings.Contains(err.Error(), "delivery cannot change") {
		t.Errorf("update from memory to durable: %v; want a refusal that says delivery cannot change", err)
	}

	tg.stop()
	tg.start()
	st := waitRunning(t, tg.admin, "fast", 4)
	for _, p := range st.Partitions {
		if p.Committed != p.Head {
			t.Errorf("after a restart partition %d is at %d of %d; a memory stream goes on from its head", p.Index, p.Committed, p.Head)
		}
	}
	logs, err := tg.admin.StreamLogs(ctx, "fast")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(logs, func(e api.StreamLogEntry) bool { return strings.Contains(e.Message, "delivery: memory") }) {
		t.Errorf("the memory stream's log does not say what a restart lost: %+v", logs)
	}
	topic := topicsInPartitions("fast/s", 4)[0]
	publish(t, b, topic, numbered("n", n, n+10))
	ns, _ := outputsOf(t, out.wait(t, "out/"+topic, n+10, 30*time.Second), "out/"+topic)
	if !slices.Equal(ns[n:], numberSeq(n + 10)[n:]) {
		t.Errorf("%s after the restart: outputs %v, want %d to %d", topic, ns[n:], n, n+9)
	}
}

// averageSpec is examples/streams/average/stream.yaml as the CLI reads it.
func averageSpec(t *testing.T) api.StreamSpec {
	t.Helper()
	spec, _, err := specfile.Load(filepath.Join("..", "examples", "streams", "average", "stream.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// Hopping windows overlap: with size 2s and hop 1s each message is in two
// windows, is counted once, and leaves the log when its last window is
// done. Event time places the messages exactly.
func TestStreamWindowHopping(t *testing.T) {
	b, tg := streamPool(t, 2)
	app := buildExample(t, "streams/average")
	out := subscribe(t, b, "hearth/average/#")
	ctx := context.Background()
	spec := averageSpec(t)
	spec.AppDigest, spec.Partitions = tg.upload(app), 1
	spec.Window = &api.WindowSpec{Type: api.WindowHopping, Size: api.Duration(2 * time.Second), Hop: api.Duration(time.Second),
		Time: api.WindowEvent, TSPath: "$.ts"}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatal(err)
	}
	base := (time.Now().UnixMilli()/1000 + 1) * 1000 // the windows close from a second on
	publish(t, b, "sensors/x", []string{
		fmt.Sprintf(`{"temperature": 10, "ts": %d}`, base+100),
		fmt.Sprintf(`{"temperature": 20, "ts": %d}`, base+1100),
		fmt.Sprintf(`{"temperature": 30, "ts": %d}`, base+2100),
	})
	got := out.wait(t, "hearth/average/sensors/x", 4, 20*time.Second)
	type avg struct {
		Count int
		Mean  float64
	}
	var avgs []avg
	for _, m := range got {
		_, payload, _ := strings.Cut(m, " ")
		var a avg
		if err := json.Unmarshal([]byte(payload), &a); err != nil {
			t.Fatalf("output %q: %v", m, err)
		}
		avgs = append(avgs, a)
	}
	slices.SortFunc(avgs, func(a, b avg) int { return int(a.Mean - b.Mean) })
	// [base-1s, base+1s) {10}, [base, base+2s) {10, 20}, [base+1s, base+3s)
	// {20, 30}, [base+2s, base+4s) {30}.
	if want := []avg{{1, 10}, {2, 15}, {2, 25}, {1, 30}}; !slices.Equal(avgs, want) {
		t.Errorf("windows %+v, want %+v", avgs, want)
	}
	want := api.StreamCounts{Received: 3, Processed: 3, Published: 4, Windows: 4}
	if c := waitCounts(t, tg, "average", want); c != want {
		t.Errorf("counts %+v, want %+v (each message counted once, the log empty)", c, want)
	}
	st, err := tg.admin.Stream(ctx, "average")
	if err != nil {
		t.Fatal(err)
	}
	if p := st.Partitions[0]; p.Committed != 3 || p.Lag != 0 {
		t.Errorf("partition %+v: want all 3 messages committed", p)
	}
	tumbling := spec
	tumbling.Window = &api.WindowSpec{Size: api.Duration(2 * time.Second), Time: api.WindowEvent, TSPath: "$.ts"}
	if _, err := tg.admin.UpdateStream(ctx, tumbling); err == nil || !strings.Contains(err.Error(), "cannot change to or from hopping") {
		t.Errorf("an update from hopping to tumbling windows: %v; want a refusal", err)
	}
}
