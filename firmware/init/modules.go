package hearthinit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ReadModuleList reads /etc/hearth/modules: one module path a line,
// relative to /lib/modules/<release>/, in dependency order. Blank lines and
// lines starting with # are skipped. A path leaving the module directory is
// an error.
func ReadModuleList(b []byte) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if !filepath.IsLocal(l) {
			return nil, fmt.Errorf("modules line %d: %q is not a path inside the module directory", n, l)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// ModuleLoader loads one kernel module from an open file; compressed says
// whether the kernel must decompress it (.ko.xz, .ko.zst, .ko.gz).
type ModuleLoader func(f *os.File, compressed bool) error

// errModuleExists is what a loader returns for a module already loaded
// (EEXIST), which is fine.
var errModuleExists = errors.New("module already loaded")

// LoadModules loads the modules in list from dir in order. A module that
// fails is logged and skipped: the device may boot without it, and the log
// says which one to look at. It returns how many loaded.
func LoadModules(log *slog.Logger, dir string, list []string, load ModuleLoader) int {
	n := 0
	for _, m := range list {
		start := time.Now()
		f, err := os.Open(filepath.Join(dir, m))
		if err == nil {
			err = load(f, isCompressed(m))
			f.Close()
		}
		switch {
		case err == nil:
			n++
			if d := time.Since(start); d > 100*time.Millisecond {
				log.Debug("slow module", "module", m, "took", d.Round(time.Millisecond))
			}
		case errors.Is(err, errModuleExists):
			n++
		default:
			log.Warn("module not loaded", "module", m, "err", err)
		}
	}
	return n
}

func isCompressed(name string) bool {
	return strings.HasSuffix(name, ".xz") || strings.HasSuffix(name, ".zst") || strings.HasSuffix(name, ".gz")
}
