package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// ResultDigest is the deterministic digest of a task's outcome: exit code,
// failure kind, stdout, stderr (as kept, markers included) and the /out
// archive. Times and the node are left out, so that two honest replicas of a
// deterministic task agree; result certification compares these.
func ResultDigest(r *TaskResult) string {
	h := sha256.New()
	fmt.Fprintf(h, "hearth-result-v1\nexit %d\nfailure %s\n", r.ExitCode, r.Failure)
	so, se := sha256.Sum256(r.Stdout), sha256.Sum256(r.Stderr)
	fmt.Fprintf(h, "stdout %x %t\nstderr %x %t\noutput %s\n", so, r.StdoutTruncated, se, r.StderrTruncated, r.Output.Digest)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
