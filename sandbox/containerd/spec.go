package containerd

import (
	"context"

	"github.com/containerd/containerd/v2/core/containers"
	"github.com/containerd/containerd/v2/pkg/oci"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// specOpts make a task's hardened OCI spec: containerd's defaults, then
// Hearth's hardening, shared with the runc runtime (ocitask.Harden).
func (rt *Runtime) specOpts(im *image, spec sandbox.Spec, lim sandbox.Limits, uid, gid uint32) []oci.SpecOpts {
	return []oci.SpecOpts{func(_ context.Context, _ oci.Client, _ *containers.Container, s *oci.Spec) error {
		return ocitask.Harden(s, ocitask.Params{
			Image:     ocitask.Image{Entrypoint: im.config.Entrypoint, Cmd: im.config.Cmd, WorkingDir: im.config.WorkingDir},
			Spec:      spec,
			Limits:    lim,
			UID:       uid,
			GID:       gid,
			Helper:    rt.helper,
			PidsLimit: rt.cfg.PidsLimit,
			CgroupV1:  !rt.cgroups.V2(),
		})
	}}
}
