package main

import (
	"errors"
	"testing"
)

func TestParsePrefix(t *testing.T) {
	for in, want := range map[string]string{
		"cafe":   "cafe",
		"0xCAFE": "cafe",
		"0XcAfE": "cafe",
		"abc":    "abc",
		"0":      "0",
		"0x0":    "0",
	} {
		p, err := ParsePrefix(in)
		if err != nil {
			t.Errorf("ParsePrefix(%q): %v", in, err)
			continue
		}
		if p.String() != want {
			t.Errorf("ParsePrefix(%q) = %s, want %s", in, p, want)
		}
	}
	for _, in := range []string{"", "0x", "xyz", "ca fe", "0x0x12", "-1", "00000000000000000000000000000000000000000"} {
		if _, err := ParsePrefix(in); !errors.Is(err, ErrBadPrefix) {
			t.Errorf("ParsePrefix(%q): err = %v, want ErrBadPrefix", in, err)
		}
	}
}

func TestPrefixMatch(t *testing.T) {
	a, err := ParseAddress("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"7":   true,
		"7e":  true,
		"7E5": true,
		"7e5f4552091a69125d5dfcb7b8c2659029395bdf": true,
		"7f":  false,
		"7e6": false,
		"e":   false,
		"7e5f4552091a69125d5dfcb7b8c2659029395bde": false,
	} {
		pp, err := ParsePrefix(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := pp.Match(&a); got != want {
			t.Errorf("prefix %s matches %s: %v, want %v", p, a, got, want)
		}
	}
}
