package sensor

import "testing"

func TestFrequency(t *testing.T) {
	const cpu = "sys/devices/system/cpu/"
	tests := []struct {
		name   string
		root   string
		want   float64
		wantOK bool
	}{
		{"pi4", "testdata/pi4-ina219", 0.4, true},
		// 0.3, 0.5, 1 and 0.2; the cpufreq and cpuidle directories are
		// no CPUs.
		{"laptop", "testdata/laptop-rapl", 0.5, true},
		{"pi zero", "testdata/pi-zero", 1, true},
		{"nothing", t.TempDir(), 0, false},
		// cpu0's current is garbage, cpu1's maximum is 0.
		{"bad", "testdata/bad", 0, false},
		{"turbo above the maximum", writeTree(t, "", map[string]string{
			cpu + "cpu0/cpufreq/scaling_cur_freq": "4200000\n",
			cpu + "cpu0/cpufreq/cpuinfo_max_freq": "4000000\n",
			cpu + "cpu1/cpufreq/scaling_cur_freq": "1000000\n",
			cpu + "cpu1/cpufreq/cpuinfo_max_freq": "4000000\n",
		}), (1 + 0.25) / 2, true},
		{"offline CPU without cpufreq", writeTree(t, "", map[string]string{
			cpu + "cpu0/cpufreq/scaling_cur_freq": "1800000\n",
			cpu + "cpu0/cpufreq/cpuinfo_max_freq": "2400000\n",
			cpu + "cpu1/online":                   "0\n",
		}), 0.75, true},
	}
	for _, tt := range tests {
		got, ok := Frequency(tt.root)
		if ok != tt.wantOK || !near(got, tt.want) {
			t.Errorf("%s: Frequency = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}
