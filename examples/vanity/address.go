package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"golang.org/x/crypto/sha3"
)

// This file is the one place where a private key becomes an address; the
// search and the verify mode both go through it.

// ErrBadKey is returned when a private key is not a valid secp256k1 scalar:
// not 32 bytes of hex, zero, or not below the group order.
var ErrBadKey = errors.New("invalid secp256k1 private key")

// Address is an Ethereum account address.
type Address [20]byte

// AddressOf returns the address of a private key: the last 20 bytes of the
// legacy Keccak-256 (not SHA3-256) of the uncompressed public key X||Y.
func AddressOf(priv *[32]byte) (Address, error) {
	var k secp256k1.ModNScalar
	if overflow := k.SetBytes(priv); overflow != 0 || k.IsZero() {
		return Address{}, ErrBadKey
	}
	var p secp256k1.JacobianPoint
	secp256k1.ScalarBaseMultNonConst(&k, &p)
	p.ToAffine()
	var xy [64]byte
	p.X.PutBytesUnchecked(xy[:32])
	p.Y.PutBytesUnchecked(xy[32:])

	h := sha3.NewLegacyKeccak256()
	h.Write(xy[:])
	var sum [32]byte
	h.Sum(sum[:0])
	var a Address
	copy(a[:], sum[12:])
	return a, nil
}

// String returns the address in EIP-55 mixed-case checksum form, with 0x.
func (a Address) String() string {
	lower := hex.EncodeToString(a[:])
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	sum := h.Sum(nil)
	out := []byte("0x" + lower)
	for i := range lower {
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0x0f
		}
		if c := out[2+i]; c >= 'a' && c <= 'f' && nibble >= 8 {
			out[2+i] = c - 'a' + 'A'
		}
	}
	return string(out)
}

// ParseAddress reads a 0x-prefixed address. An all-lowercase or all-uppercase
// address is accepted as is; a mixed-case one must carry a valid EIP-55
// checksum, since a wrong checksum means the text was altered.
func ParseAddress(s string) (Address, error) {
	var a Address
	digits, ok := strings.CutPrefix(s, "0x")
	if !ok || len(digits) != 2*len(a) {
		return a, fmt.Errorf("address %q: want 0x and 40 hex digits", s)
	}
	if _, err := hex.Decode(a[:], []byte(digits)); err != nil {
		return a, fmt.Errorf("address %q: %w", s, err)
	}
	if digits != strings.ToLower(digits) && digits != strings.ToUpper(digits) && a.String() != s {
		return a, fmt.Errorf("address %q: bad EIP-55 checksum (want %s)", s, a)
	}
	return a, nil
}

// ParsePrivateKey reads a private key written as 64 hex digits, with or
// without 0x.
func ParsePrivateKey(s string) ([32]byte, error) {
	var k [32]byte
	digits := trimHexPrefix(s)
	if len(digits) != 2*len(k) {
		return k, fmt.Errorf("%w: want 64 hex digits, got %d", ErrBadKey, len(digits))
	}
	if _, err := hex.Decode(k[:], []byte(digits)); err != nil {
		return k, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	return k, nil
}

// FormatPrivateKey writes a private key as 0x and 64 lowercase hex digits.
func FormatPrivateKey(k *[32]byte) string {
	return "0x" + hex.EncodeToString(k[:])
}

// trimHexPrefix drops one leading 0x or 0X.
func trimHexPrefix(s string) string {
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return s[2:]
	}
	return s
}
