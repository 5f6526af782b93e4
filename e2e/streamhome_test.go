package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
	"github.com/hearth-home/hearth/internal/mosquitto"
)

// The household around a home's streams, all in the gateway's network
// namespace: mosquitto as the home's MQTT broker on the namespace's own
// loopback, mosquitto_sub recording every output, and mosquitto_pub runs
// as the temperature sensors. Nothing of it touches the host's network.

// brokerPort is where the household's broker listens, on the gateway's
// namespace's loopback: the gateway is started with --mqtt for it.
const brokerPort = 1883

// requireMQTT skips without mosquitto and its clients, except in CI.
func requireMQTT(t *testing.T) {
	t.Helper()
	_, err := mosquitto.Path()
	for _, c := range []string{"mosquitto_pub", "mosquitto_sub"} {
		if err == nil {
			_, err = exec.LookPath(c)
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skipf("%v (apt-get install mosquitto mosquitto-clients)", err)
	}
}

// household is the broker and the subscriber of one home.
type household struct {
	ns     string
	broker *mosquitto.Broker
	out    *outputLog
}

// startHousehold starts the broker in the gateway's namespace and the
// subscriber, and waits until the subscriber gets what is published.
func startHousehold(t *testing.T, h *home.Home) *household {
	t.Helper()
	hh := &household{ns: h.Gateway.NS}
	b, err := mosquitto.Start(t.TempDir(), brokerPort, "ip", "netns", "exec", hh.ns)
	if err != nil {
		t.Fatal(err)
	}
	hh.broker = b
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(b.Dir(), "mosquitto.log"))
			t.Logf("--- mosquitto log:\n%s", tail(string(log), 30))
		}
		b.Stop()
	})
	hh.out = startOutputLog(hh.ns)
	t.Cleanup(hh.out.stop)
	// Subscribed (and its persistent session made) once a probe comes back.
	deadline := time.Now().Add(10 * time.Second)
	for !hh.out.has("hearth/e2e/probe") {
		if time.Now().After(deadline) {
			t.Fatalf("mosquitto_sub got no probe in 10s: %s", hh.out.stderr())
		}
		hh.publish(context.Background(), "hearth/e2e/probe", []string{"probe"}, 0)
		time.Sleep(200 * time.Millisecond)
	}
	return hh
}

// publish sends lines as messages on topic, QoS 1, with one mosquitto_pub,
// every (a sensor's pace) apart: nil when it exited 0, so when the broker
// acknowledged every one.
func (hh *household) publish(ctx context.Context, topic string, lines []string, every time.Duration) error {
	cmd := netnstest.CommandContext(ctx, hh.ns, "mosquitto_pub", "-h", "127.0.0.1", "-p", strconv.Itoa(brokerPort),
		"-q", "1", "-t", topic, "-l")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = time.Second
	in, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return fmt.Errorf("mosquitto_pub -t %s: %w", topic, err)
	}
	for i, l := range lines {
		if i > 0 {
			time.Sleep(every)
		}
		if _, err := io.WriteString(in, l+"\n"); err != nil {
			break // it ended: Wait says how
		}
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("mosquitto_pub -t %s: %w: %s", topic, err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}

// outputLog is mosquitto_sub on hearth/# and sensors/#, in a persistent
// session, kept running across the broker's restarts: what it gets, in
// order. The sensors' readings tell what the broker had, so that a
// duplicate a sensor made is not put on the gateway.
type outputLog struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu   sync.Mutex
	msgs []outMsg
	errs bytes.Buffer
}

// outMsg is a message the subscriber got.
type outMsg struct {
	topic, payload string
	// redelivered: the broker sent it again (DUP), having no
	// acknowledgement of an earlier delivery to the subscriber (a broker
	// restart): MQTT's at least once between the broker and the
	// subscriber, not the gateway's doing.
	redelivered bool
}

func startOutputLog(ns string) *outputLog {
	ctx, cancel := context.WithCancel(context.Background())
	o := &outputLog{cancel: cancel, done: make(chan struct{})}
	go o.run(ctx, ns)
	return o
}

func (o *outputLog) run(ctx context.Context, ns string) {
	defer close(o.done)
	for ctx.Err() == nil {
		// -d says of each message whether it is a redelivery, on the
		// line before it: "Client e2e-sub received PUBLISH (d1, q1, ...".
		cmd := netnstest.CommandContext(ctx, ns, "mosquitto_sub", "-h", "127.0.0.1", "-p", strconv.Itoa(brokerPort),
			"-c", "-i", "e2e-sub", "-q", "1", "-v", "-d", "-t", "hearth/#", "-t", "sensors/#")
		out, err := cmd.StdoutPipe()
		if err == nil {
			cmd.Stderr = &lockedWriter{mu: &o.mu, w: &o.errs}
			err = cmd.Start()
		}
		if err == nil {
			sc := bufio.NewScanner(out)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			dup := false
			for sc.Scan() {
				l := sc.Text()
				switch {
				case strings.HasPrefix(l, "Client e2e-sub received PUBLISH ("):
					dup = strings.HasPrefix(l, "Client e2e-sub received PUBLISH (d1")
				case strings.HasPrefix(l, "hearth/") || strings.HasPrefix(l, "sensors/"):
					topic, payload, _ := strings.Cut(l, " ")
					o.mu.Lock()
					o.msgs = append(o.msgs, outMsg{topic: topic, payload: payload, redelivered: dup})
					o.mu.Unlock()
				}
			}
			cmd.Wait()
		}
		// It ends when the broker is away at its start; its session
		// keeps what the broker queues meanwhile.
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (o *outputLog) stop() { o.cancel(); <-o.done }

// has reports whether a message came on topic.
func (o *outputLog) has(topic string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range o.msgs {
		if m.topic == topic {
			return true
		}
	}
	return false
}

func (o *outputLog) stderr() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.errs.String()
}

// copyOf is a reading, or an output of alert, that came on a topic: the
// index of the reading (see temperature), and whether the broker
// redelivered it.
type copyOf struct {
	reading     int
	redelivered bool
}

// readings are the readings or alert's outputs that came on topic, in
// arrival order; a payload that is neither is an error.
func (o *outputLog) readings(topic string) ([]copyOf, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var got []copyOf
	for _, m := range o.msgs {
		if m.topic != topic {
			continue
		}
		var p struct {
			Celsius     *float64 `json:"celsius"`
			Temperature *float64 `json:"temperature"`
		}
		if err := json.Unmarshal([]byte(m.payload), &p); err != nil || p.Celsius == nil && p.Temperature == nil {
			return nil, fmt.Errorf("%s: %q has no celsius or temperature: %v", topic, m.payload, err)
		}
		c := p.Celsius
		if c == nil {
			c = p.Temperature
		}
		got = append(got, copyOf{reading: int(math.Round(*c*10)) - baseDeciC, redelivered: m.redelivered})
	}
	return got, nil
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// Sensors publish readings whose temperature rises by 0.1 °C a reading
// from baseDeciC tenths, so that an output's celsius says which reading
// it converts: reading i is (baseDeciC+i)/10 °C.
const (
	baseDeciC = 200
	// A sensor publishes a reading every readingEvery, batchSize of them
	// with one mosquitto_pub: 20 readings a second, always some in flight.
	batchSize    = 10
	readingEvery = 50 * time.Millisecond
	// batchTimeout ends a mosquitto_pub that hangs (it reconnects for ever
	// while the broker is away); its batch counts as failed. Shorter than
	// the broker's outage in TestStreams, so that batches fail.
	batchTimeout = 2 * time.Second
)

// sensor is one temperature sensor publishing on sensors/<name>.
type sensor struct {
	name string

	mu      sync.Mutex
	next    int     // the next reading's index
	batches []batch // in order
}

// batch is one mosquitto_pub's readings: first to first+n-1. ok: it
// exited 0, so the broker acknowledged them all; otherwise any of them may
// or may not have reached it. (mosquitto_pub reconnects when the broker
// restarts, and sends again what it has no acknowledgement of.)
type batch struct {
	first, n int
	ok       bool
	err      error
}

func temperature(i int) string { return fmt.Sprintf("%d.%d", (baseDeciC+i)/10, (baseDeciC+i)%10) }

// mark is the index of the next reading the sensor publishes.
func (s *sensor) mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next
}

// sent says of each reading published so far whether the broker
// acknowledged it, and lists the batches that failed.
func (s *sensor) sent() (acked []bool, failed []batch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acked = make([]bool, s.next)
	for _, b := range s.batches {
		for i := b.first; i < b.first+b.n; i++ {
			acked[i] = b.ok
		}
		if !b.ok {
			failed = append(failed, b)
		}
	}
	return acked, failed
}

// feed is the sensors publishing, each in a goroutine of its own, until
// stop.
type feed struct {
	sensors []*sensor
	quit    chan struct{}
	wg      sync.WaitGroup
}

func (hh *household) startFeed(t *testing.T, names []string) *feed {
	f := &feed{quit: make(chan struct{})}
	for _, n := range names {
		s := &sensor{name: n}
		f.sensors = append(f.sensors, s)
		f.wg.Add(1)
		go func() { defer f.wg.Done(); hh.run(s, f.quit) }()
	}
	t.Cleanup(f.stop)
	return f
}

// run publishes batches of readings until quit; a batch that fails (the
// broker is away) is not sent again: the next one has new readings.
func (hh *household) run(s *sensor, quit <-chan struct{}) {
	for {
		select {
		case <-quit:
			return
		default:
		}
		s.mu.Lock()
		b := batch{first: s.next, n: batchSize}
		s.next += batchSize
		s.mu.Unlock()
		lines := make([]string, b.n)
		for i := range lines {
			lines[i] = fmt.Sprintf(`{"temperature": %s, "humidity": 40}`, temperature(b.first+i))
		}
		ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
		b.err = hh.publish(ctx, "sensors/"+s.name, lines, readingEvery)
		cancel()
		b.ok = b.err == nil
		s.mu.Lock()
		s.batches = append(s.batches, b)
		s.mu.Unlock()
		if !b.ok {
			time.Sleep(readingEvery * batchSize) // the broker is away: no busy loop
		}
	}
}

// at says where the sensors are: the index of each one's next reading.
func (f *feed) at() string {
	var b strings.Builder
	for i, s := range f.sensors {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", s.name, s.mark())
	}
	return b.String()
}

// stop ends the sensors once their batches in flight are done.
func (f *feed) stop() {
	select {
	case <-f.quit:
	default:
		close(f.quit)
	}
	f.wg.Wait()
}
