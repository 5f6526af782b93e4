package containerd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"time"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/core/images"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	"github.com/containerd/errdefs"

	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// RemoveNamespace removes a containerd namespace and all it holds: tasks
// (killed), containers with their snapshots, images, leases. It says how
// many containers and images it removed; a namespace that does not exist is
// no error. The namespace's cgroup goes too, where it is empty. Tests, the
// demo and the benchmarks use it to leave nothing behind; an agent's own
// namespace outlives it on purpose.
func RemoveNamespace(ctx context.Context, socket, ns string) (containers, imgs int, err error) {
	client, err := containerd.New(socket, containerd.WithTimeout(5*time.Second))
	if err != nil {
		return 0, 0, fmt.Errorf("%w at %s: %v", ErrUnreachable, socket, err)
	}
	defer client.Close()
	// containerd makes each container's cgroup under one named after its
	// namespace (/<ns>/<id>) and leaves that one when the last goes.
	defer ocitask.DetectCgroups().RemoveEmpty("/" + ns)
	all, err := client.NamespaceService().List(ctx)
	if err != nil || !slices.Contains(all, ns) {
		return 0, 0, err
	}
	ctx = namespaces.WithNamespace(ctx, ns)
	var errs []error
	cs, err := client.Containers(ctx)
	errs = append(errs, err)
	for _, c := range cs {
		if t, err := c.Task(ctx, nil); err == nil {
			t.Kill(ctx, syscall.SIGKILL)
			if _, err := t.Delete(ctx, containerd.WithProcessKill); err != nil && !errdefs.IsNotFound(err) {
				errs = append(errs, err)
			}
		}
		errs = append(errs, c.Delete(ctx, containerd.WithSnapshotCleanup))
	}
	recs, err := client.ImageService().List(ctx)
	errs = append(errs, err)
	for i, r := range recs {
		var opts []images.DeleteOpt
		if i == len(recs)-1 {
			opts = append(opts, images.SynchronousDelete()) // collect the content too
		}
		errs = append(errs, client.ImageService().Delete(ctx, r.Name, opts...))
	}
	if ls, err := client.LeasesService().List(ctx); err == nil {
		for _, l := range ls {
			client.LeasesService().Delete(ctx, l)
		}
	}
	// Content and snapshots go with the garbage collector; the namespace
	// can go once they are gone.
	for range 20 {
		if err = client.NamespaceService().Delete(ctx, ns); err == nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	errs = append(errs, err)
	return len(cs), len(recs), errors.Join(errs...)
}
