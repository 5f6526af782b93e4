package sensor

import "testing"

func TestBoardModel(t *testing.T) {
	tests := []struct {
		root string
		want string
	}{
		{"testdata/pi4-ina219", "Raspberry Pi 4 Model B Rev 1.4"},
		{"testdata/pi-zero", "Raspberry Pi Zero W Rev 1.1"},
		{"testdata/pinebook-pro", "Pine64 Pinebook Pro"},
		// Only /sys/firmware/devicetree/base/model.
		{"testdata/ina3221-board", "Hearth test board with INA3221"},
		// x86: no device tree.
		{"testdata/laptop-rapl", ""},
	}
	for _, tt := range tests {
		if got := BoardModel(tt.root); got != tt.want {
			t.Errorf("BoardModel(%s) = %q, want %q", tt.root, got, tt.want)
		}
	}

	// /proc/device-tree wins; an empty model there is none.
	root := writeTree(t, "", map[string]string{
		"proc/device-tree/model":             "Board A \x00",
		"sys/firmware/devicetree/base/model": "Board B\x00",
	})
	if got := BoardModel(root); got != "Board A" {
		t.Errorf("BoardModel(both) = %q, want %q", got, "Board A")
	}
	writeTree(t, root, map[string]string{"proc/device-tree/model": "\x00"})
	if got := BoardModel(root); got != "Board B" {
		t.Errorf("BoardModel(empty proc model) = %q, want %q", got, "Board B")
	}
}
