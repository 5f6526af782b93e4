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

// ResultSeal binds a result digest to the device and lease that computed
// it: SHA-256 over "hearth-seal-v1\n", the node ID, the lease ID and the
// digest, one per line. A device that copies another's digest must seal it
// as its own, and the other's report cannot be replayed as its.
func ResultSeal(node, leaseID, digest string) string {
	h := sha256.New()
	fmt.Fprintf(h, "hearth-seal-v1\n%s\n%s\n%s\n", node, leaseID, digest)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
