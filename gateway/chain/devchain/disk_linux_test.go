package devchain

import (
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"
)

// go-ethereum's database defaults preallocate over a gigabyte of logs; a
// development chain must not take that from a laptop.
func TestDataDirStaysSmall(t *testing.T) {
	dir := t.TempDir()
	c := startChain(t, Options{DataDir: dir})
	for range 50 {
		c.Commit()
	}
	var allocated int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			allocated += st.Blocks * 512
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("51 blocks take %d MiB", allocated>>20)
	if allocated > 128<<20 {
		t.Errorf("data directory takes %d MiB after 51 blocks", allocated>>20)
	}
}
