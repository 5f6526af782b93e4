package ocitask

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxID is the longest container ID containerd takes; runc takes any.
const maxID = 76

// ContainerID maps a sandbox ID to a valid container ID by containerd's
// rule (runc takes any such ID too): letters and digits, single '.', '_'
// or '-' between them, at most 76 long. A valid ID
// is kept as it is; any other is cleaned and suffixed with a hash of the
// original, so that the mapping stays one-to-one and the same across
// restarts.
func ContainerID(id string) string {
	if validID(id) {
		return id
	}
	var b strings.Builder
	sep := false
	for _, r := range id {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		switch {
		case alnum:
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		default:
			sep = true
		}
	}
	clean := b.String()
	if len(clean) > 48 {
		clean = clean[:48]
	}
	sum := sha256.Sum256([]byte(id))
	tag := hex.EncodeToString(sum[:6])
	if clean == "" {
		return "h-" + tag
	}
	return strings.TrimRight(clean, "-") + "-" + tag
}

func validID(id string) bool {
	if id == "" || len(id) > maxID {
		return false
	}
	prevSep := true // the first character must be alphanumeric
	for _, r := range id {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum {
			if prevSep || (r != '.' && r != '_' && r != '-') {
				return false
			}
		}
		prevSep = !alnum
	}
	return !prevSep
}
