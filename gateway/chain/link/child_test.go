package link_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/beacon/params"
	"github.com/ethereum/go-ethereum/common"
	gparams "github.com/ethereum/go-ethereum/params"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/light"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/hearthtest/lightchain"
)

// The memory figure is a light client alone in a process of its own (this
// test binary, run again as TestLightClientChild): the parent runs the
// chain and the beacon, and drives the child's ticks over its stdin with
// the beacon's clock.

// childSetup is what the child needs to connect to the parent's harness.
type childSetup struct {
	RPC, Beacon string
	Checkpoint  common.Hash
	Contract    common.Address
	ChainID     uint64
	Rules       *gparams.ChainConfig
	Now         time.Time
}

type childProc struct {
	cmd *exec.Cmd
	in  *bufio.Writer
	out *bufio.Scanner
}

func startChild(t *testing.T, h *lightchain.Harness) *childProc {
	t.Helper()
	setup, err := json.Marshal(childSetup{RPC: h.Proxy.URL(), Beacon: h.Beacon.URL(), Checkpoint: h.Checkpoint,
		Contract: h.Contract, ChainID: h.Network.ChainID, Rules: h.Network.Rules, Now: h.Beacon.Now()})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestLightClientChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "HEARTH_LIGHT_CHILD="+string(setup))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &childProc{cmd: cmd, in: bufio.NewWriter(in), out: bufio.NewScanner(out)}
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	c.expect(t, "ready")
	return c
}

// expect reads the child's next line, which must begin with want.
func (c *childProc) expect(t *testing.T, want string) {
	t.Helper()
	for c.out.Scan() {
		line := c.out.Text()
		if strings.HasPrefix(line, want) {
			return
		}
		if strings.HasPrefix(line, "error") {
			t.Fatalf("light client child: %s", line)
		}
	}
	t.Fatalf("light client child ended: %v", c.out.Err())
}

func (c *childProc) tick(t *testing.T, now time.Time) {
	t.Helper()
	fmt.Fprintf(c.in, "tick %d\n", now.UnixNano())
	c.in.Flush()
	c.expect(t, "ok")
}

func (c *childProc) rss(t *testing.T) float64 {
	return rssMB(strconv.Itoa(c.cmd.Process.Pid))
}

// TestLightClientChild is the child's side: it says ready before it
// connects (its baseline memory), then runs a tick per line of stdin.
func TestLightClientChild(t *testing.T) {
	raw := os.Getenv("HEARTH_LIGHT_CHILD")
	if raw == "" {
		t.Skip("run by TestLightClientBench")
	}
	var s childSetup
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	var now atomic.Int64
	now.Store(s.Now.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	in.Scan()
	fail := func(err error) { fmt.Println("error", strings.ReplaceAll(err.Error(), "\n", " ")) }
	ctx := context.Background()
	network := light.Network{Name: "sepolia", Beacon: params.SepoliaLightConfig, ChainID: s.ChainID, Rules: s.Rules}
	var l *link.Link
	for {
		f := strings.Fields(in.Text())
		if len(f) == 2 && f[0] == "tick" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			now.Store(n)
			if l == nil {
				var err error
				l, err = link.Open(ctx, link.Config{Mode: chain.ModeVerified, RPC: []string{s.RPC}, CustomNetwork: &network,
					Beacon: []string{s.Beacon}, Checkpoint: s.Checkpoint, Clock: clock})
				if err != nil {
					fail(err)
					return
				}
				defer l.Close()
			} else if err := l.Light.Sync(ctx); err != nil {
				fail(err)
				return
			}
			if _, err := l.Backend.(interface {
				StorageAt(context.Context, common.Address, common.Hash, *big.Int) ([]byte, error)
			}).StorageAt(ctx, s.Contract, common.Hash{}, nil); err != nil {
				fail(err)
				return
			}
			fmt.Println("ok")
		}
		if !in.Scan() {
			return
		}
	}
}
