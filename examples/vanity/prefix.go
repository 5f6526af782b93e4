package main

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadPrefix is returned when a prefix is empty, longer than an address,
// or not hexadecimal.
var ErrBadPrefix = errors.New("invalid address prefix")

// Prefix is the start of an address, counted in hex digits (nibbles), so odd
// lengths such as "abc" are fine.
type Prefix struct {
	nibbles []byte // one value 0..15 per hex digit
}

// ParsePrefix reads a hex prefix, case-insensitive, with or without 0x.
func ParsePrefix(s string) (Prefix, error) {
	digits := strings.ToLower(trimHexPrefix(s))
	if digits == "" {
		return Prefix{}, fmt.Errorf("%w: %q is empty", ErrBadPrefix, s)
	}
	if len(digits) > 2*len(Address{}) {
		return Prefix{}, fmt.Errorf("%w: %q is longer than 40 hex digits", ErrBadPrefix, s)
	}
	p := Prefix{nibbles: make([]byte, len(digits))}
	for i := 0; i < len(digits); i++ {
		switch c := digits[i]; {
		case c >= '0' && c <= '9':
			p.nibbles[i] = c - '0'
		case c >= 'a' && c <= 'f':
			p.nibbles[i] = c - 'a' + 10
		default:
			return Prefix{}, fmt.Errorf("%w: %q has non-hex character %q", ErrBadPrefix, s, s[len(s)-len(digits)+i])
		}
	}
	return p, nil
}

// Match reports whether the address starts with the prefix.
func (p Prefix) Match(a *Address) bool {
	for i, want := range p.nibbles {
		got := a[i/2] >> 4
		if i%2 == 1 {
			got = a[i/2] & 0x0f
		}
		if got != want {
			return false
		}
	}
	return true
}

// Len is the prefix length in hex digits.
func (p Prefix) Len() int { return len(p.nibbles) }

// String returns the prefix as lowercase hex digits, without 0x.
func (p Prefix) String() string {
	const digits = "0123456789abcdef"
	b := make([]byte, len(p.nibbles))
	for i, n := range p.nibbles {
		b[i] = digits[n]
	}
	return string(b)
}
