// Package mdns speaks the part of multicast DNS (RFC 6762) and DNS-based
// service discovery (RFC 6763) that Hearth's discovery needs: messages with
// A, AAAA, PTR, SRV and TXT records, and sockets joined to the mDNS groups
// on chosen interfaces.
//
// It replaces a general DNS library, which cost the agent binary two thirds
// of a megabyte on ARM for a hundred record types it never uses. Names are
// compressed both ways. Records of other types are skipped, not refused.
//
// Unpack trusts nothing: every length is checked against the packet,
// compression pointers may only point backwards and a name may follow at
// most maxHops of them (so that neither a loop nor a long chain makes it
// work hard), and names and counts are bounded.
package mdns

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Type is a DNS record type.
type Type uint16

// The record types this package reads and writes; TypeANY only in questions.
const (
	TypeA    Type = 1
	TypePTR  Type = 12
	TypeTXT  Type = 16
	TypeAAAA Type = 28
	TypeSRV  Type = 33
	TypeANY  Type = 255
)

func (t Type) String() string {
	switch t {
	case TypeA:
		return "A"
	case TypePTR:
		return "PTR"
	case TypeTXT:
		return "TXT"
	case TypeAAAA:
		return "AAAA"
	case TypeSRV:
		return "SRV"
	case TypeANY:
		return "ANY"
	}
	return fmt.Sprintf("TYPE%d", uint16(t))
}

const (
	classIN  = 1
	topClass = 0x8000 // a question's unicast-response bit, a record's cache-flush bit (RFC 6762 5.4, 10.2)
	flagQR   = 0x8000 // the message is a response
	flagAA   = 0x0400 // authoritative: set in every mDNS response (18.4)
	opcode   = 0x7800
	rcode    = 0x000f

	maxName   = 255 // bytes of a name on the wire
	maxLabel  = 63
	maxHops   = 10 // compression pointers one name may follow
	headerLen = 12

	// MaxPacket is the largest message sent or read (RFC 6762 17).
	MaxPacket = 9000
)

// Question asks for the records of a name and type.
type Question struct {
	Name    string
	Type    Type
	Unicast bool // the asker wants a unicast answer (QU)
}

// Record is a resource record. Which fields count depends on Type: Target
// for PTR and SRV, Priority, Weight and Port for SRV, Text for TXT, Addr
// for A and AAAA.
type Record struct {
	Name  string
	Type  Type
	Flush bool   // cache-flush: this set replaces what the cache holds
	TTL   uint32 // seconds; 0 says goodbye (RFC 6762 10.1)

	Target                 string
	Priority, Weight, Port uint16
	Text                   []string
	Addr                   netip.Addr
}

// Message is an mDNS query or response. The authority section is read
// past and dropped: only probes use it.
type Message struct {
	ID        uint16
	Response  bool
	Questions []Question
	Answers   []Record
	Extra     []Record // the additional section
}

// Names are dotted and absolute ("host.local."). A dot or backslash inside
// a label is escaped with a backslash, as in DNS presentation format.

// EqualName reports whether two names are the same: DNS compares ASCII
// letters without case.
func EqualName(a, b string) bool { return strings.EqualFold(a, b) }

// Pack encodes m. Names are compressed: a name, or its tail, that was
// written before is a pointer to it.
func (m *Message) Pack() ([]byte, error) {
	if len(m.Questions) > 0xffff || len(m.Answers) > 0xffff || len(m.Extra) > 0xffff {
		return nil, errors.New("mdns: too many records")
	}
	p := packer{b: make([]byte, headerLen, 512), names: make(map[string]int)}
	var flags uint16
	if m.Response {
		flags = flagQR | flagAA
	}
	binary.BigEndian.PutUint16(p.b[0:], m.ID)
	binary.BigEndian.PutUint16(p.b[2:], flags)
	binary.BigEndian.PutUint16(p.b[4:], uint16(len(m.Questions)))
	binary.BigEndian.PutUint16(p.b[6:], uint16(len(m.Answers)))
	binary.BigEndian.PutUint16(p.b[10:], uint16(len(m.Extra)))
	for _, q := range m.Questions {
		if err := p.name(q.Name); err != nil {
			return nil, err
		}
		class := uint16(classIN)
		if q.Unicast {
			class |= topClass
		}
		p.b = binary.BigEndian.AppendUint16(p.b, uint16(q.Type))
		p.b = binary.BigEndian.AppendUint16(p.b, class)
	}
	for _, rs := range [][]Record{m.Answers, m.Extra} {
		for _, r := range rs {
			if err := p.record(r); err != nil {
				return nil, err
			}
		}
	}
	if len(p.b) > MaxPacket {
		return nil, fmt.Errorf("mdns: message of %d bytes (at most %d)", len(p.b), MaxPacket)
	}
	return p.b, nil
}

// packer writes a message, remembering where each name was written.
type packer struct {
	b     []byte
	names map[string]int // a name's tail, labels joined by NUL -> its offset
}

func (p *packer) record(r Record) error {
	if err := p.name(r.Name); err != nil {
		return err
	}
	class := uint16(classIN)
	if r.Flush {
		class |= topClass
	}
	p.b = binary.BigEndian.AppendUint16(p.b, uint16(r.Type))
	p.b = binary.BigEndian.AppendUint16(p.b, class)
	p.b = binary.BigEndian.AppendUint32(p.b, r.TTL)
	lenAt := len(p.b)
	p.b = append(p.b, 0, 0) // RDLENGTH, filled in below
	var err error
	switch r.Type {
	case TypeA:
		if !r.Addr.Is4() {
			return fmt.Errorf("mdns: A record %s with address %v", r.Name, r.Addr)
		}
		a := r.Addr.As4()
		p.b = append(p.b, a[:]...)
	case TypeAAAA:
		if !r.Addr.Is6() || r.Addr.Is4In6() {
			return fmt.Errorf("mdns: AAAA record %s with address %v", r.Name, r.Addr)
		}
		a := r.Addr.As16()
		p.b = append(p.b, a[:]...)
	case TypePTR:
		err = p.name(r.Target)
	case TypeSRV:
		p.b = binary.BigEndian.AppendUint16(p.b, r.Priority)
		p.b = binary.BigEndian.AppendUint16(p.b, r.Weight)
		p.b = binary.BigEndian.AppendUint16(p.b, r.Port)
		err = p.name(r.Target) // mDNS allows SRV targets compressed (RFC 6762 18.14)
	case TypeTXT:
		if len(r.Text) == 0 {
			p.b = append(p.b, 0) // an empty TXT record is one empty string (RFC 6763 6.1)
		}
		for _, s := range r.Text {
			if len(s) > 255 {
				return fmt.Errorf("mdns: TXT string of %d bytes in %s (at most 255)", len(s), r.Name)
			}
			p.b = append(p.b, byte(len(s)))
			p.b = append(p.b, s...)
		}
	default:
		return fmt.Errorf("mdns: cannot pack a %v record", r.Type)
	}
	if err != nil {
		return err
	}
	n := len(p.b) - lenAt - 2
	if n > 0xffff {
		return fmt.Errorf("mdns: record %s too long", r.Name)
	}
	binary.BigEndian.PutUint16(p.b[lenAt:], uint16(n))
	return nil
}

// name writes an absolute name: its labels up to the first tail already
// written, then a pointer to that tail.
func (p *packer) name(name string) error {
	labels, err := splitName(name)
	if err != nil {
		return err
	}
	wire := 1
	for _, l := range labels {
		wire += 1 + len(l)
	}
	if wire > maxName {
		return fmt.Errorf("mdns: name %q longer than %d bytes", name, maxName)
	}
	for i, l := range labels {
		tail := strings.Join(labels[i:], "\x00")
		if off, ok := p.names[tail]; ok {
			p.b = binary.BigEndian.AppendUint16(p.b, 0xc000|uint16(off))
			return nil
		}
		if len(p.b) < 0x3fff {
			p.names[tail] = len(p.b)
		}
		p.b = append(p.b, byte(len(l)))
		p.b = append(p.b, l...)
	}
	p.b = append(p.b, 0)
	return nil
}

// splitName cuts an absolute name at its unescaped dots.
func splitName(name string) ([]string, error) {
	if name == "." {
		return nil, nil
	}
	var labels []string
	var l []byte
	absolute := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		absolute = false
		switch {
		case c == '\\' && i+1 == len(name):
			return nil, fmt.Errorf("mdns: name %q ends in a lone backslash", name)
		case c == '\\':
			i++
			l = append(l, name[i])
			continue
		case c != '.':
			l = append(l, c)
			continue
		}
		if len(l) == 0 || len(l) > maxLabel {
			return nil, fmt.Errorf("mdns: name %q has a label of %d bytes (1 to %d)", name, len(l), maxLabel)
		}
		labels = append(labels, string(l))
		l = l[:0]
		absolute = true
	}
	if !absolute {
		return nil, fmt.Errorf("mdns: name %q is not absolute (end it with a dot)", name)
	}
	return labels, nil
}

// Errors Unpack wraps.
var (
	ErrShort  = errors.New("mdns: message truncated")
	ErrFormat = errors.New("mdns: malformed message")
)

// Unpack decodes a message. It returns an error wrapping ErrShort or
// ErrFormat for a packet that is not one, and skips records of types other
// than A, AAAA, PTR, SRV and TXT.
func Unpack(b []byte) (*Message, error) {
	if len(b) < headerLen {
		return nil, ErrShort
	}
	flags := binary.BigEndian.Uint16(b[2:])
	if flags&opcode != 0 {
		return nil, fmt.Errorf("%w: opcode %d", ErrFormat, flags&opcode>>11)
	}
	m := &Message{ID: binary.BigEndian.Uint16(b[0:]), Response: flags&flagQR != 0}
	if m.Response && flags&rcode != 0 {
		return nil, fmt.Errorf("%w: rcode %d", ErrFormat, flags&rcode)
	}
	qd, an := int(binary.BigEndian.Uint16(b[4:])), int(binary.BigEndian.Uint16(b[6:]))
	ns, ar := int(binary.BigEndian.Uint16(b[8:])), int(binary.BigEndian.Uint16(b[10:]))
	// A question takes at least 5 bytes and a record 11: counts that
	// cannot fit are refused before anything is allocated for them.
	if qd*5+(an+ns+ar)*11 > len(b)-headerLen {
		return nil, fmt.Errorf("%w: counts %d/%d/%d/%d do not fit %d bytes", ErrShort, qd, an, ns, ar, len(b))
	}
	off := headerLen
	var err error
	for range qd {
		var q Question
		if q.Name, off, err = readName(b, off); err != nil {
			return nil, err
		}
		if off+4 > len(b) {
			return nil, ErrShort
		}
		q.Type = Type(binary.BigEndian.Uint16(b[off:]))
		class := binary.BigEndian.Uint16(b[off+2:])
		q.Unicast = class&topClass != 0
		off += 4
		if class&^topClass == classIN || class&^topClass == 255 {
			m.Questions = append(m.Questions, q)
		}
	}
	for section, n := range []int{an, ns, ar} {
		for range n {
			var r Record
			var ok bool
			if r, ok, off, err = readRecord(b, off); err != nil {
				return nil, err
			}
			switch {
			case !ok:
			case section == 0:
				m.Answers = append(m.Answers, r)
			case section == 2:
				m.Extra = append(m.Extra, r)
			}
		}
	}
	return m, nil
}

// readRecord reads the record at off; ok is false for one of a type or
// class this package does not keep.
func readRecord(b []byte, off int) (r Record, ok bool, next int, err error) {
	if r.Name, off, err = readName(b, off); err != nil {
		return r, false, 0, err
	}
	if off+10 > len(b) {
		return r, false, 0, ErrShort
	}
	r.Type = Type(binary.BigEndian.Uint16(b[off:]))
	class := binary.BigEndian.Uint16(b[off+2:])
	r.Flush = class&topClass != 0
	r.TTL = binary.BigEndian.Uint32(b[off+4:])
	n := int(binary.BigEndian.Uint16(b[off+8:]))
	off += 10
	end := off + n
	if end > len(b) {
		return r, false, 0, ErrShort
	}
	if class&^topClass != classIN {
		return r, false, end, nil
	}
	data := b[off:end]
	switch r.Type {
	case TypeA, TypeAAAA:
		if r.Type == TypeA && n != 4 || r.Type == TypeAAAA && n != 16 {
			return r, false, 0, fmt.Errorf("%w: %v record of %d bytes", ErrFormat, r.Type, n)
		}
		r.Addr, _ = netip.AddrFromSlice(data)
	case TypePTR:
		var after int
		if r.Target, after, err = readName(b, off); err != nil {
			return r, false, 0, err
		}
		if after != end {
			return r, false, 0, fmt.Errorf("%w: PTR data of %d bytes holds a name of %d", ErrFormat, n, after-off)
		}
	case TypeSRV:
		if n < 7 {
			return r, false, 0, fmt.Errorf("%w: SRV record of %d bytes", ErrFormat, n)
		}
		r.Priority = binary.BigEndian.Uint16(data[0:])
		r.Weight = binary.BigEndian.Uint16(data[2:])
		r.Port = binary.BigEndian.Uint16(data[4:])
		var after int
		if r.Target, after, err = readName(b, off+6); err != nil {
			return r, false, 0, err
		}
		if after != end {
			return r, false, 0, fmt.Errorf("%w: SRV data of %d bytes holds a name of %d", ErrFormat, n, after-off-6)
		}
	case TypeTXT:
		if len(data) == 0 {
			r.Text = []string{""} // as if one empty string (RFC 6763 6.1)
		}
		for len(data) > 0 {
			l := int(data[0])
			if 1+l > len(data) {
				return r, false, 0, fmt.Errorf("%w: TXT string runs past its record", ErrFormat)
			}
			r.Text = append(r.Text, string(data[1:1+l]))
			data = data[1+l:]
		}
	default:
		return r, false, end, nil
	}
	return r, true, end, nil
}

// readName reads the name at off, following compression pointers, and
// returns it with the offset just past it where it started.
func readName(b []byte, off int) (string, int, error) {
	var name strings.Builder
	next := -1 // where reading goes on after the first pointer
	wire := 0  // bytes of the name as uncompressed
	hops := 0
	for {
		if off >= len(b) {
			return "", 0, ErrShort
		}
		l := int(b[off])
		switch {
		case l == 0:
			if next < 0 {
				next = off + 1
			}
			if name.Len() == 0 {
				return ".", next, nil
			}
			return name.String(), next, nil
		case l&0xc0 == 0xc0:
			if off+1 >= len(b) {
				return "", 0, ErrShort
			}
			ptr := int(binary.BigEndian.Uint16(b[off:]) & 0x3fff)
			// Only backwards, and strictly: no pointer can then lead
			// back to itself, and every name ends.
			if ptr >= off {
				return "", 0, fmt.Errorf("%w: compression pointer forward or to itself", ErrFormat)
			}
			if hops++; hops > maxHops {
				return "", 0, fmt.Errorf("%w: a name follows more than %d compression pointers", ErrFormat, maxHops)
			}
			if next < 0 {
				next = off + 2
			}
			off = ptr
		case l&0xc0 != 0:
			return "", 0, fmt.Errorf("%w: label type %#x", ErrFormat, l&0xc0)
		default:
			if off+1+l > len(b) {
				return "", 0, ErrShort
			}
			if wire += 1 + l; wire+1 > maxName {
				return "", 0, fmt.Errorf("%w: name longer than %d bytes", ErrFormat, maxName)
			}
			for _, c := range b[off+1 : off+1+l] {
				if c == '.' || c == '\\' {
					name.WriteByte('\\')
				}
				name.WriteByte(c)
			}
			name.WriteByte('.')
			off += 1 + l
		}
	}
}
