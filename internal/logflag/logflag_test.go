package logflag

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestLogger(t *testing.T) {
	var f Flags
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	f.Register(fs)
	if err := fs.Parse([]string{"--log-level", "warn", "--log-format", "json"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	l, err := f.Logger(&buf)
	if err != nil {
		t.Fatal(err)
	}
	l.Info("hidden")
	l.Warn("shown", "k", 1)
	if strings.Contains(buf.String(), "hidden") || !strings.Contains(buf.String(), `"msg":"shown"`) {
		t.Fatalf("log = %q", buf.String())
	}
	for _, bad := range []Flags{{Level: "loud", Format: "text"}, {Level: "info", Format: "xml"}} {
		if _, err := bad.Logger(&buf); err == nil || !strings.Contains(err.Error(), "--log-") {
			t.Errorf("%+v: error %v, want one naming the flag", bad, err)
		}
	}
}
