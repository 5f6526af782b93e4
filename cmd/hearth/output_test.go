package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

func nodeID(t *testing.T) string {
	t.Helper()
	id, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return id.ID.String()
}

func TestWriteMembers(t *testing.T) {
	temp := 48.25
	plug, pi := nodeID(t), nodeID(t)
	ms := []api.Member{
		{ID: plug, State: api.MemberReady, Node: api.NodeInfo{Name: "plug", Arch: "arm", Runtimes: []string{"wasm"}},
			Load1: 0.5, MemFree: 412 << 20, TempC: &temp, Running: 1, Completed: 7, LastSeen: testNow.Add(-2 * time.Second),
			Power: &api.PowerStatus{Watts: 3.24, BudgetW: 4.5, Measured: true}, Speed: &api.Speed{WasmOps: 1.234e6, NativeOps: 45.6e6},
			Firmware: &api.FirmwareStatus{Board: "generic-arm64", Version: "0.4.0", Slot: "A", LastRollback: &api.FirmwareRollback{From: "0.4.0", To: "0.5.0"}}},
		{ID: pi, State: api.MemberPending, Node: api.NodeInfo{Name: "pi\x1b[31m", Arch: "arm64", Runtimes: []string{"wasm", "oci"}},
			MemFree: 3 << 29, LastSeen: testNow.Add(-3 * time.Minute)},
	}
	var b bytes.Buffer
	if err := writeMembers(&b, ms, testNow); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want header and 2 rows:\n%s", b.String())
	}
	for _, want := range []string{"ID", "NAME", "STATE", "ARCH", "RUNTIMES", "LOAD", "FREE MEM", "TEMP", "WATTS", "BUDGET", "RUN/DONE", "SPEED", "FIRMWARE", "LAST SEEN"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("header lacks %s: %s", want, lines[0])
		}
	}
	// Pending first: it waits for the owner.
	if f := strings.Fields(lines[1]); f[0] != pi[:7] || f[2] != "pending" || f[4] != "wasm,oci" || f[6] != "1.5Gi" || f[7] != "-" || f[8] != "-" || f[9] != "-" || f[10] != "0/0" || f[11] != "-" || !strings.HasSuffix(lines[1], "3m ago") {
		t.Errorf("pending row: %q", lines[1])
	}
	if strings.Contains(b.String(), "\x1b") {
		t.Error("escape sequence from a node name reached the terminal")
	}
	want := []string{plug[:7], "plug", "ready", "arm", "wasm", "0.50", "412Mi", "48.2°C", "3.2", "W", "(m)", "4.5", "W", "1/7", "wasm", "1.2M", "native", "46M", "0.4.0", "A", "↩0.5.0", "2s", "ago"}
	if f := strings.Fields(lines[2]); strings.Join(f, " ") != strings.Join(want, " ") {
		t.Errorf("ready row: %q, want %q", f, want)
	}

	// An agent that asks for no work says why, under the table.
	ms[0].Refusing = "disk nearly full: 300.0 MiB free of 14.8 GiB on /var/lib/hearth-agent, below 512.0 MiB (--min-free-disk)\x1b[2J"
	b.Reset()
	if err := writeMembers(&b, ms, testNow); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 4 || !strings.Contains(lines[2], "ready (no work)") ||
		lines[3] != "plug ("+plug[:7]+") asks for no work: disk nearly full: 300.0 MiB free of 14.8 GiB on /var/lib/hearth-agent, below 512.0 MiB (--min-free-disk)[2J" {
		t.Errorf("a refusing agent:\n%s", b.String())
	}

	b.Reset()
	writeMembers(&b, nil, testNow)
	if !strings.Contains(b.String(), "No devices") {
		t.Errorf("empty pool: %q", b.String())
	}
}

// sampleNode is a node ID for sampleJob.
const sampleNode = "ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23-4567ABC-DEFGHIJ-KLMNOPQ-RSTUVWA"

func sampleJob() api.JobDetail {
	fin := testNow.Add(-time.Minute)
	r := &api.TaskResult{ExitCode: 0, Stdout: []byte("\n{\"found\":true}\nmore\n"), WallMilli: 1234,
		Output: api.BlobRef{Digest: digestOf([]byte("tar"))}}
	r.Digest = api.ResultDigest(r)
	bad := &api.TaskResult{ExitCode: 2, Stderr: []byte("panic: out of range\nstack"), WallMilli: 80}
	bad.Digest = api.ResultDigest(bad)
	to := &api.TaskResult{ExitCode: -1, Failure: "timeout", Reason: "ran past 30s"}
	return api.JobDetail{
		Job: api.Job{ID: "vanity-7", State: api.JobFailed, Created: fin.Add(-12300 * time.Millisecond), Finished: &fin,
			Spec:   api.JobSpec{Name: "vanity", Runtime: "wasm", App: "vanity.wasm", AppDigest: digestOf([]byte("app")), Tasks: 4, Args: []string{"-shard", "{{index}}"}},
			Counts: api.TaskCounts{Done: 1, Failed: 2, Queued: 1}},
		Tasks: []api.Task{
			{Index: 0, State: api.TaskDone, Attempt: 2, Node: sampleNode, Result: r, History: []string{"agent lost"}},
			{Index: 1, State: api.TaskFailed, Attempt: 1, Result: bad},
			{Index: 2, State: api.TaskFailed, Attempt: 4, Result: to},
			{Index: 3, State: api.TaskQueued},
		},
	}
}

func TestWriteJobDetail(t *testing.T) {
	var b bytes.Buffer
	if err := writeJobDetail(&b, sampleJob(), testNow); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Job:", "vanity-7", "State:", "failed", "vanity.wasm sha256:",
		"Tasks:", "4: 1 done, 0 leased, 1 queued, 2 failed", "took 12.3s",
		"INDEX  STATE", "WALL", "RESULT", "STDOUT",
		`{"found":true}`, "1.2s", "ABCDEFG", "timeout",
		"task 0 attempt 1: agent lost",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("job get lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "more") {
		t.Errorf("more than the first line of stdout:\n%s", out)
	}
	row0 := strings.Fields(lineWith(out, `{"found":true}`))
	if strings.Join(row0[:6], " ") != "0 done 2 ABCDEFG 0 1.2s" || !strings.HasPrefix(row0[6], "sha256:") || len(row0[6]) != len("sha256:")+12 {
		t.Errorf("task row: %q", row0)
	}
}

func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func TestWriteJobs(t *testing.T) {
	d := sampleJob()
	running := api.Job{ID: "sums-8", State: api.JobRunning, Created: testNow.Add(-5 * time.Second),
		Spec: api.JobSpec{Name: "sums", Runtime: "oci", Tasks: 3}, Counts: api.TaskCounts{Done: 1, Leased: 2}}
	var b bytes.Buffer
	writeJobs(&b, []api.Job{running, d.Job}, testNow)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if got := strings.Join(strings.Fields(lines[1]), " "); got != "sums-8 sums running oci 1/3 0 5s ago 5.0s so far" {
		t.Errorf("running row: %q", got)
	}
	if got := strings.Join(strings.Fields(lines[2]), " "); got != "vanity-7 vanity failed wasm 1/4 2 1m ago 12.3s" {
		t.Errorf("failed row: %q", got)
	}
}

// -o json prints the wire types as they are: a program reading it gets
// what the API gives.
func TestJSONIsTheWireType(t *testing.T) {
	d := sampleJob()
	var b bytes.Buffer
	writeJSON(&b, d)
	var back api.JobDetail
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.ID != d.ID || len(back.Tasks) != 4 || back.Tasks[0].Result.Digest != d.Tasks[0].Result.Digest {
		t.Errorf("round trip lost data: %+v", back)
	}
	b.Reset()
	writeJSON(&b, nonNil([]api.Member(nil)))
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("empty listing prints %q, want []", b.String())
	}
}

func TestProgressLine(t *testing.T) {
	j := api.Job{ID: "vanity-7", State: api.JobRunning, Spec: api.JobSpec{Tasks: 8},
		Counts: api.TaskCounts{Done: 5, Leased: 2, Queued: 1}}
	want := "job vanity-7 running: 5/8 done, 2 leased, 1 queued, 0 failed (3.2s)"
	if got := progressLine(j, 3200*time.Millisecond); got != want {
		t.Errorf("progressLine = %q, want %q", got, want)
	}
	c := api.Job{ID: "cert-2", State: api.JobRunning, Spec: api.JobSpec{Tasks: 4},
		Counts: api.TaskCounts{Done: 1, Verifying: 3}, Replicas: &api.TaskCounts{Leased: 2, Queued: 3, Done: 2}}
	want = "job cert-2 running: 1/4 done, 3 verifying (replicas: 2 leased, 3 queued), 0 failed (3.2s)"
	if got := progressLine(c, 3200*time.Millisecond); got != want {
		t.Errorf("progressLine = %q, want %q", got, want)
	}
}

func TestProgressOnTerminal(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, terminal: true}
	p.update("a", "line one", testNow)
	p.update("a", "two", testNow)
	p.finish()
	if got := b.String(); got != "\rline one\x1b[K\rtwo\x1b[K\n" {
		t.Errorf("terminal progress %q", got)
	}
}

func TestProgressOnLog(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b}
	at := func(d time.Duration) time.Time { return testNow.Add(d) }
	p.update("a", "1", at(0))              // first: printed
	p.update("b", "2", at(time.Second))    // changed, too soon
	p.update("b", "3", at(4*time.Second))  // changed, after a few seconds: printed
	p.update("b", "4", at(20*time.Second)) // unchanged
	p.update("b", "5", at(35*time.Second)) // unchanged for long: printed
	p.finish()
	if got := b.String(); got != "1\n3\n5\n" {
		t.Errorf("log progress %q, want lines 1, 3, 5", got)
	}
}

func TestWriteSummary(t *testing.T) {
	var b bytes.Buffer
	writeSummary(&b, sampleJob(), testNow)
	out := b.String()
	for _, want := range []string{
		"job vanity-7 failed: 1 of 4 tasks succeeded, 2 failed, in 12.3s",
		"task 1: exit 2: panic: out of range",
		"task 2: timeout: ran past 30s",
		"hearth job get vanity-7",
		"hearth job results vanity-7 --out DIR",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "just now", 2 * time.Second: "2s ago", 90 * time.Second: "1m ago",
		5 * time.Hour: "5h ago", 72 * time.Hour: "3d ago"} {
		if got := ago(testNow.Add(-d), testNow); got != want {
			t.Errorf("ago(%s) = %q, want %q", d, got, want)
		}
	}
	if got := ago(time.Time{}, testNow); got != "never" {
		t.Errorf("ago(zero) = %q", got)
	}
	for n, want := range map[uint64]string{512: "512B", 1024: "1Ki", 1536: "1.5Ki", 412 << 20: "412Mi", 3 << 29: "1.5Gi"} {
		if got := bytesIEC(n); got != want {
			t.Errorf("bytesIEC(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{850 * time.Millisecond: "850ms", 3200 * time.Millisecond: "3.2s", 125 * time.Second: "2m5s"} {
		if got := elapsed(d); got != want {
			t.Errorf("elapsed(%s) = %q, want %q", d, got, want)
		}
	}
	if got := firstLine([]byte("\n  \nhello\tworld\nbye"), 8); got != "hello\tw…" {
		t.Errorf("firstLine = %q", got)
	}
	if got := cleanCell("a\tb\x1b[0m\n"); got != "a b[0m " {
		t.Errorf("cleanCell = %q", got)
	}
}

func TestWriteCertifiedJobDetail(t *testing.T) {
	d := api.JobDetail{Job: api.Job{ID: "cert-3", State: api.JobRunning, Created: testNow.Add(-time.Minute),
		Spec:     api.JobSpec{Name: "cert", Runtime: "wasm", Tasks: 2, Certify: &api.CertifySpec{Trust: 0.9, MinReplicas: 1, MaxReplicas: 5, Class: "strict", SpotCheck: 0.05}},
		Counts:   api.TaskCounts{Done: 1, Verifying: 1},
		Replicas: &api.TaskCounts{Done: 3, Queued: 1}}}
	d.Tasks = []api.Task{
		{Index: 0, State: api.TaskDone, Certification: &api.Certification{How: "quorum", Confidence: 0.9412, Canonical: "sha256:aaaa"},
			Replicas: []api.Replica{
				{Replica: 1, State: api.TaskDone, Node: "ABCDEFGHIJ", Class: "wasm/compiler/amd64", Digest: "sha256:aaaa", Weight: 4, Vote: "agrees"},
				{Replica: 2, State: api.TaskDone, Node: "KLMNOPQRST", Class: "wasm/compiler/amd64", Digest: "sha256:aaaa", Weight: 4, Vote: "agrees"}}},
		{Index: 1, State: api.TaskVerifying, Certification: &api.Certification{Confidence: 0.8, Waiting: "a second vote"},
			Replicas: []api.Replica{
				{Replica: 1, State: api.TaskDone, Node: "ABCDEFGHIJ", Class: "wasm/compiler/amd64", Digest: "sha256:bbbb", Weight: 4},
				{Replica: 2, State: api.TaskQueued}}},
	}
	var b bytes.Buffer
	if err := writeJobDetail(&b, d, testNow); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"2: 1 done, 0 leased, 0 queued, 0 failed, 1 verifying",
		"trust 0.9, replicas 1 to 5, class strict, spot checks 0.05",
		"3 done, 0 leased, 1 queued", "Replicas:", "TASK  CERTIFIED", "quorum", "0.9412", "agrees", "waiting: a second vote",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("certified job get lacks %q:\n%s", want, out)
		}
	}
}
