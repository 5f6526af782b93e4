package main

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/otahttp"
	"github.com/hearth-home/hearth/internal/identity"
)

// config is the command line.
type config struct {
	Version, Root, TUFDir, Board, Current, DataDir, BinDir string
	// Mirror is a gateway's own mirror directory, read from disk: a
	// gateway-role appliance updating itself, with no session.
	Mirror string
	// Gateway installs the gateway-role slot (ota.ProductGatewayOS).
	Gateway  bool
	NoReboot bool
	Timeout  time.Duration
}

// session is what the agent passes on standard input: enough to speak to
// its gateway as itself.
type session struct {
	Seed      string `json:"seed"` // the node key's seed, base64
	Gateway   string `json:"gateway"`
	GatewayID string `json:"gateway_id"`
}

// mirrorPath is where a gateway serves its firmware mirror to its agents.
const mirrorPath = "/v1/agent/firmware"

func run(ctx context.Context, cfg config, s session, log *slog.Logger) error {
	slotDir := filepath.Dir(filepath.Dir(cfg.Root)) // /slot/etc/hearth/root.json -> /slot/etc
	slotDir = filepath.Dir(slotDir)                 // -> /slot
	if cfg.Board == "" {
		cfg.Board = readLine(filepath.Join(slotDir, "etc/hearth/board"))
	}
	if cfg.Current == "" {
		cfg.Current = readLine(filepath.Join(slotDir, "etc/hearth/version"))
	}
	if cfg.Board == "" || cfg.Current == "" {
		return fmt.Errorf("this device's board or release is unknown (no %s/etc/hearth/board or version): is this Hearth OS?", slotDir)
	}
	root, err := os.ReadFile(cfg.Root)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("this image pins no update keys (%s is missing): it was built without --tuf-root and takes no updates", cfg.Root)
	}
	if err != nil {
		return err
	}
	oc := ota.Config{Root: root, Dir: cfg.TUFDir, Board: cfg.Board, Logger: log}
	if cfg.Gateway {
		oc.Product = ota.ProductGatewayOS
	}
	if cfg.Mirror != "" {
		// The gateway's own mirror, as its import verified and stored
		// it: checked again here against this slot's pinned root.
		if oc.BaseURL, err = ota.DirURL(cfg.Mirror); err != nil {
			return err
		}
		oc.Fetcher = ota.DirFetcher(cfg.Mirror)
	} else {
		hc, err := gatewayClient(s)
		if err != nil {
			return err
		}
		oc.BaseURL, oc.Fetcher = "https://"+s.Gateway+mirrorPath, otahttp.Fetcher{Client: hc}
	}
	if err := os.MkdirAll(cfg.TUFDir, 0o700); err != nil {
		return err
	}
	c, err := ota.NewClient(oc)
	if err != nil {
		return err
	}
	u, err := c.Check(ctx, cfg.Current)
	if err != nil {
		return fmt.Errorf("checking the gateway's mirror: %w", err)
	}
	switch {
	case u == nil:
		return fmt.Errorf("the gateway offered %s, but its mirror signs nothing newer than %s for %s", cfg.Version, cfg.Current, cfg.Board)
	case ota.CompareVersions(u.Version, cfg.Version) != 0:
		return fmt.Errorf("the gateway offered %s, but the newest release its mirror signs for %s is %s", cfg.Version, cfg.Board, u.Version)
	}
	log.Info("installing", "version", u.Version, "target", u.Target, "bytes", u.Length, "from", cfg.Current)
	start := time.Now()
	if err := install(ctx, c, u, log); err != nil {
		return err
	}
	log.Info("installed; the next boot tries it", "version", u.Version, "took", time.Since(start).Round(time.Millisecond))
	if cfg.NoReboot {
		return nil
	}
	return rebootForTrial(log)
}

// gatewayClient speaks to the gateway as the agent does: its node
// certificate, and only to the pinned gateway.
func gatewayClient(s session) (*http.Client, error) {
	seed, err := base64.StdEncoding.DecodeString(s.Seed)
	if err != nil {
		return nil, fmt.Errorf("session: seed: %w", err)
	}
	id, err := identity.FromSeed(seed)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	gw, err := identity.ParseNodeID(s.GatewayID)
	if err != nil {
		return nil, fmt.Errorf("session: gateway ID: %w", err)
	}
	if _, _, err := net.SplitHostPort(s.Gateway); err != nil {
		return nil, fmt.Errorf("session: gateway address %q: %w", s.Gateway, err)
	}
	tc, err := id.ClientTLS(true, identity.Pin(gw))
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig:     tc,
		TLSHandshakeTimeout: 30 * time.Second,
		ForceAttemptHTTP2:   false,
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
	}}, nil
}

// rebootForTrial asks hearth-init (PID 1) to reboot: it stops the agent,
// syncs and unmounts first.
func rebootForTrial(log *slog.Logger) error {
	cmdline, _ := os.ReadFile("/proc/cmdline")
	if !strings.Contains(string(cmdline), "hearth.slot=") {
		return errors.New("installed, but this is not Hearth OS (no hearth.slot on the kernel command line): reboot it yourself")
	}
	log.Info("rebooting into the new slot")
	return syscallKill(1)
}

func readLine(p string) string {
	b, _ := os.ReadFile(p)
	return strings.TrimSpace(string(b))
}
