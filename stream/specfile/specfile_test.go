package specfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// writeSpec writes a spec file into a fresh directory.
func writeSpec(t *testing.T, spec string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stream.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const full = `name: temps
topics: ["sensors/+/temp", "sensors/#"]
partitions: 8
key: $.device
kind: map
runtime: wasm
app: fn/average.wasm
app_digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
args: [--window, "10"]
env: {UNIT: celsius}
resources: {cpu: 0.5, memory: 16Mi, timeout: 2s}
output:
  topic: hearth/{stream}/{key}
  allow: ["hearth/temps/#"]
  retain: true
delivery: memory
malformed: raw
log: {max_bytes: 1Mi, max_age: 1h}
`

// Every field of api.StreamSpec can be written in the file and reaches the
// spec.
func TestLoadEveryField(t *testing.T) {
	path := writeSpec(t, full)
	spec, app, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := api.StreamSpec{
		Name: "temps", Topics: []string{"sensors/+/temp", "sensors/#"}, Partitions: 8, Key: "$.device",
		Kind: api.StreamMap, Runtime: "wasm", App: "fn/average.wasm",
		AppDigest: "sha256:0000000000000000000000000000000000000000000000000000000000000000",
		Args:      []string{"--window", "10"}, Env: map[string]string{"UNIT": "celsius"},
		Resources: api.Resources{CPU: 0.5, Memory: 16 << 20, Timeout: api.Duration(2 * time.Second)},
		Output:    api.StreamOutputSpec{Topic: "hearth/{stream}/{key}", Allow: []string{"hearth/temps/#"}, Retain: true},
		Delivery:  api.StreamMemory, Malformed: api.MalformedRaw,
		Log: api.StreamLogSpec{MaxBytes: 1 << 20, MaxAge: api.Duration(time.Hour)},
	}
	if !reflect.DeepEqual(spec, want) {
		t.Errorf("spec\n%+v\nwant\n%+v", spec, want)
	}
	if wantApp := filepath.Join(filepath.Dir(path), "fn", "average.wasm"); app != wantApp {
		t.Errorf("app %q, want %q", app, wantApp)
	}
	// fileSpec must keep up with api.StreamSpec: a field added there and
	// not here could not be written in a file.
	if n, m := reflect.TypeFor[fileSpec]().NumField(), reflect.TypeFor[api.StreamSpec]().NumField(); n != m {
		t.Errorf("fileSpec has %d fields, api.StreamSpec %d", n, m)
	}
}

// The app is found beside the spec file wherever the command runs, and
// returned absolute.
func TestAppRelativeToFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "streams", "temps.yaml")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte("name: temps\ntopics: [a/b]\napp: ../build/fn.wasm\n"), 0o644)
	t.Chdir(dir)
	spec, app, err := Load(filepath.Join("streams", "temps.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "build", "fn.wasm"); app != want || !filepath.IsAbs(app) {
		t.Errorf("app %q, want %q", app, want)
	}
	if spec.App != "../build/fn.wasm" {
		t.Errorf("spec.App %q changed", spec.App)
	}
	abs := filepath.Join(dir, "elsewhere.wasm")
	os.WriteFile(path, []byte("name: temps\napp: "+abs+"\n"), 0o644)
	if _, app, err := Load(path); err != nil || app != abs {
		t.Errorf("absolute app: %q, %v", app, err)
	}
}

// Every bad file is refused with an error that names the line (or the
// field), and not the package's private types.
func TestBadSpecsNameTheLine(t *testing.T) {
	head := "name: temps\napp: fn.wasm\n"
	for _, c := range []struct{ spec, want string }{
		{"topcis: [a/b]\n", "line 3: field topcis not found"},
		{"output:\n  retian: true\n", "line 4: field retian not found"},
		{"resources:\n  timeout: forever\n", "line 4: not a duration"},
		{"log:\n  max_age: soon\n", "line 4: not a duration"},
		{"log: {max_bytes: lots}\n", "line 3"},
		{"resources: {memory: nan}\n", "line 3"},
		{"partitions: many\n", "line 3"},
		{"topics: sensors: temp\n", "line 3"},
		{"output: [a]\n", "line 3"},
		{"log: [a]\n", "line 3"},
		{"resources: 2\n", "line 3"},
	} {
		_, _, err := Load(writeSpec(t, head+c.spec))
		if !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one saying %q", c.spec, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "specfile.") || strings.Contains(err.Error(), "struct {")) {
			t.Errorf("%q: error names a private type: %v", c.spec, err)
		}
	}
}

func TestMissingFileAppAndContent(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	if _, _, err := Load(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
	path := writeSpec(t, "name: temps\ntopics: [a/b]\n")
	if _, _, err := Load(path); !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), "app: required") || !strings.HasPrefix(err.Error(), path) {
		t.Errorf("no app: %v", err)
	}
	if _, _, err := Load(writeSpec(t, "topics: [a/b]\napp: fn.wasm\n")); !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), "name: required") {
		t.Errorf("no name: %v", err)
	}
	for _, empty := range []string{"", "# nothing yet\n"} {
		if _, _, err := Load(writeSpec(t, empty)); !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), "empty") {
			t.Errorf("empty file %q: %v", empty, err)
		}
	}
}

// JSON is YAML too, with sizes and durations as strings or numbers.
func TestJSON(t *testing.T) {
	spec, err := Parse([]byte(`{"name": "temps", "topics": ["a/b"], "app": "fn.wasm", "resources": {"memory": "8Mi", "timeout": 3}, "log": {"max_bytes": 4096}}`))
	if err != nil {
		t.Fatal(err)
	}
	if spec.Resources.Memory != 8<<20 || spec.Resources.Timeout.D() != 3*time.Second || spec.Log.MaxBytes != 4096 {
		t.Errorf("spec %+v", spec)
	}
}
