package policy

import (
	"fmt"
	"math"
	"strconv"
)

// CheckWatts validates a budget value against the device's maximum draw
// maxW: negative, NaN and infinite values are refused, and so is more than
// ten times maxW. A budget above maxW is harmless (Evaluate caps it), so
// the limit is generous: it is there to catch unit mistakes (milliwatts
// typed as watts) and typos (900 for 9.00), not to second-guess a device
// profile that reads low. maxW <= 0 (or not finite) means the maximum is
// unknown: then only negative, NaN and infinite values are refused.
func CheckWatts(w, maxW float64) error {
	if err := checkWatts("budget", w, maxW); err != nil {
		return fmt.Errorf("%w: %w", ErrBadPolicy, err)
	}
	return nil
}

// checkWatts is CheckWatts without ErrBadPolicy, so that callers can put
// the field's name between the two; what names the value ("budget",
// "solar surplus").
func checkWatts(what string, w, maxW float64) error {
	switch {
	case math.IsNaN(w):
		return fmt.Errorf("%s %s W is not a number", what, wattsText(w))
	case math.IsInf(w, 0):
		return fmt.Errorf("%s %s W is not finite", what, wattsText(w))
	case w < 0:
		return fmt.Errorf("%s %s W is negative", what, wattsText(w))
	case knownMax(maxW) && w > 10*maxW:
		return fmt.Errorf("%s %s W is more than ten times this device's maximum of %s W", what, wattsText(w), wattsText(maxW))
	}
	return nil
}

// knownMax reports whether maxW is a usable device maximum.
func knownMax(maxW float64) bool { return maxW > 0 && !math.IsInf(maxW, 1) }

// wattsText renders watts exactly and without an exponent for the values
// people write (ParseFloat reads it back to the same float64).
func wattsText(w float64) string {
	if math.Abs(w) >= 1e9 {
		return strconv.FormatFloat(w, 'g', -1, 64)
	}
	return strconv.FormatFloat(w, 'f', -1, 64)
}

// shownWatts renders a computed value for people: to the milliwatt, so
// that 12×0.6 shows as 7.2, not 7.199999999999999.
func shownWatts(w float64) string { return wattsText(roundMilli(w)) }

func roundMilli(w float64) float64 { return math.Round(w*1000) / 1000 }

// percent renders a fraction 0..1 as a percentage to a tenth.
func percent(f float64) string {
	return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + "%"
}
