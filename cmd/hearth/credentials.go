package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
)

const credentialsHelp = `Credentials (the gateway's address, its node ID and the admin token) are read
from the first of:
  1. --credentials FILE
  2. $HEARTH_CREDENTIALS
  3. $XDG_CONFIG_HOME/hearth/credentials.json (~/.config/hearth/credentials.json)
  4. $XDG_STATE_HOME/hearth/dev/credentials.json (~/.local/state/hearth/dev/credentials.json),
     written by ` + "`hearth-gateway --dev`" + `
` + "`hearth-gateway init`" + ` writes the file on the gateway (mode 0600); whoever holds it owns
the pool.
`

// credentialSource is one place credentials may come from.
type credentialSource struct {
	path string
	// explicit sources were asked for by name: a missing file there is an
	// error, not a reason to look further.
	explicit bool
}

// credentialSources lists where credentials are looked for, in order.
func credentialSources(flagPath string, getenv func(string) string) []credentialSource {
	if flagPath != "" {
		return []credentialSource{{flagPath, true}}
	}
	if p := getenv("HEARTH_CREDENTIALS"); p != "" {
		return []credentialSource{{p, true}}
	}
	return []credentialSource{
		{filepath.Join(xdgDir(getenv, "XDG_CONFIG_HOME", ".config"), "hearth", "credentials.json"), false},
		{filepath.Join(xdgDir(getenv, "XDG_STATE_HOME", filepath.Join(".local", "state")), "hearth", "dev", "credentials.json"), false},
	}
}

// xdgDir is $env if set to an absolute path (the XDG rule), else ~/fallback.
func xdgDir(getenv func(string) string, env, fallback string) string {
	if d := getenv(env); filepath.IsAbs(d) {
		return d
	}
	return filepath.Join(getenv("HOME"), fallback)
}

// loadCredentials finds and reads the credentials and applies --gateway.
// It returns the file they came from.
func loadCredentials(flagPath, gatewayFlag string, getenv func(string) string) (api.Credentials, string, error) {
	srcs := credentialSources(flagPath, getenv)
	var looked []string
	for _, src := range srcs {
		creds, err := api.LoadCredentials(src.path)
		if errors.Is(err, api.ErrNoCredentials) && !src.explicit {
			looked = append(looked, src.path)
			continue
		}
		if err != nil {
			return api.Credentials{}, src.path, err
		}
		if gatewayFlag != "" {
			addr, err := gatewayAddr(gatewayFlag)
			if err != nil {
				return api.Credentials{}, src.path, err
			}
			creds.Gateway = addr
		}
		return creds, src.path, nil
	}
	return api.Credentials{}, "", fmt.Errorf(`%w (looked in %s).
Run `+"`hearth-gateway init`"+` on the gateway and copy the credentials file it writes to
%s (or point --credentials or HEARTH_CREDENTIALS at it),
or start a gateway for trying Hearth out with `+"`hearth-gateway --dev`", api.ErrNoCredentials, strings.Join(looked, " and "), srcs[0].path)
}

// gatewayAddr checks --gateway and adds the default port when it has none.
func gatewayAddr(s string) (string, error) {
	if _, port, err := net.SplitHostPort(s); err == nil {
		if port == "" {
			return "", usageErrorf("--gateway %q: want HOST:PORT", s)
		}
		return s, nil
	}
	if s == "" || strings.ContainsAny(s, "/ ") {
		return "", usageErrorf("--gateway %q: want HOST:PORT", s)
	}
	return net.JoinHostPort(strings.Trim(s, "[]"), strconv.Itoa(api.DefaultPort)), nil
}

// warnOpenCredentials says so when others may read the admin token.
func warnOpenCredentials(path string) string {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("warning: %s is readable by others (mode %04o) and holds the pool's admin token; chmod 600 it", path, fi.Mode().Perm())
}

// client connects to the gateway named by the credentials.
func (c *cli) client() (*api.Admin, error) {
	creds, path, err := loadCredentials(c.credentialsFlag, c.gatewayFlag, c.getenv)
	if err != nil {
		return nil, err
	}
	c.credentialsPath = path
	if w := warnOpenCredentials(path); w != "" {
		fmt.Fprintln(c.stderr, w)
	}
	cl, err := api.NewAdminClient(creds)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cl, nil
}
