package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/tarball"
)

func jobResultsCmd() *command {
	return &command{
		name:    "results",
		args:    "ID --out DIR",
		nargs:   1,
		summary: "download, verify and unpack a job's results",
		help: `Download the results of the job's finished tasks into DIR: the files each task
left in /out go to DIR/<index>/, its output streams to DIR/<index>/stdout and
DIR/<index>/stderr (_stdout and _stderr when /out holds files of those names).
Each task's result digest is recomputed from what was downloaded and compared
with the one its device reported; any mismatch is named and makes the command
fail. DIR/<index> must not hold earlier results.`,
		example: "hearth job results vanity-1 --out results/",
		bind: func(c *cli, fs *flag.FlagSet) action {
			dir := fs.String("out", "", "write the results under `DIR` (required)")
			return func(ctx context.Context, args []string) error {
				if *dir == "" {
					return usageErrorf("--out DIR is required")
				}
				return c.jobResults(ctx, args[0], *dir)
			}
		},
	}
}

// blobGetter fetches a blob and checks its digest; *api.Admin is one.
type blobGetter interface {
	GetBlob(ctx context.Context, digest string, w io.Writer) (int64, error)
}

func (c *cli) jobResults(ctx context.Context, id, dir string) error {
	cl, err := c.client()
	if err != nil {
		return err
	}
	defer cl.Close()
	d, err := cl.Job(ctx, id)
	if err != nil {
		return err
	}
	rep, err := fetchResults(ctx, cl, d, dir)
	if err != nil {
		return err
	}
	return rep.write(c.stdout, c.stderr, "job "+d.ID, dir)
}

// resultsReport sums up what fetchResults did.
type resultsReport struct {
	tasks    int      // tasks whose results were written
	files    int      // files unpacked from /out archives
	failed   int      // of tasks, how many ended in failure
	pending  int      // tasks not finished yet
	noResult []int    // tasks that failed for good without a result
	canceled []int    // tasks whose job was canceled before they finished
	bad      []string // verification failures, one per task, naming it
	renamed  []int    // tasks whose streams went to _stdout/_stderr
}

func (r *resultsReport) write(stdout, stderr io.Writer, job, dir string) error {
	for _, b := range r.bad {
		fmt.Fprintf(stderr, "%s\n", b)
	}
	for _, i := range r.renamed {
		fmt.Fprintf(stderr, "note: task %d's /out holds stdout or stderr files; its streams are in _stdout and _stderr\n", i)
	}
	if r.tasks == 0 && len(r.bad) == 0 && len(r.noResult) == 0 {
		if len(r.canceled) > 0 {
			fmt.Fprintf(stdout, "%s: no results: it was canceled before any task finished (%d tasks canceled)\n", job, len(r.canceled))
			return nil
		}
		fmt.Fprintf(stdout, "%s: no finished tasks yet (%d not finished)\n", job, r.pending)
		return nil
	}
	verdict := "all result digests verified"
	if len(r.bad) > 0 {
		verdict = fmt.Sprintf("%d NOT VERIFIED", len(r.bad))
	}
	fmt.Fprintf(stdout, "%s: %d tasks, %d files, %s, in %s\n", job, r.tasks, r.files, verdict, dir)
	if r.failed > 0 {
		fmt.Fprintf(stdout, "%d of these tasks failed: see their stderr\n", r.failed)
	}
	if len(r.noResult) > 0 {
		fmt.Fprintf(stdout, "%d tasks failed without a result: %s\n", len(r.noResult), joinInts(r.noResult))
	}
	if len(r.canceled) > 0 {
		fmt.Fprintf(stdout, "%d tasks were canceled with the job, without a result: %s\n", len(r.canceled), joinInts(r.canceled))
	}
	if r.pending > 0 {
		fmt.Fprintf(stdout, "%d tasks are not finished yet\n", r.pending)
	}
	if len(r.bad) > 0 {
		return fmt.Errorf("results of %s failed verification: %s", job, strings.Join(badTasks(r.bad), ", "))
	}
	return nil
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

func badTasks(bad []string) []string {
	out := make([]string, len(bad))
	for i, b := range bad {
		out[i], _, _ = strings.Cut(b, ":")
	}
	return out
}

// fetchResults writes the finished tasks' results under dir and verifies
// them. A task that fails verification is reported and the others go on;
// an error that stops everything (gateway gone, disk full) is returned.
func fetchResults(ctx context.Context, g blobGetter, d api.JobDetail, dir string) (*resultsReport, error) {
	rep := &resultsReport{}
	var todo []api.Task
	for _, t := range d.Tasks {
		switch {
		case t.Result != nil && (t.State == api.TaskDone || t.State == api.TaskFailed):
			if err := checkEmpty(filepath.Join(dir, strconv.Itoa(t.Index))); err != nil {
				return nil, err
			}
			todo = append(todo, t)
		case t.State == api.TaskFailed:
			rep.noResult = append(rep.noResult, t.Index)
		case t.State == api.TaskCanceled:
			rep.canceled = append(rep.canceled, t.Index)
		default:
			rep.pending++
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, t := range todo {
		files, renamed, err := fetchTask(ctx, g, t, dir)
		var ve *verifyError
		switch {
		case errors.As(err, &ve):
			rep.bad = append(rep.bad, ve.Error())
			continue
		case err != nil:
			return nil, fmt.Errorf("task %d: %w", t.Index, err)
		}
		rep.tasks++
		rep.files += files
		if renamed {
			rep.renamed = append(rep.renamed, t.Index)
		}
		if t.State == api.TaskFailed {
			rep.failed++
		}
	}
	return rep, nil
}

// checkEmpty refuses to mix new results with old ones.
func checkEmpty(dir string) error {
	ents, err := os.ReadDir(dir)
	if err == nil && len(ents) > 0 {
		return fmt.Errorf("%s already holds results: choose another --out directory or remove it", dir)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// verifyError is returned by fetchTask when a task's result does not check
// out: its archive does not match its digest, is unsafe, or the result
// digest recomputed from what was downloaded differs from the recorded one.
type verifyError struct {
	index int
	msg   string
}

func (e *verifyError) Error() string { return fmt.Sprintf("task %d: %s", e.index, e.msg) }

// fetchTask downloads, verifies and unpacks one task's result into
// dir/<index>, and returns how many /out files it held.
func fetchTask(ctx context.Context, g blobGetter, t api.Task, dir string) (files int, renamed bool, err error) {
	r := t.Result
	taskDir := filepath.Join(dir, strconv.Itoa(t.Index))
	if err := os.MkdirAll(taskDir, 0o755); err != nil {
		return 0, false, err
	}
	var names []string
	var archive string // digest of the downloaded archive, "" when there is none
	if r.Output.Digest != "" {
		tmp, err := os.CreateTemp(dir, ".download-*.tar")
		if err != nil {
			return 0, false, err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		h := sha256.New()
		// GetBlob checks the digest too; hashing here as well keeps the
		// digest used below tied to the very bytes on disk.
		if _, err := g.GetBlob(ctx, r.Output.Digest, io.MultiWriter(tmp, h)); err != nil {
			if errors.Is(err, api.ErrDigestMismatch) {
				return 0, false, &verifyError{t.Index, "output archive: " + err.Error()}
			}
			return 0, false, fmt.Errorf("download output %s: %w", r.Output.Digest, err)
		}
		archive = "sha256:" + hex.EncodeToString(h.Sum(nil))
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return 0, false, err
		}
		names, err = tarball.Unpack(tmp, taskDir, 0)
		if errors.Is(err, tarball.ErrUnsafe) {
			return 0, false, &verifyError{t.Index, "output archive: " + err.Error()}
		}
		if err != nil {
			return 0, false, fmt.Errorf("unpack output: %w", err)
		}
	}
	check := *r
	check.Output.Digest = archive
	if got := api.ResultDigest(&check); got != r.Digest {
		return 0, false, &verifyError{t.Index, fmt.Sprintf("result digest mismatch: the device reported %s, what was downloaded gives %s", r.Digest, got)}
	}
	out, errName := "stdout", "stderr"
	for _, n := range names {
		if n == out || n == errName {
			out, errName, renamed = "_stdout", "_stderr", true
		}
	}
	if err := os.WriteFile(filepath.Join(taskDir, out), r.Stdout, 0o644); err != nil {
		return 0, false, err
	}
	if err := os.WriteFile(filepath.Join(taskDir, errName), r.Stderr, 0o644); err != nil {
		return 0, false, err
	}
	return len(names), renamed, nil
}
