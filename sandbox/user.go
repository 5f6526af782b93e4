package sandbox

import (
	"fmt"
	"strconv"
	"strings"
)

// Nobody is the user a task runs as unless its spec names another.
const Nobody = 65534

// ParseUser reads Spec.User: "" is nobody (65534:65534), "root" is 0:0,
// else "UID[:GID]" in decimal (GID defaults to UID). Names are refused: an
// image's /etc/passwd is not trusted to say who a name is.
func ParseUser(s string) (uid, gid uint32, err error) {
	switch s {
	case "":
		return Nobody, Nobody, nil
	case "root":
		return 0, 0, nil
	}
	bad := fmt.Errorf("want root or UID[:GID] in decimal, got %q", s)
	u, g, hasG := strings.Cut(s, ":")
	uv, err := strconv.ParseUint(u, 10, 32)
	if err != nil {
		return 0, 0, bad
	}
	gv := uv
	if hasG {
		if gv, err = strconv.ParseUint(g, 10, 32); err != nil {
			return 0, 0, bad
		}
	}
	return uint32(uv), uint32(gv), nil
}
