package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/mosquitto"
	"github.com/hearth-home/hearth/stream/specfile"
)

// The stream tests run a real mosquitto as the household's broker,
// mosquitto_pub and mosquitto_sub as its devices, the real gateway and
// agents in-process, and the alert example as the map function.

// startBroker runs a private mosquitto; without one the test is skipped,
// except in CI, where .ci/run installs it.
func startBroker(t *testing.T) *mosquitto.Broker {
	t.Helper()
	if _, err := mosquitto.Path(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	b, err := mosquitto.Start(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Stop() })
	return b
}

// buildExample builds an example under examples/ as a WASI module.
func buildExample(t *testing.T, dir string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "app.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, ".")
	cmd.Dir = filepath.Join("..", "examples", dir)
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build examples/%s: %v\n%s", dir, err, b)
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
	b := startBroker(t)
	app := buildExample(t, "streams/alert")
	tg := startGateway(t, t.TempDir(), gateway.Config{MQTT: b.URL()})
	a1 := startAgent(t, Config{Gateway: tg.addr(), JoinToken: tg.JoinToken().String()})
	a2 := startAgent(t, Config{Gateway: tg.addr(), JoinToken: tg.JoinToken().String()})
	out := subscribe(t, b, "hearth/#")
	ctx := context.Background()
	if _, err := tg.admin.DeployStream(ctx, alertSpec(t, tg, app)); err != nil {
		t.Fatal(err)
	}
	st := waitPartitions(t, tg, "alert", 4)
	nodes := map[string]bool{}
	for _, p := range st.Partitions {
		nodes[p.Node] = true
	}
	if len(nodes) != 2 {
		t.Errorf("partitions on %d devices, want both: %+v", len(nodes), st.Partitions)
	}
	_, _ = a1, a2

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

// waitPartitions waits until n partitions of a stream run.
func waitPartitions(t *testing.T, tg *testGateway, name string, n int) api.Stream {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := tg.admin.Stream(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		running := 0
		for _, p := range st.Partitions {
			if p.State == api.PartitionRunning {
				running++
			}
		}
		if running == n {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d partitions of %s running after 20s, want %d: %+v", running, name, n, st.Partitions)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
