// Package specfile reads stream spec files (YAML, or JSON, which is YAML
// too) into api.StreamSpec, for `hearth stream deploy`. Like jobfile, it
// lives apart from package api so that the YAML parser stays out of
// hearth-agent.
//
// It checks only what the file itself can get wrong: unknown fields, values
// that do not parse, a missing name or app. Whether the spec makes sense (topic
// filters, partition counts, the output template) is the gateway's to say
// when the stream is deployed.
package specfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/api/jobfile"
)

// ErrBadSpec is returned when a spec file does not parse, names a field a
// stream spec does not have, or lacks its name or app; the message names the line
// or the field.
var ErrBadSpec = errors.New("invalid stream spec")

// fileSpec mirrors api.StreamSpec field for field, with YAML-aware scalar
// types.
type fileSpec struct {
	Name       string            `yaml:"name"`
	Topics     []string          `yaml:"topics"`
	Partitions int               `yaml:"partitions"`
	Key        string            `yaml:"key"`
	Kind       string            `yaml:"kind"`
	Window     *window           `yaml:"window"`
	Runtime    string            `yaml:"runtime"`
	App        string            `yaml:"app"`
	AppDigest  string            `yaml:"app_digest"`
	Args       []string          `yaml:"args"`
	Env        map[string]string `yaml:"env"`
	Resources  resources         `yaml:"resources"`
	Output     output            `yaml:"output"`
	Delivery   string            `yaml:"delivery"`
	Malformed  string            `yaml:"malformed"`
	Log        logBounds         `yaml:"log"`
}

// The nested types are named so that yaml.v3's errors name them, and
// cleanYAMLError can cut the name off, rather than spell a struct out.
type resources struct {
	CPU     float64  `yaml:"cpu"`
	Memory  size     `yaml:"memory"`
	Timeout duration `yaml:"timeout"`
}

type window struct {
	Type   string   `yaml:"type"`
	Size   duration `yaml:"size"`
	Count  int      `yaml:"count"`
	Time   string   `yaml:"time"`
	TSPath string   `yaml:"ts_path"`
	Late   duration `yaml:"late"`
}

type output struct {
	Topic  string      `yaml:"topic"`
	Allow  []string    `yaml:"allow"`
	Retain bool        `yaml:"retain"`
	HA     *api.HASpec `yaml:"ha"`
}

type logBounds struct {
	MaxBytes size     `yaml:"max_bytes"`
	MaxAge   duration `yaml:"max_age"`
}

// size and duration are jobfile's: their parse errors carry the line.
type size = jobfile.Size
type duration = jobfile.Duration

// Load reads a spec file and returns the spec and the path of its app,
// resolved against the file's directory and made absolute. The spec's App
// is left as the file wrote it; the caller uploads the app and sets
// AppDigest.
func Load(path string) (api.StreamSpec, string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return api.StreamSpec{}, "", fmt.Errorf("read stream spec: %w", err)
	}
	spec, err := Parse(raw)
	if err != nil {
		return api.StreamSpec{}, "", fmt.Errorf("%s: %w", path, err)
	}
	// The name addresses the stream (update, get, rm) and the app is what
	// it runs: without either the file cannot be deployed at all.
	if spec.Name == "" {
		return api.StreamSpec{}, "", fmt.Errorf("%s: %w: name: required (the stream's name, e.g. name: temps)", path, ErrBadSpec)
	}
	if spec.App == "" {
		return api.StreamSpec{}, "", fmt.Errorf("%s: %w: app: required (the path of the function's program, relative to the spec file)", path, ErrBadSpec)
	}
	app := spec.App
	if !filepath.IsAbs(app) {
		app = filepath.Join(filepath.Dir(path), app)
	}
	if app, err = filepath.Abs(app); err != nil {
		return api.StreamSpec{}, "", fmt.Errorf("%s: app: %w", path, err)
	}
	return spec, app, nil
}

// Parse decodes a spec. Unknown fields are errors, so that a typo
// ("topcis:") is not silently ignored; errors name the line.
func Parse(raw []byte) (api.StreamSpec, error) {
	var f fileSpec
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return api.StreamSpec{}, fmt.Errorf("%w: the file is empty", ErrBadSpec)
		}
		return api.StreamSpec{}, fmt.Errorf("%w: %s", ErrBadSpec, cleanYAMLError(err))
	}
	var w *api.WindowSpec
	if f.Window != nil {
		w = &api.WindowSpec{Type: f.Window.Type, Size: api.Duration(f.Window.Size), Count: f.Window.Count,
			Time: f.Window.Time, TSPath: f.Window.TSPath, Late: api.Duration(f.Window.Late)}
	}
	return api.StreamSpec{
		Name: f.Name, Topics: f.Topics, Partitions: f.Partitions, Key: f.Key, Kind: f.Kind, Window: w,
		Runtime: f.Runtime, App: f.App, AppDigest: f.AppDigest, Args: f.Args, Env: f.Env,
		Resources: api.Resources{CPU: f.Resources.CPU, Memory: api.Bytes(f.Resources.Memory),
			Timeout: api.Duration(f.Resources.Timeout)},
		Output:    api.StreamOutputSpec{Topic: f.Output.Topic, Allow: f.Output.Allow, Retain: f.Output.Retain, HA: f.Output.HA},
		Delivery:  f.Delivery,
		Malformed: f.Malformed,
		Log:       api.StreamLogSpec{MaxBytes: api.Bytes(f.Log.MaxBytes), MaxAge: api.Duration(f.Log.MaxAge)},
	}, nil
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
		for _, private := range []string{" in type specfile.", " into specfile."} {
			if i := strings.Index(l, private); i >= 0 {
				l = l[:i]
			}
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "; ")
}
