package sensor

import (
	"os"
	"path/filepath"
	"strings"
)

// BoardModel is the device tree's model string ("Raspberry Pi 4 Model B
// Rev 1.4") from /proc/device-tree/model, else
// /sys/firmware/devicetree/base/model, with the trailing NUL and spaces
// trimmed. It is "" when there is none, as on x86 PCs, whose firmware
// names the machine elsewhere (DMI).
func BoardModel(root string) string {
	for _, p := range []string{"proc/device-tree/model", "sys/firmware/devicetree/base/model"} {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			continue
		}
		if s := strings.TrimRight(string(b), "\x00 \t\n"); s != "" {
			return s
		}
	}
	return ""
}
