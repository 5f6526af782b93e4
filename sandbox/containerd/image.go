package containerd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/images"
	"github.com/containerd/errdefs"
	"github.com/containerd/platforms"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/hearth-home/hearth/internal/registry"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// image is an app imported and unpacked for this device's platform.
type image struct {
	digest   string
	name     string // containerd image name
	img      containerd.Image
	config   ocispec.ImageConfig
	platform string
	users    int // tasks started from it and not yet deleted
}

// Labels and names this runtime puts on containerd objects.
const (
	imagePrefix   = "hearth.local/app:"
	labelLastUsed = "hearth.last-used"
	labelApp      = "hearth.app"
	labelID       = "hearth.id"
	labelStarted  = "hearth.started"
	labelDeadline = "hearth.deadline"
	labelMemory   = "hearth.memory"
	labelOutput   = "hearth.output-bytes"
	labelStop     = "hearth.stop"
	labelRef      = "hearth.ref"
)

// noDeadline is labelDeadline's value for a task without a timeout.
const noDeadline = "none"

func imageName(digest string) string {
	return imagePrefix + strings.Replace(digest, ":", "-", 1)
}

// Prepare imports the app's image archive for this device's platform and
// unpacks it. It is cached: a later call costs a map look-up, and a
// restarted agent finds its images in containerd again.
func (rt *Runtime) Prepare(ctx context.Context, app sandbox.App) error {
	_, err := rt.prepare(ctx, app, false)
	return err
}

// prepare returns the app's image; use marks it used by a task about to
// start, so that collection leaves it alone.
func (rt *Runtime) prepare(ctx context.Context, app sandbox.App, use bool) (*image, error) {
	if app.Digest == "" && app.Ref != "" {
		return nil, fmt.Errorf("%w: a reference (%s) needs the digest it is pinned to", sandbox.ErrBadApp, app.Ref)
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
			if use {
				im.users++
			}
			rt.mu.Unlock()
			if use {
				rt.touch(ctx, im)
			}
			return im, nil
		}
		rt.mu.Unlock()
		// One load per app; the others wait for it (or for their ctx).
		ch := rt.flights.DoChan(app.Digest, func() (any, error) {
			im, err := rt.load(rt.nsctx(ctx), app)
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
		rt.collect(ctx, app.Digest)
	}
}

// load finds the app's image in containerd, or imports it.
func (rt *Runtime) load(ctx context.Context, app sandbox.App) (*image, error) {
	name := imageName(app.Digest)
	if rec, err := rt.client.ImageService().Get(ctx, name); err == nil {
		if im, err := rt.unpack(ctx, app.Digest, rec); err == nil {
			return im, nil
		}
		// Half imported by a process that died: import again.
		rt.client.ImageService().Delete(ctx, name)
	}
	begin := time.Now()
	if app.Path == "" && app.Ref != "" {
		return rt.pull(ctx, app, name)
	}
	if err := ocitask.CheckDigest(app); err != nil {
		return nil, err
	}
	f, err := os.Open(app.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", sandbox.ErrBadApp, err)
	}
	defer f.Close()
	imgs, err := rt.client.Import(ctx, f,
		containerd.WithImportPlatform(rt.matcher),
		containerd.WithIndexName(name),
		containerd.WithImageLabels(map[string]string{labelLastUsed: now()}),
		// Names the archive may carry ("docker.io/x:latest") are not ours
		// to keep: only the digest names an app.
		containerd.WithImageRefTranslator(func(string) string { return "" }))
	if errdefs.IsAlreadyExists(err) {
		// Another agent process on this namespace imported it meanwhile.
		if rec, err := rt.client.ImageService().Get(ctx, name); err == nil {
			return rt.unpack(ctx, app.Digest, rec)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: not an OCI image archive: %v", sandbox.ErrBadApp, err)
	}
	var rec images.Image
	for _, i := range imgs {
		if i.Name == name {
			rec = i
		}
	}
	if rec.Name == "" {
		return nil, fmt.Errorf("%w: importing made no image", sandbox.ErrBadApp)
	}
	im, err := rt.unpack(ctx, app.Digest, rec)
	if err != nil {
		rt.client.ImageService().Delete(ctx, name, images.SynchronousDelete())
		return nil, err
	}
	rt.log.Info("image imported", "app", app.Digest, "platform", im.platform, "took", time.Since(begin).Round(time.Millisecond))
	return im, nil
}

// pull fetches the app from its registry, this device's platform only,
// under the name an imported archive would have, and unpacks it. The
// reference is pinned to the app's digest, and containerd checks every
// blob it fetches against its descriptor.
func (rt *Runtime) pull(ctx context.Context, app sandbox.App, name string) (*image, error) {
	begin := time.Now()
	named, err := registry.Normalize(app.Ref)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", sandbox.ErrBadApp, err)
	}
	ref := named.String()
	if !strings.HasSuffix(ref, "@"+app.Digest) {
		return nil, fmt.Errorf("%w: reference %s is not pinned to the app's digest %s", sandbox.ErrBadApp, app.Ref, app.Digest)
	}
	fetched, err := rt.client.Fetch(ctx, ref,
		containerd.WithResolver(rt.cfg.Registry.Resolver()),
		containerd.WithPlatformMatcher(rt.matcher))
	if err != nil {
		// The registry may be down for now: not the app's fault, so not
		// ErrBadApp; the gateway tries again, maybe elsewhere.
		return nil, fmt.Errorf("pull %s: %w", ref, err)
	}
	is := rt.client.ImageService()
	rec, err := is.Create(ctx, images.Image{
		Name: name, Target: fetched.Target,
		Labels: map[string]string{labelLastUsed: now(), labelRef: ref},
	})
	if errdefs.IsAlreadyExists(err) {
		rec, err = is.Get(ctx, name)
	}
	// The record Fetch made under the reference's name goes; the content
	// stays, held by ours.
	if derr := is.Delete(ctx, fetched.Name); derr != nil && !errdefs.IsNotFound(derr) {
		rt.log.Warn("removing pulled image record", "image", fetched.Name, "err", derr)
	}
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", ref, err)
	}
	im, err := rt.unpack(ctx, app.Digest, rec)
	if err != nil {
		is.Delete(ctx, name, images.SynchronousDelete())
		return nil, err
	}
	rt.log.Info("image pulled", "ref", ref, "platform", im.platform, "took", time.Since(begin).Round(time.Millisecond))
	return im, nil
}

// unpack picks this device's platform from the image record, unpacks its
// layers and reads its config.
func (rt *Runtime) unpack(ctx context.Context, digest string, rec images.Image) (*image, error) {
	cs := rt.client.ContentStore()
	manifest, err := images.Manifest(ctx, cs, rec.Target, rt.matcher)
	if err != nil {
		if errdefs.IsNotFound(err) {
			have, _ := indexPlatforms(ctx, cs, rec.Target)
			return nil, fmt.Errorf("%w: it has %s; this device runs %s", ErrPlatform,
				orNone(have), strings.Join(rt.cfg.Platforms, ", "))
		}
		return nil, fmt.Errorf("%w: %w", sandbox.ErrBadApp, err)
	}
	var cfg ocispec.Image
	if err := readJSON(ctx, cs, manifest.Config, &cfg); err != nil {
		return nil, fmt.Errorf("%w: image config: %v", sandbox.ErrBadApp, err)
	}
	if len(cfg.Config.Entrypoint)+len(cfg.Config.Cmd) == 0 {
		return nil, fmt.Errorf("%w: the image has neither an entrypoint nor a command", sandbox.ErrBadApp)
	}
	img := containerd.NewImageWithPlatform(rt.client, rec, rt.matcher)
	if err := img.Unpack(ctx, rt.cfg.Snapshotter); err != nil {
		return nil, fmt.Errorf("%w: unpacking: %v", sandbox.ErrBadApp, err)
	}
	return &image{
		digest:   digest,
		name:     rec.Name,
		img:      img,
		config:   cfg.Config,
		platform: platforms.Format(platforms.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}),
	}, nil
}

// indexPlatforms lists the platforms an index offers, nested indexes
// included, as far as their blobs were imported.
func indexPlatforms(ctx context.Context, cs content.Store, desc ocispec.Descriptor) ([]string, error) {
	if !images.IsIndexType(desc.MediaType) {
		var cfg ocispec.Image
		var m ocispec.Manifest
		if err := readJSON(ctx, cs, desc, &m); err != nil {
			return nil, err
		}
		if err := readJSON(ctx, cs, m.Config, &cfg); err != nil {
			return nil, err
		}
		return []string{platforms.Format(platforms.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant})}, nil
	}
	var idx ocispec.Index
	if err := readJSON(ctx, cs, desc, &idx); err != nil {
		return nil, err
	}
	var out []string
	for _, m := range idx.Manifests {
		switch {
		case m.Platform != nil:
			out = append(out, platforms.Format(*m.Platform))
		case images.IsIndexType(m.MediaType):
			more, err := indexPlatforms(ctx, cs, m)
			if err != nil {
				return out, err
			}
			out = append(out, more...)
		}
	}
	return out, nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "no platform"
	}
	return strings.Join(s, ", ")
}

func readJSON(ctx context.Context, cs content.Store, desc ocispec.Descriptor, v any) error {
	if desc.Size > 4<<20 {
		return fmt.Errorf("%s: %d bytes is too large for JSON metadata", desc.Digest, desc.Size)
	}
	b, err := content.ReadBlob(ctx, cs, desc)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// touch records the image's last use, which orders collection.
func (rt *Runtime) touch(ctx context.Context, im *image) {
	rec := images.Image{Name: im.name, Labels: map[string]string{labelLastUsed: now()}}
	if _, err := rt.client.ImageService().Update(rt.nsctx(ctx), rec, "labels."+labelLastUsed); err != nil && !errors.Is(err, context.Canceled) {
		rt.log.Debug("recording image use", "image", im.name, "err", err)
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
