package api

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// The result digest is what docs/protocol.md says, byte for byte: a
// second implementation computes it from the text alone.
func TestResultDigestAsDocumented(t *testing.T) {
	hexOf := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	archive := "sha256:" + hexOf([]byte("archive"))
	for _, c := range []struct {
		r    TaskResult
		text string
	}{
		{TaskResult{ExitCode: 0, Stdout: []byte("fa\n"), Output: BlobRef{Digest: archive}},
			"hearth-result-v1\nexit 0\nfailure \nstdout " + hexOf([]byte("fa\n")) + " false\n" +
				"stderr e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 false\noutput " + archive + "\n"},
		{TaskResult{ExitCode: -1, Failure: "timeout", Stderr: []byte("x"), StderrTruncated: true},
			"hearth-result-v1\nexit -1\nfailure timeout\nstdout e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 false\n" +
				"stderr " + hexOf([]byte("x")) + " true\noutput \n"},
	} {
		if got, want := ResultDigest(&c.r), "sha256:"+hexOf([]byte(c.text)); got != want {
			t.Errorf("ResultDigest(%+v) = %s, the documented text gives %s", c.r, got, want)
		}
	}
}
