package hearthtxt

import (
	"errors"
	"fmt"
)

var (
	// ErrSyntax is returned when a line is neither a comment nor key = value.
	ErrSyntax = errors.New("not key = value")
	// ErrUnknownKey is returned for a key this version does not know.
	ErrUnknownKey = errors.New("unknown key")
	// ErrDuplicateKey is returned when a key is set twice.
	ErrDuplicateKey = errors.New("key set twice")
	// ErrBadValue is returned for a value its key does not accept, and for
	// settings that do not fit together.
	ErrBadValue = errors.New("bad value")
	// ErrEncoding is returned for a file that is not UTF-8 text.
	ErrEncoding = errors.New("not UTF-8 text")
)

// LineError is one mistake in the file. Parse returns them joined
// (errors.Join); errors.As finds each, errors.Is their kind.
type LineError struct {
	// Line is the 1-based line number, 0 for the whole file.
	Line int
	// Key is the key involved, lower case, if any.
	Key string
	// Err is one of the Err values above.
	Err error
	// Advice says what to write instead.
	Advice string
}

func (e *LineError) Error() string {
	where := "hearth.txt"
	if e.Line > 0 {
		where = fmt.Sprintf("hearth.txt line %d", e.Line)
	}
	what := e.Err.Error()
	if e.Key != "" {
		what = fmt.Sprintf("%s: %s", e.Key, what)
	}
	if e.Advice == "" {
		return where + ": " + what
	}
	return fmt.Sprintf("%s: %s: %s", where, what, e.Advice)
}

func (e *LineError) Unwrap() error { return e.Err }
