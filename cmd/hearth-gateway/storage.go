package main

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/storage"
	"github.com/hearth-home/hearth/internal/webcert"
)

// devStorage is where --dev serves the backup storage (a free port when
// taken).
const devStorage = "127.0.0.1:7480"

// storageReserve is the free space the gateway's disk keeps from backups.
const storageReserve = 256 << 20

// maxBackupFile bounds one file restic sends (its packs are 16 MiB by
// default; --pack-size goes up to 128 MiB).
const maxBackupFile = 256 << 20

// startStorage serves the home's backup storage (restic's REST protocol,
// TLS with the gateway's web certificate) on --storage, with --dev on
// devStorage by default, and mounts the owner's calls under
// /v1/storage/. It returns the function that serves until ctx ends and a
// line for the banner; a nil function when it is off.
func startStorage(g *gateway.Gateway, o options, dataDir string, logger *slog.Logger) (func(context.Context) error, string, error) {
	addr := o.storage
	if addr == "" && o.dev {
		addr = devStorage
	}
	if addr == "" || addr == "off" {
		g.Mount("/v1/storage/", g.OwnerOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusConflict)
			fmt.Fprintln(w, `{"code":"conflict","error":"the backup storage is off on this gateway: start it with --storage :7480 (docs/storage.md)"}`)
		})))
		return nil, "off (--storage :7480 serves restic backups)", nil
	}
	ln, err := listenDefault(addr, o.storage != "")
	if err != nil {
		return nil, "", fmt.Errorf("--storage %s: %w (\"off\" turns it off)", addr, err)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	extra := o.dashboardHosts()
	if h, _, err := net.SplitHostPort(o.advertise); err == nil && h != "" {
		extra = append(extra, h)
	}
	cert, fp, err := webcert.Certificate(dataDir, dashboardHosts(tcp, extra))
	if err != nil {
		ln.Close()
		return nil, "", err
	}
	users, err := storage.LoadUsers(filepath.Join(dataDir, "storage-users.json"))
	if err != nil {
		ln.Close()
		return nil, "", err
	}
	quota := func(user string) int64 { u, _ := users.Get(user); return u.Quota }
	var keeper storage.Keeper
	var sharded *storage.Sharded
	on := o.storageOn
	if on == "" {
		on = map[bool]string{true: "gateway", false: "devices"}[o.dev]
	}
	switch on {
	case "gateway":
		dir := &storage.Dir{Root: filepath.Join(dataDir, "storage"), Reserve: storageReserve, Quota: quota}
		if err := dir.Clean(); err != nil {
			ln.Close()
			return nil, "", fmt.Errorf("backup storage: removing uploads a crash cut short: %w", err)
		}
		keeper = dir
	case "devices":
		devs := storage.NewDevices()
		sh, err := storage.OpenSharded(filepath.Join(dataDir, "storage.db"), &storage.Sharded{Devices: devs, Quota: quota, Logger: logger,
			RepairAfter: o.repairAfter, ScrubEvery: o.scrubEvery, Users: users, CatalogKey: g.OwnerKey(storage.CatalogLabel),
			Busy: func() map[string]bool { return busyDevices(g.Members()) }})
		if err != nil {
			ln.Close()
			return nil, "", err
		}
		g.Mount("/v1/agent/storage/", g.DeviceOnly(devs.AgentRoutes))
		keeper, sharded = sh, sh
	default:
		ln.Close()
		return nil, "", fmt.Errorf("--storage-on %q: want devices or gateway", o.storageOn)
	}
	svc := &storage.Service{Users: users, Store: keeper, Port: tcp.Port, Fingerprint: fp,
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}))}
	g.Mount("/v1/storage/", g.OwnerOnly(svc.AdminRoutes()))
	h := svc.REST(maxBackupFile, &storage.Handler{Logger: logger})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug)}
	tl := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	where := fmt.Sprintf("https://%s (restic REST, kept on the %s; hearth storage user add NAME)",
		net.JoinHostPort(urlHost(tcp), fmt.Sprint(tcp.Port)), map[string]string{"gateway": "gateway's disk", "devices": "devices with --storage-dir"}[on])
	return func(ctx context.Context) error {
		if sharded != nil {
			defer sharded.Close()
			go sharded.Run(ctx) // repair, scrub, deletions owed
		}
		return serveUntil(ctx, srv, tl, 5*time.Second)
	}, where, nil
}

// busyDevices are the members at their power budgets: paused by their
// governor, or drawing 95% or more of a budget below their maximum (a
// device with no budget but its maximum is never held back by it).
// Repairs of the backups leave them be.
func busyDevices(ms []api.Member) map[string]bool {
	busy := map[string]bool{}
	for _, m := range ms {
		if p := m.Power; p != nil && (p.Paused || p.BudgetW > 0 && p.BudgetW < p.MaxW && p.Watts >= 0.95*p.BudgetW) {
			busy[m.ID] = true
		}
	}
	return busy
}
