package policy

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestCheckWatts(t *testing.T) {
	for _, c := range []struct {
		name    string
		w, maxW float64
		wantErr string // "" for no error
	}{
		{"zero", 0, 6.4, ""},
		{"within", 6, 6.4, ""},
		{"above the maximum is allowed", 12, 6.4, ""},
		{"ten times exactly", 64, 6.4, ""},
		{"absurd", 900, 6.4, "budget 900 W is more than ten times this device's maximum of 6.4 W"},
		{"negative", -1, 6.4, "budget -1 W is negative"},
		{"NaN", math.NaN(), 6.4, "budget NaN W is not a number"},
		{"+Inf", math.Inf(1), 6.4, "budget +Inf W is not finite"},
		{"-Inf", math.Inf(-1), 6.4, "budget -Inf W is not finite"},
		{"unknown maximum", 900, 0, ""},
		{"negative maximum is unknown", 900, -1, ""},
		{"infinite maximum is unknown", 900, math.Inf(1), ""},
		{"unknown maximum, still negative", -0.5, 0, "budget -0.5 W is negative"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckWatts(c.w, c.maxW)
			checkErr(t, err, c.wantErr)
		})
	}
}

// checkErr fails unless err is nil when want is "", or wraps ErrBadPolicy
// and contains want.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("error = %v, want none", err)
	case want == "":
	case err == nil:
		t.Errorf("no error, want one containing %q", want)
	case !errors.Is(err, ErrBadPolicy):
		t.Errorf("error %v does not wrap ErrBadPolicy", err)
	case !strings.Contains(err.Error(), want):
		t.Errorf("error = %q, want it to contain %q", err, want)
	}
}
