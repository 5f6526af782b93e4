package main

import (
	"errors"
	"testing"
)

func TestAddressOfKnownVectors(t *testing.T) {
	for _, tc := range []struct{ key, addr string }{
		{"0x0000000000000000000000000000000000000000000000000000000000000001", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"},
		{"0x0000000000000000000000000000000000000000000000000000000000000002", "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"},
		{"0x0000000000000000000000000000000000000000000000000000000000000003", "0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69"},
		// Hardhat's and Anvil's first development account.
		{"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"},
	} {
		key, err := ParsePrivateKey(tc.key)
		if err != nil {
			t.Fatal(err)
		}
		a, err := AddressOf(&key)
		if err != nil {
			t.Fatalf("AddressOf(%s): %v", tc.key, err)
		}
		if got := a.String(); got != tc.addr {
			t.Errorf("AddressOf(%s) = %s, want %s", tc.key, got, tc.addr)
		}
	}
}

func TestAddressOfRejectsInvalidScalars(t *testing.T) {
	for _, s := range []string{
		"0000000000000000000000000000000000000000000000000000000000000000",
		// The group order N, and N+1.
		"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
		"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142",
	} {
		key, err := ParsePrivateKey(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := AddressOf(&key); !errors.Is(err, ErrBadKey) {
			t.Errorf("AddressOf(%s): err = %v, want ErrBadKey", s, err)
		}
	}
}

func TestEIP55(t *testing.T) {
	// The examples of EIP-55 itself.
	for _, want := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		a, err := ParseAddress(want)
		if err != nil {
			t.Fatalf("ParseAddress(%s): %v", want, err)
		}
		if got := a.String(); got != want {
			t.Errorf("String() = %s, want %s", got, want)
		}
	}
}

func TestParseAddress(t *testing.T) {
	for _, s := range []string{
		"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
		"0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",
	} {
		if _, err := ParseAddress(s); err != nil {
			t.Errorf("ParseAddress(%s): %v", s, err)
		}
	}
	for _, s := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", // one letter's case flipped
		"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",   // no 0x
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA",   // short
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", // not hex
	} {
		if _, err := ParseAddress(s); err == nil {
			t.Errorf("ParseAddress(%s) succeeded", s)
		}
	}
}

func TestParsePrivateKey(t *testing.T) {
	for _, s := range []string{"", "0x01", "0x" + string(make([]byte, 64)), "zz00000000000000000000000000000000000000000000000000000000000001"} {
		if _, err := ParsePrivateKey(s); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParsePrivateKey(%q): err = %v, want ErrBadKey", s, err)
		}
	}
	k, err := ParsePrivateKey("0XAC0974BEC39A17E36BA4A6B4D238FF944BACB478CBED5EFCAE784D7BF4F2FF80")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := FormatPrivateKey(&k), "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"; got != want {
		t.Errorf("FormatPrivateKey = %s, want %s", got, want)
	}
}
