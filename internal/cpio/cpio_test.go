package cpio

import (
	"bytes"
	"strings"
	"testing"
)

// The archive is what the kernel reads: 4-byte aligned, parents first,
// ending in the trailer.
func TestCPIO(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.File("/a/b/c", 0o644, 5, strings.NewReader("hello"))
	w.CharDev("/dev/console", 0o600, 5, 1)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var names []string
	data := buf.Bytes()
	for len(data) > 0 {
		if len(data) < 110 || string(data[:6]) != "070701" {
			t.Fatalf("bad header at %d", buf.Len()-len(data))
		}
		hex := func(i int) int {
			var v int
			for _, c := range string(data[6+8*i : 14+8*i]) {
				v = v*16 + strings.IndexRune("0123456789ABCDEF", c)
			}
			return v
		}
		size, namesize := hex(6), hex(11)
		name := string(data[110 : 110+namesize-1])
		names = append(names, name)
		off := (110 + namesize + 3) &^ 3
		if name == "c" || strings.HasSuffix(name, "/c") {
			if got := string(data[off : off+size]); got != "hello" {
				t.Errorf("%s holds %q", name, got)
			}
		}
		if name == "dev/console" && (hex(9) != 5 || hex(10) != 1) {
			t.Errorf("dev/console is %d:%d", hex(9), hex(10))
		}
		data = data[(off+size+3)&^3:]
		if name == "TRAILER!!!" {
			break
		}
	}
	want := []string{"a", "a/b", "a/b/c", "dev", "dev/console", "TRAILER!!!"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("entries %q, want %q", names, want)
	}
	if len(data) != 0 {
		t.Errorf("%d bytes after the trailer", len(data))
	}
}
