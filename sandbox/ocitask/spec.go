package ocitask

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"

	"github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/hearth-home/hearth/sandbox"
)

// CPUPeriod is the CFS period, in microseconds, of a task's CPU quota.
const CPUPeriod = 100000

// CPUQuota is the CFS quota, in microseconds per CPUPeriod, that holds a
// task to cores, never above its own limit (1 core when unset): at 0 or
// less the kernel's least, 1 ms in each 100 ms.
func CPUQuota(cores, limit float64) int64 {
	if limit <= 0 {
		limit = 1
	}
	if !(cores < limit) { // NaN too
		cores = limit
	}
	return max(int64(cores*CPUPeriod), 1000)
}

// tmpBytes caps the task's /tmp; its pages count towards the memory limit.
const tmpBytes = 64 << 20

// InitPath is where the task init (RunInit, the agent's own binary) is
// bound read-only in every container.
const InitPath = "/.hearth-init"

// Image is what a task takes from its image's config.
type Image struct {
	Entrypoint []string
	Cmd        []string
	WorkingDir string
}

// Params are what a task's spec is made of besides the runtime's defaults.
type Params struct {
	Image  Image
	Spec   sandbox.Spec
	Limits sandbox.Limits // with defaults filled
	UID    uint32
	GID    uint32
	// Helper is the static binary bound at InitPath.
	Helper string
	// PidsLimit caps the task's processes and threads.
	PidsLimit int64
	// CgroupV1 keeps the task's memory out of swap, which v1 needs said.
	CgroupV1 bool
	// Notify has the init tell the task's monitor on fds 3 and 4 when the
	// program has ended (see RunInit); the runtime passes them.
	Notify bool
	// KernelArch is the kernel's architecture as GOARCH names it, when it
	// is not this program's: an agent emulated by qemu-user (the demo's
	// arm/v6 device) starts containers whose every process is emulated
	// too, so that each system call comes from the emulator, natively.
	KernelArch string
}

// Harden makes s, a runtime's default spec (containerd's, or Default),
// the spec of one Hearth task. Both container runtimes use it, so a task
// is confined the same way whichever runs it; docs/security.md says what
// each setting defends against:
//   - the image's entrypoint run by Hearth's init, with the job's args in
//     place of the image's command and exactly the job's env;
//   - the job's user (nobody unless it asks), hostname "hearth";
//   - a read-only root, no new privileges, no capabilities at all, and
//     Docker's default seccomp profile (github.com/moby/profiles) for a
//     process with no capabilities;
//   - cgroup limits on memory (no swap), pids and CPU;
//   - the mounts: the init, a small /tmp, /in read-only, /out writable.
func Harden(s *specs.Spec, p Params) error {
	if s.Process == nil {
		s.Process = &specs.Process{}
	}
	if s.Linux == nil {
		s.Linux = &specs.Linux{}
	}
	setProcess(s.Process, p.Image, p.Spec, p.Notify)
	s.Process.User = specs.User{UID: p.UID, GID: p.GID}
	s.Process.NoNewPrivileges = true
	s.Process.Capabilities = &specs.LinuxCapabilities{
		Bounding: []string{}, Effective: []string{}, Permitted: []string{},
		Inheritable: []string{}, Ambient: []string{},
	}
	s.Hostname = "hearth"
	if s.Root == nil {
		s.Root = &specs.Root{Path: "rootfs"}
	}
	s.Root.Readonly = true
	sc, err := seccomp.GetDefaultProfile(s)
	if err != nil {
		return fmt.Errorf("seccomp profile: %w", err)
	}
	if p.KernelArch != "" && p.KernelArch != runtime.GOARCH {
		sc.Syscalls = append(sc.Syscalls, archSyscalls(p.KernelArch)...)
	}
	s.Linux.Seccomp = sc

	r := s.Linux.Resources
	if r == nil {
		r = &specs.LinuxResources{}
		s.Linux.Resources = r
	}
	mem := p.Limits.MemoryBytes
	r.Memory = &specs.LinuxMemory{Limit: &mem}
	if p.CgroupV1 {
		zero := uint64(0)
		r.Memory.Swappiness = &zero
	}
	if p.PidsLimit > 0 {
		pids := p.PidsLimit
		r.Pids = &specs.LinuxPids{Limit: &pids}
	}
	quota, period := int64(p.Limits.CPU*CPUPeriod), uint64(CPUPeriod)
	r.CPU = &specs.LinuxCPU{Quota: &quota, Period: &period}
	s.Mounts = append(s.Mounts, mounts(p.Helper, p.Spec, p.Limits)...)
	return nil
}

// archSyscalls are the rules Docker's profile has for one architecture
// alone (arch_prctl and modify_ldt on amd64, set_tls on arm): what an
// emulator running natively on that kernel needs beyond the profile made
// for the architecture it emulates. Rules that also need a capability or
// a kernel version are left out, as they are for a task.
func archSyscalls(goarch string) []specs.LinuxSyscall {
	native := map[string]string{"386": "x86", "amd64": "amd64", "arm": "arm", "arm64": "arm64"}[goarch]
	var out []specs.LinuxSyscall
	for _, call := range seccomp.DefaultProfile().Syscalls {
		in := call.Includes
		if in == nil || !slices.Contains(in.Arches, native) || len(in.Caps) > 0 || in.MinKernel != nil || call.Excludes != nil {
			continue
		}
		out = append(out, call.LinuxSyscall)
	}
	return out
}

// setProcess runs the image's entrypoint with the spec's args in place of
// the image's command, and exactly the spec's env: nothing of the image's.
func setProcess(proc *specs.Process, im Image, spec sandbox.Spec, notify bool) {
	cmd := im.Cmd
	if len(spec.Args) > 0 {
		cmd = spec.Args
	}
	// The init runs the program; runc sets HOME when the env has none,
	// and the init drops it again.
	proc.Args = []string{InitPath}
	if _, ok := spec.Env["HOME"]; !ok {
		proc.Args = append(proc.Args, "-nohome")
	}
	if notify {
		proc.Args = append(proc.Args, "-notify")
	}
	proc.Args = append(proc.Args, "--")
	proc.Args = append(proc.Args, im.Entrypoint...)
	proc.Args = append(proc.Args, cmd...)
	env := make([]string, 0, len(spec.Env))
	for k, v := range spec.Env {
		env = append(env, k+"="+v)
	}
	slices.Sort(env)
	proc.Env = env
	proc.Cwd = im.WorkingDir
	if proc.Cwd == "" {
		proc.Cwd = "/"
	}
}

func mounts(helper string, spec sandbox.Spec, lim sandbox.Limits) []specs.Mount {
	tmp := min(lim.MemoryBytes, tmpBytes)
	m := []specs.Mount{{
		Destination: InitPath, Type: "bind", Source: helper,
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

// Default is the spec a container starts from where no containerd makes
// one: containerd's defaults for Linux (its namespaces, mounts, masked and
// read-only paths, no devices beyond runc's standard ones), with the root
// at rootfs and the cgroup at cgroupsPath.
func Default(rootfs, cgroupsPath string) *specs.Spec {
	return &specs.Spec{
		Version: specs.Version,
		Root:    &specs.Root{Path: rootfs},
		Process: &specs.Process{
			Cwd:     "/",
			Rlimits: []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Hard: 1024, Soft: 1024}},
		},
		Mounts: []specs.Mount{
			{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/dev", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
			{Destination: "/dev/pts", Type: "devpts", Source: "devpts", Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
			{Destination: "/dev/shm", Type: "tmpfs", Source: "shm", Options: []string{"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
			{Destination: "/dev/mqueue", Type: "mqueue", Source: "mqueue", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/sys", Type: "sysfs", Source: "sysfs", Options: []string{"nosuid", "noexec", "nodev", "ro"}},
			{Destination: "/run", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
		},
		Linux: &specs.Linux{
			MaskedPaths: []string{
				"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
				"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
				"/sys/devices/virtual/powercap", "/proc/scsi",
			},
			ReadonlyPaths: []string{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"},
			CgroupsPath:   filepath.Clean(cgroupsPath),
			Resources: &specs.LinuxResources{
				Devices: []specs.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}},
			},
			Namespaces: []specs.LinuxNamespace{
				{Type: specs.PIDNamespace}, {Type: specs.IPCNamespace}, {Type: specs.UTSNamespace},
				{Type: specs.MountNamespace}, {Type: specs.NetworkNamespace},
			},
		},
	}
}
