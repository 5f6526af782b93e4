package boards

import (
	"strings"
	"testing"
)

// Every board shipped parses; a board file with mistakes is refused,
// naming each.
func TestBoards(t *testing.T) {
	if len(Names()) == 0 {
		t.Fatal("no boards")
	}
	for _, n := range Names() {
		b, err := Load(n)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if b.Name != n || len(b.Consoles) == 0 || len(b.Modules) == 0 || b.QEMU == nil {
			t.Errorf("%s: %+v", n, b)
		}
	}
	if _, err := Load("pdp-11"); err == nil || !strings.Contains(err.Error(), "generic-arm64") {
		t.Errorf("an unknown board: %v, want the list of boards", err)
	}
	_, err := Parse([]byte("name: x\narch: sparc\ngoarch: arm64\nkernel: linux-image\nboot_mib: 8\nslot_mib: 96\ndata_mib: 16\n"))
	for _, want := range []string{"sparc", "package=version", "33 MiB"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a bad board: %v, want it to mention %q", err, want)
		}
	}
	_, err = Parse([]byte("name: x\narch: armel\ngoarch: arm\nkernel: linux-image-rpi=1\nboot_mib: 40\nslot_mib: 96\ndata_mib: 16\n"))
	if err == nil || !strings.Contains(err.Error(), "goarm") {
		t.Errorf("an arm board without goarm: %v, want it refused", err)
	}
	if _, err := Parse([]byte("name: x\ncolour: red\n")); err == nil {
		t.Error("an unknown field was accepted")
	}
}

// The 32-bit boards carry Debian's runc with its loader and libraries,
// and the licences of the packages they come from go with them.
func TestSlotPackages(t *testing.T) {
	for _, n := range []string{"rpi-armel", "generic-armhf"} {
		b, err := Load(n)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range b.SlotPackages() {
			name, _, _ := strings.Cut(p, "=")
			names = append(names, name)
		}
		if got := strings.Join(names, " "); got != "busybox-static runc libc6 libseccomp2" {
			t.Errorf("%s: slot packages %q, want busybox-static runc libc6 libseccomp2, each once", n, got)
		}
	}
}
