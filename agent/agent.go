package agent

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hearth-home/hearth/agent/speed"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/store"
)

// Agent is a device's member of the pool.
type Agent struct {
	cfg      Config
	log      *slog.Logger
	db       *store.DB
	blobs    *store.Blobs
	id       identity.Identity
	pin      *pin
	journal  *journal
	cache    *blobCache
	refusing atomic.Bool // the agent asks for no work: its disk is nearly full
	// noStreams: the last heartbeat's answer said the pool has no stream
	// partition to lease, so no request for one is held open.
	noStreams atomic.Bool
	outputs   *outputs
	cap       *capacity
	work      workTable
	runtimes  map[string]sandbox.Runtime
	rtNames   []string
	// platforms are the image platforms of the runtimes that have them.
	platforms []string
	workRoot  string
	sysRoot   string // prefix of /sys, for tests
	timing    timing

	running     atomic.Bool
	started     time.Time
	runCtx      context.Context            // Run's context: tasks live under it
	tasks       sync.WaitGroup             // tasks started by Run
	client      atomic.Pointer[api.Client] // the paired session's, or nil
	power       *powerLink                 // nil without a governor
	speed       atomic.Pointer[api.Speed]  // nil until known
	outboxReady chan struct{}
	firmware    *firmwareFile
	ready       *readyFile
	updater     *updater
	shards      *shards // nil without Config.StorageDir
}

// New opens the agent's store in cfg.DataDir (creating it and the node's
// identity on first use) and checks the configuration. Nothing talks to the
// network before Run. Close releases the store.
func New(cfg Config) (*Agent, error) {
	cfg = cfg.withDefaults()
	if cfg.Speed == nil {
		sp, err := speed.FromEnv()
		if err != nil {
			return nil, fmt.Errorf("agent: %w", err)
		}
		cfg.Speed = sp
	}
	a := &Agent{
		cfg: cfg, log: cfg.Logger, timing: defaultTiming,
		runtimes:    make(map[string]sandbox.Runtime),
		workRoot:    filepath.Join(cfg.DataDir, "work"),
		cap:         newCapacity(cfg.Slots, cfg.MemoryBytes),
		outboxReady: make(chan struct{}, 1),
	}
	a.power = newPowerLink(cfg.Governor)
	a.firmware = &firmwareFile{path: cfg.FirmwareStatus, log: cfg.Logger}
	a.ready = &readyFile{path: cfg.ReadyFile, log: cfg.Logger}
	a.updater = newUpdater(cfg.Updater, cfg.DataDir, cfg.Logger)
	if cfg.Governor != nil {
		a.cap.headroom = cfg.Governor.Headroom
	}
	for _, rt := range cfg.Runtimes {
		if _, dup := a.runtimes[rt.Name()]; dup {
			return nil, fmt.Errorf("agent: two runtimes are named %q", rt.Name())
		}
		a.runtimes[rt.Name()] = rt
		a.rtNames = append(a.rtNames, rt.Name())
		if p, ok := rt.(sandbox.Platformer); ok {
			for _, pl := range p.Platforms() {
				if !slices.Contains(a.platforms, pl) {
					a.platforms = append(a.platforms, pl)
				}
			}
		}
	}
	if cfg.StorageDir != "" {
		sh, err := openShards(cfg.StorageDir, cfg.StorageQuota, cfg.MinFreeDisk)
		if err != nil {
			return nil, fmt.Errorf("agent: %w", err)
		}
		a.shards = sh
	}
	db, err := store.Open(filepath.Join(cfg.DataDir, "agent.db"))
	if err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	db.SetNoSync(cfg.NoSync)
	a.db = db
	if err := a.open(); err != nil {
		db.Close()
		return nil, fmt.Errorf("agent: %w", err)
	}
	return a, nil
}

func (a *Agent) open() error {
	var err error
	if a.id, err = a.db.Identity(); err != nil {
		return err
	}
	if a.pin, err = resolvePin(a.cfg, a.db); err != nil {
		return err
	}
	if a.blobs, err = store.OpenBlobs(filepath.Join(a.cfg.DataDir, "blobs")); err != nil {
		return err
	}
	if a.outputs, err = newOutputs(a.blobs); err != nil {
		return err
	}
	if err := os.MkdirAll(a.workRoot, 0o700); err != nil {
		return err
	}
	a.journal = newJournal(a.db)
	a.cache = newBlobCache(a.blobs, a.client.Load, a.cfg.CacheBudget, a.log)
	return nil
}

// ID is the agent's node ID, derived from its key.
func (a *Agent) ID() identity.NodeID { return a.id.ID }

// Close releases the store. Call it after Run has returned.
func (a *Agent) Close() error { return a.db.Close() }

// Run reattaches to the tasks an earlier process left running, then works
// for the gateway until ctx ends: it pairs, heartbeats, leases work, runs it
// and reports results, coming back by itself when the gateway goes away.
// Tasks still running when ctx ends are left to the sandbox and found again
// by the next Run (or reported lost when the sandbox lost them). Run returns
// nil once ctx has ended and every goroutine it started has returned, or an
// error when it cannot start.
func (a *Agent) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer a.running.Store(false)
	a.started = time.Now()
	a.runCtx = ctx
	defer a.tasks.Wait()
	if len(a.runtimes) == 0 {
		a.log.Warn("no sandbox runtimes: this agent takes no work")
	}
	if err := a.recoverWork(ctx); err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	want, source := a.pin.describe()
	gw := a.cfg.Gateway
	if gw == "" {
		gw = "to be discovered"
	}
	if a.cfg.Governor != nil {
		// Headroom comes with the budget, not only when a task ends: look
		// for work again each second.
		go func() {
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					a.cap.signal()
				}
			}
		}()
	}
	probed := a.probeSpeed(ctx)
	defer func() { <-probed }()
	updated := make(chan struct{})
	go func() {
		defer close(updated)
		a.updater.Run(ctx)
	}()
	defer func() { <-updated }()
	if fw := a.firmware.load(); fw != nil {
		a.log.Info("firmware", "board", fw.Board, "version", fw.Version, "slot", fw.Slot, "trial", fw.Trial)
	}
	a.log.Info("agent starting", "node", a.id.ID.String(), "name", a.cfg.Name, "runtimes", a.rtNames, "platforms", a.platforms,
		"slots", a.cfg.Slots, "memory_mib", a.cfg.MemoryBytes>>20, "gateway", gw, "pinned", pinText(want, source))
	a.connect(ctx)
	return nil
}

func pinText(id identity.NodeID, source string) string {
	if id.IsZero() {
		return "none yet (trust on first use)"
	}
	return id.Short() + " (" + source + ")"
}

// Arch names the processor architecture as announced and reported:
// GOARCH, with the ARM version for 32-bit ARM ("armv6").
func Arch() string {
	if runtime.GOARCH != "arm" {
		return runtime.GOARCH
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOARM" && s.Value != "" {
				return "armv" + s.Value[:1]
			}
		}
	}
	return "arm"
}
