package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/wasm"
)

// buildModule builds this program as the WASI module that stream.yaml
// deploys.
func buildModule(t *testing.T) sandbox.App {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool to build the module: %v", err)
	}
	path := filepath.Join(t.TempDir(), "alert.wasm")
	cmd := exec.Command(gotool, "build", "-trimpath", "-o", path, ".")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return sandbox.App{Digest: "sha256:" + hex.EncodeToString(sum[:]), Path: path}
}

// The module as the agent runs it: a long-lived wasm instance with the
// stream's limits, fed one message at a time through Spec.Stdin and
// answering through Spec.Stdout, like `cat messages | alert.wasm` but in
// lockstep.
func TestModuleInSandbox(t *testing.T) {
	app := buildModule(t)
	rt, err := wasm.New(wasm.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	begin := time.Now()
	if err := rt.Prepare(ctx, app); err != nil {
		t.Fatal(err)
	}
	t.Logf("compiled in %v", time.Since(begin))

	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	watchdog := time.AfterFunc(2*time.Minute, func() {
		inR.CloseWithError(io.ErrNoProgress)
		outR.CloseWithError(io.ErrNoProgress)
	})
	defer watchdog.Stop()
	task, err := rt.Start(ctx, sandbox.Spec{
		ID: "alert-0", App: app, Args: []string{"-above", "25"}, Stdin: inR, Stdout: outW,
		Limits: sandbox.Limits{MemoryBytes: 32 << 20, CPU: 0.25, Timeout: sandbox.NoTimeout},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer task.Delete(ctx)
	out := bufio.NewReader(outR)
	send := func(line string) []string {
		t.Helper()
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatalf("writing: %v", err)
		}
		var outs []string
		for {
			s, err := out.ReadString('\n')
			if err != nil {
				t.Fatalf("reading the answer: %q, %v", s, err)
			}
			if s == "\n" {
				return outs
			}
			outs = append(outs, strings.TrimSuffix(s, "\n"))
		}
	}

	eq(t, "below", send(msg("zigbee2mqtt/bedroom", `{"temperature":21.5,"humidity":40,"battery":90}`)),
		`{"payload":{"sensor":"bedroom","celsius":21.5,"fahrenheit":70.7}}`)
	eq(t, "above -above 25", send(msg("zigbee2mqtt/attic", `{"temperature":26}`)),
		`{"payload":{"sensor":"attic","celsius":26,"fahrenheit":78.8}}`,
		`{"topic":"hearth/alerts/attic","payload":{"sensor":"attic","celsius":26,"above":25}}`)
	eq(t, "no temperature", send(msg("zigbee2mqtt/door", `{"contact":false}`)))
	eq(t, "malformed", send("garbage"))
	eq(t, "300 KiB", send(msg("s/big", `{"pad":"`+strings.Repeat("x", 300<<10)+`","temperature":1}`)),
		`{"payload":{"sensor":"big","celsius":1,"fahrenheit":33.8}}`)

	const n = 1000
	begin = time.Now()
	for i := range n {
		temp := 20 + float64(i%10)
		outs := send(msg(fmt.Sprintf("sensors/s%d", i%7), fmt.Sprintf(`{"temperature":%g,"humidity":40}`, temp)))
		if want := 1 + btoi(temp > 25); len(outs) != want {
			t.Fatalf("message %d (%g °C): %q", i, temp, outs)
		}
	}
	t.Logf("%d messages in lockstep through sandbox/wasm: %v per round trip", n, time.Since(begin)/n)

	inW.Close()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := task.Wait(wctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failure != "" || res.ExitCode != 0 || len(res.Stdout) != 0 {
		t.Fatalf("result %+v", res)
	}
	if want := "alert: line 4: skipped: not a stream message"; !strings.Contains(string(res.Stderr), want) {
		t.Errorf("stderr %q lacks %q", res.Stderr, want)
	}
	t.Logf("wall %v, cpu %v", res.Wall, res.CPU)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
