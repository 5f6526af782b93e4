package hearthtxt

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

var bom = []byte("\xef\xbb\xbf")

// line is one line of the file as Parse sees it.
type line struct {
	num        int
	key, value string // key lower-cased; "" for blank and comment lines
	err        *LineError
}

// lines splits b (after the BOM) into its lines without their ends.
func lines(b []byte) []line {
	b = bytes.TrimPrefix(b, bom)
	var out []line
	n := 0
	for len(b) > 0 {
		n++
		raw := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			raw, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		out = append(out, parseLine(n, string(bytes.TrimSuffix(raw, []byte("\r")))))
	}
	return out
}

func parseLine(n int, s string) line {
	l := line{num: n}
	t := strings.TrimSpace(s)
	if t == "" || strings.HasPrefix(t, "#") {
		return l
	}
	if !utf8.ValidString(t) {
		l.err = &LineError{Line: n, Err: ErrEncoding, Advice: "save the file as UTF-8 (Notepad: File, Save As, Encoding: UTF-8)"}
		return l
	}
	k, v, ok := strings.Cut(t, "=")
	if !ok {
		l.err = &LineError{Line: n, Err: ErrSyntax, Advice: "write key = value, e.g. name = kitchen-pi, or start the line with # to make it a comment"}
		return l
	}
	l.key = strings.ToLower(strings.TrimSpace(k))
	l.value = unquote(strings.TrimSpace(v))
	if l.key == "" {
		l.err = &LineError{Line: n, Err: ErrSyntax, Advice: "a key is missing before =; write key = value, e.g. name = kitchen-pi"}
	}
	return l
}

// unquote removes one pair of double quotes around v. There are no escapes:
// a value with quotes of its own is written inside another pair.
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

// Parse reads a hearth.txt. Its Config holds every setting that could be
// read even when the error (errors.Join of *LineError) reports others that
// could not. An empty value ("name =") leaves the key unset.
func Parse(b []byte) (Config, error) {
	var c Config
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		return c, &LineError{Err: ErrEncoding, Advice: "the file is saved as UTF-16 (\"Unicode\"); in Notepad use File, Save As, Encoding: UTF-8"}
	}
	var errs []error
	seen := map[string]int{}
	for _, l := range lines(b) {
		if l.err != nil {
			errs = append(errs, l.err)
			continue
		}
		if l.key == "" {
			continue
		}
		k, ok := lookup(l.key)
		if !ok {
			errs = append(errs, &LineError{Line: l.num, Key: l.key, Err: ErrUnknownKey, Advice: unknownAdvice(l.key)})
			continue
		}
		if first, dup := seen[l.key]; dup {
			errs = append(errs, &LineError{Line: l.num, Key: l.key, Err: ErrDuplicateKey,
				Advice: fmt.Sprintf("it is already set on line %d; keep one of the two lines and delete or comment out (#) the other", first)})
			continue
		}
		seen[l.key] = l.num
		if l.value == "" {
			continue
		}
		if err := setValue(&c, k, l.value); err != nil {
			errs = append(errs, &LineError{Line: l.num, Key: l.key, Err: ErrBadValue, Advice: err.Error()})
		}
	}
	for _, e := range crossCheck(c) {
		e.Line = seen[e.Key]
		errs = append(errs, e)
	}
	return c, errors.Join(errs...)
}

// setValue sets k from v, refusing what one line cannot hold.
func setValue(c *Config, k key, v string) error {
	for _, r := range v {
		if r < ' ' || r == 0x7f {
			return badValue("remove the control characters (tabs and the like) from the value")
		}
	}
	if strings.TrimSpace(v) != v && !k.secret && k.name != "wifi_ssid" {
		v = strings.TrimSpace(v)
	}
	return k.set(c, v)
}

// unknownAdvice lists the known keys, the likeliest first.
func unknownAdvice(k string) string {
	known := strings.Join(KnownKeys(), ", ")
	best, bestD := "", 3
	norm := strings.NewReplacer("-", "_", " ", "_", ".", "_").Replace(k)
	for _, name := range KnownKeys() {
		if d := distance(norm, name); d < bestD {
			best, bestD = name, d
		}
	}
	if best != "" {
		return fmt.Sprintf("did you mean %s? The keys are: %s", best, known)
	}
	return "the keys are: " + known
}

// distance is the Levenshtein distance of two short strings.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
