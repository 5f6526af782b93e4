package runc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/containerd/containerd/v2/pkg/archive"
	"github.com/containerd/containerd/v2/pkg/archive/compression"

	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
	"github.com/hearth-home/hearth/store"
)

// image is an app unpacked for this device's platform.
type image struct {
	digest string
	dir    string // imagesDir/<hex>: rootfs/ and imageFile
	config ocitask.Image
	bytes  int64 // on disk
	used   time.Time
	users  int // tasks started from it and not yet deleted
}

// imageRecord is imageFile: what a restarted agent needs of an unpacked
// image. Its presence marks the unpacking complete.
type imageRecord struct {
	Digest   string        `json:"digest"`
	Platform string        `json:"platform"`
	Config   ocitask.Image `json:"config"`
	Bytes    int64         `json:"bytes"`
}

const imageFile = "image.json"

func (rt *Runtime) imagesDir() string { return filepath.Join(rt.cfg.StateDir, "images") }

func (rt *Runtime) imageDir(digest string) string {
	return filepath.Join(rt.imagesDir(), strings.Replace(digest, ":", "-", 1))
}

// Prepare unpacks the app's image archive for this device's platform. It
// is cached: a later call costs a map look-up, and a restarted agent finds
// its unpacked images again.
func (rt *Runtime) Prepare(ctx context.Context, app sandbox.App) error {
	_, err := rt.prepare(ctx, app, false)
	return err
}

// prepare returns the app's image; use marks it used by a task about to
// start, so that collection leaves it alone.
func (rt *Runtime) prepare(ctx context.Context, app sandbox.App, use bool) (*image, error) {
	if app.Path == "" {
		return nil, fmt.Errorf("%w: the runc runtime runs image archives only; pulling %s needs containerd", sandbox.ErrBadApp, app.Ref)
	}
	app, err := ocitask.WithDigest(app)
	if err != nil {
		return nil, err
	}
	for {
		rt.mu.Lock()
		if rt.closed {
			rt.mu.Unlock()
			return nil, ErrClosed
		}
		if im := rt.images[app.Digest]; im != nil {
			im.used = time.Now()
			if use {
				im.users++
			}
			rt.mu.Unlock()
			return im, nil
		}
		rt.mu.Unlock()
		// One load per app; the others wait for it (or for their ctx).
		ch := rt.flights.DoChan(app.Digest, func() (any, error) {
			im, err := rt.unpack(ctx, app)
			if err == nil {
				rt.mu.Lock()
				rt.images[app.Digest] = im
				rt.mu.Unlock()
			}
			return nil, err
		})
		select {
		case r := <-ch:
			if r.Err != nil {
				return nil, r.Err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		rt.collect(app.Digest)
	}
}

// unpack checks the archive and unpacks its image for this device.
func (rt *Runtime) unpack(ctx context.Context, app sandbox.App) (*image, error) {
	if err := ocitask.CheckDigest(app); err != nil {
		return nil, err
	}
	var want []ociimage.Platform
	for _, s := range rt.cfg.Platforms {
		p, err := ociimage.ParsePlatform(s)
		if err != nil {
			return nil, fmt.Errorf("platform %q: %w", s, err)
		}
		want = append(want, p)
	}
	sel, err := ociimage.SelectFile(app.Path, want)
	switch {
	case errors.Is(err, ociimage.ErrNoPlatform):
		return nil, fmt.Errorf("%w: this device runs %s; %s", ErrPlatform, strings.Join(rt.cfg.Platforms, ", "), strings.TrimPrefix(err.Error(), ociimage.ErrNoPlatform.Error()+": "))
	case errors.Is(err, ociimage.ErrNotImage):
		return nil, fmt.Errorf("%w: %w", sandbox.ErrBadApp, err)
	case err != nil:
		return nil, err
	}
	dir := rt.imageDir(app.Digest)
	os.RemoveAll(dir) // a half-unpacked image from a crash
	rootfs := filepath.Join(dir, "rootfs")
	if err := os.MkdirAll(rootfs, 0o755); err != nil {
		return nil, err
	}
	err = sel.EachLayer(app.Path, func(name string, r io.Reader) error {
		dr, err := compression.DecompressStream(r)
		if err != nil {
			return fmt.Errorf("%w: layer %s: %w", sandbox.ErrBadApp, name, err)
		}
		defer dr.Close()
		if _, err := archive.Apply(ctx, rootfs, dr); err != nil {
			return fmt.Errorf("%w: unpacking layer %s: %w", sandbox.ErrBadApp, name, err)
		}
		return nil
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	size := diskUsage(rootfs)
	rec := imageRecord{Digest: app.Digest, Platform: sel.Platform.String(), Bytes: size,
		Config: ocitask.Image{Entrypoint: sel.Entrypoint, Cmd: sel.Cmd, WorkingDir: sel.WorkingDir}}
	b, _ := json.Marshal(rec)
	if err := store.WriteFileAtomic(filepath.Join(dir, imageFile), b, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	rt.log.Info("image unpacked", "app", app.Digest, "platform", rec.Platform, "bytes", size)
	return &image{digest: app.Digest, dir: dir, config: rec.Config, bytes: size, used: time.Now()}, nil
}

// loadImages finds the images an earlier process unpacked.
func (rt *Runtime) loadImages() {
	ents, _ := os.ReadDir(rt.imagesDir())
	for _, e := range ents {
		dir := filepath.Join(rt.imagesDir(), e.Name())
		b, err := os.ReadFile(filepath.Join(dir, imageFile))
		var rec imageRecord
		if err == nil {
			err = json.Unmarshal(b, &rec)
		}
		if err != nil || rec.Digest == "" || rt.imageDir(rec.Digest) != dir {
			os.RemoveAll(dir) // unpacking never finished
			continue
		}
		used := time.Now()
		if st, err := os.Stat(filepath.Join(dir, imageFile)); err == nil {
			used = st.ModTime()
		}
		rt.images[rec.Digest] = &image{digest: rec.Digest, dir: dir, config: rec.Config, bytes: rec.Bytes, used: used}
	}
}

// collect removes unused images, least recently used first, while they
// take more than the disk budget; keep is spared.
func (rt *Runtime) collect(keep string) {
	if rt.cfg.DiskBudget < 0 {
		return
	}
	rt.mu.Lock()
	var total int64
	var idle []*image
	for _, im := range rt.images {
		total += im.bytes
		if im.users == 0 && im.digest != keep {
			idle = append(idle, im)
		}
	}
	slices.SortFunc(idle, func(a, b *image) int { return a.used.Compare(b.used) })
	var gone []*image
	for _, im := range idle {
		if total <= rt.cfg.DiskBudget {
			break
		}
		delete(rt.images, im.digest)
		total -= im.bytes
		gone = append(gone, im)
	}
	rt.mu.Unlock()
	for _, im := range gone {
		os.RemoveAll(im.dir)
		rt.log.Info("image removed for disk space", "app", im.digest, "bytes", im.bytes)
	}
}

// release ends a task's use of its image.
func (rt *Runtime) release(digest string) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if im := rt.images[digest]; im != nil && im.users > 0 {
		im.users--
	}
}

// diskUsage is the bytes of the regular files under dir.
func diskUsage(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
