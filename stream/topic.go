package stream

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxTopicBytes is the longest topic or filter MQTT can carry: its
// strings have a 16-bit length.
const MaxTopicBytes = 65535

// ValidFilter checks a subscription filter against MQTT 3.1.1 (s4.7): 1 to
// 65535 bytes of UTF-8 without NUL, '+' alone in its level, '#' alone in
// the last level. Errors wrap ErrBadTopic.
func ValidFilter(f string) error {
	if err := validString("filter", f); err != nil {
		return err
	}
	level, rest := "", f
	for more := true; more; {
		level, rest, more = strings.Cut(rest, "/")
		switch {
		case level == "#" && more:
			return fmt.Errorf("%w: filter %s: '#' matches every level below it, so it must be the last level (as in \"a/b/#\")", ErrBadTopic, quote(f))
		case level != "#" && strings.Contains(level, "#"):
			return fmt.Errorf("%w: filter %s: '#' must be alone in its level (\"a/b/#\", not \"a/b#\")", ErrBadTopic, quote(f))
		case level != "+" && strings.Contains(level, "+"):
			return fmt.Errorf("%w: filter %s: '+' must be alone in its level (\"a/+/c\", not \"a/b+/c\")", ErrBadTopic, quote(f))
		}
	}
	return nil
}

// ValidTopic checks a topic name, one a message is published to: the
// rules of ValidFilter, and no wildcard at all. Errors wrap ErrBadTopic.
func ValidTopic(t string) error {
	if err := validString("topic", t); err != nil {
		return err
	}
	if strings.ContainsAny(t, "+#") {
		return fmt.Errorf("%w: topic %s: '+' and '#' are wildcards of filters; a message is published to one topic without them", ErrBadTopic, quote(t))
	}
	return nil
}

// validString holds the rules that filters and topics share.
func validString(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty %s: MQTT needs at least one character (\"#\" is the filter of every topic)", ErrBadTopic, what)
	case len(s) > MaxTopicBytes:
		return fmt.Errorf("%w: %s of %d bytes: MQTT allows at most %d", ErrBadTopic, what, len(s), MaxTopicBytes)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s %s is not valid UTF-8", ErrBadTopic, what, quote(s))
	case strings.IndexByte(s, 0) >= 0:
		return fmt.Errorf("%w: %s %s holds a NUL character, which MQTT forbids", ErrBadTopic, what, quote(s))
	}
	return nil
}

// quote quotes s for an error message, cut to its first 100 bytes.
func quote(s string) string {
	if len(s) > 100 {
		return strconv.Quote(s[:100]) + "..."
	}
	return strconv.Quote(s)
}

// Match reports whether filter matches topic as MQTT 3.1.1 s4.7 says: '+'
// matches one level, an empty one too ("a/+" matches "a/" but not "a");
// a last '#' matches its parent level and every level below ("a/#"
// matches "a", "a/" and "a/b/c"); a filter starting with a wildcard does
// not match a topic starting with '$' ("#" does not match "$SYS/x").
//
// Match does not allocate. It answers false when the filter or the topic
// is empty or misuses a wildcard (ValidFilter, ValidTopic), but it does
// not check their length or encoding, which do not change how levels
// compare: check those where topics come in.
func Match(filter, topic string) bool {
	if filter == "" || topic == "" || strings.ContainsAny(topic, "+#") {
		return false
	}
	if topic[0] == '$' && (filter[0] == '+' || filter[0] == '#') {
		return false
	}
	for {
		f, frest, fmore := strings.Cut(filter, "/")
		if f == "#" {
			return !fmore
		}
		t, trest, tmore := strings.Cut(topic, "/")
		if f != "+" && f != t { // t holds no wildcard, so neither does a level equal to it
			return false
		}
		switch {
		case !fmore:
			return !tmore
		case !tmore:
			// The topic ends here; only a last "#" (its parent level) is
			// left to match it.
			return frest == "#"
		}
		filter, topic = frest, trest
	}
}

// matchesPrefix reports whether filter matches at least one topic that
// starts with prefix (a topic name may continue it with anything,
// including more levels). Validate uses it to find output topics that
// would loop back into a stream's input.
func matchesPrefix(filter, prefix string) bool {
	if filter == "" || strings.ContainsAny(prefix, "+#") {
		return false
	}
	if prefix != "" && prefix[0] == '$' && (filter[0] == '+' || filter[0] == '#') {
		return false
	}
	for {
		f, frest, fmore := strings.Cut(filter, "/")
		if f == "#" {
			return !fmore
		}
		if f != "+" && strings.ContainsAny(f, "+#") {
			return false
		}
		p, prest, pmore := strings.Cut(prefix, "/")
		if !pmore {
			// p is the prefix's last, open level: a topic may complete it
			// as f and go on with whatever levels the filter still has.
			return f == "+" || strings.HasPrefix(f, p)
		}
		if f != "+" && f != p || !fmore {
			// A mismatch, or the filter ends while every topic with the
			// prefix has another level.
			return false
		}
		filter, prefix = frest, prest
	}
}
