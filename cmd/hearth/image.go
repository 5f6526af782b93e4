package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/store"
)

func imageCmd() *command {
	return &command{
		name:    "image",
		summary: "OCI image archives for oci jobs: pack, inspect",
		help: `Build and inspect the OCI image archives that oci jobs run: a tar that
containerd imports on each device, no registry and no Docker needed. An archive
may hold one image per platform; each device runs the one for its CPU.`,
		example: `hearth image pack -o app.oci.tar linux/amd64=bin/app-amd64 linux/arm/v6=bin/app-armv6
hearth image inspect app.oci.tar`,
		offline: true,
		subs:    []*command{imagePackCmd(), imageInspectCmd()},
	}
}

func imagePackCmd() *command {
	return &command{
		name:     "pack",
		args:     "PLATFORM=BINARY... -o FILE",
		nargs:    1,
		moreArgs: true,
		summary:  "pack static binaries into a multi-platform image archive",
		help: `Write an OCI image archive to FILE holding, for each PLATFORM, an image whose
only program is BINARY, installed at --entrypoint. PLATFORM is OS/ARCH[/VARIANT]:
linux/amd64, linux/arm64, linux/arm/v7, linux/arm/v6, linux/arm/v5.

Each binary must be a static ELF executable for its platform (for Go:
CGO_ENABLED=0, and GOARM no higher than the variant). The same binaries always
give the same archive, byte for byte, so its digest can be pinned in a job spec
(app_digest). FILE is replaced atomically. Prints the file, its digest, size and
platforms.`,
		example: `hearth image pack -o examples/vanity/vanity.oci.tar \
    linux/amd64=bin/vanity-linux-amd64 linux/arm64=bin/vanity-linux-arm64 \
    linux/arm/v7=bin/vanity-linux-armv7 linux/arm/v6=bin/vanity-linux-armv6`,
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			file := fs.String("o", "", "write the archive to `FILE` (required)")
			var opts ociimage.Options
			fs.StringVar(&opts.Entrypoint, "entrypoint", ociimage.DefaultEntrypoint, "install the binaries at `PATH` in the image, its entry point")
			fs.StringVar(&opts.RefName, "name", "", "name the image `REF` in the archive, which `ctr images import` uses")
			fs.BoolVar(&opts.Gzip, "gzip", false, "compress the layers: a smaller file, slower to import")
			return func(_ context.Context, args []string) error {
				if *file == "" {
					return usageErrorf("-o FILE is required")
				}
				return c.imagePack(*file, opts, args)
			}
		},
	}
}

func imageInspectCmd() *command {
	return &command{
		name:    "inspect",
		args:    "FILE",
		nargs:   1,
		summary: "show an image archive's digest and platforms",
		help: `Read the image archive FILE (an OCI image layout tar, as image pack writes, or a
docker save tar) and print its sha256 digest (the app_digest of a job that runs
it), its size and the platforms it provides. Fails if the file is not an image
archive that containerd could import, saying what is wrong.`,
		example: "hearth image inspect examples/vanity/vanity.oci.tar\nhearth image inspect app.oci.tar -o json",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return func(_ context.Context, args []string) error {
				info, err := inspectImage(args[0])
				if err != nil {
					return err
				}
				return c.writeImage(info, *out)
			}
		},
	}
}

// imageInfo is what pack and inspect print.
type imageInfo struct {
	File      string              `json:"file"`
	Digest    string              `json:"digest"`
	Size      int64               `json:"size"`
	Platforms []ociimage.Platform `json:"platforms"`
}

func (c *cli) writeImage(info imageInfo, out format) error {
	if out == formatJSON {
		return writeJSON(c.stdout, info)
	}
	names := make([]string, len(info.Platforms))
	for i, p := range info.Platforms {
		names[i] = p.String()
	}
	writeAligned(c.stdout, "", [][]string{
		{"File:", info.File},
		{"Digest:", info.Digest},
		{"Size:", fmt.Sprintf("%s (%d bytes)", bytesIEC(uint64(info.Size)), info.Size)},
		{"Platforms:", strings.Join(names, " ")},
	})
	return nil
}

// parseBinaries reads PLATFORM=BINARY arguments; any mistake is a usage
// error.
func parseBinaries(args []string) (map[ociimage.Platform]string, error) {
	bins := map[ociimage.Platform]string{}
	given := map[ociimage.Platform]string{}
	for _, a := range args {
		spec, bin, ok := strings.Cut(a, "=")
		if !ok || spec == "" || bin == "" {
			return nil, usageErrorf("%q: want PLATFORM=BINARY, e.g. linux/amd64=bin/app", a)
		}
		p, err := ociimage.ParsePlatform(spec)
		if err != nil {
			return nil, usageErrorf("%q: %v", a, err)
		}
		if prev, dup := given[p]; dup {
			return nil, usageErrorf("platform %s given twice: %q and %q", p, prev, a)
		}
		given[p], bins[p] = a, bin
	}
	return bins, nil
}

func (c *cli) imagePack(file string, opts ociimage.Options, args []string) error {
	bins, err := parseBinaries(args)
	if err != nil {
		return err
	}
	platforms := slices.SortedFunc(func(yield func(ociimage.Platform) bool) {
		for p := range bins {
			if !yield(p) {
				return
			}
		}
	}, func(a, b ociimage.Platform) int { return strings.Compare(a.String(), b.String()) })
	for _, p := range platforms {
		err := ociimage.CheckBinary(bins[p], p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("binary for %s not found: %s", p, bins[p])
		case errors.Is(err, ociimage.ErrBadBinary):
			return err // it names the file and the platform
		case err != nil:
			return fmt.Errorf("binary for %s: %w", p, err)
		}
	}
	digest, size, err := writeAtomic(file, func(w io.Writer) error { return opts.Pack(w, bins) })
	if errors.Is(err, ociimage.ErrBadEntrypoint) {
		return usageErrorf("--entrypoint: %v", err)
	}
	if err != nil {
		return err
	}
	return c.writeImage(imageInfo{File: file, Digest: digest, Size: size, Platforms: platforms}, formatTable)
}

// writeAtomic writes a file through a temporary file beside it, renamed
// into place once complete and synced, so that readers never see half an
// archive; it returns the content's digest and size.
func writeAtomic(path string, write func(io.Writer) error) (digest string, size int64, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	cw := &countingWriter{w: io.MultiWriter(bw, h)}
	if err := write(cw); err != nil {
		return "", 0, err
	}
	if err := bw.Flush(); err != nil {
		return "", 0, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return "", 0, err
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, err
	}
	if err := tmp.Close(); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", 0, err
	}
	if err := store.SyncDir(filepath.Dir(path)); err != nil {
		return "", 0, err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), cw.n, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += int64(n)
	return n, err
}

// inspectImage reads an archive once, hashing it while its platforms are
// listed.
func inspectImage(path string) (imageInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return imageInfo{}, err
	}
	defer f.Close()
	h := sha256.New()
	cw := &countingWriter{w: h}
	r := io.TeeReader(f, cw)
	ps, err := ociimage.Platforms(r)
	if err != nil {
		return imageInfo{}, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := io.Copy(io.Discard, r); err != nil { // the tar's padding
		return imageInfo{}, fmt.Errorf("read %s: %w", path, err)
	}
	return imageInfo{File: path, Digest: "sha256:" + hex.EncodeToString(h.Sum(nil)), Size: cw.n, Platforms: ps}, nil
}
