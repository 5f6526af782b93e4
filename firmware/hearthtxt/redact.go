package hearthtxt

import (
	"bytes"
	"slices"
)

// Redact returns orig with the values of the given keys (SecretKeys when
// none are given) replaced by Stored: "token = (stored)". Every other byte
// stays as it was: comments, other settings, the byte order mark and each
// line's own line end. Lines with an empty value, already Stored, or that
// do not parse are left alone.
func Redact(orig []byte, keys ...string) []byte {
	if len(keys) == 0 {
		keys = SecretKeys
	}
	var out bytes.Buffer
	out.Grow(len(orig))
	rest := orig
	if bytes.HasPrefix(rest, bom) {
		out.Write(bom)
		rest = rest[len(bom):]
	}
	for len(rest) > 0 {
		raw, end := rest, []byte(nil)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			raw, end, rest = rest[:i], rest[i:i+1], rest[i+1:]
		} else {
			rest = nil
		}
		if bytes.HasSuffix(raw, []byte("\r")) {
			raw, end = raw[:len(raw)-1], append([]byte("\r"), end...)
		}
		l := parseLine(0, string(raw))
		if l.err == nil && l.key != "" && l.value != "" && l.value != Stored && slices.Contains(keys, l.key) {
			raw = []byte(l.key + " = " + Stored)
		}
		out.Write(raw)
		out.Write(end)
	}
	return out.Bytes()
}
