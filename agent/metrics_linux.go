package agent

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// readTempC returns the hottest thermal zone's temperature in °C, read
// from root/sys/class/thermal/thermal_zone*/temp (millidegrees), or nil
// when the device has no thermal zone that answers sensibly.
func readTempC(root string) *float64 {
	paths, _ := filepath.Glob(filepath.Join(root, "sys", "class", "thermal", "thermal_zone*", "temp"))
	var hottest *float64
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue // zones that cannot be read (a sensor asleep) say EIO or ENODATA
		}
		milli, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
		if err != nil {
			continue
		}
		c := float64(milli) / 1000
		if c < -40 || c > 150 {
			continue // a disconnected sensor reads as nonsense
		}
		if hottest == nil || c > *hottest {
			hottest = &c
		}
	}
	return hottest
}
