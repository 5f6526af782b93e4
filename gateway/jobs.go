package gateway

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/store"
)

// submit validates a spec whose app and inputs were uploaded, stores the job
// and its tasks, and queues them.
func (g *Gateway) submit(spec api.JobSpec) (api.Job, error) {
	if err := spec.Validate(); err != nil {
		return api.Job{}, err
	}
	if spec.AppDigest == "" {
		return api.Job{}, fmt.Errorf("%w: app_digest: required; upload the app first (the CLI does)", api.ErrBadSpec)
	}
	if !g.blobs.Has(store.Digest(spec.AppDigest)) {
		return api.Job{}, fmt.Errorf("%w: app %s", ErrMissingBlob, spec.AppDigest)
	}
	spec.Platforms = nil
	if spec.Runtime == "oci" {
		ps, err := appPlatforms(g.blobs.Path(store.Digest(spec.AppDigest)))
		if err != nil {
			return api.Job{}, fmt.Errorf("%w: app: runtime oci needs an OCI image archive (`hearth image pack` makes one): %v", api.ErrBadSpec, err)
		}
		for _, p := range ps {
			spec.Platforms = append(spec.Platforms, p.String())
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
			if err := tx.PutJSON(bucketTasks, taskKey(j.ID, i), t.taskRecord); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return api.Job{}, err
	}
	g.mu.Lock()
	j.counts.Queued = len(j.tasks)
	g.jobs[j.ID] = j
	g.jobOrder = append(g.jobOrder, j.ID)
	g.queue = append(g.queue, j.tasks...)
	g.wakeLocked()
	view := j.view()
	g.mu.Unlock()
	g.log.Info("job submitted", "job", j.ID, "runtime", spec.Runtime, "tasks", spec.Tasks, "app", store.Digest(spec.AppDigest).Short())
	return view, nil
}

func (g *Gateway) jobsView() []api.Job {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]api.Job, 0, len(g.jobOrder))
	for _, id := range slices.Backward(g.jobOrder) {
		out = append(out, g.jobs[id].view())
	}
	return out
}

func (g *Gateway) jobView(id string) (api.JobDetail, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	j := g.jobs[id]
	if j == nil {
		return api.JobDetail{}, fmt.Errorf("%w: %q", ErrUnknownJob, id)
	}
	d := api.JobDetail{Job: j.view(), Tasks: make([]api.Task, len(j.tasks))}
	for i, t := range j.tasks {
		d.Tasks[i] = t.view()
	}
	return d, nil
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
