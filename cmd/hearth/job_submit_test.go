package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/api/jobfile"
)

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// writeJob writes a spec and its files into a fresh directory.
func writeJob(t *testing.T, spec string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPrepareSubmission(t *testing.T) {
	app, data := "\x00asm fake module", "a,b\n1,2\n"
	path := writeJob(t, `
name: sums
runtime: wasm
app: app.wasm
app_digest: `+digestOf([]byte(app))+`
tasks: 2
inputs:
  - {name: data.csv, path: data.csv}
  - {name: again.csv, path: data.csv}
  - {name: stored.bin, digest: `+digestOf([]byte("elsewhere"))+`, size: 9}
`, map[string]string{"app.wasm": app, "data.csv": data})
	spec, err := jobfile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := prepareSubmission(spec)
	if err != nil {
		t.Fatal(err)
	}
	s := sub.spec
	if s.App != "app.wasm" || s.AppDigest != digestOf([]byte(app)) {
		t.Errorf("app %q digest %q", s.App, s.AppDigest)
	}
	want := []api.Input{
		{Name: "data.csv", Digest: digestOf([]byte(data)), Size: int64(len(data))},
		{Name: "again.csv", Digest: digestOf([]byte(data)), Size: int64(len(data))},
		{Name: "stored.bin", Digest: digestOf([]byte("elsewhere")), Size: 9},
	}
	for i, in := range s.Inputs {
		if in != want[i] {
			t.Errorf("input %d = %+v, want %+v", i, in, want[i])
		}
	}
	// The same content is uploaded once; a digest-only input not at all.
	if len(sub.uploads) != 2 || sub.uploads[0].what != "app" || sub.uploads[1].size != int64(len(data)) {
		t.Errorf("uploads = %+v", sub.uploads)
	}
	// The gateway must still accept what we send.
	if err := api.ValidateJobSpec(&s); err != nil {
		t.Errorf("prepared spec does not validate: %v", err)
	}
	if spec.App == s.App {
		t.Error("prepareSubmission changed its caller's spec")
	}
}

// A pinned app that differs from the file is refused before any network:
// the environment has no credentials at all, so reaching for the gateway
// would fail differently.
func TestSubmitRefusesMismatchedAppDigest(t *testing.T) {
	wrong := digestOf([]byte("another build"))
	path := writeJob(t, "name: x\nruntime: wasm\napp: app.wasm\napp_digest: "+wrong+"\n",
		map[string]string{"app.wasm": "this build"})
	out, errOut, code := runCLI(t, map[string]string{"HOME": t.TempDir()}, "job", "submit", path, "--wait")
	if code != exitFail || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	appPath := filepath.Join(filepath.Dir(path), "app.wasm")
	for _, want := range []string{"app " + appPath + " does not match app_digest " + wrong, digestOf([]byte("this build")), "nothing was uploaded"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "credentials") {
		t.Errorf("looked for credentials before checking the app:\n%s", errOut)
	}

	spec, _ := jobfile.Load(path)
	_, err := prepareSubmission(spec)
	var pe *pinError
	if !errors.As(err, &pe) || pe.field != "app_digest" {
		t.Errorf("err = %v, want a pinError on app_digest", err)
	}
}

func TestSubmitRefusesMismatchedInputDigest(t *testing.T) {
	path := writeJob(t, "name: x\nruntime: wasm\napp: app.wasm\ninputs:\n  - {name: in, path: in.txt, digest: "+digestOf([]byte("old"))+"}\n",
		map[string]string{"app.wasm": "app", "in.txt": "new"})
	_, errOut, code := runCLI(t, map[string]string{"HOME": t.TempDir()}, "job", "submit", path)
	if code != exitFail || !strings.Contains(errOut, "input in ") || !strings.Contains(errOut, "does not match inputs[0].digest") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

func TestSubmitSpecErrorsAsIs(t *testing.T) {
	for spec, want := range map[string]string{
		"name: x\nruntime: wasm\napp: app.wasm\ntaks: 3\n":       "field taks not found",
		"name: x\nruntime: docker\napp: app.wasm\n":              "runtime: unknown runtime",
		"name: x\nruntime: wasm\n":                               "app: required",
		"name: x\nruntime: wasm\napp: missing.wasm\n":            "missing.wasm: no such file",
		"name: x\nruntime: wasm\napp: app.wasm\ntasks: -1\n":     "tasks: must be between",
		"name: bad name\nruntime: wasm\napp: app.wasm\n":         "name: must be",
		"name: x\nruntime: wasm\napp: app.wasm\napp_digest: 1\n": "app_digest: must be sha256",
	} {
		path := writeJob(t, spec, map[string]string{"app.wasm": "app"})
		_, errOut, code := runCLI(t, map[string]string{"HOME": t.TempDir()}, "job", "submit", path)
		if code != exitFail || !strings.Contains(errOut, want) {
			t.Errorf("spec %q: exit %d, stderr lacks %q:\n%s", spec, code, want, errOut)
		}
	}
}

// A prefer-native job's module is hashed and uploaded beside its image,
// and the spec sent names it by digest.
func TestPrepareSubmissionPreferNative(t *testing.T) {
	image, module := "an image archive", "\x00asm the same program"
	path := writeJob(t, `
name: both
runtime: oci
app: app.oci.tar
prefer: native
wasm: app.wasm
`, map[string]string{"app.oci.tar": image, "app.wasm": module})
	spec, err := jobfile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := prepareSubmission(spec)
	if err != nil {
		t.Fatal(err)
	}
	s := sub.spec
	if s.Prefer != api.PreferNative || s.Wasm != "app.wasm" || s.WasmDigest != digestOf([]byte(module)) || s.AppDigest != digestOf([]byte(image)) {
		t.Errorf("spec %+v", s)
	}
	if len(sub.uploads) != 2 || sub.uploads[1].what != "wasm" {
		t.Errorf("uploads = %+v", sub.uploads)
	}
}
