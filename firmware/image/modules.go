package image

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// kmod is one kernel module of a kernel package.
type kmod struct {
	name string   // as the kernel names it: dashes made underscores
	rel  string   // path under lib/modules/<release>/
	deps []string // modules it needs loaded first (depends=)
	soft []string // and would like loaded first (softdep pre:), where the kernel has them
}

// modName is the kernel's name for a module file or name.
func modName(s string) string {
	s = filepath.Base(s)
	s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, ".xz"), ".zst"), ".ko")
	return strings.ReplaceAll(s, "-", "_")
}

// moduleIndex maps module names to their files under root
// (lib/modules/<release>): Debian's package ships no modules.dep (depmod
// runs when it is installed), so the dependencies are read from each
// needed module's .modinfo section instead.
func moduleIndex(root string) (map[string]string, error) {
	idx := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".ko") {
			rel, _ := filepath.Rel(root, p)
			idx[modName(d.Name())] = rel
		}
		return nil
	})
	return idx, err
}

// modinfo reads a module's dependencies from its .modinfo section: those
// it needs, and its soft ones.
func modinfo(path string) (deps, soft []string, err error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, nil, fmt.Errorf("%s has no .modinfo section", path)
	}
	b, err := sec.Data()
	if err != nil {
		return nil, nil, err
	}
	for _, kv := range bytes.Split(b, []byte{0}) {
		k, v, _ := strings.Cut(string(kv), "=")
		switch k {
		case "depends":
			for _, d := range strings.Split(v, ",") {
				if d != "" {
					deps = append(deps, modName(d))
				}
			}
		case "softdep":
			// "pre: a b post: c": the pre ones load first.
			pre := false
			for _, w := range strings.Fields(v) {
				switch w {
				case "pre:":
					pre = true
				case "post:":
					pre = false
				default:
					if pre {
						soft = append(soft, modName(w))
					}
				}
			}
		}
	}
	return deps, soft, nil
}

// resolveModules returns the named modules and all they depend on, each
// after its dependencies, in the order asked otherwise. A module built
// into the kernel (listed in modules.builtin) needs nothing.
func resolveModules(root string, names []string, builtin map[string]bool) ([]kmod, error) {
	idx, err := moduleIndex(root)
	if err != nil {
		return nil, err
	}
	var order []kmod
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string, optional bool) error
	visit = func(name string, optional bool) error {
		name = modName(name)
		switch state[name] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("kernel modules depend on each other in a cycle through %s", name)
		}
		rel, ok := idx[name]
		if !ok {
			if builtin[name] {
				state[name] = 2
				return nil
			}
			if optional {
				// A soft dependency the kernel does not have (e.g. a
				// crc32c implementation for another CPU) is no need.
				state[name] = 2
				return nil
			}
			return fmt.Errorf("the kernel has no module %s (neither built in nor in %s)", name, root)
		}
		state[name] = 1
		deps, soft, err := modinfo(filepath.Join(root, rel))
		if err != nil {
			return err
		}
		for _, d := range deps {
			if err := visit(d, false); err != nil {
				return err
			}
		}
		for _, d := range soft {
			if err := visit(d, true); err != nil {
				return err
			}
		}
		state[name] = 2
		order = append(order, kmod{name: name, rel: rel, deps: deps, soft: soft})
		return nil
	}
	for _, n := range names {
		if err := visit(n, false); err != nil {
			return nil, err
		}
	}
	return order, nil
}
