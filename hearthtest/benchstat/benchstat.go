// Package benchstat summarises the timings a benchmark collects, for the
// BENCH lines that `make bench` prints.
package benchstat

import (
	"slices"
	"time"
)

// Quantile is the q-quantile of samples by nearest rank, the median of an
// even count being the mean of the middle two; 0 for no samples.
func Quantile(samples []time.Duration, q float64) time.Duration {
	s := slices.Sorted(slices.Values(samples))
	n := len(s)
	if n == 0 {
		return 0
	}
	if q == 0.5 && n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	i := int(float64(n)*q+0.999999) - 1
	return s[min(max(i, 0), n-1)]
}

// MS is d in milliseconds.
func MS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
