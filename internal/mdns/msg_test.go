package mdns

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func sample() *Message {
	const svc = "_hearth._tcp.local."
	return &Message{
		ID:       7,
		Response: true,
		Answers:  []Record{{Name: svc, Type: TypePTR, TTL: 120, Target: `kitchen\.pi-01.` + svc}},
		Extra: []Record{
			{Name: `kitchen\.pi-01.` + svc, Type: TypeSRV, Flush: true, TTL: 120, Priority: 1, Weight: 2, Port: 7443, Target: "kitchen.local."},
			{Name: `kitchen\.pi-01.` + svc, Type: TypeTXT, Flush: true, TTL: 120, Text: []string{"id=A", "", `name=C:\ "x"`, strings.Repeat("t", 255)}},
			{Name: "kitchen.local.", Type: TypeA, Flush: true, TTL: 0, Addr: netip.MustParseAddr("192.0.2.1")},
			{Name: "kitchen.local.", Type: TypeAAAA, Flush: true, TTL: 0, Addr: netip.MustParseAddr("fe80::1")},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, m := range []*Message{
		sample(),
		{ID: 0, Questions: []Question{{Name: "_hearth._tcp.local.", Type: TypePTR}, {Name: "h.local.", Type: TypeANY, Unicast: true}}},
		{Response: true},
	} {
		b, err := m.Pack()
		if err != nil {
			t.Fatalf("Pack(%+v): %v", m, err)
		}
		got, err := Unpack(b)
		if err != nil {
			t.Fatalf("Unpack: %v", err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, m)
		}
	}
}

// TestUnpackCompressed reads a message whose names point back into
// earlier ones, as other responders send them, with records of a type and
// a class this package skips, and an authority section.
func TestUnpackCompressed(t *testing.T) {
	b := []byte{0, 0, 0x84, 0, 0, 0, 0, 3, 0, 1, 0, 1}
	svc := len(b) // "_hearth._tcp.local." at 12
	b = append(b, "\x07_hearth\x04_tcp\x05local\x00"...)
	ptr := func(off int) []byte { return []byte{0xc0 | byte(off>>8), byte(off)} }
	// That name owns the PTR, whose target is "inst" + svc.
	b = append(b, 0, 12, 0, 1, 0, 0, 0, 120, 0, 7, 4, 'i', 'n', 's', 't')
	inst := len(b) - 5
	b = append(b, ptr(svc)...)
	// An NSEC record (type 47): skipped.
	b = append(b, ptr(inst)...)
	b = append(b, 0, 47, 0x80, 1, 0, 0, 0, 120, 0, 2, 0xaa, 0xbb)
	// A TXT of class CH (3): skipped.
	b = append(b, ptr(inst)...)
	b = append(b, 0, 16, 0, 3, 0, 0, 0, 120, 0, 2, 1, 'x')
	// Authority: an A record, read past and dropped.
	b = append(b, ptr(inst)...)
	b = append(b, 0, 1, 0, 1, 0, 0, 0, 120, 0, 4, 10, 0, 0, 9)
	// Additional: SRV whose target is "h" + ".local." (a pointer into svc).
	b = append(b, ptr(inst)...)
	b = append(b, 0, 33, 0x80, 1, 0, 0, 0, 120, 0, 10, 0, 0, 0, 0, 0x1d, 0x13, 1, 'h')
	b = append(b, ptr(svc+13)...)

	m, err := Unpack(b)
	if err != nil {
		t.Fatal(err)
	}
	want := &Message{Response: true,
		Answers: []Record{{Name: "_hearth._tcp.local.", Type: TypePTR, TTL: 120, Target: "inst._hearth._tcp.local."}},
		Extra:   []Record{{Name: "inst._hearth._tcp.local.", Type: TypeSRV, Flush: true, TTL: 120, Port: 7443, Target: "h.local."}},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got  %+v\nwant %+v", m, want)
	}
}

// TestUnpackBad: each malformed packet gets an error wrapping ErrShort or
// ErrFormat, never a panic or a partial message.
func TestUnpackBad(t *testing.T) {
	good, err := sample().Pack()
	if err != nil {
		t.Fatal(err)
	}
	header := func(flags uint16, counts ...uint16) []byte {
		b := binary.BigEndian.AppendUint16(nil, 1)
		b = binary.BigEndian.AppendUint16(b, flags)
		for _, c := range counts {
			b = binary.BigEndian.AppendUint16(b, c)
		}
		return b
	}
	record := func(typ uint16, data ...byte) []byte {
		b := append(header(0x8400, 0, 1, 0, 0), 1, 'a', 0)
		b = binary.BigEndian.AppendUint16(b, typ)
		b = append(b, 0, 1, 0, 0, 0, 1)
		b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
		return append(b, data...)
	}
	long := header(0, 1, 0, 0, 0)
	for range 5 {
		long = append(long, 63)
		long = append(long, strings.Repeat("x", 63)...)
	}
	long = append(long, 0, 0, 12, 0, 1)

	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrShort},
		{"header only half", good[:6], ErrShort},
		{"cut in a record", good[:len(good)-3], ErrShort},
		{"counts larger than the packet", header(0, 0xffff, 0xffff, 0, 0), ErrShort},
		{"opcode not a query", header(0x2800, 0, 0, 0, 0), ErrFormat},
		{"response with an error code", header(0x8403, 0, 0, 0, 0), ErrFormat},
		{"pointer to itself", append(header(0, 1, 0, 0, 0), 0xc0, 12, 0, 12, 0, 1), ErrFormat},
		{"pointer forward", append(header(0, 1, 0, 0, 0), 0xc0, 14, 1, 'a', 0, 0, 12, 0, 1), ErrFormat},
		{"reserved label type", append(header(0, 1, 0, 0, 0), 0x40, 0, 0, 12, 0, 1), ErrFormat},
		{"label past the end", append(header(0, 1, 0, 0, 0), 9, 'a', 0, 0, 0, 0), ErrShort},
		{"name longer than 255", long, ErrFormat},
		{"A of 3 bytes", record(1, 1, 2, 3), ErrFormat},
		{"AAAA of 4 bytes", record(28, 1, 2, 3, 4), ErrFormat},
		{"SRV too short", record(33, 0, 0, 0, 0, 0, 1), ErrFormat},
		{"PTR with bytes after its name", record(12, 1, 'b', 0, 9), ErrFormat},
		{"TXT string past its record", record(16, 5, 'a'), ErrFormat},
		{"record data past the packet", record(1, 1, 2, 3, 4)[:len(record(1))], ErrShort},
	} {
		m, err := Unpack(tc.b)
		if !errors.Is(err, tc.want) || m != nil {
			t.Errorf("%s: Unpack = %+v, %v; want %v", tc.name, m, err, tc.want)
		}
	}
}

// chain is a response whose second record's name follows hops
// compression pointers: a chain of them hides in the data of a record of
// an unknown type, which Unpack skips.
func chain(hops int) []byte {
	b := []byte{0, 0, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 'a', 0, 0, 99, 0, 1, 0, 0, 0, 1, 0, byte(2 * (hops - 1))}
	for i := range hops - 1 {
		at := 12 // the first pointer leads to "a."
		if i > 0 {
			at = len(b) - 2
		}
		b = append(b, 0xc0, byte(at))
	}
	b = append(b, 0xc0, byte(len(b)-2)) // the second record's name
	return append(b, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0, 1)
}

// TestPointerHops: a name may follow maxHops pointers, not more, so that a
// packet of long chains costs little to refuse.
func TestPointerHops(t *testing.T) {
	m, err := Unpack(chain(maxHops))
	if err != nil || len(m.Answers) != 1 || m.Answers[0].Name != "a." {
		t.Fatalf("%d hops: %+v, %v; want the A record of a.", maxHops, m, err)
	}
	if _, err := Unpack(chain(maxHops + 1)); !errors.Is(err, ErrFormat) {
		t.Errorf("%d hops: %v, want ErrFormat", maxHops+1, err)
	}
}

// TestCompressed: names written before are pointers, so an answer with
// many addresses still fits a frame.
func TestCompressed(t *testing.T) {
	m := sample()
	for i := range 16 {
		m.Extra = append(m.Extra, Record{Name: "kitchen.local.", Type: TypeAAAA, Addr: netip.AddrFrom16([16]byte{0xfd, 15: byte(i)})})
	}
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 1472 {
		t.Errorf("answer of %d bytes, want it within one Ethernet frame", len(b))
	}
	got, err := Unpack(b)
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Errorf("round trip: %v\n got %+v\nwant %+v", err, got, m)
	}
}

// TestPackBad: what cannot be sent is refused with the reason.
func TestPackBad(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Record
		want string
	}{
		{"relative name", Record{Name: "host.local", Type: TypeA, Addr: netip.MustParseAddr("10.0.0.1")}, "not absolute"},
		{"empty label", Record{Name: "a..local.", Type: TypeA, Addr: netip.MustParseAddr("10.0.0.1")}, "label of 0 bytes"},
		{"label of 64 bytes", Record{Name: strings.Repeat("x", 64) + ".local.", Type: TypeA, Addr: netip.MustParseAddr("10.0.0.1")}, "label of 64"},
		{"lone backslash", Record{Name: `a.local\`, Type: TypeA, Addr: netip.MustParseAddr("10.0.0.1")}, "backslash"},
		{"escaped final dot", Record{Name: `a.local\.`, Type: TypeA, Addr: netip.MustParseAddr("10.0.0.1")}, "not absolute"},
		{"A with an IPv6 address", Record{Name: "a.local.", Type: TypeA, Addr: netip.MustParseAddr("::1")}, "A record"},
		{"AAAA with an IPv4 address", Record{Name: "a.local.", Type: TypeAAAA, Addr: netip.MustParseAddr("10.0.0.1")}, "AAAA record"},
		{"TXT string over 255 bytes", Record{Name: "a.local.", Type: TypeTXT, Text: []string{strings.Repeat("x", 256)}}, "256 bytes"},
		{"unknown type", Record{Name: "a.local.", Type: 99}, "cannot pack"},
	} {
		_, err := (&Message{Response: true, Answers: []Record{tc.r}}).Pack()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Pack: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	name := strings.Repeat(strings.Repeat("x", 63)+".", 4) // 256 bytes on the wire
	if _, err := (&Message{Questions: []Question{{Name: name, Type: TypeA}}}).Pack(); err == nil {
		t.Error("a name of 256 bytes packed")
	}
}

// FuzzUnpack: no packet makes Unpack panic, and what it returns packs and
// unpacks to the same message.
func FuzzUnpack(f *testing.F) {
	good, _ := sample().Pack()
	f.Add(good)
	q, _ := (&Message{Questions: []Question{{Name: "_hearth._tcp.local.", Type: TypePTR}}}).Pack()
	f.Add(q)
	f.Add([]byte{0, 0, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Unpack(b)
		if err != nil {
			return
		}
		again, err := m.Pack()
		if err != nil {
			return // e.g. an AAAA record holding an IPv4-mapped address
		}
		m2, err := Unpack(again)
		if err != nil {
			t.Fatalf("Unpack(Pack(%+v)): %v", m, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("packed and unpacked again:\n got %+v\nwant %+v", m2, m)
		}
	})
}
