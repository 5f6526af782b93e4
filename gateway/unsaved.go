package gateway

// The gateway changes its model in memory under g.mu and writes snapshots
// of what changed after it lets go of the lock. When that write fails, the
// changed tasks and jobs are remembered as unsaved: every later write of
// tasks carries their newest snapshots too, and the sweeper writes them on
// its own within a quarter second, so that memory and disk agree again as
// soon as the store works. Until then a restart would lose what is unsaved
// (a result an agent will send again: it was not acknowledged).

// takeUnsavedLocked takes the unsaved snapshots out of the model; the caller
// writes them with its own (through g.save, after letting go of g.mu).
func (g *Gateway) takeUnsavedLocked() ([]taskRecord, []jobRecord) {
	var recs []taskRecord
	var jobs []jobRecord
	for k, t := range g.unsavedTasks {
		recs = append(recs, t.snapshot())
		delete(g.unsavedTasks, k)
	}
	for k, j := range g.unsavedJobs {
		jobs = append(jobs, j.jobRecord)
		delete(g.unsavedJobs, k)
	}
	return recs, jobs
}

// save writes task snapshots, members and jobs in one transaction, and
// remembers the tasks and jobs as unsaved when the write fails.
func (g *Gateway) save(recs []taskRecord, members []memberRecord, jobs ...jobRecord) error {
	err := saveTasks(g.db, recs, members, jobs...)
	if err == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, r := range recs {
		if t := g.taskOfLocked(&r); t != nil {
			g.unsavedTasks[r.key()] = t
		}
	}
	for _, jr := range jobs {
		if j := g.jobs[jr.ID]; j != nil {
			g.unsavedJobs[jr.ID] = j
		}
	}
	return err
}

// flushUnsaved writes what earlier writes could not; the sweeper calls it.
func (g *Gateway) flushUnsaved() {
	g.mu.Lock()
	recs, jobs := g.takeUnsavedLocked()
	g.mu.Unlock()
	if len(recs)+len(jobs) == 0 {
		return
	}
	if err := g.save(recs, nil, jobs...); err != nil {
		if err.Error() != g.unsavedErr { // logged when the trouble starts or changes
			g.unsavedErr = err.Error()
			g.log.Error("store unsaved tasks; retrying", "tasks", len(recs), "jobs", len(jobs), "err", err)
		}
		return
	}
	g.unsavedErr = ""
	g.log.Info("stored tasks that an earlier write could not", "tasks", len(recs), "jobs", len(jobs))
}

// taskOfLocked finds the task (or replica) that r is a record of; nil if
// there is none.
func (g *Gateway) taskOfLocked(r *taskRecord) *task {
	j := g.jobs[r.JobID]
	if j == nil || r.Index < 0 || r.Index >= len(j.tasks) || j.tasks[r.Index] == nil {
		return nil
	}
	t := j.tasks[r.Index]
	if r.Replica > 0 {
		if r.Replica > len(t.replicas) {
			return nil
		}
		return t.replicas[r.Replica-1]
	}
	return t
}
