package slot

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// installB installs version 2.0.0 into slot B from a card running A.
func installB(t *testing.T, c *card) {
	t.Helper()
	img, sum := image(9, mib/2)
	d := c.boot()
	if _, err := d.Boot(); err != nil {
		t.Fatal(err)
	}
	must(t, d.Install(context.Background(), Image{"2.0.0", int64(len(img)), sum}, bytes.NewReader(img)))
	c.versions[B] = "2.0.0"
}

func status(t *testing.T, d *Device) Status {
	t.Helper()
	st, err := d.Status()
	must(t, err)
	return st
}

func TestCommit(t *testing.T) {
	c := newCard(t, mib)
	installB(t, c)

	d := c.boot()
	if d.Slot != B || !d.Trial {
		t.Fatalf("after Install the card boots %s trial=%v; want B on trial", d.Slot, d.Trial)
	}
	if n := len(c.envBytes()); n != BootEnvSize+1 {
		t.Fatalf("the boot loader left %d bytes", n)
	}
	rb, err := d.Boot()
	if err != nil || rb != nil {
		t.Fatalf("trial boot: Boot = %+v, %v", rb, err)
	}
	if p := c.state().Pending; p == nil || p.Slot != B || p.Started.IsZero() {
		t.Errorf("on the trial boot the pending trial is %+v", p)
	}
	if st := status(t, d); st != (Status{Board: "generic-arm64", Version: "2.0.0", Slot: B, Trial: true}) {
		t.Errorf("trial status = %+v", st)
	}

	must(t, d.Commit())
	if got := c.readEnv(); got != (BootEnv{Order: [2]Name{B, A}, ALeft: 3, BLeft: 3}) {
		t.Errorf("after Commit hearthboot.env = %v; want B first, both 3", got)
	}
	if n := len(c.envBytes()); n != BootEnvSize+1 {
		t.Errorf("Commit made hearthboot.env %d bytes, not U-Boot's 44 in place", n)
	}
	if st := status(t, d); st.Trial || st.LastRollback != nil {
		t.Errorf("committed status = %+v", st)
	}
	if p := c.state().Pending; p != nil {
		t.Errorf("pending after Commit: %+v", p)
	}

	d = c.boot()
	if d.Slot != B || d.Trial {
		t.Fatalf("after Commit the card boots %s trial=%v", d.Slot, d.Trial)
	}
	if rb, err := d.Boot(); err != nil || rb != nil {
		t.Errorf("committed boot: Boot = %+v, %v", rb, err)
	}
	// Installing again now writes slot A, the one before.
	img, sum := image(10, 1000)
	must(t, d.Install(context.Background(), Image{"3.0.0", 1000, sum}, bytes.NewReader(img)))
	if got := c.readEnv(); got != (BootEnv{Order: [2]Name{A, B}, ALeft: 1, BLeft: 3}) {
		t.Errorf("second install: hearthboot.env = %v", got)
	}
}

func TestRollback(t *testing.T) {
	for _, tc := range []struct {
		name, reason, want string
	}{
		{"recorded", "the agent exited 3 times: exit status 1", "the agent exited 3 times: exit status 1"},
		{"power cut", "", NoReason},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCard(t, mib)
			installB(t, c)
			d := c.boot()
			if _, err := d.Boot(); err != nil {
				t.Fatal(err)
			}
			if tc.reason != "" {
				must(t, d.Fail(tc.reason))
			}

			d = c.boot()
			if d.Slot != A || d.Trial {
				t.Fatalf("after a failed trial the card boots %s trial=%v; want A", d.Slot, d.Trial)
			}
			rb, err := d.Boot()
			if err != nil || rb == nil {
				t.Fatalf("Boot = %+v, %v; want a rollback", rb, err)
			}
			if rb.From != "1.0.0" || rb.To != "2.0.0" || rb.Reason != tc.want || rb.At.IsZero() {
				t.Errorf("rollback = %+v", rb)
			}
			st := status(t, d)
			if st.Trial || st.Slot != A || st.Version != "1.0.0" || st.LastRollback == nil || *st.LastRollback != *rb {
				t.Errorf("status = %+v", st)
			}
			if c.state().Pending != nil {
				t.Error("the failed trial is still pending")
			}
			if got := c.readEnv(); got != (BootEnv{Order: [2]Name{A, B}, ALeft: 3, BLeft: 0}) {
				t.Errorf("after the rollback hearthboot.env = %v; want A first, B 0", got)
			}

			// The next boot reports it again, and finds no new one.
			d = c.boot()
			if rb2, err := d.Boot(); err != nil || rb2 != nil {
				t.Errorf("next boot: Boot = %+v, %v", rb2, err)
			}
			if st := status(t, d); st.LastRollback == nil || st.LastRollback.To != "2.0.0" {
				t.Errorf("next boot: status = %+v", st)
			}
		})
	}
}

// TestPowerCutInInstall: the state says a trial is pending, but the power
// went before hearthboot.env armed it. That is no rollback.
func TestPowerCutInInstall(t *testing.T) {
	c := newCard(t, mib)
	d := c.boot()
	must(t, WriteState(d.StateFile, State{Slots: map[Name]SlotState{B: {Version: "2.0.0"}}, Pending: &Trial{Slot: B, Version: "2.0.0"}}))
	d = c.boot()
	if d.Slot != A || d.Trial {
		t.Fatalf("boots %s trial=%v", d.Slot, d.Trial)
	}
	if rb, err := d.Boot(); err != nil || rb != nil {
		t.Errorf("Boot = %+v, %v; want no rollback", rb, err)
	}
	if c.state().Pending != nil {
		t.Error("the trial never armed is still pending")
	}

	// The same after a rollback, which left slot B at 0.
	installB(t, c)
	d = c.boot()
	_, err := d.Boot()
	must(t, err)
	d = c.boot()
	if rb, err := d.Boot(); rb == nil || err != nil {
		t.Fatalf("Boot = %+v, %v; want a rollback", rb, err)
	}
	must(t, WriteState(d.StateFile, State{Pending: &Trial{Slot: B, Version: "3.0.0"}}))
	d = c.boot()
	if rb, err := d.Boot(); err != nil || rb != nil {
		t.Errorf("after a rollback: Boot = %+v, %v; want no rollback", rb, err)
	}
}

// TestTrialWithoutInstall: a trial that no Install recorded (a slot
// written by hand) is still reported and rolled back.
func TestTrialWithoutInstall(t *testing.T) {
	c := newCard(t, mib)
	c.versions[B] = "2.0.0"
	must(t, os.WriteFile(c.env, []byte("BOOT_A_LEFT=3\nBOOT_B_LEFT=1\nBOOT_ORDER=B A\n"), 0o644))
	d := c.boot()
	if rb, err := d.Boot(); err != nil || rb != nil {
		t.Fatalf("Boot = %+v, %v", rb, err)
	}
	must(t, d.Fail("not paired again within 2m0s"))
	d = c.boot()
	rb, err := d.Boot()
	if err != nil || rb == nil || rb.To != "2.0.0" || rb.Reason != "not paired again within 2m0s" {
		t.Errorf("Boot = %+v, %v", rb, err)
	}
}

func TestStatusJSON(t *testing.T) {
	c := newCard(t, mib)
	installB(t, c)
	d := c.boot()
	_, err := d.Boot()
	must(t, err)
	must(t, d.Fail("the agent exited 3 times"))
	d = c.boot()
	_, err = d.Boot()
	must(t, err)
	path := filepath.Join(c.dir, "run", "hearth", "firmware.json")
	must(t, WriteStatus(path, status(t, d)))
	b, err := os.ReadFile(path)
	must(t, err)
	var m map[string]any
	must(t, json.Unmarshal(b, &m))
	rb, _ := m["last_rollback"].(map[string]any)
	if m["board"] != "generic-arm64" || m["version"] != "1.0.0" || m["slot"] != "A" || m["trial"] != false ||
		rb["from"] != "1.0.0" || rb["to"] != "2.0.0" || rb["reason"] != "the agent exited 3 times" || !strings.HasPrefix(rb["at"].(string), "2026-12-05T23:") {
		t.Errorf("firmware.json = %s", b)
	}
	// No rollback yet: no key at all.
	c2 := newCard(t, mib)
	d2 := c2.boot()
	_, err = d2.Boot()
	must(t, err)
	must(t, WriteStatus(path, status(t, d2)))
	b, _ = os.ReadFile(path)
	if want := `{"board":"generic-arm64","version":"1.0.0","slot":"A","trial":false}` + "\n"; string(b) != want {
		t.Errorf("firmware.json = %s, want %s", b, want)
	}
}

func TestOpen(t *testing.T) {
	root := t.TempDir()
	fakeDisk(t, root, "mmcblk0", 0x0badcafe, true, "mmcblk0p1", "mmcblk0p2", "mmcblk0p3", "mmcblk0p4")
	must(t, os.MkdirAll(filepath.Join(root, "slot/etc/hearth"), 0o755))
	must(t, os.MkdirAll(filepath.Join(root, "initrd/etc/hearth"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "slot/etc/hearth/version"), []byte("2.0.0\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "initrd/etc/hearth/version"), []byte("1.9.0\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "initrd/etc/hearth/board"), []byte("generic-arm64\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "cmdline"), []byte("console=ttyAMA0 hearth.slot=B hearth.trial=1 hearth.disk=0badcafe\n"), 0o644))
	p := Paths{Cmdline: filepath.Join(root, "cmdline"), SysBlock: filepath.Join(root, "sys/block"), Dev: filepath.Join(root, "dev"),
		Boot: filepath.Join(root, "boot"), Slot: filepath.Join(root, "slot"), Data: filepath.Join(root, "data"), Initramfs: filepath.Join(root, "initrd")}
	d, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if d.Slot != B || !d.Trial || d.Version != "2.0.0" || d.Board != "generic-arm64" ||
		d.Parts[A] != filepath.Join(root, "dev/mmcblk0p2") || d.Parts[B] != filepath.Join(root, "dev/mmcblk0p3") ||
		d.BootEnvFile != filepath.Join(root, "boot", BootEnvName) || d.StateFile != filepath.Join(root, "data/hearth", StateName) {
		t.Errorf("Open = %+v", d)
	}
}
