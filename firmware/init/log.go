package hearthinit

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Prefix starts every line hearth-init writes to the console.
const Prefix = "hearth-init: "

// consoleHandler writes "hearth-init: message key=value ... t=1.234s", the
// time being since the kernel started, so that a boot log shows where the
// seconds go.
type consoleHandler struct {
	mu    *sync.Mutex
	w     io.Writer
	since func() time.Duration
	attrs string
	level slog.Level
}

// NewLogger returns a logger writing console lines to w. since reports the
// time since boot; nil leaves the time out.
func NewLogger(w io.Writer, since func() time.Duration, level slog.Level) *slog.Logger {
	return slog.New(&consoleHandler{mu: new(sync.Mutex), w: w, since: since, level: level})
}

func (h *consoleHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *consoleHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(Prefix)
	if r.Level >= slog.LevelError {
		b.WriteString("ERROR: ")
	} else if r.Level >= slog.LevelWarn {
		b.WriteString("warning: ")
	}
	b.WriteString(r.Message)
	b.WriteString(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		writeAttr(&b, a)
		return true
	})
	if h.since != nil {
		fmt.Fprintf(&b, " t=%.3fs", h.since().Seconds())
	}
	b.WriteString("\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func writeAttr(b *strings.Builder, a slog.Attr) {
	v := a.Value.Resolve().String()
	if v == "" || strings.ContainsAny(v, " \t\"=") {
		v = fmt.Sprintf("%q", v)
	}
	b.WriteString(" " + a.Key + "=" + v)
}

func (h *consoleHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var b strings.Builder
	for _, a := range attrs {
		writeAttr(&b, a)
	}
	h2 := *h
	h2.attrs += b.String()
	return &h2
}

// WithGroup is not used by hearth-init; groups flatten into the keys.
func (h *consoleHandler) WithGroup(string) slog.Handler { return h }
