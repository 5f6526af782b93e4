package ota_test

import (
	"testing"

	"github.com/hearth-home/hearth/firmware/ota"
)

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.2.10", "1.2.9", 1},
		{"1.10.0", "1.9.9", 1},
		{"2.0.0", "10.0.0", -1},
		{"1.2", "1.2.0", 0},
		{"v1.2.3", "1.2.3", 0},
		{"1.3.0-rc.1", "1.3.0", -1},
		{"1.3.0-rc.2", "1.3.0-rc.10", -1},
		{"1.2.0+a", "1.2.0+b", 0},
		{"junk", "0.0.1", -1},
	} {
		if got := ota.CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	for _, v := range []string{"", "1.2.3.4", "01.2.3", "1.2.x", "latest"} {
		if ota.ValidVersion(v) {
			t.Errorf("ValidVersion(%q) = true", v)
		}
	}
}
