package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hearth-home/hearth/sandbox"
)

// ErrBadSpec is returned when a job or stream spec is malformed; the message names
// the field.
var ErrBadSpec = errors.New("invalid spec")

// Limits on what one job may ask for.
const (
	MaxTasks   = 100000
	MaxRetries = 10
	// MaxImageRef bounds JobSpec.Image.
	MaxImageRef = 512
)

// Runtimes known to this build. A job naming another runtime is refused at
// submit.
var Runtimes = []string{"wasm", "oci"}

// PreferNative is JobSpec.Prefer for a job that runs as a container where
// a device can, and as wasm elsewhere.
const PreferNative = "native"

// JobSpec is what people submit. In a file (read by package jobfile), App
// and Inputs[].Path are paths relative to the file; the CLI uploads them and
// sends the spec with AppDigest and Inputs[].Digest filled in.
type JobSpec struct {
	Name    string `json:"name" yaml:"name"`
	Runtime string `json:"runtime" yaml:"runtime"`
	// App is the program: a path at submit time.
	App string `json:"app,omitempty" yaml:"app"`
	// AppDigest pins the app's content. Optional in a file (then the file
	// must match it); always set once submitted.
	AppDigest string `json:"app_digest,omitempty" yaml:"app_digest"`
	// Image, for runtime oci instead of App, is a registry reference that
	// agents pull the app from: "registry.lan:5000/vanity:1", or pinned,
	// "...@sha256:...". The gateway resolves it when the job is submitted
	// and keeps it pinned to that digest (in AppDigest too), so that every
	// task runs the same image even if the tag moves.
	Image string `json:"image,omitempty" yaml:"image"`
	// Prefer, for runtime oci, is PreferNative when the job carries a WASI
	// module of the same program too (Wasm): its tasks run as containers
	// on the devices that run one of the image's platforms and as wasm on
	// the others, and placement compares each device by the speed it would
	// run them at (docs/scheduling.md). Empty: the runtime pins.
	Prefer string `json:"prefer,omitempty" yaml:"prefer"`
	// Wasm is that module, for prefer native: a path at submit time.
	Wasm string `json:"wasm,omitempty" yaml:"wasm"`
	// WasmDigest pins Wasm's content, as AppDigest pins App's; always set
	// once submitted.
	WasmDigest string `json:"wasm_digest,omitempty" yaml:"wasm_digest"`
	// Args and Env values may use {{index}} (the task's index, from 0),
	// {{tasks}} (the task count) and {{job}} (the job ID).
	Args []string          `json:"args,omitempty" yaml:"args"`
	Env  map[string]string `json:"env,omitempty" yaml:"env"`
	// Tasks is the number of tasks. Default 1.
	Tasks     int       `json:"tasks" yaml:"tasks"`
	Resources Resources `json:"resources" yaml:"resources"`
	// Inputs are files every task sees read-only under /in.
	Inputs []Input `json:"inputs,omitempty" yaml:"inputs"`
	// Platforms are the platforms an oci app has images for, e.g.
	// "linux/amd64", "linux/arm/v6". The gateway reads them from the app
	// at submit (what a spec says is replaced) and leases the job's tasks
	// only to agents that run one of them.
	Platforms []string `json:"platforms,omitempty" yaml:"-"`
	// Retries is how many more attempts a task gets after a failure that
	// is not its own fault (its agent was lost, a sandbox failure). Default 3.
	Retries *int `json:"retries,omitempty" yaml:"retries"`
	// User is who an oci task runs as in its container: empty for nobody
	// (65534:65534, the default), "root", or "UID[:GID]". wasm tasks have
	// no users and ignore it.
	User string `json:"user,omitempty" yaml:"user"`
	// Certify, when set, runs each task as replicas on distinct devices
	// and takes a result only when enough of them agree
	// (docs/certification.md). Nil: one device's result is the task's.
	Certify *CertifySpec `json:"certify,omitempty" yaml:"certify"`
}

// CertifySpec is how much a job wants to trust its results.
type CertifySpec struct {
	// Trust is the confidence a result needs, from 0.5 to 0.9999: the
	// agreeing replicas' weight (their devices' credibility) against all
	// replicas' must exceed it, by iExec's consensus rule. Default 0.9.
	Trust float64 `json:"trust,omitempty" yaml:"trust"`
	// MinReplicas is how many devices run each task at least, agreeing
	// replicas counted. Default 1: a device that earned the trust alone
	// is believed (checked at the spot-check rate).
	MinReplicas int `json:"min_replicas,omitempty" yaml:"min_replicas"`
	// MaxReplicas bounds the replicas of a task; a task whose replicas
	// reach it without agreeing fails as inconclusive. Default 5.
	MaxReplicas int `json:"max_replicas,omitempty" yaml:"max_replicas"`
	// Class is which devices' results are compared: "strict" (default),
	// only devices of one runtime, engine and architecture, or "any",
	// where a task's results that split exactly along those classes mark
	// the app nondeterministic across them (and nobody is blamed).
	Class string `json:"class,omitempty" yaml:"class"`
	// SpotCheck is the least share of results accepted on one device's
	// word that are replicated all the same. Default 0.05.
	SpotCheck float64 `json:"spot_check,omitempty" yaml:"spot_check"`
}

// Certification classes (CertifySpec.Class).
const (
	ClassStrict = "strict"
	ClassAny    = "any"
)

// Certification limits.
const (
	MinTrust       = 0.5
	MaxTrust       = 0.9999
	MaxReplicasCap = 9
)

// validateCertify checks c and fills its defaults.
func validateCertify(c *CertifySpec) error {
	if c.Trust == 0 {
		c.Trust = 0.9
	}
	if !(c.Trust >= MinTrust && c.Trust <= MaxTrust) { // NaN too
		return fieldErr("certify.trust", "must be between %v and %v, got %v", MinTrust, MaxTrust, c.Trust)
	}
	if c.MinReplicas == 0 {
		c.MinReplicas = 1
	}
	if c.MaxReplicas == 0 {
		c.MaxReplicas = max(5, c.MinReplicas)
	}
	if c.MinReplicas < 1 || c.MinReplicas > MaxReplicasCap {
		return fieldErr("certify.min_replicas", "must be between 1 and %d, got %d", MaxReplicasCap, c.MinReplicas)
	}
	if c.MaxReplicas < max(2, c.MinReplicas) || c.MaxReplicas > MaxReplicasCap {
		return fieldErr("certify.max_replicas", "must be between max(2, min_replicas) and %d, got %d", MaxReplicasCap, c.MaxReplicas)
	}
	switch c.Class {
	case "":
		c.Class = ClassStrict
	case ClassStrict, ClassAny:
	default:
		return fieldErr("certify.class", "must be %q or %q, got %q", ClassStrict, ClassAny, c.Class)
	}
	if c.SpotCheck == 0 {
		c.SpotCheck = 0.05
	}
	if !(c.SpotCheck > 0 && c.SpotCheck <= 1) {
		return fieldErr("certify.spot_check", "must be above 0 and at most 1, got %v", c.SpotCheck)
	}
	return nil
}

// Resources bound each task. Zero fields take the defaults documented here.
type Resources struct {
	// CPU is cores per task. Default 1.
	CPU float64 `json:"cpu,omitempty" yaml:"cpu"`
	// Memory per task. Default 64Mi.
	Memory Bytes `json:"memory,omitempty" yaml:"memory"`
	// Timeout per task attempt. Default 1m.
	Timeout Duration `json:"timeout,omitempty" yaml:"timeout"`
}

// Input is one input file.
type Input struct {
	// Name is the file's name under /in.
	Name string `json:"name" yaml:"name"`
	// Path is the local file at submit time.
	Path string `json:"path,omitempty" yaml:"path"`
	// Digest pins the content; set by the CLI when submitting.
	Digest string `json:"digest,omitempty" yaml:"digest"`
	Size   int64  `json:"size,omitempty" yaml:"size"`
}

func fieldErr(field, format string, a ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrBadSpec, field, fmt.Sprintf(format, a...))
}

// validName reports whether s is 1-63 letters, digits, '.', '_' or '-',
// starting with a letter or digit.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i, c := range []byte(s) {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

// ValidDigest reports whether s is "sha256:" and 64 lowercase hex digits.
func ValidDigest(s string) bool {
	hexpart, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(hexpart) != 64 {
		return false
	}
	for _, c := range []byte(hexpart) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// ValidateJobSpec checks every field of s and fills defaults; the error
// names the first bad field. It is a function, not a method: the agent
// links this package, and its containerd client looks methods up by name
// (which keeps every exported method of every linked type in the binary),
// while the agent never validates a spec.
func ValidateJobSpec(s *JobSpec) error {
	if !validName(s.Name) {
		return fieldErr("name", "must be 1-63 letters, digits, '.', '_' or '-', got %q", s.Name)
	}
	known := false
	for _, r := range Runtimes {
		known = known || r == s.Runtime
	}
	if !known {
		return fieldErr("runtime", "unknown runtime %q (known: %s)", s.Runtime, strings.Join(Runtimes, ", "))
	}
	if s.Tasks == 0 {
		s.Tasks = 1
	}
	if s.Tasks < 0 || s.Tasks > MaxTasks {
		return fieldErr("tasks", "must be between 1 and %d, got %d", MaxTasks, s.Tasks)
	}
	if s.Image != "" {
		switch {
		case s.Runtime != "oci":
			return fieldErr("image", "only runtime oci pulls images; a %s app is a file, given by app", s.Runtime)
		case s.App != "":
			return fieldErr("image", "give app (a file) or image (a registry reference), not both")
		case len(s.Image) > MaxImageRef || strings.ContainsAny(s.Image, " \t\r\n\x00"):
			return fieldErr("image", "must be a registry reference of at most %d bytes without spaces, got %q", MaxImageRef, s.Image)
		}
	}
	switch {
	case s.Prefer != "" && s.Prefer != PreferNative:
		return fieldErr("prefer", "must be %q or empty, got %q", PreferNative, s.Prefer)
	case s.Prefer == PreferNative && s.Runtime != "oci":
		return fieldErr("prefer", "native needs runtime oci (the image) and wasm (the module to run elsewhere)")
	case s.Prefer == PreferNative && s.Wasm == "" && s.WasmDigest == "":
		return fieldErr("wasm", "prefer native needs the program as a WASI module too, for the devices without containers")
	case s.Prefer == "" && (s.Wasm != "" || s.WasmDigest != ""):
		return fieldErr("wasm", "only with prefer: native; a wasm job gives its module as app")
	case s.WasmDigest != "" && !ValidDigest(s.WasmDigest):
		return fieldErr("wasm_digest", "must be sha256: and 64 hex digits, got %q", s.WasmDigest)
	}
	if s.AppDigest != "" && !ValidDigest(s.AppDigest) {
		return fieldErr("app_digest", "must be sha256: and 64 hex digits, got %q", s.AppDigest)
	}
	for i, a := range s.Args {
		if strings.ContainsRune(a, 0) {
			return fieldErr("args["+strconv.Itoa(i)+"]", "contains a NUL byte")
		}
	}
	r := &s.Resources
	if !(r.CPU >= 0 && r.CPU <= 64) { // NaN too
		return fieldErr("resources.cpu", "must be between 0 and 64 cores, got %v", r.CPU)
	}
	if r.CPU == 0 {
		r.CPU = 1
	}
	if r.Memory < 0 || r.Memory > 64<<30 {
		return fieldErr("resources.memory", "must be at most 64Gi, got %d bytes", r.Memory)
	}
	if r.Memory == 0 {
		r.Memory = 64 << 20
	}
	if r.Memory < 1<<20 {
		return fieldErr("resources.memory", "must be at least 1Mi, got %d bytes", r.Memory)
	}
	if r.Timeout < 0 || r.Timeout.D().Hours() > 24*7 {
		return fieldErr("resources.timeout", "must be between 0 and one week, got %s", r.Timeout)
	}
	if r.Timeout == 0 {
		r.Timeout = Duration(60e9)
	}
	if s.Retries == nil {
		n := 3
		s.Retries = &n
	}
	if *s.Retries < 0 || *s.Retries > MaxRetries {
		return fieldErr("retries", "must be between 0 and %d, got %d", MaxRetries, *s.Retries)
	}
	if _, _, err := sandbox.ParseUser(s.User); err != nil {
		return fieldErr("user", "%v", err)
	}
	seen := map[string]bool{}
	for i, in := range s.Inputs {
		f := "inputs[" + strconv.Itoa(i) + "]"
		if in.Name == "" || strings.ContainsAny(in.Name, "/\\\x00") || in.Name == "." || in.Name == ".." {
			return fieldErr(f+".name", "must be a plain file name, got %q", in.Name)
		}
		if seen[in.Name] {
			return fieldErr(f+".name", "duplicate name %q", in.Name)
		}
		seen[in.Name] = true
		if in.Path == "" && in.Digest == "" {
			return fieldErr(f, "needs path (a local file) or digest")
		}
		if in.Digest != "" && !ValidDigest(in.Digest) {
			return fieldErr(f+".digest", "must be sha256: and 64 hex digits, got %q", in.Digest)
		}
		if in.Size < 0 {
			return fieldErr(f+".size", "must not be negative, got %d", in.Size)
		}
	}
	if s.Certify != nil {
		if err := validateCertify(s.Certify); err != nil {
			return err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return fieldErr("env", "bad variable name %q", k)
		}
		if strings.ContainsRune(s.Env[k], 0) {
			return fieldErr("env."+k, "contains a NUL byte")
		}
	}
	return nil
}

// ExpandTask fills the templates of one task's args and env. A function,
// as ValidateJobSpec is, to keep it out of the agent.
func ExpandTask(s *JobSpec, jobID string, index int) ([]string, map[string]string) {
	r := strings.NewReplacer("{{index}}", strconv.Itoa(index), "{{tasks}}", strconv.Itoa(s.Tasks), "{{job}}", jobID)
	args := make([]string, len(s.Args))
	for i, a := range s.Args {
		args[i] = r.Replace(a)
	}
	var env map[string]string
	if len(s.Env) > 0 {
		env = make(map[string]string, len(s.Env))
		for k, v := range s.Env {
			env[k] = r.Replace(v)
		}
	}
	return args, env
}

// JSON is a convenience for tests and logs.
func (s JobSpec) JSON() string {
	b, _ := json.Marshal(s)
	return string(b)
}
