package gethtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// Options configures Start. The zero value runs a node that seals a block
// every second, in a fresh directory, and funds nobody.
type Options struct {
	// Fund lists addresses that receive FundAmount from the dev account
	// before Start returns.
	Fund []common.Address

	// Period is --dev.period: seconds between blocks, empty or not.
	// Negative means 0: a block as soon as a transaction arrives.
	// Default 1.
	Period int

	// DataDir is --datadir. Default t.TempDir(); the chain persists there
	// across Restart either way.
	DataDir string
}

// Timeouts: how long geth may take to answer after it is started, and to
// exit after SIGTERM before it is killed.
const (
	readyTimeout = 60 * time.Second
	stopTimeout  = 10 * time.Second
)

// Node is a running geth --dev node.
type Node struct {
	// URL is the node's JSON-RPC HTTP endpoint, on 127.0.0.1. It stays the
	// same across Restart.
	URL string
	// DevAccount is the account geth --dev funds and unlocks; it signs the
	// eth_sendTransaction calls that fund Options.Fund.
	DevAccount common.Address
	// DataDir is the node's --datadir.
	DataDir string
	// LogFile holds geth's output, from every start. It is printed when the
	// test fails.
	LogFile string

	t        testing.TB
	bin      string
	args     []string
	client   *ethclient.Client
	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{} // closed when cmd has been waited for
	exitErr  error
	stopOnce *sync.Once
}

// Start builds geth if needed (see Build), starts it in dev mode on
// loopback ports, waits for its JSON-RPC to answer, and funds opts.Fund.
// The node stops when the test ends.
func Start(t testing.TB, opts Options) *Node {
	t.Helper()
	bin := Build(t)
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	period := opts.Period
	switch {
	case period == 0:
		period = 1
	case period < 0:
		period = 0
	}
	n := &Node{
		DataDir: opts.DataDir,
		LogFile: filepath.Join(t.TempDir(), "geth.log"),
		t:       t,
		bin:     bin,
	}
	t.Cleanup(func() {
		if t.Failed() {
			n.dumpLog()
		}
	})
	t.Cleanup(n.Stop) // runs before dumpLog, so the log is complete

	// A free port can be taken by someone else between our probe and geth's
	// bind; try a few times.
	for attempt := 1; ; attempt++ {
		httpPort, authPort := freePort(t), freePort(t)
		n.args = gethArgs(n.DataDir, period, httpPort, authPort)
		n.URL = "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(httpPort))
		err := n.start()
		if err == nil {
			break
		}
		if attempt == 3 || !n.logContains("address already in use") {
			t.Fatalf("geth: %v", err)
		}
		t.Logf("geth: %v; retrying on other ports", err)
	}

	client, err := ethclient.Dial(n.URL)
	if err != nil {
		t.Fatal(err)
	}
	n.client = client
	t.Cleanup(client.Close) // after Stop: the URL stays valid across Restart

	var accounts []common.Address
	if err := client.Client().Call(&accounts, "eth_accounts"); err != nil || len(accounts) == 0 {
		t.Fatalf("geth dev account: eth_accounts = %v, %v", accounts, err)
	}
	n.DevAccount = accounts[0]
	n.Fund(opts.Fund...)
	return n
}

// gethArgs is the command line. In dev mode geth does not open its
// peer-to-peer port at all; the p2p flags make sure it stays so.
func gethArgs(dataDir string, period, httpPort, authPort int) []string {
	return []string{
		"--dev",
		"--dev.period", strconv.Itoa(period),
		"--datadir", dataDir,
		"--http",
		"--http.addr", "127.0.0.1",
		"--http.port", strconv.Itoa(httpPort),
		"--http.api", "eth,net,web3,txpool",
		"--authrpc.addr", "127.0.0.1",
		"--authrpc.port", strconv.Itoa(authPort),
		"--ipcdisable",
		"--nodiscover",
		"--maxpeers", "0",
		"--port", "0",
		"--nat", "none",
		"--netrestrict", "127.0.0.0/8",
		"--metrics=false",
	}
}

// start starts the geth process and waits until it answers or exits.
func (n *Node) start() error {
	logFile, err := os.OpenFile(n.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(logFile, "### %s %s\n", n.bin, strings.Join(n.args, " "))
	cmd := exec.Command(n.bin, n.args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return err
	}
	exited := make(chan struct{})
	n.mu.Lock()
	n.cmd, n.exited, n.stopOnce = cmd, exited, new(sync.Once)
	n.mu.Unlock()
	go func() {
		err := cmd.Wait()
		logFile.Close()
		n.mu.Lock()
		n.exitErr = err
		n.mu.Unlock()
		close(exited)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	for {
		if err := ping(ctx, n.URL); err == nil {
			return nil
		}
		select {
		case <-exited:
			n.mu.Lock()
			defer n.mu.Unlock()
			return fmt.Errorf("exited before answering on %s: %v (log: %s)", n.URL, n.exitErr, n.LogFile)
		case <-ctx.Done():
			n.Stop()
			return fmt.Errorf("no answer on %s within %v (log: %s)", n.URL, readyTimeout, n.LogFile)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func ping(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return err
	}
	defer c.Close()
	var block string
	return c.CallContext(ctx, &block, "eth_blockNumber")
}

// Client returns a client of the node's JSON-RPC endpoint. It survives
// Restart and is closed when the test ends.
func (n *Node) Client() *ethclient.Client { return n.client }

// PID returns the process ID of the running geth, or 0 when it is stopped.
func (n *Node) PID() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	select {
	case <-n.exited:
		return 0
	default:
		return n.cmd.Process.Pid
	}
}

// Stop stops geth: SIGTERM, then SIGKILL if it has not exited after 10s.
// Stopping a stopped node does nothing.
func (n *Node) Stop() {
	n.mu.Lock()
	cmd, exited, once := n.cmd, n.exited, n.stopOnce
	n.mu.Unlock()
	if cmd == nil {
		return
	}
	once.Do(func() {
		select {
		case <-exited:
			return
		default:
		}
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			n.t.Logf("geth: SIGTERM: %v", err)
		}
		select {
		case <-exited:
		case <-time.After(stopTimeout):
			n.t.Logf("geth did not exit %v after SIGTERM; killing it", stopTimeout)
			cmd.Process.Kill()
			<-exited
		}
	})
}

// Restart stops geth and starts it again on the same data directory and
// ports: the chain, the dev account and URL stay.
func (n *Node) Restart() {
	n.t.Helper()
	n.Stop()
	if err := n.start(); err != nil {
		n.t.Fatalf("geth restart: %v", err)
	}
}

func (n *Node) logContains(s string) bool {
	b, err := os.ReadFile(n.LogFile)
	return err == nil && strings.Contains(string(b), s)
}

// dumpLog prints the end of geth's log into the test's output.
func (n *Node) dumpLog() {
	b, err := os.ReadFile(n.LogFile)
	if err != nil {
		n.t.Logf("geth log: %v", err)
		return
	}
	const max = 64 << 10
	if len(b) > max {
		b = append([]byte("...\n"), b[len(b)-max:]...)
	}
	n.t.Logf("geth log %s:\n%s", n.LogFile, b)
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
