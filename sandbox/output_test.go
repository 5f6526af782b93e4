package sandbox

import (
	"bytes"
	"strings"
	"testing"
)

func TestBoundedBuffer(t *testing.T) {
	b := &BoundedBuffer{Limit: 10}
	b.Write([]byte("12345"))
	b.Write([]byte("67890abc"))
	got, cut := b.Bytes()
	if !cut || !bytes.HasPrefix(got, []byte("1234567890")) || !strings.Contains(string(got), "3 bytes dropped") {
		t.Fatalf("Bytes = %q, %v", got, cut)
	}
	small := &BoundedBuffer{Limit: 10}
	small.Write([]byte("ok"))
	if got, cut := small.Bytes(); cut || string(got) != "ok" {
		t.Fatalf("Bytes = %q, %v", got, cut)
	}
}
