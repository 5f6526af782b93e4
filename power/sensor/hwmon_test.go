package sensor

import "testing"

func TestHwmonCurrInChannels(t *testing.T) {
	const dir = "sys/class/hwmon/hwmon0/"
	tests := []struct {
		name      string
		files     map[string]string
		wantName  string
		wantWatts float64
	}{
		{
			// Channel 2 lost its current file: 1 and 3 remain.
			name: "channel without current",
			files: map[string]string{
				dir + "name":        "ina3221\n",
				dir + "curr1_input": "1000\n",
				dir + "in1_input":   "5000\n",
				dir + "in2_input":   "3300\n",
				dir + "curr3_input": "500\n",
				dir + "in3_input":   "12000\n",
			},
			wantName:  "hwmon ina3221 curr×in 1,3",
			wantWatts: 5 + 6,
		},
		{
			// in0, a shunt voltage, has no curr0: it is no channel.
			name: "one channel",
			files: map[string]string{
				dir + "name":        "ina226\n",
				dir + "in0_input":   "3\n",
				dir + "curr1_input": "2000\n",
				dir + "in1_input":   "12000\n",
			},
			wantName:  "hwmon ina226 curr×in 1",
			wantWatts: 24,
		},
		{
			// No name file: the directory names the monitor.
			name: "unnamed",
			files: map[string]string{
				dir + "curr1_input": "100\n",
				dir + "in1_input":   "5000\n",
				dir + "curr2_input": "100\n",
				dir + "in2_input":   "5000\n",
				dir + "curr4_input": "100\n",
				dir + "in4_input":   "5000\n",
			},
			wantName:  "hwmon hwmon0 curr×in 1-2,4",
			wantWatts: 1.5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meters, err := Meters(writeTree(t, "", tt.files), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(meters) != 1 || meters[0].Name() != tt.wantName {
				t.Fatalf("%d meters, first %q; want one, %q", len(meters), meters[0].Name(), tt.wantName)
			}
			w, err := meters[0].Watts()
			if err != nil || !near(w, tt.wantWatts) {
				t.Errorf("Watts() = %v, %v; want %v", w, err, tt.wantWatts)
			}
		})
	}
}

// TestHwmonOrder checks that power monitors come before curr×in ones
// whatever their hwmon numbers, and hwmon2 before hwmon10.
func TestHwmonOrder(t *testing.T) {
	root := writeTree(t, "", map[string]string{
		"sys/class/hwmon/hwmon1/name":          "ina3221\n",
		"sys/class/hwmon/hwmon1/curr1_input":   "100\n",
		"sys/class/hwmon/hwmon1/in1_input":     "5000\n",
		"sys/class/hwmon/hwmon10/name":         "ina226\n",
		"sys/class/hwmon/hwmon10/power1_input": "2000000\n",
		"sys/class/hwmon/hwmon2/name":          "ina219\n",
		"sys/class/hwmon/hwmon2/power1_input":  "1000000\n",
		"sys/class/hwmon/hwmon2/power2_input":  "1500000\n",
	})
	meters, err := Meters(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"hwmon ina219 power1", "hwmon ina219 power2", "hwmon ina226 power1", "hwmon ina3221 curr×in 1"}
	if len(meters) != len(want) {
		t.Fatalf("%d meters, want %d", len(meters), len(want))
	}
	for i, m := range meters {
		if m.Name() != want[i] {
			t.Errorf("meter %d is %q, want %q", i, m.Name(), want[i])
		}
	}
}
