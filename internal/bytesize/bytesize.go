// Package bytesize reads sizes as people write them on a command line:
// 500M, 200G, 1T, 1.5G (IEC units; "GiB", "Gi" and "GB" mean G too).
package bytesize

import (
	"fmt"
	"strconv"
	"strings"
)

// Parse reads a size in bytes with an optional unit; empty is 0.
func Parse(s string) (int64, error) {
	s = strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I") // 2GiB, 2Gi, 2GB: 2G
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	for i, u := range "KMGT" {
		if strings.HasSuffix(s, string(u)) {
			mult, s = int64(1)<<(10*(i+1)), strings.TrimSuffix(s, string(u))
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("want a size such as 500M, 200G or 1T")
	}
	return int64(f * float64(mult)), nil
}
