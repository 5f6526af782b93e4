package wasm

import (
	"github.com/tetratelabs/wazero"
	experimentalsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/experimental/sysfs"
)

// fsConfig shows in read-only at /in and out writable at /out; an empty
// directory is not shown. It returns nil when there is nothing to show.
func fsConfig(in, out string) wazero.FSConfig {
	if in == "" && out == "" {
		return nil
	}
	c := wazero.NewFSConfig()
	if in != "" {
		c = c.WithReadOnlyDirMount(in, "/in")
	}
	if out != "" {
		c = c.(sysfs.FSConfig).WithSysFSMount(noSymlinks{sysfs.DirFS(out)}, "/out")
	}
	return c
}

// noSymlinks refuses to make symbolic links. wazero stores a link's target
// as the guest gave it and the host follows it on open, so a link to
// "/etc/passwd" or "../../.." made in /out would lead out of the sandbox.
// Hard links and renames stay inside one mount: wazero checks that.
type noSymlinks struct {
	experimentalsys.FS
}

// Symlink implements experimentalsys.FS.
func (noSymlinks) Symlink(_, _ string) experimentalsys.Errno {
	return experimentalsys.EPERM
}
