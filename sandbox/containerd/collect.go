package containerd

import (
	"context"
	"slices"
	"strings"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/core/images"
)

// collect removes images that no task uses, least recently used first,
// while the namespace's images take more than Config.DiskBudget. keep is
// the app just prepared, which stays whatever its size.
func (rt *Runtime) collect(ctx context.Context, keep string) {
	if rt.cfg.DiskBudget < 0 {
		return
	}
	ctx = rt.nsctx(ctx)
	recs, err := rt.client.ImageService().List(ctx)
	if err != nil {
		rt.log.Warn("listing images for collection", "err", err)
		return
	}
	type entry struct {
		rec  images.Image
		size int64
	}
	var all []entry
	var total int64
	for _, rec := range recs {
		if !strings.HasPrefix(rec.Name, imagePrefix) {
			continue
		}
		img := containerd.NewImageWithPlatform(rt.client, rec, rt.matcher)
		size, err := img.Usage(ctx, containerd.WithSnapshotUsage())
		if err != nil {
			size = 0
		}
		all = append(all, entry{rec, size})
		total += size
	}
	if total <= rt.cfg.DiskBudget {
		return
	}
	// RFC 3339 times in UTC sort as strings; an image without the label
	// is the oldest.
	slices.SortFunc(all, func(a, b entry) int {
		return strings.Compare(a.rec.Labels[labelLastUsed], b.rec.Labels[labelLastUsed])
	})
	for _, e := range all {
		if total <= rt.cfg.DiskBudget {
			break
		}
		digest := strings.Replace(strings.TrimPrefix(e.rec.Name, imagePrefix), "-", ":", 1)
		if digest == keep || rt.inUse(digest) {
			continue
		}
		rt.mu.Lock()
		delete(rt.images, digest)
		rt.mu.Unlock()
		if err := rt.client.ImageService().Delete(ctx, e.rec.Name, images.SynchronousDelete()); err != nil {
			rt.log.Warn("removing an unused image", "image", e.rec.Name, "err", err)
			continue
		}
		total -= e.size
		rt.log.Info("removed an unused image over the disk budget", "app", digest,
			"bytes", e.size, "last_used", e.rec.Labels[labelLastUsed])
	}
}

// inUse reports whether a task of this runtime runs the app. A task
// recovered by this process counts too.
func (rt *Runtime) inUse(digest string) bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if im := rt.images[digest]; im != nil && im.users > 0 {
		return true
	}
	for _, t := range rt.tasks {
		if t.app == digest {
			return true
		}
	}
	return false
}
