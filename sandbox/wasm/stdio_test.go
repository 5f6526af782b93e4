package wasm

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// startLines starts testapp's lines mode (one answer and an empty line per
// input line) with spec's streams, deleted when the test ends.
func startLines(t *testing.T, rt *Runtime, spec sandbox.Spec) *task {
	t.Helper()
	if spec.ID == "" {
		spec.ID = t.Name()
	}
	spec.App = sandboxtest.WasmTestApp(t)
	spec.Args = []string{"lines"}
	started, err := rt.Start(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { started.Delete(context.Background()) })
	return started.(*task)
}

// waitWithin waits for the task's end, failing the test after limit.
func waitWithin(t *testing.T, tk sandbox.Task, limit time.Duration) sandbox.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	res, err := tk.Wait(ctx)
	if err != nil {
		t.Fatalf("the task had not ended %v later: %v", limit, err)
	}
	return res
}

// A long-lived instance answers messages one by one over pipes; the
// round trip is what a stream's message costs on top of its function.
func TestStdioLockstep(t *testing.T) {
	rt := newRuntime(t, Config{CacheDir: sharedCache})
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	tk := startLines(t, rt, sandbox.Spec{Stdin: inR, Stdout: outW, Limits: sandbox.Limits{Timeout: sandbox.NoTimeout}})
	out := bufio.NewReader(outR)
	const n = 2000
	var first time.Duration
	begin := time.Now()
	for i := range n {
		sent := time.Now()
		fmt.Fprintf(inW, "message %d\n", i)
		got, err := out.ReadString('\n')
		if want := fmt.Sprintf("got message %d\n", i); err != nil || got != want {
			t.Fatalf("answer %d: %q, %v; want %q", i, got, err, want)
		}
		if end, err := out.ReadString('\n'); err != nil || end != "\n" {
			t.Fatalf("after answer %d: %q, %v; want an empty line", i, end, err)
		}
		if i == 0 {
			first = time.Since(sent)
		}
	}
	took := time.Since(begin)
	inW.Close()
	res := waitWithin(t, tk, 5*time.Second)
	if res.Failure != "" || res.ExitCode != 0 || len(res.Stdout) != 0 {
		t.Fatalf("result %+v", res)
	}
	t.Logf("%d messages in lockstep: %v per round trip (the first %v)", n, took/n, first)
}

// Without Spec.Stdout the answers are in Result.Stdout; a reader that
// never blocks is read to its end.
func TestStdinWithoutStdout(t *testing.T) {
	rt := newRuntime(t, Config{CacheDir: sharedCache})
	tk := startLines(t, rt, sandbox.Spec{Stdin: strings.NewReader("a\nb\nc")})
	res := waitWithin(t, tk, 10*time.Second)
	if want := "got a\n\ngot b\n\ngot c\n\n"; res.Failure != "" || string(res.Stdout) != want {
		t.Fatalf("result %+v; want stdout %q", res, want)
	}
}

// blockingReader blocks until released and is no io.Closer: nothing but
// the runtime's own care can unblock a task reading it.
type blockingReader chan struct{}

func (b blockingReader) Read([]byte) (int, error) {
	<-b
	return 0, io.EOF
}

// wazero cannot interrupt a read in a host reader: Kill must end the task
// all the same, whatever the reader and whichever engine runs it, and the
// abandoned read must not matter when it returns.
func TestKillWhileReadingAnyReader(t *testing.T) {
	for _, interp := range []bool{false, true} {
		t.Run(fmt.Sprintf("interpreter=%v", interp), func(t *testing.T) {
			rt := newRuntime(t, Config{CacheDir: sharedCache, Interpreter: interp})
			block := make(blockingReader)
			tk := startLines(t, rt, sandbox.Spec{Stdin: block})
			time.Sleep(200 * time.Millisecond)
			tk.Kill(context.Background())
			res := waitWithin(t, tk, time.Second)
			if res.Failure != sandbox.FailKilled || res.ExitCode != -1 {
				t.Fatalf("result %+v, want killed", res)
			}
			close(block) // the abandoned read returns into nothing
		})
	}
}

func TestTimeoutWhileReading(t *testing.T) {
	rt := newRuntime(t, Config{CacheDir: sharedCache})
	inR, inW := io.Pipe()
	defer inW.Close()
	const timeout = 300 * time.Millisecond
	tk := startLines(t, rt, sandbox.Spec{Stdin: inR, Limits: sandbox.Limits{Timeout: timeout}})
	res := waitWithin(t, tk, timeout+time.Second)
	if res.Failure != sandbox.FailTimeout || res.ExitCode != -1 {
		t.Fatalf("result %+v, want a timeout", res)
	}
}

// A program blocked writing to a Stdout nobody reads is killed as fast.
func TestKillWhileWriting(t *testing.T) {
	rt := newRuntime(t, Config{CacheDir: sharedCache})
	_, outW := io.Pipe()
	tk := startLines(t, rt, sandbox.Spec{Stdin: strings.NewReader("unread\n"), Stdout: outW})
	time.Sleep(200 * time.Millisecond)
	tk.Kill(context.Background())
	res := waitWithin(t, tk, time.Second)
	if res.Failure != sandbox.FailKilled {
		t.Fatalf("result %+v, want killed", res)
	}
}

// A negative Timeout leaves the task's run without any deadline, the
// default minute included.
func TestNoTimeoutHasNoDeadline(t *testing.T) {
	rt := newRuntime(t, Config{CacheDir: sharedCache})
	inR, inW := io.Pipe()
	defer inW.Close()
	tk := startLines(t, rt, sandbox.Spec{Stdin: inR, Limits: sandbox.Limits{Timeout: sandbox.NoTimeout}})
	if d, ok := tk.ctx.Deadline(); ok {
		t.Fatalf("the task's run ends at %v", d)
	}
	time.Sleep(100 * time.Millisecond)
	select {
	case <-tk.done:
		t.Fatalf("the task ended: %+v", tk.result)
	default:
	}
	def := startLines(t, rt, sandbox.Spec{ID: "default", Stdin: strings.NewReader("")})
	if d, ok := def.ctx.Deadline(); !ok || time.Until(d) > sandbox.DefaultTimeout {
		t.Errorf("with a zero Timeout the run ends at %v (%v)", d, ok)
	}
}
