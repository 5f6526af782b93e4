package containerd

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/hearth-home/hearth/sandbox/ocitask"
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
	// The shim sends SIGTERM as it closes the pipes, often before the
	// last bytes are read: finish the streams anyway (the shim kills a
	// logger that takes too long).
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGPIPE)
	os.NewFile(5, "ready").Close()
	if err := ocitask.KeepStreams(dir, limit, os.NewFile(3, "stdout"), os.NewFile(4, "stderr")); err != nil {
		fmt.Fprintln(os.Stderr, "hearth logger:", err)
		return 1
	}
	return 0
}
