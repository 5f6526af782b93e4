package slot

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

const defaultEnv = "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=A B\n"

func TestBootEnvFormat(t *testing.T) {
	if got := string(DefaultBootEnv().Format()); got != defaultEnv || len(got) != BootEnvSize {
		t.Errorf("DefaultBootEnv().Format() = %q (%d bytes), want %q (%d)", got, len(got), defaultEnv, BootEnvSize)
	}
	e := BootEnv{Order: [2]Name{B, A}, ALeft: 3, BLeft: 1}
	if got := string(e.Format()); got != "BOOT_A_LEFT=3\nBOOT_B_LEFT=1\nBOOT_ORDER=B A\n" {
		t.Errorf("Format = %q", got)
	}
}

func TestParseBootEnv(t *testing.T) {
	trialB := BootEnv{Order: [2]Name{B, A}, ALeft: 3, BLeft: 0}
	for _, tc := range []struct {
		name, in string
		want     BootEnv
	}{
		{"image builder", defaultEnv, DefaultBootEnv()},
		// What U-Boot 2023.01's `env export -t` and `fatwrite ...
		// ${filesize}` leave: sorted, each ended by \n, and a NUL that
		// filesize counts.
		{"U-Boot export", "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=B A\n\x00", trialB},
		{"NUL padding", "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=B A\n\x00\x00\x00\x00", trialB},
		{"garbage after the NUL", "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=B A\n\x00BOOT_ORDER=A B\n", trialB},
		{"other order", "BOOT_ORDER=B A\nBOOT_B_LEFT=0\nBOOT_A_LEFT=3\n", trialB},
		{"no final newline", "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=B A", trialB},
		{"NUL separated", "BOOT_A_LEFT=3\x00BOOT_B_LEFT=0\x00BOOT_ORDER=B A\x00\x00", trialB},
		{"CR LF", "BOOT_A_LEFT=3\r\nBOOT_B_LEFT=0\r\nBOOT_ORDER=B A\r\n", trialB},
		{"comments, blanks, others", "# state\n\n  BOOT_A_LEFT=3\nfoo=bar\nBOOT_B_LEFT=0\nBOOT_ORDER=B A\n", trialB},
		{"last one counts", "BOOT_A_LEFT=1\nBOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=A B\nBOOT_ORDER=B A\n", trialB},
	} {
		got, err := ParseBootEnv([]byte(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("%s: ParseBootEnv(%q) = %v, %v; want %v", tc.name, tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"",
		"\x00" + defaultEnv,
		"BOOT_A_LEFT=3\nBOOT_B_LEFT=0\n",
		"BOOT_A_LEFT=3\nBOOT_ORDER=A B\n",
		"BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=A A\n",
		"BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=AB\n",
		"BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=C A\n",
		"BOOT_A_LEFT=10\nBOOT_B_LEFT=0\nBOOT_ORDER=A B\n",
		"BOOT_A_LEFT=x\nBOOT_B_LEFT=0\nBOOT_ORDER=A B\n",
		"BOOT_A_LEFT=-1\nBOOT_B_LEFT=0\nBOOT_ORDER=A B\n",
		defaultEnv + "BOOT_ORDER=\n", // U-Boot deletes it
		defaultEnv + "BOOT_B_LEFT\n",
	} {
		if e, err := ParseBootEnv([]byte(in)); !errors.Is(err, ErrBootEnv) {
			t.Errorf("ParseBootEnv(%q) = %v, %v; want ErrBootEnv", in, e, err)
		}
	}
}

func TestReadBootEnv(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, BootEnvName)
	if e, err := ReadBootEnv(p); err != nil || e != DefaultBootEnv() {
		t.Errorf("missing file: %v, %v; want the defaults", e, err)
	}
	must(t, os.WriteFile(p, []byte("BOOT_ORDER=A C\n"), 0o644))
	if e, err := ReadBootEnv(p); !errors.Is(err, ErrBootEnv) || e != DefaultBootEnv() {
		t.Errorf("bad file: %v, %v; want the defaults and ErrBootEnv", e, err)
	}
}

// TestWriteBootEnvInPlace checks that the file keeps its length and its
// inode (no rename: on vfat the same clusters and directory entry), for
// the image builder's 43 bytes and U-Boot's 44, and that other lengths
// are replaced.
func TestWriteBootEnvInPlace(t *testing.T) {
	e := BootEnv{Order: [2]Name{B, A}, ALeft: 3, BLeft: 1}
	for _, tc := range []struct {
		name, before, after string
		inPlace             bool
	}{
		{"image builder's", defaultEnv, string(e.Format()), true},
		{"U-Boot's", "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=A B\n\x00", string(e.Format()) + "\x00", true},
		{"too short", "BOOT_ORDER=A B\n", string(e.Format()), false},
		{"too long", string(bytes.Repeat([]byte("#\n"), 300)) + defaultEnv, string(e.Format()), false},
		{"missing", "", string(e.Format()), false},
	} {
		p := filepath.Join(t.TempDir(), BootEnvName)
		var before os.FileInfo
		if tc.before != "" {
			must(t, os.WriteFile(p, []byte(tc.before), 0o644))
			before, _ = os.Stat(p)
		}
		if err := WriteBootEnv(p, e); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		after, err := os.Stat(p)
		must(t, err)
		got, _ := os.ReadFile(p)
		if string(got) != tc.after {
			t.Errorf("%s: wrote %q, want %q", tc.name, got, tc.after)
		}
		if tc.inPlace && !os.SameFile(before, after) {
			t.Errorf("%s: the file was replaced, not rewritten in place", tc.name)
		}
		if back, err := ParseBootEnv(got); err != nil || back != e {
			t.Errorf("%s: reads back as %v, %v", tc.name, back, err)
		}
		if _, err := os.Stat(p + ".tmp"); err == nil {
			t.Errorf("%s: temporary file left", tc.name)
		}
	}
}

func FuzzParseBootEnv(f *testing.F) {
	f.Add([]byte(defaultEnv))
	f.Add([]byte("BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=B A\n\x00"))
	f.Add([]byte("BOOT_ORDER=B A\x00BOOT_B_LEFT=1\r\n# x\n BOOT_A_LEFT=3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ParseBootEnv(b)
		if err != nil {
			if !errors.Is(err, ErrBootEnv) {
				t.Fatalf("error %v is not ErrBootEnv", err)
			}
			return
		}
		out := e.Format()
		if len(out) != BootEnvSize {
			t.Fatalf("Format of %v is %d bytes", e, len(out))
		}
		back, err := ParseBootEnv(out)
		if err != nil || back != e {
			t.Fatalf("%v formats as %q, which parses as %v, %v", e, out, back, err)
		}
	})
}
