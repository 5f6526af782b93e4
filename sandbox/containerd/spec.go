package containerd

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/containerd/containerd/v2/contrib/seccomp"
	"github.com/containerd/containerd/v2/core/containers"
	"github.com/containerd/containerd/v2/pkg/oci"
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/hearth-home/hearth/sandbox"
)

// cpuPeriod is the CFS period, in microseconds, of the CPU quota.
const cpuPeriod = 100000

// tmpBytes caps the task's /tmp; its pages count towards the memory limit.
const tmpBytes = 64 << 20

// specOpts make a task's hardened OCI spec; see the package doc.
func (rt *Runtime) specOpts(im *image, spec sandbox.Spec, lim sandbox.Limits, uid, gid uint32) []oci.SpecOpts {
	opts := []oci.SpecOpts{
		withProcess(im, spec),
		oci.WithUIDGID(uid, gid),
		oci.WithHostname("hearth"),
		oci.WithRootFSReadonly(),
		oci.WithNoNewPrivileges,
		withoutCapabilities,
		seccomp.WithDefaultProfile(),
		oci.WithMemoryLimit(uint64(lim.MemoryBytes)),
		oci.WithPidsLimit(rt.cfg.PidsLimit),
		oci.WithCPUCFS(int64(lim.CPU*cpuPeriod), cpuPeriod),
		oci.WithMounts(mounts(rt.helper, spec, lim)),
	}
	if !rt.cgroups.v2 {
		opts = append(opts, withSwappiness0)
	}
	return opts
}

// withProcess runs the image's entrypoint with the spec's args in place of
// the image's command, and exactly the spec's env: nothing of the image's.
func withProcess(im *image, spec sandbox.Spec) oci.SpecOpts {
	return func(_ context.Context, _ oci.Client, _ *containers.Container, s *oci.Spec) error {
		cmd := im.config.Cmd
		if len(spec.Args) > 0 {
			cmd = spec.Args
		}
		// The init (reexec.go) runs the program; runc sets HOME when the
		// env has none, and the init drops it again.
		s.Process.Args = []string{initPath}
		if _, ok := spec.Env["HOME"]; !ok {
			s.Process.Args = append(s.Process.Args, "-nohome")
		}
		s.Process.Args = append(s.Process.Args, "--")
		s.Process.Args = append(s.Process.Args, im.config.Entrypoint...)
		s.Process.Args = append(s.Process.Args, cmd...)
		env := make([]string, 0, len(spec.Env))
		for k, v := range spec.Env {
			env = append(env, k+"="+v)
		}
		slices.Sort(env)
		s.Process.Env = env
		s.Process.Cwd = im.config.WorkingDir
		if s.Process.Cwd == "" {
			s.Process.Cwd = "/"
		}
		return nil
	}
}

// withoutCapabilities empties every capability set: the task can do
// nothing that needs privilege, even as root.
func withoutCapabilities(_ context.Context, _ oci.Client, _ *containers.Container, s *oci.Spec) error {
	s.Process.Capabilities = &specs.LinuxCapabilities{
		Bounding: []string{}, Effective: []string{}, Permitted: []string{},
		Inheritable: []string{}, Ambient: []string{},
	}
	return nil
}

// withSwappiness0 keeps the task's memory out of swap (cgroup v1), so that
// the memory limit is a limit and not a slowdown.
func withSwappiness0(_ context.Context, _ oci.Client, _ *containers.Container, s *oci.Spec) error {
	if s.Linux.Resources.Memory == nil {
		s.Linux.Resources.Memory = &specs.LinuxMemory{}
	}
	zero := uint64(0)
	s.Linux.Resources.Memory.Swappiness = &zero
	return nil
}

func mounts(helper string, spec sandbox.Spec, lim sandbox.Limits) []specs.Mount {
	tmp := min(lim.MemoryBytes, tmpBytes)
	m := []specs.Mount{{
		Destination: initPath, Type: "bind", Source: helper,
		Options: []string{"bind", "ro", "nosuid", "nodev"},
	}, {
		Destination: "/tmp", Type: "tmpfs", Source: "tmpfs",
		Options: []string{"nosuid", "nodev", "noexec", "mode=1777", "size=" + strconv.FormatInt(tmp, 10)},
	}}
	if spec.InDir != "" {
		m = append(m, specs.Mount{Destination: "/in", Type: "bind", Source: spec.InDir,
			Options: []string{"rbind", "ro", "nosuid", "nodev"}})
	}
	if spec.OutDir != "" {
		m = append(m, specs.Mount{Destination: "/out", Type: "bind", Source: spec.OutDir,
			Options: []string{"rbind", "rw", "nosuid", "nodev"}})
	}
	return m
}

// describe names the limits in a failure's reason.
func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }
