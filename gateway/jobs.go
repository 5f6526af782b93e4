package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/internal/registry"
	"github.com/hearth-home/hearth/store"
)

// submit validates a spec whose app and inputs were uploaded, stores the job
// and its tasks, and queues them.
func (g *Gateway) submit(spec api.JobSpec) (api.Job, error) {
	if err := api.ValidateJobSpec(&spec); err != nil {
		return api.Job{}, err
	}
	spec.Platforms = nil
	switch {
	case spec.Image != "":
		if err := g.resolveImage(&spec); err != nil {
			return api.Job{}, err
		}
	case spec.AppDigest == "":
		return api.Job{}, fmt.Errorf("%w: app_digest: required; upload the app first (the CLI does)", api.ErrBadSpec)
	case !g.blobs.Has(store.Digest(spec.AppDigest)):
		return api.Job{}, fmt.Errorf("%w: app %s", ErrMissingBlob, spec.AppDigest)
	case spec.Runtime == "oci":
		ps, err := appPlatforms(g.blobs.Path(store.Digest(spec.AppDigest)))
		if err != nil {
			return api.Job{}, fmt.Errorf("%w: app: runtime oci needs an OCI image archive (`hearth image pack` makes one): %v", api.ErrBadSpec, err)
		}
		for _, p := range ps {
			spec.Platforms = append(spec.Platforms, p.String())
		}
	}
	if spec.Prefer == api.PreferNative {
		if err := g.checkWasm(spec.WasmDigest); err != nil {
			return api.Job{}, err
		}
	}
	for i, in := range spec.Inputs {
		if in.Digest == "" || !g.blobs.Has(store.Digest(in.Digest)) {
			return api.Job{}, fmt.Errorf("%w: inputs[%d] %q", ErrMissingBlob, i, in.Name)
		}
		spec.Inputs[i].Path = ""
	}
	j := &job{jobRecord: jobRecord{Spec: spec, Created: time.Now().UTC()}}
	err := g.db.Update(func(tx *store.Tx) error {
		seq, err := tx.NextSeq(bucketJobs)
		if err != nil {
			return err
		}
		j.ID = fmt.Sprintf("%s-%d", spec.Name, seq)
		if err := tx.PutJSON(bucketJobs, j.ID, j.jobRecord); err != nil {
			return err
		}
		j.tasks = make([]*task, spec.Tasks)
		for i := range j.tasks {
			t := &task{taskRecord: taskRecord{JobID: j.ID, Index: i, State: api.TaskQueued}, job: j}
			j.tasks[i] = t
			units := []*task{t}
			if c := spec.Certify; c != nil {
				// The task waits for its replicas' votes; they are
				// what is queued.
				t.State, t.Cert = api.TaskVerifying, &certRecord{}
				for n := range c.MinReplicas {
					r := &task{taskRecord: taskRecord{JobID: j.ID, Index: i, Replica: n + 1, State: api.TaskQueued}, job: j, parent: t}
					t.replicas = append(t.replicas, r)
				}
				units = append(units, t.replicas...)
			}
			for _, u := range units {
				if err := tx.PutJSON(bucketTasks, u.key(), u.taskRecord); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return api.Job{}, err
	}
	g.mu.Lock()
	if spec.Certify != nil {
		j.counts.Verifying = len(j.tasks)
		j.replicaCounts = &api.TaskCounts{}
		for _, t := range j.tasks {
			j.replicaCounts.Queued += len(t.replicas)
			g.queue = append(g.queue, t.replicas...)
		}
	} else {
		j.counts.Queued = len(j.tasks)
		g.queue = append(g.queue, j.tasks...)
	}
	g.jobs[j.ID] = j
	g.jobOrder = append(g.jobOrder, j.ID)
	g.wakeLocked()
	view := j.view()
	g.mu.Unlock()
	attrs := []any{"job", j.ID, "runtime", spec.Runtime, "tasks", spec.Tasks, "app", store.Digest(spec.AppDigest).Short()}
	if spec.Image != "" {
		attrs = append(attrs, "image", spec.Image)
	}
	g.log.Info("job submitted", attrs...)
	return view, nil
}

// resolveImage pins an oci job's image to the digest its reference names
// now, and reads the platforms it provides. The registry must answer: a job
// whose image cannot be resolved is refused rather than queued for agents
// that could not pull it either.
func (g *Gateway) resolveImage(spec *api.JobSpec) error {
	ctx, cancel := context.WithTimeout(context.Background(), resolveTimeout)
	defer cancel()
	img, err := registry.Resolve(ctx, spec.Image, g.cfg.Registry)
	if err != nil {
		return fmt.Errorf("%w: image: %v", api.ErrBadSpec, err)
	}
	if spec.AppDigest != "" && spec.AppDigest != img.Digest {
		return fmt.Errorf("%w: app_digest: image %s is now %s, but app_digest pins %s", api.ErrBadSpec, spec.Image, img.Digest, spec.AppDigest)
	}
	spec.Image, spec.AppDigest, spec.Platforms = img.Ref, img.Digest, img.Platforms
	return nil
}

// resolveTimeout bounds resolving an image at submit.
const resolveTimeout = 30 * time.Second

// jobsView lists the jobs, newest first: the newest limit of them, or
// all when limit is 0.
func (g *Gateway) jobsView(limit int) []api.Job {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := len(g.jobOrder)
	if limit > 0 {
		n = min(n, limit)
	}
	out := make([]api.Job, 0, n)
	for _, id := range slices.Backward(g.jobOrder) {
		if len(out) == n {
			break
		}
		out = append(out, g.jobs[id].view())
	}
	return out
}

func (g *Gateway) jobView(id string) (api.JobDetail, error) {
	g.mu.Lock()
	j := g.jobs[id]
	if j == nil {
		g.mu.Unlock()
		return api.JobDetail{}, fmt.Errorf("%w: %q", ErrUnknownJob, id)
	}
	d := api.JobDetail{Job: j.view(), Tasks: make([]api.Task, len(j.tasks))}
	var dropped []int
	for i, t := range j.tasks {
		d.Tasks[i] = t.view()
		if r := t.Result; r != nil {
			d.EnergyWh += r.EnergyWh
		}
		if t.outputsOnDisk {
			dropped = append(dropped, i)
		}
	}
	g.mu.Unlock()
	return d, g.fillOutputs(d.Tasks, dropped)
}

func sortMembers(ms []api.Member) {
	slices.SortFunc(ms, func(a, b api.Member) int {
		if c := strings.Compare(a.Node.Name, b.Node.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// sortJobIDs orders job IDs by the sequence number that ends them.
func sortJobIDs(ids []string) {
	seq := func(id string) int {
		n, _ := strconv.Atoi(id[strings.LastIndexByte(id, '-')+1:])
		return n
	}
	slices.SortFunc(ids, func(a, b string) int { return seq(a) - seq(b) })
}

// appPlatforms lists the platforms of an OCI image archive; errors do not
// show the gateway's paths.
func appPlatforms(path string) ([]ociimage.Platform, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.New("the app cannot be read")
	}
	defer f.Close()
	return ociimage.Platforms(f)
}

// checkWasm makes sure that a prefer-native job's module is uploaded and
// is a WebAssembly module.
func (g *Gateway) checkWasm(digest string) error {
	if digest == "" {
		return fmt.Errorf("%w: wasm_digest: required with prefer native; upload the module first (the CLI does)", api.ErrBadSpec)
	}
	d := store.Digest(digest)
	if !g.blobs.Has(d) {
		return fmt.Errorf("%w: wasm %s", ErrMissingBlob, digest)
	}
	f, err := os.Open(g.blobs.Path(d))
	if err != nil {
		return err
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != "\x00asm" {
		return fmt.Errorf("%w: wasm: %s is not a WebAssembly module", api.ErrBadSpec, digest)
	}
	return nil
}
