package hearthinit

import (
	"os"
	"sync"
)

// LogFile is an append-only log that keeps one old copy: when a write would
// take it past Max bytes (default 1 MiB) the file becomes Path.1 and a new
// one starts. Write errors are swallowed: a full or broken data partition
// must not stop the role, whose output goes to the console too.
type LogFile struct {
	Path string
	Max  int64

	mu   sync.Mutex
	f    *os.File
	size int64
}

func (l *LogFile) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	max := l.Max
	if max <= 0 {
		max = 1 << 20
	}
	if l.f == nil && !l.open() {
		return len(p), nil
	}
	if l.size > 0 && l.size+int64(len(p)) > max {
		l.f.Close()
		l.f = nil
		os.Rename(l.Path, l.Path+".1")
		if !l.open() {
			return len(p), nil
		}
	}
	n, _ := l.f.Write(p)
	l.size += int64(n)
	return len(p), nil
}

func (l *LogFile) open() bool {
	f, err := os.OpenFile(l.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return false
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return false
	}
	l.f, l.size = f, st.Size()
	return true
}

// Close closes the file; a later Write opens it again.
func (l *LogFile) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// earlyLog holds hearth-init's own lines until the data partition is
// mounted, then writes them and every later one to a LogFile.
type earlyLog struct {
	mu   sync.Mutex
	buf  []byte
	file *LogFile
}

func (e *earlyLog) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.file != nil {
		return e.file.Write(p)
	}
	if len(e.buf)+len(p) <= 64<<10 {
		e.buf = append(e.buf, p...)
	}
	return len(p), nil
}

// attach starts writing to f, beginning with the lines held so far.
func (e *earlyLog) attach(f *LogFile) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f.Write(e.buf)
	e.buf, e.file = nil, f
}
