package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

func TestStreamHelp(t *testing.T) {
	for _, args := range [][]string{
		{"stream", "--help"}, {"help", "stream"},
		{"stream", "deploy", "--help"}, {"stream", "update", "-h"}, {"stream", "ls", "-h"},
		{"stream", "get", "-h"}, {"stream", "logs", "-h"}, {"stream", "rm", "-h"},
	} {
		out, errOut, code := runCLI(t, nil, args...)
		if code != exitOK || errOut != "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
		if !strings.HasPrefix(out, "Usage:\n  hearth stream") || !strings.Contains(out, "Example:\n  hearth stream") {
			t.Errorf("%q: help lacks usage or example:\n%s", args, out)
		}
	}
	out, _, _ := runCLI(t, nil, "stream", "--help")
	for _, want := range []string{"MQTT message", "docs/streams.md", "deploy FILE", "update FILE", "get NAME", "logs NAME", "rm NAME"} {
		if !strings.Contains(out, want) {
			t.Errorf("stream --help lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runCLI(t, nil, "stream", "deploy", "--help")
	for _, want := range []string{"hearth stream deploy FILE", "-o FORMAT", "--credentials FILE", "app_digest", "topics:", "docs/streams.md"} {
		if !strings.Contains(out, want) {
			t.Errorf("stream deploy --help lacks %q:\n%s", want, out)
		}
	}
	if out, _, _ := runCLI(t, nil, "--help"); !strings.Contains(out, "stream deploy FILE") {
		t.Errorf("--help does not list the stream commands:\n%s", out)
	}
	if out, _, _ := runCLI(t, nil, "stream", "rm", "--help"); strings.Contains(out, "-o FORMAT") {
		t.Errorf("stream rm offers -o:\n%s", out)
	}
}

func TestStreamUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"stream"}, "hearth stream: missing command"},
		{[]string{"stream", "start"}, `hearth stream: unknown command "start"`},
		{[]string{"stream", "deploy"}, "hearth stream deploy: missing FILE"},
		{[]string{"stream", "update", "a.yaml", "b.yaml"}, `hearth stream update: unexpected argument "b.yaml"`},
		{[]string{"stream", "get"}, "hearth stream get: missing NAME"},
		{[]string{"stream", "get", "a", "b"}, `unexpected argument "b"`},
		{[]string{"stream", "logs"}, "hearth stream logs: missing NAME"},
		{[]string{"stream", "rm"}, "hearth stream rm: missing NAME"},
		{[]string{"stream", "rm", " "}, "hearth stream rm: NAME is empty"},
		{[]string{"stream", "get", ""}, "hearth stream get: NAME is empty"},
		{[]string{"stream", "logs", "\t"}, "hearth stream logs: NAME is empty"},
		{[]string{"stream", "ls", "-o", "yaml"}, `invalid value "yaml" for flag -o`},
		{[]string{"stream", "rm", "temps", "-o", "json"}, "unknown flag -o"},
		{[]string{"stream", "ls", "--follow"}, "hearth stream ls: unknown flag --follow"},
	} {
		out, errOut, code := runCLI(t, map[string]string{"HOME": t.TempDir()}, tc.args...)
		if code != exitUsage || out != "" {
			t.Errorf("%q: exit %d, stdout %q; want %d and nothing", tc.args, code, out, exitUsage)
		}
		if !strings.Contains(errOut, tc.msg) || !strings.Contains(errOut, "Usage:\n") {
			t.Errorf("%q: stderr lacks %q and usage:\n%s", tc.args, tc.msg, errOut)
		}
	}
}

// writeStreamSpec writes a stream spec and its files (names may hold
// directories) into a fresh directory.
func writeStreamSpec(t *testing.T, spec string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["stream.yaml"] = spec
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "stream.yaml")
}

func TestPrepareStream(t *testing.T) {
	app := "\x00asm average"
	path := writeStreamSpec(t, "name: temps\ntopics: [sensors/+/temp]\nruntime: wasm\napp: fn/average.wasm\n",
		map[string]string{"average.wasm": "not this one", "fn/average.wasm": app})
	spec, up, err := prepareStream(path, "deploy")
	if err != nil {
		t.Fatal(err)
	}
	if spec.App != "average.wasm" || spec.AppDigest != digestOf([]byte(app)) || spec.Name != "temps" {
		t.Errorf("spec %+v", spec)
	}
	want := blobUpload{what: "app", path: filepath.Join(filepath.Dir(path), "fn", "average.wasm"), digest: digestOf([]byte(app)), size: int64(len(app))}
	if up != want {
		t.Errorf("upload %+v, want %+v", up, want)
	}
	// A pin that matches is kept.
	path = writeStreamSpec(t, "name: temps\napp: a.wasm\napp_digest: "+digestOf([]byte(app))+"\n", map[string]string{"a.wasm": app})
	if spec, _, err := prepareStream(path, "deploy"); err != nil || spec.AppDigest != digestOf([]byte(app)) {
		t.Errorf("matching pin: %+v, %v", spec, err)
	}
}

// A spec that cannot be deployed is refused before the gateway is looked
// for (the environment has no credentials), with what to do about it.
func TestStreamDeployRefusals(t *testing.T) {
	wrong := digestOf([]byte("another build"))
	missingFile := filepath.Join(t.TempDir(), "nope.yaml")
	for _, tc := range []struct {
		name  string
		args  func() []string
		wants []string
	}{
		{"missing file", func() []string { return []string{"stream", "deploy", missingFile} },
			[]string{missingFile, "no such file", "path of a stream spec file", "docs/streams.md"}},
		{"misspelt field", func() []string {
			return []string{"stream", "deploy", writeStreamSpec(t, "name: temps\ntopcis: [a/b]\napp: a.wasm\n", map[string]string{"a.wasm": "x"})}
		}, []string{"invalid stream spec: line 2: field topcis not found", "run `hearth stream deploy", "docs/streams.md lists the fields"}},
		{"bad duration", func() []string {
			return []string{"stream", "update", writeStreamSpec(t, "name: temps\napp: a.wasm\nresources:\n  timeout: soon\n", map[string]string{"a.wasm": "x"})}
		}, []string{"line 4: not a duration", "run `hearth stream update"}},
		{"no app", func() []string {
			return []string{"stream", "deploy", writeStreamSpec(t, "name: temps\ntopics: [a/b]\n", map[string]string{})}
		}, []string{"app: required"}},
		{"missing app", func() []string {
			return []string{"stream", "deploy", writeStreamSpec(t, "name: temps\napp: build/a.wasm\n", map[string]string{})}
		}, []string{"build/a.wasm: no such file", "Build the function first"}},
		{"pinned app differs", func() []string {
			return []string{"stream", "deploy", writeStreamSpec(t, "name: temps\napp: a.wasm\napp_digest: "+wrong+"\n", map[string]string{"a.wasm": "this build"})}
		}, []string{"does not match app_digest " + wrong, digestOf([]byte("this build")), "nothing was uploaded"}},
	} {
		out, errOut, code := runCLI(t, map[string]string{"HOME": t.TempDir()}, tc.args()...)
		if code != exitFail || out != "" {
			t.Errorf("%s: exit %d, stdout %q", tc.name, code, out)
		}
		for _, want := range tc.wants {
			if !strings.Contains(errOut, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", tc.name, want, errOut)
			}
		}
		if strings.Contains(errOut, "credentials") {
			t.Errorf("%s: looked for credentials before checking the spec:\n%s", tc.name, errOut)
		}
	}
}

func TestStreamErrors(t *testing.T) {
	notFound := &api.Error{Status: 404, Code: "not_found", Message: `no such stream: "temps"`}
	if err := streamError("temps", notFound); !errors.Is(err, api.ErrNotFound) || !strings.Contains(err.Error(), "no stream \"temps\" (`hearth stream ls`") {
		t.Errorf("not found: %v", err)
	}
	// A gateway without the routes answers its router's 404.
	noRoute := &api.Error{Status: 404, Code: "internal", Message: "HTTP 404: 404 page not found"}
	if err := streamError("", noRoute); !strings.Contains(err.Error(), "upgrade hearth-gateway") {
		t.Errorf("no route: %v", err)
	}
	exists := &api.Error{Status: 409, Code: "conflict", Message: "stream already deployed"}
	if err := pushError("temps", "s.yaml", false, exists); !errors.Is(err, api.ErrConflict) || !strings.Contains(err.Error(), "hearth stream update s.yaml") {
		t.Errorf("deploy conflict: %v", err)
	}
	if err := pushError("temps", "s.yaml", true, notFound); !strings.Contains(err.Error(), "hearth stream deploy s.yaml") {
		t.Errorf("update unknown: %v", err)
	}
	bad := &api.Error{Status: 400, Code: "bad_request", Message: "invalid spec: topics: required"}
	if err := pushError("temps", "s.yaml", false, bad); !strings.Contains(err.Error(), "topics: required") || !strings.Contains(err.Error(), "refused the stream in s.yaml") {
		t.Errorf("refused spec: %v", err)
	}
}

// sampleStream is a stream with one partition of each state.
func sampleStream() api.Stream {
	return api.Stream{
		Spec: api.StreamSpec{Name: "temps", Topics: []string{"sensors/+/temp", "sensors/+/hum"}, Partitions: 3, Key: "$.device",
			Kind: api.StreamMap, Runtime: "wasm", App: "average.wasm", AppDigest: digestOf([]byte("average")),
			Args: []string{"--window", "10"}, Env: map[string]string{"UNIT": "celsius"},
			Resources: api.Resources{CPU: 0.5, Memory: 16 << 20, Timeout: api.Duration(2 * time.Second)},
			Output:    api.StreamOutputSpec{Topic: "home/{key}/average", Allow: []string{"home/#"}, Retain: true},
			Delivery:  api.StreamDurable, Malformed: api.MalformedSkip,
			Log: api.StreamLogSpec{MaxBytes: 1 << 20, MaxAge: api.Duration(time.Hour)}},
		Version: 2, JobID: "temps-1", Created: testNow.Add(-2 * time.Hour), Updated: testNow.Add(-5 * time.Minute),
		Broker: "connected",
		Partitions: []api.StreamPartition{
			{Index: 0, State: api.PartitionRunning, Node: sampleNode, Head: 120, Committed: 118, Lag: 2},
			{Index: 1, State: api.PartitionWaiting, Head: 40, Committed: 40},
			{Index: 2, State: api.PartitionStopped, Node: sampleNode, Head: 90, Committed: 60, Lag: 30, Dropped: 5,
				Reason: "function took longer than 2s\x1b[2J over offset 60"},
		},
		Counts: api.StreamCounts{Received: 255, Processed: 218, Published: 210, Pending: 3, Dropped: 5, Malformed: 1, Rejected: 2, Lag: 32},
	}
}

func TestWriteStreams(t *testing.T) {
	other := api.Stream{Spec: api.StreamSpec{Name: "alarms", Partitions: 4}, Version: 1, Broker: "disconnected"}
	var b bytes.Buffer
	if err := writeStreams(&b, []api.Stream{sampleStream(), other}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want header and 2 rows:\n%s", b.String())
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "NAME VERSION PARTITIONS RUNNING LAG RECEIVED PUBLISHED BROKER" {
		t.Errorf("header %q", lines[0])
	}
	// By name; partitions from the spec until the gateway shows them.
	for i, want := range []string{"alarms 1 4 0 0 0 0 disconnected", "temps 2 3 1 32 255 210 connected"} {
		if got := strings.Join(strings.Fields(lines[i+1]), " "); got != want {
			t.Errorf("row %d: %q, want %q", i, got, want)
		}
	}
	b.Reset()
	writeStreams(&b, nil)
	if !strings.Contains(b.String(), "No streams yet") || !strings.Contains(b.String(), "hearth stream deploy FILE") {
		t.Errorf("no streams: %q", b.String())
	}
}

func TestWriteStreamDetail(t *testing.T) {
	var b bytes.Buffer
	if err := writeStreamDetail(&b, sampleStream(), testNow); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	short := shortDigest(digestOf([]byte("average")))
	for label, want := range map[string]string{
		"Stream:":     "temps",
		"Version:":    "2",
		"Topics:":     "sensors/+/temp, sensors/+/hum",
		"Key:":        "$.device",
		"Function:":   "map wasm average.wasm " + short + " --window 10",
		"Resources:":  "cpu 0.5, memory 16Mi per partition; 2s per message",
		"Output:":     "home/{key}/average (allowed: home/#), retained",
		"Delivery:":   "durable, malformed payloads: skip",
		"Log bounds:": "1Mi or 1h0m0s per partition",
		"Env:":        "UNIT=celsius",
		"Broker:":     "connected",
		"Messages:":   "255 received, 218 processed, 32 lag, 5 dropped, 1 malformed",
		"Outputs:":    "210 published, 3 pending, 2 rejected",
		"Job:":        "temps-1",
	} {
		if got := labelled(out, label); got != want {
			t.Errorf("%s %q, want %q", label, got, want)
		}
	}
	for _, want := range []string{"(2h ago)", "(5m ago)", "2 outputs went to topics that output.allow does not list"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if short == digestOf([]byte("average")) || len(short) != len("sha256:")+12 {
		t.Errorf("digest not shortened: %q", short)
	}
	if strings.Contains(out, "\x1b") {
		t.Error("an escape sequence from a reason reached the terminal")
	}
	head := lineWith(out, "INDEX")
	if f := strings.Fields(head); strings.Join(f, " ") != "INDEX STATE NODE HEAD COMMITTED LAG DROPPED REASON" {
		t.Errorf("partition header %q", head)
	}
	var rows []string
	for _, l := range strings.Split(out[strings.Index(out, head):], "\n")[1:] {
		if l != "" {
			rows = append(rows, strings.Join(strings.Fields(l), " "))
		}
	}
	want := []string{
		"0 running " + sampleNode[:7] + " 120 118 2 0 -",
		"1 waiting - 40 40 0 0 -",
		"2 stopped " + sampleNode[:7] + " 90 60 30 5 function took longer than 2s[2J over offset 60",
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("partition rows\n%q\nwant\n%q", rows, want)
	}

	// The defaults show where a spec left them out.
	b.Reset()
	writeStreamDetail(&b, api.Stream{Spec: api.StreamSpec{Name: "bare"}, Version: 1, Created: testNow}, testNow)
	for label, want := range map[string]string{
		"Key:":        "topic",
		"Function:":   "map",
		"Output:":     api.DefaultStreamOutput,
		"Resources:":  "cpu 0.25, memory 32Mi per partition; 5s per message",
		"Log bounds:": "64Mi or 24h0m0s per partition",
	} {
		if got := labelled(b.String(), label); got != want {
			t.Errorf("bare stream: %s %q, want %q", label, got, want)
		}
	}
	if strings.Contains(b.String(), "Updated:") || strings.Contains(b.String(), "INDEX") {
		t.Errorf("bare stream shows an update or partitions:\n%s", b.String())
	}
}

// labelled is the value on the line of out that starts with label.
func labelled(out, label string) string {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, label); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func TestWriteStreamLogs(t *testing.T) {
	var b bytes.Buffer
	writeStreamLogs(&b, []api.StreamLogEntry{
		{Time: testNow, Partition: -1, Message: "deployed version 1"},
		{Time: testNow.Add(time.Second), Partition: 3, Message: "stopped:\nexit 1"},
	})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "TIME") {
		t.Fatalf("logs:\n%s", b.String())
	}
	if f := strings.Fields(lines[1]); f[2] != "all" || strings.Join(f[3:], " ") != "deployed version 1" {
		t.Errorf("stream row %q", lines[1])
	}
	if f := strings.Fields(lines[2]); f[2] != "3" || strings.Join(f[3:], " ") != "stopped: exit 1" {
		t.Errorf("partition row %q", lines[2])
	}
	b.Reset()
	writeStreamLogs(&b, nil)
	if !strings.Contains(b.String(), "Nothing logged") {
		t.Errorf("no logs: %q", b.String())
	}
}

// -o json prints the wire types as they are: what a script reads is what
// the gateway sent.
func TestStreamJSON(t *testing.T) {
	var b bytes.Buffer
	if err := writeJSON(&b, sampleStream()); err != nil {
		t.Fatal(err)
	}
	var back api.Stream
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	want := sampleStream()
	if !reflect.DeepEqual(back, want) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", back, want)
	}
	for _, key := range []string{`"app_digest"`, `"max_bytes": "1Mi"`, `"timeout": "2s"`, `"committed": 118`, `"lag": 32`} {
		if !strings.Contains(b.String(), key) {
			t.Errorf("JSON lacks %s:\n%s", key, b.String())
		}
	}
	b.Reset()
	writeJSON(&b, nonNil([]api.Stream(nil)))
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("no streams as JSON: %q", b.String())
	}
}
