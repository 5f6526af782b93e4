package ota

import (
	"strings"

	"golang.org/x/mod/semver"
)

// Versions follow Semantic Versioning 2.0 with an optional leading "v", parsed by
// golang.org/x/mod/semver: MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]. Components compare as
// numbers (1.2.10 > 1.2.9), missing ones count as 0 (1.2 == 1.2.0), a pre-release is older than
// its release (1.3.0-rc.1 < 1.3.0), and build metadata is ignored (1.2.0+a == 1.2.0+b).

// ValidVersion reports whether v is a version by the rule above.
func ValidVersion(v string) bool { return semver.IsValid(canonical(v)) }

// CompareVersions returns -1, 0 or +1 as a is older than, the same as, or newer than b. An
// invalid version is older than every valid one.
func CompareVersions(a, b string) int { return semver.Compare(canonical(a), canonical(b)) }

func canonical(v string) string {
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return v
}
