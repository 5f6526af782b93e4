package ociimage

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"strings"
)

// digestOf is b's OCI digest, "sha256:<hex>".
func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// hashes are the digest algorithms the OCI spec registers.
var hashes = map[string]func() hash.Hash{"sha256": sha256.New, "sha512": sha512.New}

// cutDigest splits "alg:hex", checking that alg is registered and hex is
// lower-case hexadecimal of its length.
func cutDigest(d string) (alg, encoded string, ok bool) {
	alg, encoded, ok = strings.Cut(d, ":")
	newHash := hashes[alg]
	if !ok || newHash == nil || len(encoded) != 2*newHash().Size() {
		return "", "", false
	}
	for _, c := range encoded {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", "", false
		}
	}
	return alg, encoded, true
}

// matches reports whether b hashes to the digest d.
func matches(d string, b []byte) bool {
	alg, encoded, ok := cutDigest(d)
	if !ok {
		return false
	}
	h := hashes[alg]()
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)) == encoded
}
