package http1

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// curl runs the real curl, which the scripts on a device use, and returns
// its output and how long it took.
func curl(t *testing.T, stdin string, args ...string) (stdout, stderr string, took time.Duration) {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("no curl")
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(path, append([]string{"-sS"}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errOut
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("curl %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), errOut.String(), time.Since(start)
}

func TestCurl(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: echoAPI()})
	base := "http://" + addr

	out, _, _ := curl(t, "", base+"/v1/power/history?since=2m")
	if !strings.Contains(out, `"since":"2m0s"`) {
		t.Errorf("GET with query: %q", out)
	}

	out, _, _ = curl(t, "", "-i", "-X", "DELETE", base+"/v1/power/signal")
	if !strings.HasPrefix(out, "HTTP/1.1 405 Method Not Allowed\r\n") || !strings.Contains(out, "\r\nAllow: POST, PUT\r\n") {
		t.Errorf("DELETE: %q", out)
	}

	// curl waits up to --expect100-timeout for "100 Continue" before it
	// sends the body; the server must answer at once.
	body := `{"pad":"` + strings.Repeat("x", 10<<10) + `"}`
	out, errOut, took := curl(t, body, "-v", "--expect100-timeout", "5", "-H", "Expect: 100-continue",
		"-H", "Content-Type: application/json", "--data-binary", "@-", base+"/echo")
	if !strings.Contains(errOut, "< HTTP/1.1 100 Continue") || !strings.Contains(out, `"n":`+strconv.Itoa(len(body))) || took > 2*time.Second {
		t.Errorf("POST with Expect: took %v, got %q\n%s", took, clip([]byte(out)), errOut)
	}

	out, _, took = curl(t, strings.Repeat("x", 1<<20), "-w", "\n%{http_code}", "--expect100-timeout", "5",
		"-H", "Expect: 100-continue", "--data-binary", "@-", base+"/echo")
	if !strings.HasSuffix(out, "\n413") || !strings.Contains(out, "over the limit of 65536") || took > 2*time.Second {
		t.Errorf("POST of 1 MiB: took %v, got %q", took, out)
	}

	out, _, _ = curl(t, `{"watts":1}`, "-w", "\n%{http_code}", "-H", "Transfer-Encoding: chunked", "--data-binary", "@-", base+"/echo")
	if !strings.HasSuffix(out, "\n411") {
		t.Errorf("chunked POST: got %q", out)
	}
}
