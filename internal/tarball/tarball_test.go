package tarball

import (
	"archive/tar"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPackDeterministicAndRoundTrip(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	// Same content written in different orders and at different times.
	write(t, filepath.Join(a, "z.txt"), "zz")
	write(t, filepath.Join(a, "sub/x.txt"), "x")
	write(t, filepath.Join(b, "sub/x.txt"), "x")
	time.Sleep(10 * time.Millisecond)
	write(t, filepath.Join(b, "z.txt"), "zz")
	os.Symlink("/etc/passwd", filepath.Join(b, "link"))
	var pa, pb bytes.Buffer
	if err := Pack(a, &pa, 0); err != nil {
		t.Fatal(err)
	}
	if err := Pack(b, &pb, 0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pa.Bytes(), pb.Bytes()) {
		t.Fatal("same files packed to different archives")
	}
	out := t.TempDir()
	names, err := Unpack(bytes.NewReader(pa.Bytes()), out, 0)
	if err != nil || len(names) != 2 {
		t.Fatalf("Unpack = %v, %v", names, err)
	}
	got, _ := os.ReadFile(filepath.Join(out, "sub/x.txt"))
	if string(got) != "x" {
		t.Fatalf("sub/x.txt = %q", got)
	}
	var empty bytes.Buffer
	if err := Pack(filepath.Join(a, "missing"), &empty, 0); err != nil {
		t.Fatalf("Pack(missing dir) = %v", err)
	}
	if err := Pack(a, &bytes.Buffer{}, 2); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Pack over limit = %v, want ErrTooLarge", err)
	}
}

func TestUnpackRefusesEscapes(t *testing.T) {
	for _, name := range []string{"../evil", "/etc/evil", "a/../../evil"} {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: 1, Mode: 0o644})
		tw.Write([]byte("x"))
		tw.Close()
		if _, err := Unpack(&buf, t.TempDir(), 0); !errors.Is(err, ErrUnsafe) {
			t.Errorf("Unpack(%q) = %v, want ErrUnsafe", name, err)
		}
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "l", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"})
	tw.Close()
	if _, err := Unpack(&buf, t.TempDir(), 0); !errors.Is(err, ErrUnsafe) {
		t.Errorf("Unpack(symlink) = %v, want ErrUnsafe", err)
	}
}
