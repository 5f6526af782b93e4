package hearthinit

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestBootEnv(t *testing.T) {
	const fresh = "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=A B\n"
	e, err := ParseBootEnv([]byte(fresh))
	if err != nil || e != (BootEnv{Order: "A B", ALeft: 3}) {
		t.Fatalf("ParseBootEnv = %+v, %v", e, err)
	}
	if string(e.Format()) != fresh || len(e.Format()) != 43 {
		t.Errorf("Format = %q", e.Format())
	}
	// An update armed B (LEFT 1), U-Boot set it to 0 for the trial, the
	// trial commits: B first, 3 tries; A keeps its state.
	got := BootEnv{Order: "B A", ALeft: 3, BLeft: 0}.Commit("B")
	if got != (BootEnv{Order: "B A", ALeft: 3, BLeft: 3}) {
		t.Errorf("Commit(B) = %+v", got)
	}
	if got := (BootEnv{Order: "B A", ALeft: 0, BLeft: 3}).Commit("A"); got != (BootEnv{Order: "A B", ALeft: 3, BLeft: 3}) {
		t.Errorf("Commit(A) = %+v", got)
	}
	for _, bad := range []string{"", "BOOT_A_LEFT=3\nBOOT_ORDER=A B\n", "BOOT_A_LEFT=x\nBOOT_B_LEFT=0\nBOOT_ORDER=A B\n", "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=C\n"} {
		if _, err := ParseBootEnv([]byte(bad)); !errors.Is(err, ErrBootEnv) {
			t.Errorf("ParseBootEnv(%q) = %v", bad, err)
		}
	}

	path := filepath.Join(t.TempDir(), BootEnvName)
	must(t, os.WriteFile(path, []byte("BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=B A\n"), 0o644))
	must(t, WriteBootEnv(path, BootEnv{Order: "B A", ALeft: 3, BLeft: 3}))
	if b, _ := os.ReadFile(path); string(b) != "BOOT_A_LEFT=3\nBOOT_B_LEFT=3\nBOOT_ORDER=B A\n" {
		t.Errorf("in place: %q", b)
	}
	must(t, os.WriteFile(path, []byte("BOOT_ORDER=A B\r\nBOOT_A_LEFT=3\r\nBOOT_B_LEFT=0\r\n"), 0o644))
	must(t, WriteBootEnv(path, BootEnv{Order: "A B", ALeft: 3, BLeft: 0}))
	if b, _ := os.ReadFile(path); string(b) != fresh {
		t.Errorf("replaced: %q", b)
	}
}
