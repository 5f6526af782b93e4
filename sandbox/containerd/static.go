package containerd

import (
	"debug/elf"
	"fmt"
)

// checkStatic makes sure the helper can run inside any image: a program
// that needs a dynamic loader finds none in a minimal image.
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("task init %s: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("task init %s is dynamically linked; build it with CGO_ENABLED=0", path)
		}
	}
	return nil
}
