package slot

import (
	"errors"
	"testing"
)

func TestParseCmdline(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Cmdline
		err  bool
	}{
		{"console=ttyAMA0 hearth.slot=A hearth.disk=0badcafe panic=5\n", Cmdline{Slot: "A", DiskSignature: 0x0badcafe}, false},
		{"hearth.disk=DEADBEEF hearth.slot=B hearth.trial=1", Cmdline{Slot: "B", DiskSignature: 0xdeadbeef, Trial: true}, false},
		{"hearth.slot=B hearth.disk=00000001 hearth.trial=0", Cmdline{Slot: "B", DiskSignature: 1}, false},
		{"hearth.slot=C hearth.disk=0badcafe", Cmdline{}, true},
		{"hearth.slot=A hearth.disk=badcafe", Cmdline{}, true},
		{"hearth.slot=A hearth.disk=0xbadcaf", Cmdline{}, true},
		{"hearth.slot=A", Cmdline{}, true},
		{"root=/dev/sda1 quiet", Cmdline{}, true},
		{"", Cmdline{}, true},
	} {
		got, err := ParseCmdline(tc.in)
		if tc.err {
			if !errors.Is(err, ErrCmdline) {
				t.Errorf("ParseCmdline(%q) = %+v, %v; want ErrCmdline", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseCmdline(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	if (Cmdline{Slot: "A"}).SlotPartition() != 2 || (Cmdline{Slot: "B"}).SlotPartition() != 3 {
		t.Error("slot partitions: A is 2, B is 3")
	}
}
