package hearthtxt

import (
	"bytes"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFormatTemplate(t *testing.T) {
	tmpl := Format(Config{})
	if bytes.Contains(bytes.ReplaceAll(tmpl, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("the template has a line end that is not CRLF")
	}
	for _, k := range KnownKeys() {
		if !bytes.Contains(tmpl, []byte("\r\n# "+k+" = ")) {
			t.Errorf("the template has no commented-out %s", k)
		}
	}
	// Each example, uncommented, is a valid setting: the template teaches
	// nothing Parse refuses.
	for _, k := range keys {
		in := k.name + " = " + k.example
		switch k.name {
		case "router":
			in += "\nip = 192.168.1.50/24"
		case "wifi_psk":
			in += "\nwifi_ssid = x"
		}
		if _, err := Parse([]byte(in)); err != nil {
			t.Errorf("example %q: %v", in, err)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	for _, c := range []Config{
		{},
		{Role: "gateway", Name: "gw", Timezone: "UTC", IP: netip.MustParsePrefix("10.1.2.3/8"), Router: netip.MustParseAddr("10.0.0.1")},
		{Token: tok, WifiSSID: `"quoted" `, WifiPSK: ` spaces around `, PowerBudget: 0.1 + 0.2, DNS: []netip.Addr{netip.MustParseAddr("fd00::53")}},
		{Token: Stored, WifiSSID: "x", WifiPSK: Stored},
		{TrialTimeout: 5 * time.Minute},
		{TrialTimeout: 10500 * time.Millisecond},
	} {
		if err := c.Validate(); err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		got, err := Parse(Format(c))
		if err != nil || !reflect.DeepEqual(got, c) {
			t.Errorf("Parse(Format(%+v)) = %+v, %v", c, got, err)
		}
	}
}

func TestRedact(t *testing.T) {
	in := "\xef\xbb\xbf# keep me\r\n" +
		"Token = " + tok + "\r\n" +
		"name = pi\n" + // a line end of its own kind stays as it is
		"wifi_ssid = home\r\n" +
		"  wifi_psk = \"secret password\"  \r\n" +
		"broken line\r\n" +
		"# token = " + tok + "\r\n" +
		"wifi_psk =" // a second, empty psk: left alone (and Parse reports the duplicate)
	out := string(Redact([]byte(in)))
	want := "\xef\xbb\xbf# keep me\r\n" +
		"token = (stored)\r\n" +
		"name = pi\n" +
		"wifi_ssid = home\r\n" +
		"wifi_psk = (stored)\r\n" +
		"broken line\r\n" +
		"# token = " + tok + "\r\n" +
		"wifi_psk ="
	if out != want {
		t.Errorf("Redact:\n%q\nwant\n%q", out, want)
	}
	c, _ := Parse([]byte(out))
	if c.Token != Stored || c.WifiPSK != Stored || c.Name != "pi" {
		t.Errorf("Parse(Redact) = %+v", c)
	}
	if again := string(Redact([]byte(out))); again != out {
		t.Errorf("Redact is not idempotent:\n%q", again)
	}
	if got := string(Redact([]byte("name = pi\ntoken = "+tok), "name")); !strings.HasPrefix(got, "name = (stored)\ntoken = hearth1.") {
		t.Errorf("Redact(name) = %q", got)
	}
}
