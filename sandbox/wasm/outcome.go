package wasm

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/sys"

	"github.com/hearth-home/hearth/sandbox"
)

// maxReason bounds Result.Reason: a trap's wasm stack trace can be long.
const maxReason = 4 << 10

// outcome turns how a call into the module ended into a Result, without
// the output and times. err is the call's error; other is the failure for
// an error that is neither an exit nor a stop: FailStart while
// instantiating, FailTrap once _start runs.
func (t *task) outcome(err error, other sandbox.Failure) sandbox.Result {
	res := sandbox.Result{ExitCode: -1}
	var exit *sys.ExitError
	switch {
	case err == nil:
		res.ExitCode = 0
	case errors.As(err, &exit):
		// wazero ends a module whose ctx ended with these codes; the guest
		// could exit with them too, so the ctx decides.
		switch code := exit.ExitCode(); {
		case code == sys.ExitCodeDeadlineExceeded && errors.Is(t.ctx.Err(), context.DeadlineExceeded):
			res.Failure = sandbox.FailTimeout
			res.Reason = fmt.Sprintf("ran past its timeout of %v", t.timeout)
		case code == sys.ExitCodeContextCanceled && errors.Is(t.ctx.Err(), context.Canceled):
			res.Failure = sandbox.FailKilled
			res.Reason = context.Cause(t.ctx).Error()
		default:
			res.ExitCode = int(code)
		}
	default:
		res.Failure = other
		res.Reason = err.Error()
	}

	// A refused growth explains a crash or a failing exit that follows it.
	if t.mem.refused > 0 && (res.Failure == sandbox.FailTrap || res.Failure == sandbox.FailStart ||
		res.Failure == "" && res.ExitCode != 0) {
		then := fmt.Sprintf("the program then exited with code %d", res.ExitCode)
		if res.Failure != "" {
			then = "then: " + res.Reason
		}
		res.Failure = sandbox.FailMemory
		res.Reason = t.mem.reason() + "; " + then
	}
	if len(res.Reason) > maxReason {
		res.Reason = res.Reason[:maxReason] + "…"
	}
	return res
}
