package devchain

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

var persistRecipient = common.HexToAddress("0x000000000000000000000000000000000000beef")

// sendAndWait sends n transfers of 1 gwei to persistRecipient and waits for
// each receipt.
func sendAndWait(t testing.TB, c *Chain, n int) {
	t.Helper()
	for range n {
		tx := transfer(t, c.Client(), DevKey("requester"), persistRecipient, big.NewInt(1e9))
		waitReceipt(t, c.Client(), tx, 5*time.Second)
	}
}

func TestDataDirSurvivesClose(t *testing.T) {
	dir := t.TempDir()
	alloc := DevAlloc(DevAddress("requester"))

	c, err := Start(Options{DataDir: dir, Alloc: alloc, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatal(err)
	}
	sendAndWait(t, c, 3)
	head := blockNumber(t, c.Client())
	block, err := c.Client().HeaderByNumber(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c = startChain(t, Options{DataDir: dir, Alloc: alloc})
	if got := blockNumber(t, c.Client()); got != head {
		t.Fatalf("reopened chain at block %d, closed at %d", got, head)
	}
	again, err := c.Client().HeaderByNumber(t.Context(), new(big.Int).SetUint64(head))
	if err != nil || again.Hash() != block.Hash() {
		t.Fatalf("block %d after reopening: %v, %v; want %s", head, again, err, block.Hash())
	}
	if got := balance(t, c.Client(), persistRecipient); got.Cmp(big.NewInt(3e9)) != 0 {
		t.Fatalf("recipient balance %v after reopening, want 3 gwei", got)
	}
	// The chain goes on from where it was, nonces included.
	sendAndWait(t, c, 1)
	if got := blockNumber(t, c.Client()); got != head+1 {
		t.Errorf("next block %d, want %d", got, head+1)
	}
	if got := balance(t, c.Client(), persistRecipient); got.Cmp(big.NewInt(4e9)) != 0 {
		t.Errorf("recipient balance %v, want 4 gwei", got)
	}
}

// killChildEnv makes the test binary a child that runs a chain in the named
// data directory, reports its head and waits to be killed.
const killChildEnv = "HEARTH_DEVCHAIN_KILL_CHILD_DIR"

func TestDataDirSurvivesKill(t *testing.T) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		c, err := Start(Options{DataDir: dir, Alloc: DevAlloc(DevAddress("requester"))})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		sendAndWait(t, c, 3)
		fmt.Printf("head %d\n", blockNumber(t, c.Client()))
		// Wait to be killed, never Close. Should the parent die first,
		// stdin closes and the child goes too.
		io.Copy(io.Discard, os.Stdin)
		os.Exit(2)
	}

	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDataDirSurvivesKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe() // held open until the test ends
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var head uint64
	select {
	case line := <-lines:
		if _, err := fmt.Sscanf(line, "head %d", &head); err != nil {
			t.Fatalf("child said %q", line)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("child did not report its head within 60s")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("child exited with %v, want killed", err)
	}

	c := startChain(t, Options{DataDir: dir, Alloc: DevAlloc(DevAddress("requester"))})
	if got := blockNumber(t, c.Client()); got != head {
		t.Errorf("chain at block %d after the gateway was killed at block %d", got, head)
	}
	if got := balance(t, c.Client(), persistRecipient); got.Cmp(big.NewInt(3e9)) != 0 {
		t.Errorf("recipient balance %v after kill, want 3 gwei", got)
	}
	sendAndWait(t, c, 1)
}

func TestDataDirWithAnotherGenesisIsRefused(t *testing.T) {
	dir := t.TempDir()
	c, err := Start(Options{DataDir: dir, Alloc: DevAlloc(DevAddress("requester"))})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = Start(Options{DataDir: dir, Alloc: DevAlloc(DevAddress("provider"))})
	if err == nil {
		c.Close()
		t.Fatal("reopened a data directory with another genesis")
	}
	if !errors.Is(err, ErrGenesisMismatch) || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q: want ErrGenesisMismatch naming %s", err, dir)
	}
}

func TestDataDirIsLocked(t *testing.T) {
	dir := t.TempDir()
	startChain(t, Options{DataDir: dir})
	c, err := Start(Options{DataDir: dir})
	if err == nil {
		c.Close()
		t.Fatal("two chains opened one data directory")
	}
	if !errors.Is(err, ErrDataDirInUse) {
		t.Errorf("error %v is not ErrDataDirInUse", err)
	}
}
