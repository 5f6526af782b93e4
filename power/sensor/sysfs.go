package sensor

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// readString returns a sysfs attribute with its surrounding white space
// trimmed. A missing or unreadable file gets the os error, which names it.
func readString(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("sensor: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// readInt reads an attribute that holds one decimal integer. Besides
// readString's errors, an empty file and anything that is not an integer
// ("NaN", "abc", "1.5", or too long for 64 bits) get an error naming the
// file.
func readInt(path string) (int64, error) {
	s, err := readString(path)
	if err != nil {
		return 0, err
	}
	if s == "" {
		return 0, fmt.Errorf("sensor: %s: empty file", path)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("sensor: %s: %.40q is not an integer", path, s)
	}
	return n, nil
}

// indexed returns the numbers N of the entries of dir named prefix+N+suffix,
// in increasing order, so that hwmon2 comes before hwmon10. A directory
// that cannot be read has none: the class directories of sysfs are
// readable by all, so that only happens where the kind does not exist.
func indexed(dir, prefix, suffix string) []int {
	entries, _ := os.ReadDir(dir)
	var ns []int
	for _, e := range entries {
		digits, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		digits, ok = strings.CutSuffix(digits, suffix)
		if !ok || !isIndex(digits) {
			continue
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			continue
		}
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

// isIndex says whether s is a number as the kernel writes indexes: digits,
// without a leading zero, so that the name can be rebuilt from the number.
func isIndex(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// exists says whether path names something, readable or not.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
