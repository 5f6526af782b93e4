// Package logflag turns the --log-level and --log-format flags that every
// Hearth binary takes into the one slog.Logger that the binary hands down.
package logflag

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
)

// Flags holds the two flags' values.
type Flags struct {
	Level  string
	Format string
}

// Register adds --log-level (default info) and --log-format (default text) to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Level, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&f.Format, "log-format", "text", "text or json")
}

// Logger builds the logger writing to w, or says which flag is wrong.
func (f Flags) Logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.Level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not debug, info, warn or error", f.Level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch f.Format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", f.Format)
}
