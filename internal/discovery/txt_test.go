package discovery

import (
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// wire packs txt into an mDNS message and unpacks it again with
// miekg/dns, as an announcement crosses the network: escaped for packing
// as zeroconf's server is given it, unescaped as the watcher and the
// resolver's reader do.
func wire(t testing.TB, txt []string) []string {
	t.Helper()
	esc := make([]string, len(txt))
	for i, s := range txt {
		esc[i] = escapeTXT(s)
	}
	m := &dns.Msg{MsgHdr: dns.MsgHdr{Response: true}, Answer: []dns.RR{
		&dns.TXT{Hdr: dns.RR_Header{Name: "x._hearth._tcp.local.", Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 120}, Txt: esc}}}
	b, err := m.Pack()
	if err != nil {
		t.Fatalf("pack %q: %v", txt, err)
	}
	got := new(dns.Msg)
	if err := got.Unpack(b); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range got.Answer[0].(*dns.TXT).Txt {
		out = append(out, unescapeTXT(s))
	}
	return out
}

// FuzzTXTWire checks that any TXT string of up to 255 bytes crosses the
// wire unchanged through escapeTXT, miekg/dns and unescapeTXT.
func FuzzTXTWire(f *testing.F) {
	f.Add("name=Küche \"hub\" C:\\ 🔥")
	f.Add(`\999\`)
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 255 {
			return
		}
		if got := wire(t, []string{s}); len(got) != 1 || got[0] != s {
			t.Errorf("%q crossed the wire as %q", s, got)
		}
	})
}

func TestTXTRoundTrip(t *testing.T) {
	for _, a := range []Announcement{
		{ID: "ABCD-EFGH", Instance: "0123456789abcdef", Role: RoleGateway, Arch: "arm64", Proto: 1, Name: "Küche \"hub\" C:\\ 🔥", Port: 1},
		{ID: strings.Repeat("I", maxToken), Instance: "i", Name: strings.Repeat("n", maxName), Port: 65535},
		{ID: "a=b", Instance: "x", Port: 80}, // '=' may appear in values: the first one splits
	} {
		if err := a.validate(); err != nil {
			t.Fatalf("validate(%+v): %v", a, err)
		}
		got, bad, err := parseTXT(wire(t, a.txt()))
		got.Port = a.Port
		if err != nil || bad != 0 || got != a {
			t.Errorf("round trip of %+v = %+v, %d bad, %v", a, got, bad, err)
		}
	}
}

func TestParseTXTMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		txt  []string
		want Announcement
		bad  int
	}{
		{"minimal", []string{"id=A", "instance=1"}, Announcement{ID: "A", Instance: "1"}, 0},
		{"keys ignore case, unknown keys are skipped", []string{"ID=A", "Instance=1", "future=x", ""}, Announcement{ID: "A", Instance: "1"}, 0},
		{"no equals sign", []string{"id=A", "instance=1", "gateway"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"empty key", []string{"id=A", "instance=1", "=x"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"first of repeated keys wins", []string{"id=A", "id=B", "instance=1"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"bad proto", []string{"id=A", "instance=1", "proto=two"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"negative proto", []string{"id=A", "instance=1", "proto=-1"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"huge proto", []string{"id=A", "instance=1", "proto=99999999999999999999"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"space in role", []string{"id=A", "instance=1", "role=a b"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"non-ASCII arch", []string{"id=A", "instance=1", "arch=\u00e9"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"name not UTF-8", []string{"id=A", "instance=1", "name=\xff"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"name with control character", []string{"id=A", "instance=1", "name=a\nb"}, Announcement{ID: "A", Instance: "1"}, 1},
		{"name too long", []string{"id=A", "instance=1", "name=" + strings.Repeat("n", maxName+1)}, Announcement{ID: "A", Instance: "1"}, 1},
		{"backslashes and quotes are plain bytes", []string{"id=A", "instance=1", `name=say \"hi\" \255`}, Announcement{ID: "A", Instance: "1", Name: `say \"hi\" \255`}, 0},
		{"a token with a backslash", []string{"id=A", "instance=1", `role=a\b`}, Announcement{ID: "A", Instance: "1"}, 1},
	} {
		got, bad, err := parseTXT(tc.txt)
		if err != nil || got != tc.want || bad != tc.bad {
			t.Errorf("%s: parseTXT(%q) = %+v, %d bad, %v; want %+v, %d bad", tc.name, tc.txt, got, bad, err, tc.want, tc.bad)
		}
	}
}

func TestParseTXTIncomplete(t *testing.T) {
	for _, txt := range [][]string{nil, {""}, {"id=A"}, {"instance=1"}, {"id=", "instance=1"}, {"id=a b", "instance=1"}} {
		if _, _, err := parseTXT(txt); !errors.Is(err, errIncomplete) {
			t.Errorf("parseTXT(%q): %v, want errIncomplete", txt, err)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := Announcement{ID: "A", Instance: "1", Port: 1}
	for name, mut := range map[string]func(*Announcement){
		"no ID":          func(a *Announcement) { a.ID = "" },
		"no instance":    func(a *Announcement) { a.Instance = "" },
		"no port":        func(a *Announcement) { a.Port = 0 },
		"port too big":   func(a *Announcement) { a.Port = 65536 },
		"space in ID":    func(a *Announcement) { a.ID = "A B" },
		"long role":      func(a *Announcement) { a.Role = strings.Repeat("r", maxToken+1) },
		"negative proto": func(a *Announcement) { a.Proto = -1 },
		"name newline":   func(a *Announcement) { a.Name = "a\nb" },
	} {
		a := ok
		mut(&a)
		if err := a.validate(); !errors.Is(err, ErrAnnouncement) {
			t.Errorf("%s: validate = %v, want ErrAnnouncement", name, err)
		}
	}
}

// FuzzParseTXT checks that nothing from the network makes parsing panic,
// and that what it accepts would be accepted when announced.
func FuzzParseTXT(f *testing.F) {
	f.Add("id=A", "instance=1", `name=K\195\188che`)
	f.Add(`\`, `\999`, "proto=1")
	f.Add("ID=x", "id=y", "=")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		got, _, err := parseTXT([]string{a, b, c})
		if err != nil {
			return
		}
		got.Port = 1
		if err := got.validate(); err != nil {
			t.Errorf("parseTXT accepted %+v, which validate refuses: %v", got, err)
		}
	})
}
