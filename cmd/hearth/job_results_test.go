package main

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/tarball"
)

// blobMap serves blobs from memory and checks digests as api.Client does;
// it stands in for the gateway until the in-process gateway runs here.
type blobMap map[string][]byte

func (m blobMap) GetBlob(_ context.Context, digest string, w io.Writer) (int64, error) {
	b, ok := m[digest]
	if !ok {
		return 0, fmt.Errorf("blob %s: %w", digest, api.ErrNotFound)
	}
	n, err := w.Write(b)
	if err != nil {
		return int64(n), err
	}
	if got := digestOf(b); got != digest {
		return int64(n), fmt.Errorf("%w: blob %s arrived as %s", api.ErrDigestMismatch, digest, got)
	}
	return int64(n), nil
}

// finished makes a task result whose /out held files, with its archive in
// blobs and its digest computed as an agent does.
func finished(t *testing.T, blobs blobMap, index, exit int, stdout string, files map[string]string) api.Task {
	t.Helper()
	out := t.TempDir()
	for name, content := range files {
		p := filepath.Join(out, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var archive bytes.Buffer
	if err := tarball.Pack(out, &archive, 0); err != nil {
		t.Fatal(err)
	}
	d := digestOf(archive.Bytes())
	blobs[d] = archive.Bytes()
	r := &api.TaskResult{Index: index, ExitCode: exit, Stdout: []byte(stdout), Stderr: []byte("log " + fmt.Sprint(index)),
		Output: api.BlobRef{Digest: d, Size: int64(archive.Len())}}
	r.Digest = api.ResultDigest(r)
	state := api.TaskDone
	if exit != 0 {
		state = api.TaskFailed
	}
	return api.Task{Index: index, State: state, Attempt: 1, Result: r}
}

func TestFetchResults(t *testing.T) {
	blobs := blobMap{}
	d := api.JobDetail{Job: api.Job{ID: "j-1"}, Tasks: []api.Task{
		finished(t, blobs, 0, 0, "zero\n", map[string]string{"key.txt": "k0", "sub/a.bin": "a"}),
		finished(t, blobs, 1, 3, "one\n", nil),
		{Index: 2, State: api.TaskLeased, Attempt: 1},
		{Index: 3, State: api.TaskFailed, Attempt: 4, History: []string{"lost", "lost", "lost", "lost"}},
		finished(t, blobs, 4, 0, "four\n", map[string]string{"stdout": "a file named stdout"}),
	}}
	dir := filepath.Join(t.TempDir(), "results")
	rep, err := fetchResults(context.Background(), blobs, d, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.tasks != 3 || rep.files != 3 || rep.failed != 1 || rep.pending != 1 || len(rep.noResult) != 1 || len(rep.bad) != 0 {
		t.Errorf("report %+v", rep)
	}
	for path, want := range map[string]string{
		"0/key.txt": "k0", "0/sub/a.bin": "a", "0/stdout": "zero\n", "0/stderr": "log 0",
		"1/stdout": "one\n", "1/stderr": "log 1",
		"4/stdout": "a file named stdout", "4/_stdout": "four\n", "4/_stderr": "log 4",
	} {
		got, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", path, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "2")); !os.IsNotExist(err) {
		t.Error("an unfinished task got a directory")
	}
	if ents, _ := filepath.Glob(filepath.Join(dir, ".download-*")); len(ents) > 0 {
		t.Errorf("downloads left behind: %q", ents)
	}
	var stdout, stderr bytes.Buffer
	if err := rep.write(&stdout, &stderr, "job j-1", dir); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "job j-1: 3 tasks, 3 files, all result digests verified") {
		t.Errorf("summary: %s", stdout.String())
	}

	// Earlier results are not mixed with new ones.
	if _, err := fetchResults(context.Background(), blobs, d, dir); err == nil || !strings.Contains(err.Error(), "already holds results") {
		t.Errorf("second fetch into the same directory: %v", err)
	}
}

func TestFetchResultsDetectsTampering(t *testing.T) {
	blobs := blobMap{}
	good := finished(t, blobs, 0, 0, "ok\n", map[string]string{"a": "1"})
	// The recorded stdout no longer matches the digest the device reported.
	lied := finished(t, blobs, 1, 0, "found: true\n", nil)
	lied.Result.Stdout = []byte("found: false\n")
	// The archive the gateway serves is not the one the digest names.
	swapped := finished(t, blobs, 2, 0, "x\n", map[string]string{"a": "2"})
	blobs[swapped.Result.Output.Digest] = blobs[good.Result.Output.Digest]

	d := api.JobDetail{Job: api.Job{ID: "j-2"}, Tasks: []api.Task{good, lied, swapped}}
	dir := t.TempDir()
	rep, err := fetchResults(context.Background(), blobs, d, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.tasks != 1 || len(rep.bad) != 2 {
		t.Fatalf("report %+v", rep)
	}
	var stdout, stderr bytes.Buffer
	err = rep.write(&stdout, &stderr, "job j-2", dir)
	if err == nil || !strings.Contains(err.Error(), "task 1, task 2") {
		t.Errorf("err = %v, want both tasks named", err)
	}
	if !strings.Contains(stderr.String(), "task 1: result digest mismatch") || !strings.Contains(stderr.String(), "task 2: output archive") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "2 NOT VERIFIED") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}

func TestFetchResultsRefusesUnsafeArchive(t *testing.T) {
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	tw.WriteHeader(&tar.Header{Name: "../escape", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644})
	tw.Write([]byte("x"))
	tw.Close()
	d := digestOf(archive.Bytes())
	r := &api.TaskResult{Output: api.BlobRef{Digest: d}}
	r.Digest = api.ResultDigest(r)
	job := api.JobDetail{Tasks: []api.Task{{Index: 0, State: api.TaskDone, Result: r}}}
	root := t.TempDir()
	rep, err := fetchResults(context.Background(), blobMap{d: archive.Bytes()}, job, filepath.Join(root, "out"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.bad) != 1 || !strings.Contains(rep.bad[0], "task 0: output archive") {
		t.Errorf("report %+v", rep)
	}
	if _, err := os.Stat(filepath.Join(root, "escape")); !os.IsNotExist(err) {
		t.Error("archive wrote outside --out")
	}
}
