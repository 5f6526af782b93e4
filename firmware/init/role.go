package hearthinit

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
)

// Where the partitions go.
const (
	BootDir = "/boot"
	SlotDir = "/slot"
	DataDir = "/data"
)

// Layout says where a role's binaries and state are. Main uses the
// appliance's (DefaultLayout); tests use a temporary directory.
type Layout struct {
	// Slot is the booted slot's root (/slot), Data the data partition
	// (/data), Boot the boot partition (/boot).
	Slot, Data, Boot string
}

// DefaultLayout is the appliance's.
var DefaultLayout = Layout{Slot: SlotDir, Data: DataDir, Boot: BootDir}

// SecretDir holds the secrets moved off the card.
func (l Layout) SecretDir() string { return filepath.Join(l.Data, "hearth") }

// ClockPath is the saved clock.
func (l Layout) ClockPath() string { return filepath.Join(l.Data, "hearth", "clock") }

// LogDir holds the roles' logs.
func (l Layout) LogDir() string { return filepath.Join(l.Data, "log") }

// AgentDir and GatewayDir are the roles' data directories.
func (l Layout) AgentDir() string   { return filepath.Join(l.Data, "agent") }
func (l Layout) GatewayDir() string { return filepath.Join(l.Data, "gateway") }

func (l Layout) bin(name string) string { return filepath.Join(l.Slot, "bin", name) }

// env is the roles' environment: only the slot's programs, and the time
// zone of hearth.txt.
func (l Layout) env(cfg hearthtxt.Config) []string {
	env := []string{"PATH=" + filepath.Join(l.Slot, "bin") + ":" + filepath.Join(l.Slot, "sbin"), "HOME=" + l.Data}
	if cfg.Timezone != "" {
		env = append(env, "TZ="+cfg.Timezone)
	}
	return env
}

// AgentCommand is the agent's command line. hasToken says whether the
// token file exists in the secret directory; extra flags go last.
func (l Layout) AgentCommand(cfg hearthtxt.Config, name string, hasToken bool, extra ...string) *exec.Cmd {
	args := []string{"--data-dir", l.AgentDir(), "--name", name}
	if hasToken {
		args = append(args, "--token-file", filepath.Join(l.SecretDir(), TokenFile))
	}
	if j := cfg.JoinAddr(); j != "" {
		args = append(args, "--join", j)
	}
	if cfg.PowerBudget > 0 {
		args = append(args, "--power-budget", strconv.FormatFloat(cfg.PowerBudget, 'g', -1, 64))
	}
	args = append(args, "--containerd", "off")
	args = append(args, extra...)
	cmd := exec.Command(l.bin("hearth-agent"), args...)
	cmd.Env = l.env(cfg)
	cmd.Dir = l.Data
	return cmd
}

// HasGateway says why the slot cannot run the gateway, if it cannot: the
// image's slot carries it, updates carry the agent alone
// (docs/firmware-updates.md), so a device updated as an agent and then
// made the gateway has none.
func (l Layout) HasGateway() error {
	if _, err := os.Stat(l.bin("hearth-gateway")); err != nil {
		return errors.New("role = gateway, but this slot has no hearth-gateway: updates bring the agent alone, the gateway comes with the image. Write the image to a card for the gateway, or set role = agent in hearth.txt")
	}
	return nil
}

// SSHCommand runs hearth-sshd for hearth.txt's ssh_key, with the slot's
// busybox as the shell; nil when the slot has either missing.
func (l Layout) SSHCommand(cfg hearthtxt.Config) *exec.Cmd {
	busybox := l.bin("busybox")
	for _, f := range []string{l.bin("hearth-sshd"), busybox} {
		if _, err := os.Stat(f); err != nil {
			return nil
		}
	}
	cmd := exec.Command(l.bin("hearth-sshd"), "--authorized-key", cfg.SSHKey,
		"--host-key", filepath.Join(l.SecretDir(), "ssh_host_ed25519_key"), "--shell", busybox+" sh", "--dir", l.Data)
	cmd.Env = l.env(cfg)
	cmd.Dir = l.Data
	return cmd
}

// GatewayPort is where the appliance's gateway listens.
const GatewayPort = 7443

// GatewayInitCommand prepares the gateway's data directory (identity,
// tokens, the owner's credentials), advertising addr (host:port) in the
// credentials; "" leaves the gateway's default.
func (l Layout) GatewayInitCommand(cfg hearthtxt.Config, advertise string) *exec.Cmd {
	args := []string{"init", "--data-dir", l.GatewayDir()}
	if advertise != "" {
		args = append(args, "--advertise", advertise)
	}
	cmd := exec.Command(l.bin("hearth-gateway"), args...)
	cmd.Env = l.env(cfg)
	cmd.Dir = l.Data
	return cmd
}

// GatewayCommand runs the gateway.
func (l Layout) GatewayCommand(cfg hearthtxt.Config, advertise string, extra ...string) *exec.Cmd {
	args := []string{"--data-dir", l.GatewayDir()}
	if advertise != "" {
		args = append(args, "--advertise", advertise)
	}
	args = append(args, extra...)
	cmd := exec.Command(l.bin("hearth-gateway"), args...)
	cmd.Env = l.env(cfg)
	cmd.Dir = l.Data
	return cmd
}
