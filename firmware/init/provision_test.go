package hearthinit

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
)

const testToken = "hearth1.0123456789abcdef0123456789abcdef.abcdefghijklmnopqrstuv"

func TestProvision(t *testing.T) {
	boot, data := t.TempDir(), filepath.Join(t.TempDir(), "hearth")
	txt := "# my Pi\r\nname = kitchen-pi\r\ntoken = " + testToken + "\r\nwifi_ssid = Home\r\nwifi_psk = \"correct horse\"\r\ncolour = red\r\npower_budget = 4.5\r\n"
	must(t, os.WriteFile(filepath.Join(boot, TxtName), []byte(txt), 0o644))
	var log strings.Builder
	l := NewLogger(&log, nil, slog.LevelInfo)

	cfg, err := Provision(l, boot, data)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "kitchen-pi" || cfg.PowerBudget != 4.5 || cfg.Token != testToken {
		t.Errorf("cfg %+v", cfg)
	}
	if !strings.Contains(log.String(), "hearth.txt line 6: colour: unknown key") {
		t.Errorf("the bad line is not logged:\n%s", log.String())
	}
	for file, want := range map[string]string{TokenFile: testToken + "\n", WifiPSKFile: "correct horse\n"} {
		p := filepath.Join(data, file)
		b, err := os.ReadFile(p)
		if err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", file, b, err, want)
		}
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", file, st.Mode())
		}
	}
	got, _ := os.ReadFile(filepath.Join(boot, TxtName))
	want := "# my Pi\r\nname = kitchen-pi\r\ntoken = (stored)\r\nwifi_ssid = Home\r\nwifi_psk = (stored)\r\ncolour = red\r\npower_budget = 4.5\r\n"
	if string(got) != want {
		t.Errorf("hearth.txt after:\n%q\nwant\n%q", got, want)
	}
	if _, err := os.Stat(filepath.Join(boot, TxtName+".tmp")); err == nil {
		t.Error("the temporary file is left on the card")
	}

	// The next boot reads the redacted file and keeps the stored secrets.
	log.Reset()
	cfg, err = Provision(l, boot, data)
	if err != nil || cfg.Token != hearthtxt.Stored || cfg.Name != "kitchen-pi" {
		t.Fatalf("second boot: %+v, %v", cfg, err)
	}
	if b, _ := os.ReadFile(filepath.Join(data, TokenFile)); string(b) != testToken+"\n" {
		t.Errorf("the second boot changed the token file: %q", b)
	}
	if strings.Contains(log.String(), "lost it") {
		t.Errorf("warned about a secret that is there:\n%s", log.String())
	}

	// A new token written over "(stored)" replaces the old one.
	newTok := strings.Replace(testToken, "abcdefghij", "ZYXWVUTSRQ", 1)
	must(t, os.WriteFile(filepath.Join(boot, TxtName), []byte(strings.Replace(want, "token = (stored)", "token = "+newTok, 1)), 0o644))
	if _, err := Provision(l, boot, data); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(data, TokenFile)); string(b) != newTok+"\n" {
		t.Errorf("the new token was not stored: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(boot, TxtName)); string(b) != want {
		t.Errorf("hearth.txt after the new token:\n%q", b)
	}

	// A data partition that lost the secrets: said so, clearly.
	must(t, os.Remove(filepath.Join(data, TokenFile)))
	log.Reset()
	Provision(l, boot, data)
	if !strings.Contains(log.String(), "token is stored, but the data partition lost it") {
		t.Errorf("no warning for the lost token:\n%s", log.String())
	}
}

func TestProvisionBadSecretStays(t *testing.T) {
	boot, data := t.TempDir(), t.TempDir()
	txt := "token = not-a-token\nwifi_ssid = Home\nwifi_psk = short\n"
	must(t, os.WriteFile(filepath.Join(boot, TxtName), []byte(txt), 0o644))
	var log strings.Builder
	cfg, err := Provision(NewLogger(&log, nil, slog.LevelInfo), boot, data)
	if err != nil || cfg.WifiSSID != "Home" {
		t.Fatalf("%+v, %v", cfg, err)
	}
	// Nothing was stored, so nothing may leave the card: the owner must
	// see the line to correct it.
	if b, _ := os.ReadFile(filepath.Join(boot, TxtName)); string(b) != txt {
		t.Errorf("hearth.txt changed: %q", b)
	}
	if ents, _ := os.ReadDir(data); len(ents) != 0 {
		t.Errorf("stored %v", ents)
	}
	if !strings.Contains(log.String(), "line 1: token: bad value") || !strings.Contains(log.String(), "line 3: wifi_psk: bad value") {
		t.Errorf("log:\n%s", log.String())
	}
}

func TestProvisionNoFile(t *testing.T) {
	var log strings.Builder
	cfg, err := Provision(NewLogger(&log, nil, slog.LevelInfo), t.TempDir(), t.TempDir())
	if err != nil || cfg.EffectiveRole() != hearthtxt.RoleAgent || cfg.Token != "" {
		t.Errorf("%+v, %v", cfg, err)
	}
}
