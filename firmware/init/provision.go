package hearthinit

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
)

// Names of the files Provision keeps in the secret directory
// (/data/hearth).
const (
	TokenFile   = "token"
	WifiPSKFile = "wifi_psk"
)

// TxtName is the provisioning file's name on the boot partition.
const TxtName = "hearth.txt"

// Provision reads bootDir/hearth.txt and moves its secrets to secretDir: a
// token or Wi-Fi password written there since the last boot is stored in
// secretDir (mode 0600, synced) and its line on the card rewritten to
// "(stored)". A missing file means every default. Mistakes in the file are
// logged one by one and cost only their own lines. The error is for what
// stops provisioning: a secret that could not be stored, or a card that
// could not be rewritten (the secret then stays on the card and the next
// boot tries again).
func Provision(log *slog.Logger, bootDir, secretDir string) (hearthtxt.Config, error) {
	path := filepath.Join(bootDir, TxtName)
	orig, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		log.Info("no " + TxtName + " on the boot partition: an agent that finds its gateway over mDNS and waits for approval")
		return hearthtxt.Config{}, nil
	}
	if err != nil {
		return hearthtxt.Config{}, err
	}
	cfg, perr := hearthtxt.Parse(orig)
	for _, e := range unjoin(perr) {
		log.Error(e.Error())
	}
	var moved []string
	for _, s := range []struct {
		key, file, value string
		fresh            bool
	}{
		{"token", TokenFile, cfg.Token, cfg.HasToken()},
		{"wifi_psk", WifiPSKFile, cfg.WifiPSK, cfg.HasWifiPSK()},
	} {
		if !s.fresh {
			if s.value == hearthtxt.Stored {
				if _, err := os.Stat(filepath.Join(secretDir, s.file)); err != nil {
					log.Warn(TxtName+" says "+s.key+" is stored, but the data partition lost it: write it into "+TxtName+" again", "file", filepath.Join(secretDir, s.file))
				}
			}
			continue
		}
		if err := os.MkdirAll(secretDir, 0o700); err != nil {
			return cfg, err
		}
		if err := atomicfile.WriteFile(filepath.Join(secretDir, s.file), []byte(s.value+"\n"), 0o600); err != nil {
			return cfg, fmt.Errorf("storing %s: %w", s.key, err)
		}
		moved = append(moved, s.key)
	}
	if len(moved) == 0 {
		return cfg, nil
	}
	if err := atomicfile.WriteFile(path, hearthtxt.Redact(orig, moved...), 0o644); err != nil {
		return cfg, fmt.Errorf("rewriting %s without its secrets: %w", path, err)
	}
	log.Info("moved secrets off the card", "keys", fmt.Sprint(moved), "to", secretDir)
	return cfg, nil
}

// unjoin lists the errors inside an errors.Join.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
