package main

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-home/hearth/internal/identity"
)

// ago renders how long before now t was: "2s ago", "5m ago", "3h ago",
// "4d ago"; "never" for the zero time.
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}

// elapsed renders a duration for people: "850ms", "3.2s", "2m5s".
func elapsed(d time.Duration) string {
	switch {
	case d < 0:
		return "-"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// bytesIEC renders a size as "412Mi", "1.5Gi".
func bytesIEC(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return s + []string{"Ki", "Mi", "Gi", "Ti"}[i]
}

// shortDigest keeps "sha256:" and the first 12 hex digits.
func shortDigest(d string) string {
	const keep = len("sha256:") + 12
	if len(d) <= keep {
		return d
	}
	return d[:keep]
}

// shortNode is a node's short ID, or the first characters of what the
// gateway sent if it is not a node ID.
func shortNode(s string) string {
	if s == "" {
		return ""
	}
	if id, err := identity.ParseNodeID(s); err == nil {
		return id.Short()
	}
	if r := []rune(s); len(r) > 7 {
		return string(r[:7])
	}
	return s
}

// firstLine is the first non-empty line of out, cut to max runes.
func firstLine(out []byte, max int) string {
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return truncate(line, max)
		}
	}
	return ""
}

// truncate cuts s to max runes, marking the cut with "…".
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// plural is "1 device", "2 devices".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
