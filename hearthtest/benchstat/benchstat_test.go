package benchstat

import (
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		var out []time.Duration
		for _, x := range xs {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	for _, c := range []struct {
		samples []time.Duration
		q       float64
		want    time.Duration
	}{
		{ms(3, 1, 2), 0.5, 2 * time.Millisecond},
		{ms(4, 1, 3, 2), 0.5, 2500 * time.Microsecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 0.95, 19 * time.Millisecond},
		{ms(7), 0.95, 7 * time.Millisecond},
		{nil, 0.5, 0},
	} {
		if got := Quantile(c.samples, c.q); got != c.want {
			t.Errorf("Quantile(%v, %v) = %v, want %v", c.samples, c.q, got, c.want)
		}
	}
	if MS(1500*time.Microsecond) != 1.5 {
		t.Errorf("MS(1.5ms) = %v", MS(1500*time.Microsecond))
	}
}
