package api

import (
	"errors"
	"strings"
	"testing"
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
	}
	for _, c := range cases {
		_, err := ParseJobSpec([]byte(head + c.spec))
		if !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %s", c.spec, err, c.want)
		}
	}
	spec, err := ParseJobSpec([]byte(head + "resources: {cpu: 0.5, memory: 128Mi, timeout: 90}\nenv: {A: \"{{index}}\"}\n"))
	if err != nil || spec.Resources.Memory != 128<<20 || spec.Resources.Timeout.D().Seconds() != 90 {
		t.Fatalf("good spec: %+v, %v", spec, err)
	}
}

// Sizes and durations that no int64 holds are errors, the same on every
// platform (converting NaN or an overflowing float to an integer is not:
// on arm64 NaN became 0, that is the default, silently).
func TestSizesAndDurationsOutOfRange(t *testing.T) {
	for _, s := range []string{"nan", "NaN", "inf", "-inf", "1e300", "9223372036854775808"} {
		var b Bytes
		if err := b.UnmarshalText([]byte(s)); err == nil {
			t.Errorf("Bytes %q = %d, want an error", s, b)
		}
		var d Duration
		if err := d.UnmarshalText([]byte(s)); err == nil {
			t.Errorf("Duration %q = %d, want an error", s, d)
		}
	}
	var b Bytes
	if err := b.UnmarshalText([]byte("64Gi")); err != nil || b != 64<<30 {
		t.Errorf("64Gi = %d, %v", b, err)
	}
}
