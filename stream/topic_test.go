package stream

import (
	"errors"
	"strings"
	"testing"
)

func TestValidFilter(t *testing.T) {
	for _, c := range []struct {
		f    string
		want string // a piece of the error, "" for none
	}{
		{"#", ""},
		{"+", ""},
		{"/", ""},
		{"sport/tennis/#", ""},
		{"sport/+/player1", ""},
		{"+/+", ""},
		{"/+", ""},
		{"+/tennis/#", ""},
		{"$SYS/#", ""},
		{"a//b", ""},
		{"caf\u00e9 au lait/+", ""},
		{strings.Repeat("a", MaxTopicBytes), ""},
		{"", "empty filter"},
		{strings.Repeat("a", MaxTopicBytes+1), "65536 bytes"},
		{"a/\xff", "not valid UTF-8"},
		{"a/\x00", "NUL"},
		{"sport/tennis#", "'#' must be alone"},
		{"#/x", "must be the last level"},
		{"sport/#/ranking", "must be the last level"},
		{"##", "'#' must be alone"},
		{"sport+", "'+' must be alone"},
		{"sport/+x/a", "'+' must be alone"},
		{"++", "'+' must be alone"},
	} {
		err := ValidFilter(c.f)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("ValidFilter(%s) = %v, want nil", quote(c.f), err)
		case c.want != "" && (err == nil || !errors.Is(err, ErrBadTopic) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("ValidFilter(%s) = %v, want ErrBadTopic saying %q", quote(c.f), err, c.want)
		}
	}
}

func TestValidTopic(t *testing.T) {
	for _, c := range []struct {
		topic string
		want  string
	}{
		{"a", ""},
		{"/", ""},
		{"sport/tennis/player1", ""},
		{"$SYS/broker/load", ""},
		{"a b/ c", ""},
		{"", "empty topic"},
		{"a/+", "wildcards"},
		{"a/#", "wildcards"},
		{"a+b", "wildcards"},
		{"a\x00", "NUL"},
		{"\xc3", "UTF-8"},
		{strings.Repeat("a", MaxTopicBytes+1), "at most 65535"},
	} {
		err := ValidTopic(c.topic)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("ValidTopic(%s) = %v, want nil", quote(c.topic), err)
		case c.want != "" && (err == nil || !errors.Is(err, ErrBadTopic) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("ValidTopic(%s) = %v, want ErrBadTopic saying %q", quote(c.topic), err, c.want)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		filter, topic string
		want          bool
	}{
		// The examples of MQTT 3.1.1 s4.7.
		{"sport/tennis/player1/#", "sport/tennis/player1", true},
		{"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
		{"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
		{"sport/#", "sport", true},
		{"sport/tennis/+", "sport/tennis/player1", true},
		{"sport/tennis/+", "sport/tennis/player2", true},
		{"sport/tennis/+", "sport/tennis/player1/ranking", false},
		{"sport/+", "sport", false},
		{"sport/+", "sport/", true},
		{"+/+", "/finance", true},
		{"/+", "/finance", true},
		{"+", "/finance", false},
		{"#", "$SYS/broker", false},
		{"+/monitor/Clients", "$SYS/monitor/Clients", false},
		{"$SYS/#", "$SYS/monitor/Clients", true},
		{"$SYS/monitor/+", "$SYS/monitor/Clients", true},
		// More.
		{"#", "a", true},
		{"#", "/", true},
		{"#", "a/b/c", true},
		{"a/#", "a/", true},
		{"a/#", "ab", false},
		{"a/+/c", "a//c", true},
		{"a/+/c", "a/b/c/d", false},
		{"a/b", "a/b", true},
		{"a/b", "a/B", false},
		{"a/b", "a/b/", false},
		{"a/b/", "a/b", false},
		{"+", "$SYS", false},
		{"$SYS", "$SYS", true},
		{"a/$x/#", "a/$x/y", true},
		{"a/+", "a/$x", true}, // only a first '$' is special
		// Misused wildcards and empty strings match nothing.
		{"", "", false},
		{"#", "", false},
		{"a/#/b", "a/x/b", false},
		{"a#", "a#", false},
		{"a+", "ab", false},
		{"+", "+", false},
		{"a/b", "a/+", false},
	} {
		if got := Match(c.filter, c.topic); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.filter, c.topic, got, c.want)
		}
	}
}

func TestMatchesPrefix(t *testing.T) {
	for _, c := range []struct {
		filter, prefix string
		want           bool
	}{
		{"#", "hearth/", true},
		{"#", "", true},
		{"#", "$SYS/", false},
		{"+/x", "$", false},
		{"$SYS/#", "$", true},
		{"hearth/#", "hearth/s/", true},
		{"hearth/#", "hearth", true},   // "hearth/..." or "hearth" itself
		{"hearth/#", "hearthx", false}, // its first level is not "hearth"
		{"hearth/+", "hearth/s/", false},
		{"hearth/+/+", "hearth/s/", true},
		{"hearth/+/x", "hearth/s/", true},
		{"hearth/s", "hearth/s/", false},
		{"hearth/sx/y", "hearth/s", true},
		{"hearth/sx", "hearth/s", true},
		{"other/#", "hearth/", false},
		{"zigbee2mqtt/+", "", true},
		{"a", "a/", false},
		{"+", "a/", false},
		{"+/#", "a/", true},
		{"a/b#", "a/", false}, // misused wildcard
	} {
		if got := matchesPrefix(c.filter, c.prefix); got != c.want {
			t.Errorf("matchesPrefix(%q, %q) = %v, want %v", c.filter, c.prefix, got, c.want)
		}
	}
}

// match is the s4.7 rule written out plainly, to check Match against.
func match(filter, topic string) bool {
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	fs, ts := strings.Split(filter, "/"), strings.Split(topic, "/")
	for i, f := range fs {
		if f == "#" {
			return i == len(fs)-1
		}
		if i >= len(ts) || f != "+" && f != ts[i] {
			return false
		}
	}
	return len(fs) == len(ts)
}

// wildcardsOK reports whether filter is non-empty and uses its wildcards
// as ValidFilter asks.
func wildcardsOK(filter string) bool {
	levels := strings.Split(filter, "/")
	for i, l := range levels {
		if strings.Contains(l, "#") && (l != "#" || i != len(levels)-1) || strings.Contains(l, "+") && l != "+" {
			return false
		}
	}
	return filter != ""
}

func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{
		{"sport/#", "sport"}, {"sport/+", "sport/"}, {"+/+", "/finance"}, {"#", "$SYS/x"},
		{"$SYS/#", "$SYS/x"}, {"a/+/c", "a//c"}, {"a/#/b", "a/x/b"}, {"", ""}, {"#", "\x00"},
		{"a/b", "a/b/"}, {"+", "\xff"}, {"hearth/+/#", "hearth/s/zigbee2mqtt/plug"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, filter, topic string) {
		m := Match(filter, topic)
		ferr, terr := ValidFilter(filter), ValidTopic(topic)
		if ferr == nil && terr == nil && m != match(filter, topic) {
			t.Errorf("Match(%q, %q) = %v, the plain rule says %v", filter, topic, m, !m)
		}
		if m && (!wildcardsOK(filter) || topic == "" || strings.ContainsAny(topic, "+#")) {
			t.Errorf("Match(%q, %q) with an empty string or a misused wildcard", filter, topic)
		}
		if m {
			for i := range len(topic) + 1 {
				if !matchesPrefix(filter, topic[:i]) {
					t.Errorf("Match(%q, %q) but not matchesPrefix(%q, %q)", filter, topic, filter, topic[:i])
				}
			}
		}
		if terr != nil {
			return
		}
		if err := ValidFilter(topic); err != nil {
			t.Errorf("valid topic %q is not a valid filter: %v", topic, err)
		}
		if !Match(topic, topic) {
			t.Errorf("topic %q does not match itself", topic)
		}
		if got, want := Match("#", topic), topic[0] != '$'; got != want {
			t.Errorf("Match(\"#\", %q) = %v, want %v", topic, got, want)
		}
	})
}
