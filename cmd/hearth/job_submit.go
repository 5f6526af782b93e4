package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/api/jobfile"
)

func jobSubmitCmd() *command {
	return &command{
		name:    "submit",
		args:    "FILE",
		nargs:   1,
		summary: "upload a job's app and inputs and submit it",
		help: `Read the job spec FILE (YAML or JSON), upload its app and input files to the
gateway, and submit the job. App and input paths are relative to FILE. If the
spec pins app_digest (or an input's digest), the local file must match it, or
nothing is uploaded. Prints the job ID (with -o json, the job); with --wait,
follows the job to its end, prints a summary (with -o json, the job and its
tasks) and exits non-zero if it failed or was canceled.`,
		example: "hearth job submit examples/vanity/job.yaml --wait",
		bind: func(c *cli, fs *flag.FlagSet) action {
			wait := fs.Bool("wait", false, "follow the job until it ends, with a progress line on stderr")
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				return c.jobSubmit(ctx, args[0], *wait, *out)
			}
		},
	}
}

func (c *cli) jobSubmit(ctx context.Context, file string, wait bool, out format) error {
	spec, err := jobfile.Load(file)
	if err != nil {
		return err
	}
	sub, err := prepareSubmission(spec)
	if err != nil {
		return err
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	defer cl.Close()
	for _, u := range sub.uploads {
		if err := upload(ctx, cl, u); err != nil {
			return err
		}
	}
	job, err := cl.SubmitJob(ctx, sub.spec)
	if err != nil {
		return err
	}
	if !wait {
		if out == formatJSON {
			return writeJSON(c.stdout, job)
		}
		_, err := fmt.Fprintln(c.stdout, job.ID)
		return err
	}
	if out == formatTable {
		fmt.Fprintln(c.stdout, job.ID)
	}
	return c.waitAndSummarize(ctx, cl, job.ID, out)
}

// pinError is returned when a local file does not match the digest that the
// spec pins for it; nothing is uploaded then.
type pinError struct {
	what, path, field, pinned, got string
}

func (e *pinError) Error() string {
	return fmt.Sprintf("%s %s does not match %s %s: the file hashes to %s (nothing was uploaded)",
		e.what, e.path, e.field, e.pinned, e.got)
}

// blobUpload is one local file to put in the gateway's blob store.
type blobUpload struct {
	what   string // "app", "input data.csv"
	path   string
	digest string
	size   int64
}

// submission is a spec ready for the gateway and the files it needs.
type submission struct {
	spec    api.JobSpec
	uploads []blobUpload
}

// prepareSubmission hashes the app and inputs, checks them against the
// digests the spec pins, and rewrites the spec for the gateway: digests in,
// local paths out (App keeps the file's base name, for people).
func prepareSubmission(spec api.JobSpec) (submission, error) {
	var sub submission
	seen := map[string]bool{}
	add := func(what, path, pinned, field string) (string, int64, error) {
		digest, size, err := hashFile(path)
		if err != nil {
			return "", 0, fmt.Errorf("%s: %w", what, err)
		}
		if pinned != "" && pinned != digest {
			return "", 0, &pinError{what, path, field, pinned, digest}
		}
		if !seen[digest] {
			seen[digest] = true
			sub.uploads = append(sub.uploads, blobUpload{what, path, digest, size})
		}
		return digest, size, nil
	}
	if spec.Image == "" { // else the gateway resolves the image in its registry
		digest, _, err := add("app", spec.App, spec.AppDigest, "app_digest")
		if err != nil {
			return submission{}, err
		}
		spec.App, spec.AppDigest = filepath.Base(spec.App), digest
	}
	if spec.Wasm != "" { // prefer: native, the module for devices without containers
		digest, _, err := add("wasm", spec.Wasm, spec.WasmDigest, "wasm_digest")
		if err != nil {
			return submission{}, err
		}
		spec.Wasm, spec.WasmDigest = filepath.Base(spec.Wasm), digest
	}
	inputs := make([]api.Input, len(spec.Inputs))
	for i, in := range spec.Inputs {
		inputs[i] = in
		if in.Path == "" {
			continue // pinned by digest alone: already in the gateway's store
		}
		field := fmt.Sprintf("inputs[%d].digest", i)
		d, size, err := add("input "+in.Name, in.Path, in.Digest, field)
		if err != nil {
			return submission{}, err
		}
		inputs[i] = api.Input{Name: in.Name, Digest: d, Size: size}
	}
	spec.Inputs = inputs
	sub.spec = spec
	return sub, nil
}

// hashFile returns the sha256 digest ("sha256:<hex>") and size of a file.
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), n, nil
}

// upload puts one file in the gateway's blob store; the gateway refuses
// content that does not hash to the digest, e.g. a file changed since it
// was hashed.
func upload(ctx context.Context, cl *api.Admin, u blobUpload) error {
	f, err := os.Open(u.path)
	if err != nil {
		return fmt.Errorf("%s: %w", u.what, err)
	}
	defer f.Close()
	if err := cl.PutBlob(ctx, u.digest, io.LimitReader(f, u.size), u.size); err != nil {
		return fmt.Errorf("upload %s %s: %w", u.what, u.path, err)
	}
	return nil
}
