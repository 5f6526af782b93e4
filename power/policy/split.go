package policy

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Share is one device of a pool, for Split.
type Share struct {
	ID    string
	IdleW float64 // the device's idle draw
	MaxW  float64 // the device's maximum draw
}

// Split shares a pool's total watts (a household budget, a solar surplus
// posted to the gateway) among devices. The rule:
//
//  1. Idle first. Devices are taken by lowest IdleW first (ties in the
//     order given), and each gets its idle draw while the total lasts. A
//     device whose idle draw no longer fits gets 0: less than idle runs no
//     work but still costs its share, so it is better to run fewer devices
//     than to starve them all. Because the cheapest come first, this runs
//     as many devices as the total allows.
//  2. The rest in proportion to range. What is left is shared among the
//     devices that got their idle in proportion to each one's dynamic
//     range, MaxW - IdleW. So every running device ends at the same
//     fraction of the way from its idle to its maximum, and none passes
//     its maximum before all reach theirs. Once all are at their maximum,
//     what is left over stays unassigned: the map's sum is then below
//     total.
//
// Example: 10 W among a Pi 4 (2.7 to 6.4 W), a Pi 5 (3 to 8 W) and a
// SheevaPlug (5 to 7 W): the Pis get their idle (5.7 W), the plug's 5 W no
// longer fits; the remaining 4.3 W is split 3.7:5, so the Pi 4 gets 2.7 +
// 1.83 = 4.53 W, the Pi 5 3 + 2.47 = 5.47 W and the plug 0.
//
// The map has every device's ID, 0 for those that get nothing. A total
// that is negative, NaN or infinite, a device without an ID or with a
// repeated one, and idle and maximum draws that are negative, not finite
// or with MaxW below IdleW are refused with ErrBadPolicy.
func Split(total float64, devices []Share) (map[string]float64, error) {
	if math.IsNaN(total) || math.IsInf(total, 0) || total < 0 {
		return nil, fmt.Errorf("%w: pool total %s W: want a finite number, 0 or more", ErrBadPolicy, wattsText(total))
	}
	out := make(map[string]float64, len(devices))
	for _, d := range devices {
		if err := d.check(); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadPolicy, err)
		}
		if _, dup := out[d.ID]; dup {
			return nil, fmt.Errorf("%w: pool device %q is listed twice", ErrBadPolicy, d.ID)
		}
		out[d.ID] = 0
	}

	byIdle := slices.Clone(devices)
	slices.SortStableFunc(byIdle, func(a, b Share) int { return cmp.Compare(a.IdleW, b.IdleW) })
	left := total
	var running []Share
	var ranges float64
	for _, d := range byIdle {
		// A microwatt of slack, so that a total that is the sum of the
		// idles (10.7 W for 2.7, 3 and 5 W) runs them all despite rounding.
		if d.IdleW > left+1e-6 {
			break // the rest idle at least as high: none fits
		}
		left = max(0, left-d.IdleW)
		out[d.ID] = d.IdleW
		running = append(running, d)
		ranges += d.MaxW - d.IdleW
	}
	if ranges == 0 {
		return out, nil
	}
	f := min(1, left/ranges)
	for _, d := range running {
		out[d.ID] = d.IdleW + f*(d.MaxW-d.IdleW)
	}
	return out, nil
}

func (d Share) check() error {
	switch {
	case d.ID == "":
		return fmt.Errorf("pool device without an ID")
	case math.IsNaN(d.IdleW) || math.IsInf(d.IdleW, 0) || d.IdleW < 0:
		return fmt.Errorf("pool device %q: idle draw %s W: want a finite number, 0 or more", d.ID, wattsText(d.IdleW))
	case math.IsNaN(d.MaxW) || math.IsInf(d.MaxW, 0) || d.MaxW < d.IdleW:
		return fmt.Errorf("pool device %q: maximum %s W: want a finite number, at least the idle draw of %s W", d.ID, wattsText(d.MaxW), wattsText(d.IdleW))
	}
	return nil
}
