package api

import (
	"strings"
	"testing"
)

const digest0 = "sha256:0000000000000000000000000000000000000000000000000000000000000000"

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

// A job's user is nobody, root or UID[:GID]; a name or garbage is refused
// naming the field.
func TestUser(t *testing.T) {
	for user, ok := range map[string]bool{"": true, "root": true, "1000": true, "1000:100": true,
		"alice": false, "1000:": false, "-1": false, "1:2:3": false, "4294967296": false} {
		spec := JobSpec{Name: "u", Runtime: "oci", AppDigest: digest0, User: user}
		err := ValidateJobSpec(&spec)
		if (err == nil) != ok {
			t.Errorf("user %q: %v", user, err)
		}
		if err != nil && !strings.Contains(err.Error(), "user:") {
			t.Errorf("user %q: the error does not name the field: %v", user, err)
		}
	}
}
