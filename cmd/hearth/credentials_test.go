package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

// envMap is a getenv over a map, so that tests do not touch the process
// environment.
func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeCreds(t *testing.T, path, gateway string) api.Credentials {
	t.Helper()
	id, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	c := api.Credentials{Gateway: gateway, GatewayID: id.ID.String(), Token: "tok-" + gateway}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCredentialsLookupOrder(t *testing.T) {
	home := t.TempDir()
	flagFile := filepath.Join(home, "flag.json")
	envFile := filepath.Join(home, "env.json")
	configFile := filepath.Join(home, ".config", "hearth", "credentials.json")
	devFile := filepath.Join(home, ".local", "state", "hearth", "dev", "credentials.json")
	for _, f := range []string{flagFile, envFile, configFile, devFile} {
		writeCreds(t, f, filepath.Base(filepath.Dir(f))+":1")
	}
	env := map[string]string{"HOME": home, "HEARTH_CREDENTIALS": envFile}

	check := func(flagPath, want string) {
		t.Helper()
		_, got, err := loadCredentials(flagPath, "", envMap(env))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("credentials from %s, want %s", got, want)
		}
	}
	check(flagFile, flagFile)
	check("", envFile)
	delete(env, "HEARTH_CREDENTIALS")
	check("", configFile)
	os.Remove(configFile)
	check("", devFile)

	// XDG variables move both defaults; relative values are ignored.
	xdg := t.TempDir()
	xdgConfig := filepath.Join(xdg, "cfg", "hearth", "credentials.json")
	writeCreds(t, xdgConfig, "xdg:1")
	env["XDG_CONFIG_HOME"] = filepath.Join(xdg, "cfg")
	check("", xdgConfig)
	env["XDG_CONFIG_HOME"] = "relative/cfg"
	check("", devFile)
	env["XDG_STATE_HOME"] = filepath.Join(xdg, "state")
	xdgDev := filepath.Join(xdg, "state", "hearth", "dev", "credentials.json")
	writeCreds(t, xdgDev, "xdgdev:1")
	check("", xdgDev)
}

func TestCredentialsExplicitMissing(t *testing.T) {
	home := t.TempDir()
	// A dev file exists, but an explicit path that does not must fail
	// rather than quietly fall back to another gateway.
	writeCreds(t, filepath.Join(home, ".local", "state", "hearth", "dev", "credentials.json"), "dev:1")
	missing := filepath.Join(home, "nope.json")
	for _, tc := range []struct {
		flag string
		env  map[string]string
	}{
		{missing, map[string]string{"HOME": home}},
		{"", map[string]string{"HOME": home, "HEARTH_CREDENTIALS": missing}},
	} {
		_, _, err := loadCredentials(tc.flag, "", envMap(tc.env))
		if !errors.Is(err, api.ErrNoCredentials) || !strings.Contains(err.Error(), missing) {
			t.Errorf("flag %q env %v: err = %v, want ErrNoCredentials naming %s", tc.flag, tc.env, err, missing)
		}
	}
}

func TestCredentialsNoneFound(t *testing.T) {
	home := t.TempDir()
	_, _, err := loadCredentials("", "", envMap(map[string]string{"HOME": home}))
	if !errors.Is(err, api.ErrNoCredentials) {
		t.Fatalf("err = %v, want ErrNoCredentials", err)
	}
	for _, want := range []string{"hearth-gateway init", "hearth-gateway --dev",
		filepath.Join(home, ".config", "hearth", "credentials.json"),
		filepath.Join(home, ".local", "state", "hearth", "dev", "credentials.json")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

func TestGatewayOverride(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.json")
	writeCreds(t, path, "far:7443")
	for in, want := range map[string]string{
		"":               "far:7443",
		"near:9000":      "near:9000",
		"near":           "near:7443",
		"::1":            "[::1]:7443",
		"[::1]:9":        "[::1]:9",
		"127.0.0.1:8443": "127.0.0.1:8443",
	} {
		c, _, err := loadCredentials(path, in, envMap(nil))
		if err != nil {
			t.Errorf("--gateway %q: %v", in, err)
			continue
		}
		if c.Gateway != want {
			t.Errorf("--gateway %q: address %q, want %q", in, c.Gateway, want)
		}
	}
	for _, bad := range []string{"host:", "http://host:1"} {
		if _, _, err := loadCredentials(path, bad, envMap(nil)); err == nil {
			t.Errorf("--gateway %q accepted", bad)
		}
	}
}

func TestWarnOpenCredentials(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.json")
	writeCreds(t, path, "x:1")
	if w := warnOpenCredentials(path); w != "" {
		t.Errorf("0600 file warned: %s", w)
	}
	os.Chmod(path, 0o644)
	if w := warnOpenCredentials(path); !strings.Contains(w, "chmod 600") {
		t.Errorf("0644 file: warning %q", w)
	}
}
