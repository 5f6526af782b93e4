package ota

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/theupdateframework/go-tuf/v2/metadata"
	"github.com/theupdateframework/go-tuf/v2/metadata/config"
	"github.com/theupdateframework/go-tuf/v2/metadata/updater"
)

// DefaultMaxTargetBytes bounds a target's signed length: a slot partition is at most 256 MiB.
const DefaultMaxTargetBytes = 256 << 20

// Config configures a Client. The zero value of every field but Root, Dir, BaseURL, Fetcher and
// Board works.
type Config struct {
	// Root is the pinned root.json, read from the running slot (/etc/hearth/root.json). Every
	// check starts from it and follows signed root rotations from the mirror.
	Root []byte
	// Dir keeps the metadata that the client trusted. On the appliance it is on the data
	// partition, so that a replay or a freeze is refused after a slot switch too.
	Dir string
	// BaseURL is the mirror: metadata under BaseURL/metadata/, targets under BaseURL/targets/.
	BaseURL string
	// Fetcher gets the mirror's files: the agent's mutual-TLS client to its gateway.
	Fetcher Fetcher
	// Product is ProductOS (the default) for slot images, or a program name (hearth-agent) for
	// binaries.
	Product string
	// Board is the device's board (rpi-arm64) for slot images, or linux-<arch> for binaries.
	Board string
	// MaxTargetBytes refuses targets signed as longer; zero means DefaultMaxTargetBytes.
	MaxTargetBytes int64
	// Now is the clock that expiry is judged by; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per check; nil means slog.Default().
	Logger *slog.Logger
}

// Update is a newer release that Check found and trusted.
type Update struct {
	// Target is the target path (hearth-os/rpi-arm64/1.3.0/slot.img.zst).
	Target string
	Custom
	// Length and SHA256 (hex) are what Download enforces.
	Length int64
	SHA256 string
}

// Stats describes the last Check's traffic.
type Stats struct {
	// MetadataBytes and MetadataFiles count what was fetched, including the probe for a newer
	// root (a 404 when there is none).
	MetadataBytes int64
	MetadataFiles int
}

// Client is the device side of updates. It is safe for concurrent use; checks and downloads run
// one at a time.
type Client struct {
	cfg Config
	log *slog.Logger

	mu      sync.Mutex
	targets map[string]*metadata.TargetFiles // trusted by the last Check
	stats   Stats
}

// NewClient checks cfg and parses the pinned root; it fetches nothing.
func NewClient(cfg Config) (*Client, error) {
	if len(cfg.Root) == 0 || cfg.Dir == "" || cfg.BaseURL == "" || cfg.Fetcher == nil || cfg.Board == "" {
		return nil, errors.New("ota: Config needs Root, Dir, BaseURL, Fetcher and Board")
	}
	if _, err := metadata.Root().FromBytes(cfg.Root); err != nil {
		return nil, fmt.Errorf("%w: pinned root: %w", ErrMetadata, err)
	}
	if cfg.Product == "" {
		cfg.Product = ProductOS
	}
	if cfg.MaxTargetBytes == 0 {
		cfg.MaxTargetBytes = DefaultMaxTargetBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Client{cfg: cfg, log: log}, nil
}

// Check refreshes the trusted metadata from the mirror (TUF's client workflow: root, timestamp,
// snapshot, targets, each verified against the one before and against what Dir holds) and
// returns the newest target for the client's product and board whose version is newer than
// current, and whose min_from, if any, current reaches. It returns nil, nil when there is none.
// Targets for other boards or products are ignored. A refusal is an error wrapping ErrRollback,
// ErrExpired, ErrSignature, ErrMismatch, ErrTooLarge or ErrMetadata.
func (c *Client) Check(ctx context.Context, current string) (*Update, error) {
	if !ValidVersion(current) {
		return nil, fmt.Errorf("ota: current version %q is not a version", current)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	targets, stats, err := c.refresh(ctx)
	c.stats = stats
	if err != nil {
		c.log.Warn("update check refused", "board", c.cfg.Board, "err", err)
		return nil, err
	}
	c.targets = targets
	var best *Update
	for name, tf := range targets {
		u, ok := c.eligible(name, tf)
		if !ok || CompareVersions(u.Version, current) <= 0 {
			continue
		}
		if u.MinFrom != "" && CompareVersions(current, u.MinFrom) < 0 {
			continue
		}
		if best == nil || CompareVersions(u.Version, best.Version) > 0 {
			best = u
		}
	}
	if best != nil {
		c.log.Info("update found", "board", c.cfg.Board, "from", current, "to", best.Version, "bytes", best.Length)
	}
	return best, nil
}

// Stats returns the traffic of the last Check.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// refresh runs go-tuf's updater once; an Updater refreshes only once in its life, so every check
// makes a new one, starting from the pinned root.
func (c *Client) refresh(ctx context.Context) (map[string]*metadata.TargetFiles, Stats, error) {
	f := &tufFetcher{ctx: ctx, f: c.cfg.Fetcher}
	c.dropTorn()
	up, err := newUpdater(c.cfg.Root, c.cfg.Dir, c.cfg.BaseURL, f, c.cfg.Now())
	if err == nil {
		err = up.Refresh()
	}
	// go-tuf writes the metadata it trusts without syncing it: sync it
	// now, so that the next boot finds what this check trusted.
	syncDir(c.cfg.Dir)
	st := Stats{MetadataBytes: f.bytes, MetadataFiles: f.files}
	if err != nil {
		if ctx.Err() != nil {
			return nil, st, fmt.Errorf("ota: check: %w", ctx.Err())
		}
		return nil, st, classify(err)
	}
	return maps.Clone(up.GetTopLevelTargets()), st, nil
}

// dropTorn removes trusted metadata files that are not JSON: a power cut
// while go-tuf wrote one leaves it empty or cut short, and go-tuf would
// then refuse every check for good. What a torn file held is fetched and
// verified again from the pinned root; the versions the other files hold
// still guard against a rollback.
func (c *Client) dropTorn() {
	ents, err := os.ReadDir(c.cfg.Dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		p := filepath.Join(c.cfg.Dir, e.Name())
		if b, err := os.ReadFile(p); err == nil && !json.Valid(b) {
			c.log.Warn("trusted update metadata was torn (a power cut while it was written); fetching it again", "file", p, "bytes", len(b))
			os.Remove(p)
		}
	}
}

// syncDir flushes the files of dir and its entries to disk.
func syncDir(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if f, err := os.Open(filepath.Join(dir, e.Name())); err == nil {
			f.Sync()
			f.Close()
		}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func newUpdater(root []byte, dir, base string, f *tufFetcher, now time.Time) (*updater.Updater, error) {
	cfg, err := config.New(base+"/metadata", root)
	if err != nil {
		return nil, err
	}
	cfg.LocalMetadataDir = dir
	cfg.LocalTargetsDir = dir // never written: targets are streamed by Download
	cfg.RemoteTargetsURL = base + "/targets"
	cfg.Fetcher = f
	up, err := updater.New(cfg)
	if err != nil {
		return nil, classify(err)
	}
	up.UnsafeSetRefTime(now.UTC())
	return up, nil
}

// eligible reads a trusted target as an Update if it is for this client's product and board.
func (c *Client) eligible(name string, tf *metadata.TargetFiles) (*Update, bool) {
	product, custom, err := parseTarget(name, tf.Custom)
	if err != nil || product != c.cfg.Product || custom.Board != c.cfg.Board {
		return nil, false
	}
	sum, ok := tf.Hashes["sha256"]
	if !ok || len(sum) != 32 || tf.Length <= 0 || tf.Length > c.cfg.MaxTargetBytes {
		return nil, false
	}
	return &Update{Target: name, Custom: custom, Length: tf.Length, SHA256: fmt.Sprintf("%x", []byte(sum))}, true
}
