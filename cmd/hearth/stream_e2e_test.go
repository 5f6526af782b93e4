package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
)

// skipWithoutStreams skips a test against a gateway that does not route
// /v1/streams yet: its router answers 404 with no error code of the
// gateway's own.
func skipWithoutStreams(t *testing.T, env map[string]string) {
	t.Helper()
	creds, err := api.LoadCredentials(env["HEARTH_CREDENTIALS"])
	if err != nil {
		t.Fatal(err)
	}
	cl, err := api.NewAdminClient(creds)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	_, err = cl.Streams(context.Background())
	var e *api.Error
	if errors.As(err, &e) && e.Status == 404 && !errors.Is(err, api.ErrNotFound) {
		t.Skip("the gateway does not serve /v1/streams yet (404 from its router): skipped until gateway/http.go routes the stream calls")
	}
	if err != nil {
		t.Fatalf("GET /v1/streams: %v", err)
	}
}

func TestEndToEndStreams(t *testing.T) {
	_, env := startGateway(t)
	skipWithoutStreams(t, env)

	if out := mustRun(t, env, 0, "stream", "ls"); !strings.Contains(out, "No streams yet") {
		t.Errorf("no streams:\n%s", out)
	}
	app := "\x00asm average"
	path := writeStreamSpec(t, "name: temps\ntopics: [\"sensors/+/temp\"]\npartitions: 2\nruntime: wasm\napp: fn/average.wasm\n",
		map[string]string{"fn/average.wasm": app})
	s := decodeJSON[api.Stream](t, mustRun(t, env, 0, "stream", "deploy", path, "-o", "json"))
	if s.Spec.Name != "temps" || s.Version != 1 || s.Spec.AppDigest != digestOf([]byte(app)) || s.Spec.App != "average.wasm" {
		t.Errorf("deployed %+v", s)
	}

	ss := decodeJSON[[]api.Stream](t, mustRun(t, env, 0, "stream", "ls", "-o", "json"))
	if len(ss) != 1 || ss[0].Spec.Name != "temps" || len(ss[0].Partitions) != 2 {
		t.Errorf("stream ls: %+v", ss)
	}
	if row := strings.Fields(lineWith(mustRun(t, env, 0, "stream", "ls"), "temps")); len(row) < 3 || row[1] != "1" || row[2] != "2" {
		t.Errorf("stream ls row %q", row)
	}
	if out := mustRun(t, env, 0, "stream", "get", "temps"); !strings.Contains(out, "sensors/+/temp") || !strings.Contains(out, "INDEX") {
		t.Errorf("stream get:\n%s", out)
	}

	// Deploying it again says how to change it instead.
	_, errOut, code := runCLI(t, env, "stream", "deploy", path)
	if code != exitFail || !strings.Contains(errOut, "hearth stream update "+path) {
		t.Errorf("deploy twice: exit %d\n%s", code, errOut)
	}
	_, errOut, code = runCLI(t, env, "stream", "get", "nope")
	if code != exitFail || !strings.Contains(errOut, `no stream "nope"`) {
		t.Errorf("get unknown: exit %d\n%s", code, errOut)
	}

	// An update with a new app uploads it and moves the version on.
	path = writeStreamSpec(t, "name: temps\ntopics: [\"sensors/+/temp\"]\npartitions: 2\nruntime: wasm\napp: average.wasm\n",
		map[string]string{"average.wasm": app + " v2"})
	if out := mustRun(t, env, 0, "stream", "update", path); !strings.Contains(out, "updated stream temps, version 2") {
		t.Errorf("update:\n%s", out)
	}
	s = decodeJSON[api.Stream](t, mustRun(t, env, 0, "stream", "get", "temps", "-o", "json"))
	if s.Version != 2 || s.Spec.AppDigest != digestOf([]byte(app+" v2")) {
		t.Errorf("after update: %+v", s)
	}
	logs := decodeJSON[[]api.StreamLogEntry](t, mustRun(t, env, 0, "stream", "logs", "temps", "-o", "json"))
	if len(logs) < 2 {
		t.Errorf("logs after deploy and update: %+v", logs)
	}
	if out := mustRun(t, env, 0, "stream", "logs", "temps"); !strings.Contains(out, "MESSAGE") {
		t.Errorf("logs:\n%s", out)
	}

	if out := mustRun(t, env, 0, "stream", "rm", "temps"); out != "removed stream temps\n" {
		t.Errorf("rm: %q", out)
	}
	if ss := decodeJSON[[]api.Stream](t, mustRun(t, env, 0, "stream", "ls", "-o", "json")); len(ss) != 0 {
		t.Errorf("after rm: %+v", ss)
	}
	_, errOut, code = runCLI(t, env, "stream", "update", path)
	if code != exitFail || !strings.Contains(errOut, "hearth stream deploy "+path) {
		t.Errorf("update removed: exit %d\n%s", code, errOut)
	}
}
