package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// copyIn copies /in to /out and then tries to change /in, which must be
// read-only. It returns the exit code: 0, 1 on a copy error, 3 when /in
// could be changed.
func copyIn() int {
	var files []string
	err := filepath.WalkDir("/in", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel("/in", p)
		if err != nil {
			return err
		}
		if err := copyFile(p, path.Join("/out", rel)); err != nil {
			return err
		}
		files = append(files, p)
		fmt.Printf("copied %s\n", rel)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "copy:", err)
		return 1
	}

	code := 0
	changed := func(op string, err error) {
		if err == nil {
			fmt.Printf("in-writable %s\n", op)
			code = 3
		}
	}
	changed("create", os.WriteFile("/in/written-by-task", []byte("x"), 0o644))
	changed("mkdir", os.Mkdir("/in/dir-by-task", 0o755))
	for _, f := range files {
		w, err := os.OpenFile(f, os.O_WRONLY|os.O_APPEND, 0)
		if err == nil {
			_, err = w.Write([]byte("x"))
			w.Close()
		}
		changed("append", err)
		changed("remove", os.Remove(f))
		changed("rename", os.Rename(f, f+".moved"))
	}
	return code
}

func copyFile(from, to string) error {
	if err := os.MkdirAll(path.Dir(to), 0o755); err != nil {
		return err
	}
	r, err := os.Open(from)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
