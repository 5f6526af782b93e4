package vmtest

import "os"

// envRole is set to roleInit for process 1 (on the kernel's command line:
// the kernel hands parameters it does not know to init as environment)
// and to roleGuest for the test process it starts. Process 1 alone is not
// enough: the same test binary is also a container's process 1 in some
// tests (sandbox/containerd's init).
const (
	envRole   = "HEARTH_VMTEST"
	roleInit  = "init"
	roleGuest = "guest"
)

// Paths inside the VM.
const (
	initPath   = "/init"
	configPath = "/vmtest/config.json"
	// CgroupRoot is where the VM mounts the cgroup2 file system.
	CgroupRoot = "/sys/fs/cgroup"
)

// guestConfig is what Run tells the VM's init, in configPath.
type guestConfig struct {
	Args   []string `json:"args"`
	Env    []string `json:"env"`
	Cgroup string   `json:"cgroup"`
	// Controllers nil: all.
	Controllers []string `json:"controllers"`
	// Marker is printed before and after the test's output.
	Marker string `json:"marker"`
}

// InGuest reports whether this is the test process inside a VM that Run
// booted.
func InGuest() bool { return os.Getenv(envRole) == roleGuest }
