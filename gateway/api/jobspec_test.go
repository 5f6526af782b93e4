package api

import (
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
