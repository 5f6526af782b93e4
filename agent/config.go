package agent

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/sandbox"
)

// Config configures an Agent. The zero value works: it keeps its state in
// DefaultDataDir, joins a gateway on this host at the default port with
// trust on first use, and offers one task per CPU (but it runs nothing until
// Runtimes are given).
type Config struct {
	// DataDir holds the agent's database (agent.db: identity, pinned
	// gateway, task handles, unsent results), its blob cache (blobs/) and
	// the tasks' working directories (work/). Default: DefaultDataDir().
	DataDir string

	// CacheBudget bounds the bytes the cache of apps and inputs (blobs/)
	// may hold: past it, blobs no running task uses are removed, least
	// recently used first. Default DefaultCacheBudget; negative: no bound.
	CacheBudget int64

	// MinFreeDisk is the space that must stay free on the file system of
	// DataDir: below it the agent asks for no work and says why in its
	// heartbeat (`hearth pool ls` shows it), rather than failing tasks
	// when the disk fills. Default DefaultMinFreeDisk; negative: never.
	MinFreeDisk int64

	// StorageDir, when set, makes the device keep shards of the home's
	// backups there (docs/storage.md), at most StorageQuota bytes of them
	// (0: as much as the disk has, less MinFreeDisk). Default: none.
	StorageDir   string
	StorageQuota int64

	// Name is the device's name shown in `hearth pool ls`.
	// Default: the host name.
	Name string

	// Gateway is the gateway's host:port. Default: Discover when it is set,
	// else 127.0.0.1 at api.DefaultPort (a gateway on the same device).
	Gateway string

	// Discover finds the gateway when Gateway is empty: it blocks until it
	// knows an address (host:port) to try, or ctx ends. want is the pinned
	// gateway ID, zero while none is known yet; an implementation should
	// prefer (or only return) a gateway announcing that ID. The agent calls
	// it again whenever the address it got proves unreachable, so it may
	// rotate through candidates. Default: none.
	Discover func(ctx context.Context, want identity.NodeID) (addr string, err error)

	// GatewayID pins the gateway's node ID. Default: the ID inside
	// JoinToken, else the ID remembered from an earlier pairing, else trust
	// on first use (the ID proven at the first successful pairing is
	// remembered and pinned from then on).
	GatewayID string

	// JoinToken ("hearth1.<gateway>.<secret>", printed by
	// `hearth-gateway init`) pairs the agent by itself and pins the gateway
	// it names. Default: none; the agent then waits as pending until the
	// owner runs `hearth pool approve <ID>`.
	JoinToken string

	// Runtimes run the tasks; the agent asks only for work these can run.
	// Default: none, and then the agent pairs and reports its health but
	// takes no work.
	Runtimes []sandbox.Runtime

	// Slots is how many tasks run at once. Default: runtime.NumCPU().
	Slots int

	// Streams is how many stream partitions the agent runs at once, each
	// a long-lived, mostly idle wasm instance beside the tasks (they take
	// no slot). Default 8; negative: none.
	Streams int

	// MemoryBytes is the memory that tasks may use together; the agent asks
	// only for tasks whose memory limits fit in what is left of it.
	// Default: half of the device's physical memory (256 MiB when that is
	// unknown).
	MemoryBytes int64

	// NoSync opens the agent's store without fsync at each commit (see
	// store.DB.SetNoSync): for simulated devices only, thousands of which
	// share one disk (hearthtest/agentsim). A crash may lose results.
	NoSync bool

	// Governor keeps the device within its power budget: the agent puts
	// every task it starts under it, leases only what fits its headroom,
	// reports its status in heartbeats and each task's energy in its
	// result. Nil: no power management. The agent does not run it: its
	// owner calls Governor.Run.
	Governor *governor.Governor

	// Speed is the device's speed as the agent reports it to the gateway,
	// which places tasks by it. Default: what $HEARTH_AGENT_SPEED says
	// (speed.Env; for tests and benchmarks), else measured by package
	// agent/speed when Run starts, in the background (about 0.6 s of one
	// core); heartbeats carry none until then.
	Speed *api.Speed

	// FirmwareStatus is the file where hearth-init keeps the device's
	// firmware status (/run/hearth/firmware.json on the appliance; see
	// api.FirmwareStatus). The agent reads it at start and again whenever
	// it changes, and sends it in hello and every heartbeat. Default: none,
	// and the agent reports no firmware (as when the file is missing).
	FirmwareStatus string

	// ReadyFile is written, once, when the agent is paired with its pinned
	// gateway and three heartbeats in a row were answered: hearth-init
	// commits a trial boot when it appears. Default: none.
	ReadyFile string

	// Updater is the program run when the gateway offers a firmware
	// update: Updater --data-dir <DataDir> --version V, once per version
	// (after a failure, again 10 minutes later). Default: none, and offers
	// are logged and ignored.
	Updater string

	// Version is reported to the gateway. Default "dev".
	Version string

	// Logger receives the agent's logs. Default: discard.
	Logger *slog.Logger
}

// DefaultDataDir is where an agent keeps its state when Config.DataDir is
// empty: /var/lib/hearth-agent when running as root, else
// $XDG_STATE_HOME/hearth/agent, else ~/.local/state/hearth/agent.
func DefaultDataDir() string {
	if os.Geteuid() == 0 {
		return "/var/lib/hearth-agent"
	}
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "hearth", "agent")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "hearth", "agent")
	}
	return filepath.Join(os.TempDir(), "hearth-agent")
}

// Defaults that fit a 16 GB SD card shared with the system and other
// programs: 2 GiB of apps and inputs (images have their own budget, 4 GiB
// by default), and work refused when less than 512 MiB is left.
const (
	DefaultCacheBudget = 2 << 30
	DefaultMinFreeDisk = 512 << 20
)

// DefaultStreams is Config.Streams' default: 8 instances of a Go map
// function take about 8 x 3 MiB, little beside a plug's 512 MiB.
const DefaultStreams = 8

// defaultGateway is tried when neither Gateway nor Discover is set.
var defaultGateway = "127.0.0.1:" + strconv.Itoa(api.DefaultPort)

func (c Config) withDefaults() Config {
	if c.DataDir == "" {
		c.DataDir = DefaultDataDir()
	}
	if c.Name == "" {
		c.Name, _ = os.Hostname()
	}
	if c.Gateway == "" && c.Discover == nil {
		c.Gateway = defaultGateway
	}
	if c.CacheBudget == 0 {
		c.CacheBudget = DefaultCacheBudget
	}
	if c.MinFreeDisk == 0 {
		c.MinFreeDisk = DefaultMinFreeDisk
	}
	if c.Slots <= 0 {
		c.Slots = runtime.NumCPU()
	}
	if c.Streams == 0 {
		c.Streams = DefaultStreams
	}
	if c.MemoryBytes <= 0 {
		c.MemoryBytes = 256 << 20
		if total := totalMemory(); total > 0 {
			c.MemoryBytes = int64(total / 2)
		}
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.Runtimes = append([]sandbox.Runtime(nil), c.Runtimes...)
	return c
}
