package hearthinit

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestLogFileRotates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "agent.log")
	l := &LogFile{Path: path, Max: 100}
	line := bytes.Repeat([]byte("x"), 39)
	line = append(line, '\n')
	for i := range 7 {
		line[0] = byte('a' + i)
		l.Write(line)
	}
	l.Close()
	cur, _ := os.ReadFile(path)
	old, _ := os.ReadFile(path + ".1")
	// 40-byte lines, 100 bytes at most: a+b, c+d, e+f rotate; g starts anew.
	if string(cur) != "g"+strings.Repeat("x", 38)+"\n" || len(old) != 80 || old[0] != 'e' {
		t.Errorf("current %q\nold %q", cur, old)
	}
	if _, err := os.Stat(path + ".2"); err == nil {
		t.Error("more than one old copy")
	}
	// A LogFile whose directory is gone swallows the error.
	bad := &LogFile{Path: filepath.Join(t.TempDir(), "missing", "x.log")}
	if n, err := bad.Write([]byte("hi")); n != 2 || err != nil {
		t.Errorf("Write = %d, %v", n, err)
	}
}

func TestEarlyLog(t *testing.T) {
	var e earlyLog
	e.Write([]byte("before\n"))
	path := filepath.Join(t.TempDir(), "init.log")
	e.attach(&LogFile{Path: path})
	e.Write([]byte("after\n"))
	if b, _ := os.ReadFile(path); string(b) != "before\nafter\n" {
		t.Errorf("init.log = %q", b)
	}
}

func TestLoggerFormat(t *testing.T) {
	var b strings.Builder
	l := NewLogger(&b, func() time.Duration { return 1234 * time.Millisecond }, slog.LevelInfo)
	l.Info("running agent")
	l.With("iface", "eth0").Warn("no DHCP lease yet", "err", "i/o timeout")
	l.Debug("hidden")
	want := "hearth-init: running agent t=1.234s\n" +
		"hearth-init: warning: no DHCP lease yet iface=eth0 err=\"i/o timeout\" t=1.234s\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// The image test greps for this exact text.
	if !regexp.MustCompile(`(?m)^hearth-init: running agent\b`).MatchString(b.String()) {
		t.Error("no 'hearth-init: running agent' line")
	}
}
