package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// lockstep drives run as the agent drives a map function: one message
// line in, then its answer read up to the empty line, before the next.
type lockstep struct {
	t      *testing.T
	in     *io.PipeWriter
	out    *bufio.Reader
	stderr *bytes.Buffer
	code   chan int
}

func startLockstep(t *testing.T, args []string, env map[string]string) *lockstep {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	l := &lockstep{t: t, in: inW, out: bufio.NewReader(outR), stderr: new(bytes.Buffer), code: make(chan int, 1)}
	go func() {
		l.code <- run(args, func(k string) string { return env[k] }, inR, outW, l.stderr)
		outW.Close()
	}()
	// A hung program fails the test instead of hanging it.
	watchdog := time.AfterFunc(time.Minute, func() {
		inR.CloseWithError(io.ErrNoProgress)
		outR.CloseWithError(io.ErrNoProgress)
	})
	t.Cleanup(func() { watchdog.Stop() })
	return l
}

// send writes one line and returns its answer's output lines.
func (l *lockstep) send(line string) []string {
	l.t.Helper()
	if _, err := io.WriteString(l.in, line+"\n"); err != nil {
		l.t.Fatalf("writing %.80q: %v", line, err)
	}
	var outs []string
	for {
		s, err := l.out.ReadString('\n')
		if err != nil {
			l.t.Fatalf("reading the answer to %.80q: %q, %v", line, s, err)
		}
		if s == "\n" {
			return outs
		}
		outs = append(outs, strings.TrimSuffix(s, "\n"))
	}
}

// close ends the input and returns run's exit code.
func (l *lockstep) close() int {
	l.in.Close()
	return <-l.code
}

func msg(topic, payload string) string {
	return fmt.Sprintf(`{"offset":1,"topic":%q,"key":%q,"payload":%s,"ts":1767225600000,"qos":0}`, topic, topic, payload)
}

func eq(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestLockstep(t *testing.T) {
	l := startLockstep(t, nil, nil)
	eq(t, "below", l.send(msg("zigbee2mqtt/living_room", `{"temperature":21.5,"humidity":40,"battery":90}`)),
		`{"payload":{"sensor":"living_room","celsius":21.5,"fahrenheit":70.7}}`)
	eq(t, "above", l.send(msg("sensors/kitchen", `{"temperature":29.5}`)),
		`{"payload":{"sensor":"kitchen","celsius":29.5,"fahrenheit":85.1}}`,
		`{"topic":"hearth/alerts/kitchen","payload":{"sensor":"kitchen","celsius":29.5,"above":28}}`)
	eq(t, "freezing", l.send(msg("garden", `{"temperature":-40}`)),
		`{"payload":{"sensor":"garden","celsius":-40,"fahrenheit":-40}}`)
	if code := l.close(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if l.stderr.Len() != 0 {
		t.Errorf("stderr: %s", l.stderr)
	}
}

// Above means strictly above; -above wins over ALERT_ABOVE, which wins
// over the default.
func TestThreshold(t *testing.T) {
	for _, c := range []struct {
		args  []string
		env   map[string]string
		temp  string
		alert bool
	}{
		{nil, nil, "28", false},
		{nil, nil, "28.01", true},
		{[]string{"-above", "20"}, nil, "20.5", true},
		{nil, map[string]string{"ALERT_ABOVE": "30"}, "29", false},
		{nil, map[string]string{"ALERT_ABOVE": "30"}, "30.5", true},
		{[]string{"-above=25"}, map[string]string{"ALERT_ABOVE": "30"}, "26", true},
	} {
		l := startLockstep(t, c.args, c.env)
		outs := l.send(msg("s/x", `{"temperature":`+c.temp+`}`))
		if got := len(outs) == 2; got != c.alert || len(outs) == 0 {
			t.Errorf("%v %v at %s: %q, want alert %v", c.args, c.env, c.temp, outs, c.alert)
		}
		l.close()
	}
}

func TestBadConfig(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, map[string]string{"ALERT_ABOVE": "hot"}, "ALERT_ABOVE"},
		{[]string{"-above", "hot"}, nil, "invalid value"},
		{[]string{"extra"}, nil, "unexpected argument"},
	} {
		var stderr bytes.Buffer
		code := run(c.args, func(k string) string { return c.env[k] }, strings.NewReader(""), io.Discard, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v %v: exit %d, stderr %q", c.args, c.env, code, &stderr)
		}
	}
}

// A message without a numeric temperature has an empty answer, and no
// complaint: most of a sensor network's messages are of other things.
func TestNoTemperature(t *testing.T) {
	l := startLockstep(t, nil, nil)
	for _, line := range []string{
		msg("s/door", `{"contact":true}`),
		msg("s/x", `{"temperature":"21.5"}`),
		msg("s/x", `{"temperature":null}`),
		msg("s/x", `{"temperature":true}`),
		msg("s/x", `[21.5]`),
		msg("s/x", `21.5`),
		msg("s/x", `{"temperature":1e999}`),
		`{"offset":3,"topic":"s/x","key":"s/x","payload_b64":"AQID","ts":1}`,
	} {
		eq(t, line, l.send(line))
	}
	eq(t, "then a reading", l.send(msg("s/x", `{"temperature":0}`)),
		`{"payload":{"sensor":"x","celsius":0,"fahrenheit":32}}`)
	l.close()
	if l.stderr.Len() != 0 {
		t.Errorf("stderr: %s", l.stderr)
	}
}

// A line that is not a message is noted on stderr and answered empty; the
// instance goes on.
func TestMalformedLine(t *testing.T) {
	l := startLockstep(t, nil, nil)
	for _, line := range []string{"not json", "", "{", `{"topic":7}`, "\x00\xff"} {
		eq(t, fmt.Sprintf("%q", line), l.send(line))
	}
	eq(t, "then a reading", l.send(msg("s/x", `{"temperature":10}`)),
		`{"payload":{"sensor":"x","celsius":10,"fahrenheit":50}}`)
	if code := l.close(); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if n := strings.Count(l.stderr.String(), "skipped: not a stream message"); n != 5 {
		t.Errorf("%d notes for 5 bad lines:\n%s", n, l.stderr)
	}
}

// Lines far over bufio.Scanner's 64 KiB work; one over maxLine is skipped
// whole, and the next line is read as it should be.
func TestBigLine(t *testing.T) {
	l := startLockstep(t, nil, nil)
	pad := strings.Repeat("x", 300<<10)
	eq(t, "300 KiB", l.send(msg("s/big", `{"pad":"`+pad+`","temperature":30}`)),
		`{"payload":{"sensor":"big","celsius":30,"fahrenheit":86}}`,
		`{"topic":"hearth/alerts/big","payload":{"sensor":"big","celsius":30,"above":28}}`)
	huge := msg("s/huge", `{"pad":"`+strings.Repeat("y", maxLine)+`","temperature":30}`)
	eq(t, "over maxLine", l.send(huge))
	eq(t, "after it", l.send(msg("s/x", `{"temperature":10}`)),
		`{"payload":{"sensor":"x","celsius":10,"fahrenheit":50}}`)
	l.close()
	if !strings.Contains(l.stderr.String(), "line 2: skipped: line too long") {
		t.Errorf("stderr: %s", l.stderr)
	}
}

// A last line without its newline is answered too; so is one with CRLF.
func TestLineEnds(t *testing.T) {
	var out, stderr bytes.Buffer
	in := msg("s/a", `{"temperature":1}`) + "\r\n" + msg("s/b", `{"temperature":2}`)
	if code := run(nil, func(string) string { return "" }, strings.NewReader(in), &out, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, &stderr)
	}
	want := `{"payload":{"sensor":"a","celsius":1,"fahrenheit":33.8}}` + "\n\n" +
		`{"payload":{"sensor":"b","celsius":2,"fahrenheit":35.6}}` + "\n\n"
	if out.String() != want || stderr.Len() != 0 {
		t.Errorf("stdout %q, stderr %q; want stdout %q", &out, &stderr, want)
	}
}

func TestSensor(t *testing.T) {
	for _, c := range [][3]string{
		{"zigbee2mqtt/kitchen", "", "kitchen"},
		{"kitchen", "", "kitchen"},
		{"a/b/", "k/c", "c"},
		{"", "", "unknown"},
	} {
		if got := sensor(c[0], c[1]); got != c[2] {
			t.Errorf("sensor(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

// Whatever the input, every line gets exactly one answer, every output
// line is JSON, and run ends well.
func FuzzServe(f *testing.F) {
	f.Add([]byte(msg("s/x", `{"temperature":29}`) + "\n" + "junk\n\n"))
	f.Add([]byte("\r\n\n{\n"))
	f.Add([]byte(msg("s/x", `{"temperature":-0.0001}`)))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		if code := run(nil, func(string) string { return "" }, bytes.NewReader(in), &out, io.Discard); code != exitOK {
			t.Fatalf("exit %d", code)
		}
		lines := bytes.Count(in, []byte("\n"))
		if len(in) > 0 && in[len(in)-1] != '\n' {
			lines++
		}
		answers := 0
		for s := range strings.Lines(out.String()) {
			if s == "\n" {
				answers++
			} else if !json.Valid([]byte(s)) {
				t.Errorf("output line %q is not JSON", s)
			}
		}
		if answers != lines || !strings.HasSuffix(out.String(), "\n") && out.Len() > 0 {
			t.Fatalf("%d answers to %d lines: %q", answers, lines, &out)
		}
	})
}
