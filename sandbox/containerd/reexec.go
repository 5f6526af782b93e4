package containerd

import (
	"os"
	"slices"

	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// The binary that embeds this runtime (hearth-agent, hearth-gateway --dev)
// plays two more roles, started by containerd rather than by people:
//
//   - a task's init: bound read-only into every container at ocitask.InitPath, it
//     runs as the container's PID 1, starts the app as its child, forwards
//     signals, reaps orphans, and exits with the app's status, 128+N when
//     a signal N killed it. A process that is PID 1 cannot die of its own
//     crash signal, so without an init a crash would look like an exit.
//   - a task's logger: containerd's shim starts it (a "binary://" log
//     URI) with the task's stdout and stderr as pipes, and it keeps the
//     first bytes of each in files under the task's state directory. It
//     lives beside the task, not in the agent, so what a task prints while
//     its agent is down is kept.
//
// Reexec must be the first thing main (or TestMain) does.

// logFlag is the logger's first argument; the state dir follows.
const logFlag = "--hearth-log"

// Reexec runs this process as a task's init or logger when containerd
// started it as one, and then exits; otherwise it returns at once.
func Reexec() {
	switch {
	case len(os.Args) > 0 && os.Args[0] == ocitask.InitPath:
		os.Exit(ocitask.RunInit(os.Args[1:]))
	case os.Getenv("CONTAINER_ID") != "" && slices.Contains(os.Args, logFlag):
		os.Exit(runLogger(os.Args[1:]))
	}
}
