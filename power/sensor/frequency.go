package sensor

import (
	"path/filepath"
	"strconv"
)

// Frequency is the mean over CPUs of scaling_cur_freq / cpuinfo_max_freq
// (both kHz) from /sys/devices/system/cpu/cpu*/cpufreq/, in 0..1, and
// ok=false when the device reports no frequencies. A CPU whose files are
// missing (no cpufreq driver, or the CPU is offline) or bad (garbage,
// empty, negative, a zero maximum) is left out; a current frequency above
// the maximum (a turbo the maximum does not count) counts as 1.
func Frequency(root string) (fraction float64, ok bool) {
	base := filepath.Join(root, "sys/devices/system/cpu")
	var sum float64
	n := 0
	for _, c := range indexed(base, "cpu", "") {
		dir := filepath.Join(base, "cpu"+strconv.Itoa(c), "cpufreq")
		cur, err := readInt(filepath.Join(dir, "scaling_cur_freq"))
		if err != nil || cur < 0 {
			continue
		}
		peak, err := readInt(filepath.Join(dir, "cpuinfo_max_freq"))
		if err != nil || peak <= 0 {
			continue
		}
		sum += min(float64(cur)/float64(peak), 1)
		n++
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}
