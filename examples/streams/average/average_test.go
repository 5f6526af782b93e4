package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/stream"
	"github.com/hearth-home/hearth/stream/specfile"
)

func msg(key string, ts int64, payload string) string {
	return fmt.Sprintf(`{"offset":%d,"topic":%q,"key":%q,"payload":%s,"ts":%d,"qos":0}`, ts%1000, key, key, payload, ts)
}

// runFiles runs the program on a window file as the sandbox shows it.
func runFiles(t *testing.T, window string, args ...string) (out, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	in, outPath := filepath.Join(dir, "window.ndjson"), filepath.Join(dir, "averages.ndjson")
	if err := os.WriteFile(in, []byte(window), 0o644); err != nil {
		t.Fatal(err)
	}
	var e bytes.Buffer
	code = run(append([]string{"-in", in, "-out", outPath}, args...), &e)
	b, _ := os.ReadFile(outPath)
	return string(b), e.String(), code
}

func TestAverages(t *testing.T) {
	window := strings.Join([]string{
		msg("sensors/kitchen", 1000, `{"temperature":21.1,"humidity":40}`),
		msg("sensors/attic", 1500, `{"temperature":30}`),
		msg("sensors/kitchen", 2000, `{"temperature":21.9}`),
		msg("sensors/kitchen", 3000, `{"temperature":21.3}`),
		msg("sensors/door", 3500, `{"contact":true}`),         // no temperature
		msg("sensors/kitchen", 4000, `{"temperature":"hot"}`), // not numeric
		msg("sensors/kitchen", 4500, `{"temperature":null}`),
		msg("sensors/attic", 5000, `[30]`),
		"not a message",
		"",
		`{"offset":9,"topic":"x","key":"x","payload_b64":"AQ==","ts":6000}`,
	}, "\n") // the last line without a newline
	out, stderr, code := runFiles(t, window)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `{"topic":"hearth/average/sensors/attic","payload":{"key":"sensors/attic","count":1,"mean":30,"min":30,"max":30,"from":1500,"to":1500}}` + "\n" +
		`{"topic":"hearth/average/sensors/kitchen","payload":{"key":"sensors/kitchen","count":3,"mean":21.43,"min":21.1,"max":21.9,"from":1000,"to":3000}}` + "\n"
	if out != want {
		t.Errorf("averages:\n%s\nwant:\n%s", out, want)
	}
	if !strings.HasPrefix(stderr, "average: line 9: skipped: not a stream message: ") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q", stderr)
	}
}

func TestOtherField(t *testing.T) {
	out, _, code := runFiles(t, msg("s/a", 1, `{"temperature":20,"humidity":40}`)+"\n"+msg("s/a", 2, `{"humidity":50}`)+"\n", "-field", "humidity")
	if want := `{"topic":"hearth/average/s/a","payload":{"key":"s/a","count":2,"mean":45,"min":40,"max":50,"from":1,"to":2}}` + "\n"; code != exitOK || out != want {
		t.Errorf("exit %d, out %s", code, out)
	}
}

func TestEmptyWindow(t *testing.T) {
	if out, stderr, code := runFiles(t, ""); code != exitOK || out != "" || stderr != "" {
		t.Errorf("exit %d, out %q, stderr %q", code, out, stderr)
	}
}

func TestBigLine(t *testing.T) {
	pad := strings.Repeat("x", 300<<10)
	out, stderr, code := runFiles(t, msg("s/big", 7, `{"pad":"`+pad+`","temperature":5}`)+"\n"+msg("s/big", 8, `{"temperature":6}`)+"\n")
	if want := `"count":2,"mean":5.5,`; code != exitOK || !strings.Contains(out, want) {
		t.Errorf("exit %d, out %s, stderr %s", code, out, stderr)
	}
}

func TestNoInput(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-in", filepath.Join(t.TempDir(), "none"), "-out", filepath.Join(t.TempDir(), "out")}, &stderr); code != exitFail {
		t.Errorf("exit %d: %s", code, &stderr)
	}
}

// stream.yaml is a StreamSpec plus the window the gateway is to add.
func TestStreamSpec(t *testing.T) {
	s, _, err := specfile.Load("stream.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Validate(&s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "average" || s.Kind != "window" || s.App != "average.wasm" || !slices.Equal(s.Topics, []string{"sensors/#"}) {
		t.Errorf("spec %+v", s)
	}
	if w := s.Window; w == nil || w.Type != "tumbling" || w.Size.D() != time.Minute || w.Time != "processing" {
		t.Errorf("window %+v", w)
	}
}
