// Package jobfile reads job spec files (YAML, or JSON, which is YAML too)
// into api.JobSpec. It lives apart from package api so that the YAML parser
// stays out of hearth-agent, which speaks only JSON.
package jobfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hearth-home/hearth/gateway/api"
)

// fileSpec mirrors api.JobSpec field for field, with YAML-aware scalar types.
type fileSpec struct {
	Name       string            `yaml:"name"`
	Runtime    string            `yaml:"runtime"`
	App        string            `yaml:"app"`
	AppDigest  string            `yaml:"app_digest"`
	Image      string            `yaml:"image"`
	Prefer     string            `yaml:"prefer"`
	Wasm       string            `yaml:"wasm"`
	WasmDigest string            `yaml:"wasm_digest"`
	User       string            `yaml:"user"`
	Args       []string          `yaml:"args"`
	Env        map[string]string `yaml:"env"`
	Tasks      int               `yaml:"tasks"`
	Resources  struct {
		CPU     float64  `yaml:"cpu"`
		Memory  Size     `yaml:"memory"`
		Timeout Duration `yaml:"timeout"`
	} `yaml:"resources"`
	Inputs  []api.Input      `yaml:"inputs"`
	Retries *int             `yaml:"retries"`
	Certify *api.CertifySpec `yaml:"certify"`
}

// Size and Duration read api.Bytes and api.Duration from YAML and give
// their parse errors the line (yaml.v3 passes an unmarshaler's error on as
// it is); the readers of other spec files (stream/specfile) use them too.
type Size api.Bytes
type Duration api.Duration

// UnmarshalYAML implements yaml.Unmarshaler.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	if err := (*api.Bytes)(s).UnmarshalText([]byte(n.Value)); err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	return nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if err := (*api.Duration)(d).UnmarshalText([]byte(n.Value)); err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	return nil
}

// Load reads a spec file, resolves App and Inputs[].Path relative to the
// file, and validates it for submission.
func Load(path string) (api.JobSpec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return api.JobSpec{}, fmt.Errorf("read job spec: %w", err)
	}
	spec, err := Parse(raw)
	if err != nil {
		return api.JobSpec{}, fmt.Errorf("%s: %w", path, err)
	}
	base := filepath.Dir(path)
	if spec.App != "" && !filepath.IsAbs(spec.App) {
		spec.App = filepath.Join(base, spec.App)
	}
	if spec.Wasm != "" && !filepath.IsAbs(spec.Wasm) {
		spec.Wasm = filepath.Join(base, spec.Wasm)
	}
	for i := range spec.Inputs {
		if p := spec.Inputs[i].Path; p != "" && !filepath.IsAbs(p) {
			spec.Inputs[i].Path = filepath.Join(base, p)
		}
	}
	if spec.App == "" && spec.Image == "" {
		return api.JobSpec{}, fmt.Errorf("%s: %w: app: required (path to the program; for runtime oci, image: a registry reference will do)", path, api.ErrBadSpec)
	}
	return spec, nil
}

// Parse decodes and validates a spec. Unknown fields are errors, so that a
// typo ("taks: 8") is not silently ignored; errors name the line or field.
func Parse(raw []byte) (api.JobSpec, error) {
	var f fileSpec
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return api.JobSpec{}, fmt.Errorf("%w: %s", api.ErrBadSpec, cleanYAMLError(err))
	}
	spec := api.JobSpec{
		Name: f.Name, Runtime: f.Runtime, App: f.App, AppDigest: f.AppDigest, Image: f.Image, User: f.User,
		Prefer: f.Prefer, Wasm: f.Wasm, WasmDigest: f.WasmDigest,
		Args: f.Args, Env: f.Env,
		Tasks: f.Tasks, Inputs: f.Inputs, Retries: f.Retries, Certify: f.Certify,
		Resources: api.Resources{CPU: f.Resources.CPU, Memory: api.Bytes(f.Resources.Memory), Timeout: api.Duration(f.Resources.Timeout)},
	}
	if err := api.ValidateJobSpec(&spec); err != nil {
		return api.JobSpec{}, err
	}
	return spec, nil
}

// cleanYAMLError drops yaml.v3's framing and the names of this package's
// private types, keeping the line and the field.
func cleanYAMLError(err error) string {
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(l, "yaml: "))
		if l == "" || l == "unmarshal errors:" {
			continue
		}
		if i := strings.Index(l, " in type jobfile."); i >= 0 {
			l = l[:i]
		}
		if i := strings.Index(l, " into jobfile."); i >= 0 {
			l = l[:i]
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "; ")
}
