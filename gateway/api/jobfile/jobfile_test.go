package jobfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
)

const digest0 = "sha256:0000000000000000000000000000000000000000000000000000000000000000"

// Every bad spec is refused with an error that says where: the field, or
// for values that do not parse, the line.
func TestParseJobSpecNamesTheBadField(t *testing.T) {
	head := "name: x\nruntime: wasm\n"
	cases := []struct{ spec, want string }{
		{"resources:\n  cpu: .nan\n", "resources.cpu"},
		{"resources:\n  memory: lots\n", "line 4"},
		{"resources:\n  timeout: forever\n", "line 4"},
		{"resources:\n  timeout: nan\n", "line 4"},
		{"resources:\n  timeout: inf\n", "line 4"},
		{"resources:\n  timeout: 1e300\n", "line 4"},
		{"resources:\n  memory: nan\n", "line 4"},
		{"resources:\n  memory: 1e300\n", "line 4"},
		{"args: [ok, \"a\\0b\"]\n", "args[1]"},
		{"env: {A: \"a\\0b\"}\n", "env.A"},
		{"inputs: [{name: \"a\\0b\", digest: " + digest0 + "}]\n", "inputs[0].name"},
		{"inputs: [{name: a, size: -5, digest: " + digest0 + "}]\n", "inputs[0].size"},
		{"tasks: many\n", "line 3"},
		{"retries: 11\n", "retries"},
		{"user: alice\n", "user"},
		{"image: registry.lan/app:1\n", "only runtime oci"},
	}
	for _, c := range cases {
		_, err := Parse([]byte(head + c.spec))
		if !errors.Is(err, api.ErrBadSpec) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %s", c.spec, err, c.want)
		}
	}
	spec, err := Parse([]byte(head + "resources: {cpu: 0.5, memory: 128Mi, timeout: 90}\nenv: {A: \"{{index}}\"}\n"))
	if err != nil || spec.Resources.Memory != 128<<20 || spec.Resources.Timeout.D().Seconds() != 90 {
		t.Fatalf("good spec: %+v, %v", spec, err)
	}
}

func TestUnknownFieldAndPaths(t *testing.T) {
	_, err := Parse([]byte("name: x\nruntime: wasm\ntaks: 8\n"))
	if !errors.Is(err, api.ErrBadSpec) || !strings.Contains(err.Error(), "line 3: field taks not found") || strings.Contains(err.Error(), "fileSpec") {
		t.Fatalf("typo: %v", err)
	}
	_, err = Parse([]byte("name: x\nruntime: jvm\n"))
	if !errors.Is(err, api.ErrBadSpec) || !strings.Contains(err.Error(), "runtime") {
		t.Fatalf("unknown runtime: %v", err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "job.yaml")
	os.WriteFile(p, []byte("name: x\nruntime: wasm\napp: app.wasm\ninputs: [{name: a.txt, path: data/a.txt}]\n"), 0o644)
	spec, err := Load(p)
	if err != nil || spec.App != filepath.Join(dir, "app.wasm") || spec.Inputs[0].Path != filepath.Join(dir, "data/a.txt") {
		t.Fatalf("Load = %+v, %v", spec, err)
	}
	os.WriteFile(p, []byte("name: x\nruntime: wasm\n"), 0o644)
	if _, err := Load(p); !errors.Is(err, api.ErrBadSpec) || !strings.Contains(err.Error(), "app") {
		t.Fatalf("Load without app: %v", err)
	}
	// JSON is YAML too.
	if _, err := Parse([]byte(`{"name": "x", "runtime": "wasm", "tasks": 2, "resources": {"memory": "8Mi"}}`)); err != nil {
		t.Fatalf("JSON spec: %v", err)
	}
}

// An oci spec may name a user, and an image by reference instead of an app
// file.
func TestOCIFields(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "job.yaml")
	spec := "name: pulled\nruntime: oci\nimage: registry.lan:5000/vanity:1\nuser: \"1000:1000\"\n"
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Image != "registry.lan:5000/vanity:1" || s.User != "1000:1000" || s.App != "" {
		t.Errorf("spec %+v", s)
	}
	both := spec + "app: vanity.oci.tar\n"
	if _, err := Parse([]byte(both)); !errors.Is(err, api.ErrBadSpec) || !strings.Contains(err.Error(), "not both") {
		t.Errorf("app and image: %v", err)
	}
	neither := "name: x\nruntime: oci\n"
	if err := os.WriteFile(path, []byte(neither), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); !errors.Is(err, api.ErrBadSpec) || !strings.Contains(err.Error(), "image:") {
		t.Errorf("neither app nor image: %v", err)
	}
}

// A prefer-native spec names its module, resolved beside the file like the
// app; examples/vanity/job-native.yaml is one.
func TestPreferNative(t *testing.T) {
	s, err := Load(filepath.Join("..", "..", "..", "examples", "vanity", "job-native.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "..", "examples", "vanity")
	if s.Prefer != api.PreferNative || s.Runtime != "oci" || s.Wasm != filepath.Join(dir, "vanity.wasm") || s.App != filepath.Join(dir, "vanity.oci.tar") {
		t.Errorf("spec %+v", s)
	}
	if _, err := Parse([]byte("name: x\nruntime: wasm\napp: a.wasm\nwasm: b.wasm\n")); !errors.Is(err, api.ErrBadSpec) || !strings.Contains(err.Error(), "prefer") {
		t.Errorf("wasm without prefer: %v", err)
	}
}
