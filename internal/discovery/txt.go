package discovery

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TXT keys. Keys are matched case-insensitively (RFC 6763 section 6.4);
// unknown keys are ignored so that later versions can add some.
const (
	keyID       = "id"
	keyInstance = "instance"
	keyRole     = "role"
	keyArch     = "arch"
	keyProto    = "proto"
	keyName     = "name"
)

const (
	maxToken = 128 // bytes in id, instance, role, arch
	maxName  = 100 // bytes in name; a TXT string holds 255
	maxProto = 65535
)

var errIncomplete = errors.New("TXT record lacks id or instance")

// txt encodes a as TXT strings.
func (a Announcement) txt() []string {
	t := []string{keyID + "=" + a.ID, keyInstance + "=" + a.Instance, keyProto + "=" + strconv.Itoa(a.Proto)}
	if a.Role != "" {
		t = append(t, keyRole+"="+a.Role)
	}
	if a.Arch != "" {
		t = append(t, keyArch+"="+a.Arch)
	}
	if a.Name != "" {
		t = append(t, keyName+"="+a.Name)
	}
	return t
}

// validate reports whether a can be announced and parsed back unchanged.
func (a Announcement) validate() error {
	if a.ID == "" || a.Instance == "" {
		return fmt.Errorf("%w: ID and Instance must be set", ErrAnnouncement)
	}
	if a.Port < 1 || a.Port > 65535 {
		return fmt.Errorf("%w: port %d not in 1-65535", ErrAnnouncement, a.Port)
	}
	for k, v := range map[string]string{keyID: a.ID, keyInstance: a.Instance, keyRole: a.Role, keyArch: a.Arch, keyName: a.Name} {
		if err := checkField(k, v); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrAnnouncement, k, err)
		}
	}
	if a.Proto < 0 || a.Proto > maxProto {
		return fmt.Errorf("%w: proto %d not in 0-%d", ErrAnnouncement, a.Proto, maxProto)
	}
	return nil
}

// checkField checks one text value: tokens are printable ASCII without
// spaces, quotes or backslashes; a name is UTF-8 without control characters.
func checkField(key, v string) error {
	if key == keyName {
		if len(v) > maxName {
			return fmt.Errorf("longer than %d bytes", maxName)
		}
		if !utf8.ValidString(v) {
			return errors.New("not UTF-8")
		}
		if strings.ContainsFunc(v, unicode.IsControl) {
			return errors.New("has control characters")
		}
		return nil
	}
	if len(v) > maxToken {
		return fmt.Errorf("longer than %d bytes", maxToken)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c > '~' || c == '"' || c == '\\' {
			return fmt.Errorf("byte %#x not allowed", c)
		}
	}
	return nil
}

// parseTXT reads an announcement from TXT strings. Malformed strings are skipped and counted in bad; only a
// record without id or instance is refused. Port is not in TXT.
func parseTXT(txt []string) (a Announcement, bad int, err error) {
	seen := make(map[string]bool)
	for _, raw := range txt {
		if raw == "" {
			continue // an empty TXT record is one empty string
		}
		k, v, ok := strings.Cut(raw, "=")
		k = strings.ToLower(k)
		if !ok || k == "" || seen[k] {
			// Only the first of repeated keys counts (RFC 6763 6.4).
			bad++
			continue
		}
		seen[k] = true
		switch k {
		case keyProto:
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > maxProto {
				bad++
				continue
			}
			a.Proto = n
		case keyID, keyInstance, keyRole, keyArch, keyName:
			if checkField(k, v) != nil {
				bad++
				continue
			}
			a.set(k, v)
		}
	}
	if a.ID == "" || a.Instance == "" {
		return Announcement{}, bad, errIncomplete
	}
	return a, bad, nil
}

func (a *Announcement) set(key, v string) {
	switch key {
	case keyID:
		a.ID = v
	case keyInstance:
		a.Instance = v
	case keyRole:
		a.Role = v
	case keyArch:
		a.Arch = v
	case keyName:
		a.Name = v
	}
}

// escapeTXT writes one TXT string in the DNS presentation format that
// miekg/dns packs (and zeroconf passes to it): a backslash escapes the next
// byte, and \DDD is a byte in decimal. Everything else is packed as it is,
// UTF-8 included.
func escapeTXT(s string) string {
	return strings.ReplaceAll(s, `\`, `\\`)
}

// unescapeTXT reads one TXT string from the presentation format miekg/dns
// unpacks into: \" and \\ for quotes and backslashes, \DDD for bytes that
// are not printable ASCII (UTF-8 among them). A backslash at the end is
// dropped, as miekg/dns drops it when packing.
func unescapeTXT(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		switch {
		case i == len(s):
		case i+2 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]):
			n := int(s[i]-'0')*100 + int(s[i+1]-'0')*10 + int(s[i+2]-'0')
			b = append(b, byte(n)) // as miekg/dns, 256-999 wrap
			i += 2
		default:
			b = append(b, s[i])
		}
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
