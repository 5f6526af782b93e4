package hearthinit

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadModuleList(t *testing.T) {
	got, err := ReadModuleList([]byte("# in dependency order\nkernel/fs/fat/fat.ko.xz\n\n  kernel/fs/fat/vfat.ko.xz  \r\nkernel/drivers/watchdog/softdog.ko\n"))
	want := []string{"kernel/fs/fat/fat.ko.xz", "kernel/fs/fat/vfat.ko.xz", "kernel/drivers/watchdog/softdog.ko"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ReadModuleList = %q, %v", got, err)
	}
	for _, bad := range []string{"../../etc/passwd", "/lib/modules/x.ko"} {
		if _, err := ReadModuleList([]byte("a.ko\n" + bad + "\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("ReadModuleList(%q) = %v; want an error on line 2", bad, err)
		}
	}
}

func TestLoadModules(t *testing.T) {
	dir := t.TempDir()
	for _, m := range []string{"a.ko.xz", "b.ko", "loaded.ko", "broken.ko.zst"} {
		must(t, os.WriteFile(filepath.Join(dir, m), []byte(m), 0o644))
	}
	type call struct {
		name       string
		compressed bool
	}
	var calls []call
	load := func(f *os.File, compressed bool) error {
		b, _ := io.ReadAll(f)
		calls = append(calls, call{string(b), compressed})
		switch string(b) {
		case "loaded.ko":
			return errModuleExists
		case "broken.ko.zst":
			return errors.New("Unknown symbol in module")
		}
		return nil
	}
	var log strings.Builder
	n := LoadModules(NewLogger(&log, nil, slog.LevelInfo), dir, []string{"a.ko.xz", "missing.ko", "broken.ko.zst", "loaded.ko", "b.ko"}, load)
	if n != 3 {
		t.Errorf("loaded %d, want 3 (a, loaded, b)", n)
	}
	want := []call{{"a.ko.xz", true}, {"broken.ko.zst", true}, {"loaded.ko", false}, {"b.ko", false}}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("calls %+v, want %+v (in list order, missing.ko skipped)", calls, want)
	}
	for _, m := range []string{"missing.ko", "broken.ko.zst"} {
		if !strings.Contains(log.String(), "module not loaded module="+m) {
			t.Errorf("the log does not name %s:\n%s", m, log.String())
		}
	}
}
