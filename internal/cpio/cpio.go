// Package cpio writes archives in the "newc" format, the one the Linux
// kernel unpacks as an initramfs (hearthtest/vmtest's guests, the
// firmware images' initrd).
package cpio

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Writer writes an archive in the "newc" format: per entry a 110-byte
// ASCII header, the name and the data, each padded to 4 bytes; a
// "TRAILER!!!" entry ends it. Parent directories are written before what
// they hold, once each.
type Writer struct {
	w    *bufio.Writer
	ino  uint32
	dirs map[string]bool
	err  error
}

// NewWriter starts an archive on w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriter(w), dirs: map[string]bool{"": true, ".": true}}
}

// Mode bits of the header (from <sys/stat.h>; fs.FileMode numbers them
// differently).
const (
	cpioDir  = 0o040000
	cpioReg  = 0o100000
	cpioChar = 0o020000
)

func (c *Writer) header(name string, mode uint32, size int64, rdevMajor, rdevMinor uint32) {
	if c.err != nil {
		return
	}
	if size > 0xffffffff {
		c.err = fmt.Errorf("cpio: %s is larger than 4 GiB", name)
		return
	}
	c.ino++
	nlink := 1
	if mode&cpioDir != 0 {
		nlink = 2
	}
	// magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	// devminor, rdevmajor, rdevminor, namesize (with its NUL), check.
	_, c.err = fmt.Fprintf(c.w, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		c.ino, mode, 0, 0, nlink, 0, size, 0, 0, rdevMajor, rdevMinor, len(name)+1, 0)
	if c.err == nil {
		_, c.err = c.w.WriteString(name + "\x00")
	}
	c.pad(110 + len(name) + 1)
}

func (c *Writer) pad(n int) {
	if c.err == nil && n%4 != 0 {
		_, c.err = c.w.Write(make([]byte, 4-n%4))
	}
}

// clean makes an absolute or relative slash path an archive name.
func clean(name string) string { return strings.TrimPrefix(path.Clean("/"+name), "/") }

// Dir adds a directory and any parents not yet added.
func (c *Writer) Dir(name string) {
	name = clean(name)
	if c.dirs[name] {
		return
	}
	c.Dir(path.Dir(name))
	c.dirs[name] = true
	c.header(name, cpioDir|0o755, 0, 0, 0)
}

// File adds a regular file of size bytes read from r.
func (c *Writer) File(name string, perm fs.FileMode, size int64, r io.Reader) {
	name = clean(name)
	c.Dir(path.Dir(name))
	c.header(name, cpioReg|uint32(perm.Perm()), size, 0, 0)
	if c.err != nil {
		return
	}
	var n int64
	n, c.err = io.Copy(c.w, io.LimitReader(r, size))
	if c.err == nil && n != size {
		c.err = fmt.Errorf("cpio: %s: %d bytes, not %d", name, n, size)
	}
	c.pad(int(size % 4))
}

// HostFile adds the file at host as name, with its permissions.
func (c *Writer) HostFile(name, host string) {
	if c.err != nil {
		return
	}
	f, err := os.Open(host)
	if err != nil {
		c.err = err
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		c.err = err
		return
	}
	c.File(name, fi.Mode(), fi.Size(), f)
}

// CharDev adds a character device node.
func (c *Writer) CharDev(name string, perm fs.FileMode, major, minor uint32) {
	name = clean(name)
	c.Dir(path.Dir(name))
	c.header(name, cpioChar|uint32(perm.Perm()), 0, major, minor)
}

// Close writes the trailer and flushes; it reports the first error of any
// call.
func (c *Writer) Close() error {
	c.header("TRAILER!!!", 0, 0, 0, 0)
	if c.err == nil {
		c.err = c.w.Flush()
	}
	return c.err
}
