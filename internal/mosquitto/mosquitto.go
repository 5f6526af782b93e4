// Package mosquitto runs Debian's mosquitto MQTT broker as a child process
// on loopback, from a configuration of its own in a private directory: the
// broker `hearth-gateway --dev` starts for its streams, and the one the tests
// use as the household's. It never touches a system broker or its files.
package mosquitto

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// ErrNotInstalled is returned by Start when mosquitto is not on PATH (or
// in /usr/sbin, where Debian puts it).
var ErrNotInstalled = errors.New("mosquitto is not installed (apt-get install mosquitto)")

// Broker is a running mosquitto.
type Broker struct {
	dir  string
	port int
	wrap []string
	cmd  *exec.Cmd
	done chan struct{}
}

// Path finds the mosquitto binary.
func Path() (string, error) {
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/mosquitto"); err == nil {
		return "/usr/sbin/mosquitto", nil
	}
	return "", ErrNotInstalled
}

// Version is the installed mosquitto's version, e.g. "2.0.11".
func Version() (string, error) {
	p, err := Path()
	if err != nil {
		return "", err
	}
	out, _ := exec.Command(p, "-h").CombinedOutput() // exits 3 after printing
	for _, f := range strings.Fields(string(out)) {
		if f != "" && f[0] >= '0' && f[0] <= '9' && strings.Count(f, ".") == 2 {
			return f, nil
		}
	}
	return "", fmt.Errorf("mosquitto -h printed no version: %.80q", out)
}

// Start runs mosquitto on 127.0.0.1:port (0: a free port) with its
// configuration, persistence and log in dir, and waits until it listens.
// Anonymous clients are allowed: it listens on loopback only. Its
// persistence file keeps persistent sessions and queued messages across a
// Restart. wrap, when given, is a command that runs mosquitto, such as
// "ip netns exec NS" for a network namespace's own loopback.
func Start(dir string, port int, wrap ...string) (*Broker, error) {
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	b := &Broker{dir: dir, port: port, wrap: wrap}
	return b, b.start()
}

func (b *Broker) start() error {
	bin, err := Path()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(b.dir, 0o700); err != nil {
		return err
	}
	conf := filepath.Join(b.dir, "mosquitto.conf")
	// max_inflight_messages 0 lifts the 20-message window per client that
	// would bound QoS 1 throughput to 20 per round trip; queued messages
	// for a disconnected persistent client are kept up to 100,000; and
	// set_tcp_nodelay sends small packets at once (without it Nagle's
	// algorithm and delayed ACKs hold a lone message up to 40 ms).
	// As root, mosquitto would switch to the user "mosquitto", who cannot
	// write in dir: it stays who started it (it listens on loopback only).
	user := ""
	if os.Geteuid() == 0 {
		user = "user root\n"
	}
	text := user + fmt.Sprintf(`listener %d 127.0.0.1
allow_anonymous true
persistence true
persistence_location %s/
autosave_interval 1
max_inflight_messages 0
max_queued_messages 100000
set_tcp_nodelay true
log_dest file %s
log_type error
log_type warning
log_type notice
log_type information
`, b.port, b.dir, filepath.Join(b.dir, "mosquitto.log"))
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		return err
	}
	logFile := filepath.Join(b.dir, "mosquitto.log")
	os.Remove(logFile)
	args := append(append(slices.Clone(b.wrap), bin), "-c", conf)
	b.cmd = exec.Command(args[0], args[1:]...)
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := b.cmd.Start(); err != nil {
		return fmt.Errorf("start mosquitto: %w", err)
	}
	b.done = make(chan struct{})
	go func() { b.cmd.Wait(); close(b.done) }()
	// Ready when it says it listens: its log works in any network
	// namespace, where a dial from here would not.
	deadline := time.Now().Add(10 * time.Second)
	for {
		log, _ := os.ReadFile(logFile)
		if strings.Contains(string(log), fmt.Sprintf("listen socket on port %d", b.port)) {
			return nil
		}
		select {
		case <-b.done:
			return fmt.Errorf("mosquitto exited at start: %s", strings.TrimSpace(string(log)))
		default:
		}
		if time.Now().After(deadline) {
			b.Stop()
			return fmt.Errorf("mosquitto does not listen on %s after 10s: %s", b.Addr(), strings.TrimSpace(string(log)))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Addr is the broker's host:port.
func (b *Broker) Addr() string { return fmt.Sprintf("127.0.0.1:%d", b.port) }

// URL is the broker's address as --mqtt takes it.
func (b *Broker) URL() string { return "mqtt://" + b.Addr() }

// Dir is where its configuration, persistence and log are.
func (b *Broker) Dir() string { return b.dir }

// Stop ends the broker (SIGTERM: it saves its persistence file) and waits.
func (b *Broker) Stop() error {
	if b.cmd == nil || b.cmd.Process == nil {
		return nil
	}
	b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		b.cmd.Process.Kill()
		<-b.done
	}
	return nil
}

// Restart stops the broker and starts it again on the same port, with
// what it saved.
func (b *Broker) Restart() error {
	b.Stop()
	return b.start()
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
