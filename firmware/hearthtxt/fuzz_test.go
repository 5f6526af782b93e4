package hearthtxt

import (
	"reflect"
	"testing"
)

// FuzzParse: Parse never panics, a file that parses cleanly survives
// Format and Parse again unchanged, and Redact keeps it parsing.
func FuzzParse(f *testing.F) {
	f.Add([]byte(""))
	f.Add(Format(Config{}))
	f.Add([]byte("\xef\xbb\xbfrole = gateway\r\nname = \"gw\"\r\ntimezone = UTC\r\n"))
	f.Add([]byte("token = " + tok + "\nwifi_ssid = \" a \"\nwifi_psk = (stored)\nip = 10.0.0.2/8\nrouter = 10.0.0.1\ndns = 1.1.1.1,fd00::1\n"))
	f.Add([]byte("join = [fd00::1]:7443\npower_budget = 1e-3\nssh_key = ssh-rsa AAAA x\n"))
	f.Add([]byte("= \n\"\n#\r\r\n\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse(%q) succeeded, Validate fails: %v", b, err)
		}
		out := Format(c)
		c2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Format(Parse(%q))): %v\n%s", b, err, out)
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("round trip of %q:\n%+v\n%+v", b, c, c2)
		}
		if _, err := Parse(Redact(b)); err != nil {
			t.Fatalf("Parse(Redact(%q)): %v", b, err)
		}
	})
}
