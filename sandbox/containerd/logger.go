package containerd

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
)

// runLogger keeps a task's streams: containerd hands it stdout on fd 3,
// stderr on fd 4 and a pipe on fd 5 to close once it is ready. args are
// key/value pairs in any order: --hearth-log DIR --limit BYTES. When both
// streams end it writes the bytes dropped from each and then the marker
// file doneFile, which the agent waits for.
func runLogger(args []string) int {
	opts := map[string]string{}
	for i := 0; i+1 < len(args); i += 2 {
		opts[args[i]] = args[i+1]
	}
	dir := opts[logFlag]
	limit, err := strconv.Atoi(opts["--limit"])
	if dir == "" || err != nil {
		fmt.Fprintln(os.Stderr, "hearth logger: want --hearth-log DIR --limit BYTES")
		return 2
	}
	streams := []struct {
		name string
		fd   uintptr
	}{{"stdout", 3}, {"stderr", 4}}
	caps := make([]*capture, len(streams))
	for i, s := range streams {
		c, err := openCapture(filepath.Join(dir, s.name), limit)
		if err != nil {
			fmt.Fprintln(os.Stderr, "hearth logger:", err)
			return 1
		}
		caps[i] = c
	}
	// The shim sends SIGTERM as it closes the pipes, often before the
	// last bytes are read: finish the streams anyway (the shim kills a
	// logger that takes too long).
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGPIPE)
	os.NewFile(5, "ready").Close()
	var wg sync.WaitGroup
	for i, s := range streams {
		wg.Go(func() {
			io.Copy(caps[i], os.NewFile(s.fd, s.name))
		})
	}
	wg.Wait()
	for i, s := range streams {
		caps[i].close()
		os.WriteFile(filepath.Join(dir, s.name+".dropped"), []byte(strconv.FormatInt(caps[i].dropped, 10)), 0o600)
	}
	if err := os.WriteFile(filepath.Join(dir, doneFile), nil, 0o600); err != nil {
		return 1
	}
	return 0
}

// doneFile marks streams that are whole.
const doneFile = "streams.done"
