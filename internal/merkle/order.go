package merkle

import (
	"encoding/hex"
	"math/big"
	"strings"
)

// OrderLeaves are an order's leaves from its tasks' result digests
// ("sha256:HEX", "" for a task without a result), by task index.
func OrderLeaves(order uint64, digests []string) []Hash {
	id := new(big.Int).SetUint64(order)
	out := make([]Hash, len(digests))
	for i, d := range digests {
		out[i] = Leaf(id, uint64(i), DigestBytes(d))
	}
	return out
}

// DigestBytes is a "sha256:HEX" digest's 32 bytes; zero for "" or a
// malformed one.
func DigestBytes(d string) (h Hash) {
	b, err := hex.DecodeString(strings.TrimPrefix(d, "sha256:"))
	if err == nil && len(b) == 32 {
		copy(h[:], b)
	}
	return h
}
