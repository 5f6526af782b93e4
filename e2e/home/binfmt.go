package home

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// binfmtDir is where the kernel's binfmt_misc is mounted.
const binfmtDir = "/proc/sys/fs/binfmt_misc"

// QemuBinfmt makes the kernel run the programs of another architecture
// through qemu-user, as Debian's systemd-binfmt does at boot where
// qemu-user-static is installed: name is the handler's ("qemu-arm"), and
// its definition comes from qemu-user-static's /usr/lib/binfmt.d/NAME.conf
// (with the F flag, so that it works inside a container's root too). An
// emulated agent needs it to start itself again (its runc task monitor)
// and to run its containers' programs. undo removes what QemuBinfmt added
// (nothing when the handler was there already). It needs root.
func QemuBinfmt(name string) (undo func(), err error) {
	entry := filepath.Join(binfmtDir, name)
	if b, err := os.ReadFile(entry); err == nil && bytes.HasPrefix(b, []byte("enabled")) {
		return func() {}, nil
	}
	conf, err := os.ReadFile(filepath.Join("/usr/lib/binfmt.d", name+".conf"))
	if err != nil {
		return nil, fmt.Errorf("%w (apt-get install qemu-user-static)", err)
	}
	var rule string
	for sc := bufio.NewScanner(bytes.NewReader(conf)); sc.Scan(); {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			rule = line
			break
		}
	}
	if rule == "" {
		return nil, fmt.Errorf("%s.conf holds no binfmt rule", name)
	}
	mounted := false
	if _, err := os.Stat(filepath.Join(binfmtDir, "register")); errors.Is(err, os.ErrNotExist) {
		if err := unix.Mount("binfmt_misc", binfmtDir, "binfmt_misc", 0, ""); err != nil {
			return nil, fmt.Errorf("mount binfmt_misc: %w", err)
		}
		mounted = true
	}
	if err := os.WriteFile(filepath.Join(binfmtDir, "register"), []byte(rule), 0); err != nil {
		if mounted {
			unix.Unmount(binfmtDir, 0)
		}
		return nil, fmt.Errorf("register %s with binfmt_misc: %w", name, err)
	}
	return func() {
		os.WriteFile(entry, []byte("-1"), 0)
		if mounted {
			unix.Unmount(binfmtDir, 0)
		}
	}, nil
}
