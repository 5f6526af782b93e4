package hearthtxt

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

const tok = "hearth1.0123456789abcdef0123456789abcdef.abcdefghijklmnopqrstuv"

func TestParseGood(t *testing.T) {
	in := "\xef\xbb\xbf# my settings\r\n" +
		"ROLE = Agent\r\n" +
		"  token=" + tok + "  \r\n" +
		"\r\n" +
		"Join = 192.168.1.10\r\n" +
		"name = \"kitchen-pi\"\r\n" +
		"wifi_ssid = \" My Wifi \"\r\n" +
		"wifi_psk = correct horse\r\n" +
		"wifi_country = de\r\n" +
		"ssh_key = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0= me@laptop\r\n" +
		"power_budget = 4.5 W\r\n" +
		"timezone = Europe/Berlin\r\n" +
		"ip = 192.168.1.50/24\r\n" +
		"router = 192.168.1.1\r\n" +
		"dns = 192.168.1.1,9.9.9.9\r\n" +
		"ntp = pool.ntp.org, 192.168.1.1:1123\r\n" +
		"trial_timeout = 30s\r\n" +
		"# the end" // no final line end
	c, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Role: "agent", Token: tok, Join: "192.168.1.10", Name: "kitchen-pi",
		WifiSSID: " My Wifi ", WifiPSK: "correct horse", WifiCountry: "DE",
		SSHKey:      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0= me@laptop",
		PowerBudget: 4.5, Timezone: "Europe/Berlin",
		IP: netip.MustParsePrefix("192.168.1.50/24"), Router: netip.MustParseAddr("192.168.1.1"),
		DNS:          []netip.Addr{netip.MustParseAddr("192.168.1.1"), netip.MustParseAddr("9.9.9.9")},
		NTP:          []string{"pool.ntp.org", "192.168.1.1:1123"},
		TrialTimeout: 30 * time.Second,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	if got := c.JoinAddr(); got != "192.168.1.10:7443" {
		t.Errorf("JoinAddr = %q", got)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", "\xef\xbb\xbf", "# nothing\n\n   \n", "name =\r\n", string(Format(Config{}))} {
		c, err := Parse([]byte(in))
		if err != nil || !reflect.DeepEqual(c, Config{}) {
			t.Errorf("Parse(%q) = %+v, %v; want the zero Config", in, c, err)
		}
		if c.EffectiveRole() != RoleAgent {
			t.Errorf("default role %q", c.EffectiveRole())
		}
	}
}

func TestParseStored(t *testing.T) {
	c, err := Parse([]byte("token = (stored)\nwifi_ssid = x\nwifi_psk = (stored)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Token != Stored || c.WifiPSK != Stored || c.HasToken() || c.HasWifiPSK() {
		t.Errorf("%+v", c)
	}
}

func TestParseBad(t *testing.T) {
	for _, tc := range []struct {
		in     string
		line   int
		kind   error
		advice string // a part of the advice
	}{
		{"role = agent\nrole = gateway\n", 2, ErrDuplicateKey, "already set on line 1"},
		{"Name = a\r\nNAME = b\r\n", 2, ErrDuplicateKey, "line 1"},
		{"tokn = " + tok, 1, ErrUnknownKey, "did you mean token?"},
		{"wifi-ssid = x", 1, ErrUnknownKey, "did you mean wifi_ssid?"},
		{"colour = blue", 1, ErrUnknownKey, "the keys are: role, token, join"},
		{"\n\njust some words", 3, ErrSyntax, "key = value"},
		{"= x", 1, ErrSyntax, "key is missing"},
		{"role = boss", 1, ErrBadValue, "agent or gateway"},
		{"token = abc", 1, ErrBadValue, "hearth1."},
		{"token = hearth1.x.short", 1, ErrBadValue, "whole join token"},
		{"token = hearth1.abc.0123456789abcdef é", 1, ErrBadValue, "no spaces"},
		{"join = 192.168.1.10:99999", 1, ErrBadValue, "1 to 65535"},
		{"join = http://x/", 1, ErrBadValue, "without http://"},
		{"join = my gateway", 1, ErrBadValue, "gateway's address"},
		{"name = Kitchen Pi", 1, ErrBadValue, "kitchen-pi"},
		{"name = -pi", 1, ErrBadValue, "letters, digits"},
		{"wifi_ssid = " + strings.Repeat("x", 33), 1, ErrBadValue, "32 bytes"},
		{"wifi_ssid = x\nwifi_psk = short", 2, ErrBadValue, "8 to 63"},
		{"wifi_ssid = x\nwifi_psk = passwört1", 2, ErrBadValue, "ASCII"},
		{"wifi_psk = longenough", 1, ErrBadValue, "add wifi_ssid"},
		{"wifi_country = Germany", 1, ErrBadValue, "two-letter"},
		{"wifi_country = D1", 1, ErrBadValue, "two-letter"},
		{"ssh_key = AAAAC3Nza", 1, ErrBadValue, ".pub"},
		{"ssh_key = ssh-ed25519 !!!", 1, ErrBadValue, "base64"},
		{"power_budget = 4,5", 1, ErrBadValue, "with a dot"},
		{"power_budget = 0", 1, ErrBadValue, "above 0"},
		{"power_budget = -3", 1, ErrBadValue, "above 0"},
		{"power_budget = NaN", 1, ErrBadValue, "above 0"},
		{"power_budget = Inf", 1, ErrBadValue, "above 0"},
		{"timezone = Berlin time", 1, ErrBadValue, "Europe/Berlin"},
		{"timezone = ../etc/passwd", 1, ErrBadValue, "tz database"},
		{"ip = 192.168.1.50", 1, ErrBadValue, "192.168.1.50/24"},
		{"ip = 192.168.1.0/24", 1, ErrBadValue, "network's own address"},
		{"ip = fd00::5/64", 1, ErrBadValue, "IPv4"},
		{"ip = dhcp", 1, ErrBadValue, "192.168.1.50/24"},
		{"router = 192.168.1.1", 1, ErrBadValue, "fixed ip"},
		{"ip = 192.168.1.50/24\nrouter = 10.0.0.1", 2, ErrBadValue, "outside 192.168.1.0/24"},
		{"ip = 192.168.1.50/24\nrouter = 192.168.1.50", 2, ErrBadValue, "device's own ip"},
		{"router = my router", 1, ErrBadValue, "IPv4"},
		{"dns = 1.1.1.1; 8.8.8.8", 1, ErrBadValue, "commas"},
		{"ntp = http://pool.ntp.org", 1, ErrBadValue, "or off"},
		{"ntp = pool.ntp.org,,", 1, ErrBadValue, "or off"},
		{"ntp = time server", 1, ErrBadValue, "or off"},
		{"trial_timeout = soon", 1, ErrBadValue, "from 10s to 1h"},
		{"trial_timeout = 9", 1, ErrBadValue, "from 10s to 1h"},
		{"trial_timeout = 9s", 1, ErrBadValue, "from 10s to 1h"},
		{"trial_timeout = 61m", 1, ErrBadValue, "from 10s to 1h"},
		{"trial_timeout = -120s", 1, ErrBadValue, "from 10s to 1h"},
		{"role = gateway\ntoken = " + tok, 2, ErrBadValue, "makes its own"},
		{"join = gw\nrole = gateway", 1, ErrBadValue, "joins no other"},
		{"name = a\tb", 1, ErrBadValue, "control characters"},
		{"name = \xff\xfe", 1, ErrEncoding, "UTF-8"},
		{"\xff\xfen\x00a\x00", 0, ErrEncoding, "UTF-16"},
	} {
		_, err := Parse([]byte(tc.in))
		var le *LineError
		if !errors.As(err, &le) {
			t.Errorf("Parse(%q) = %v; want a *LineError", tc.in, err)
			continue
		}
		if le.Line != tc.line || !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.advice) {
			t.Errorf("Parse(%q):\n  %v\nwant line %d, %v, advice containing %q", tc.in, err, tc.line, tc.kind, tc.advice)
		}
		if tc.line > 0 && !strings.Contains(err.Error(), "hearth.txt line ") {
			t.Errorf("Parse(%q): %v does not name its line", tc.in, err)
		}
	}
}

// TestParseKeepsTheRest: one bad line costs only itself.
func TestParseKeepsTheRest(t *testing.T) {
	c, err := Parse([]byte("name = kitchen-pi\npower_budget = lots\ncolour = red\njoin = gw.local:8000\nname = again\n"))
	if err == nil {
		t.Fatal("no error")
	}
	if n := strings.Count(err.Error(), "hearth.txt line"); n != 3 {
		t.Errorf("%d errors, want 3:\n%v", n, err)
	}
	if c.Name != "kitchen-pi" || c.Join != "gw.local:8000" || c.PowerBudget != 0 {
		t.Errorf("%+v", c)
	}
}

func TestJoinAddr(t *testing.T) {
	for in, want := range map[string]string{
		"gw":              "gw:7443",
		"gw.local:8000":   "gw.local:8000",
		"10.0.0.1":        "10.0.0.1:7443",
		"fd00::1":         "[fd00::1]:7443",
		"[fd00::1]":       "[fd00::1]:7443",
		"[fd00::1]:9":     "[fd00::1]:9",
		"hearth-gw.local": "hearth-gw.local:7443",
	} {
		c, err := Parse([]byte("join = " + in))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := c.JoinAddr(); got != want {
			t.Errorf("JoinAddr(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Error(err)
	}
	err := Config{Role: "queen", Name: "a b", Router: netip.MustParseAddr("10.0.0.1")}.Validate()
	for _, want := range []string{"role: bad value", "name: bad value", "router: bad value: router goes with a fixed ip"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v\nwant %q", err, want)
		}
	}
}

func TestNameForms(t *testing.T) {
	for s, want := range map[string]bool{
		"kitchen-pi": true, "a": true, "A1": true, strings.Repeat("a", 63): true,
		"": false, "-a": false, "a-": false, "a b": false, "a_b": false, "ä": false, strings.Repeat("a", 64): false,
	} {
		if isLabel(s) != want {
			t.Errorf("isLabel(%q) = %v", s, !want)
		}
	}
	for s, want := range map[string]bool{
		"UTC": true, "Europe/Berlin": true, "America/Argentina/Buenos_Aires": true, "Etc/GMT+5": true, "Etc/GMT-14": true,
		"": false, "/Europe": false, "Europe/": false, "Europe//Berlin": false, "1Europe/Berlin": false, "../etc": false, "Europe/Ber lin": false,
	} {
		if isTZName(s) != want {
			t.Errorf("isTZName(%q) = %v", s, !want)
		}
	}
}

func TestTrialTimeout(t *testing.T) {
	for in, want := range map[string]time.Duration{"300": 5 * time.Minute, "2m": 2 * time.Minute, "10s": 10 * time.Second, "1h": time.Hour, " 90s ": 90 * time.Second} {
		c, err := Parse([]byte("trial_timeout = " + in + "\n"))
		if err != nil || c.TrialTimeout != want {
			t.Errorf("trial_timeout = %s: %v, %v; want %v", in, c.TrialTimeout, err, want)
		}
	}
}

// No ntp key means pool.ntp.org; off means none.
func TestTimeServers(t *testing.T) {
	for in, want := range map[string][]string{
		"":                           {DefaultNTP},
		"ntp = off\n":                nil,
		"ntp = OFF\n":                nil,
		"ntp = 10.0.0.1, time.lan\n": {"10.0.0.1", "time.lan"},
	} {
		c, err := Parse([]byte(in))
		if err != nil || !reflect.DeepEqual(c.TimeServers(), want) {
			t.Errorf("%q: TimeServers() = %q, %v; want %q", in, c.TimeServers(), err, want)
		}
	}
}
