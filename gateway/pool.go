package gateway

import (
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// This file is what other parts of the gateway process (the market, in
// gateway/market) use of the pool: they run jobs through it like the owner
// does, and keep their own state in its store.

// SubmitJob queues a job whose app and inputs are in Blobs, as POST /v1/jobs.
func (g *Gateway) SubmitJob(spec api.JobSpec) (api.Job, error) { return g.submit(spec) }

// Job is a job with its tasks, as GET /v1/jobs/{id}.
func (g *Gateway) Job(id string) (api.JobDetail, error) { return g.jobView(id) }

// Jobs lists the jobs, newest first.
func (g *Gateway) Jobs() []api.Job { return g.jobsView(0) }

// Blobs is the gateway's blob store.
func (g *Gateway) Blobs() *store.Blobs { return g.blobs }

// DB is the gateway's database. Other parts keep their own buckets in it.
func (g *Gateway) DB() *store.DB { return g.db }

// NodeID is the gateway's node ID, which clients pin its certificate by.
func (g *Gateway) NodeID() string { return g.id.ID.String() }

// Mount serves h, without the owner's token, under pattern (for example
// "/v1/market/"): h authenticates its callers itself. Call it before Run.
func (g *Gateway) Mount(pattern string, h http.Handler) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.mounts == nil {
		g.mounts = map[string]http.Handler{}
	}
	g.mounts[pattern] = h
}

// SetDashboardLogin makes POST /v1/dashboard/login (hearth dashboard
// --lan, --viewer) answer with f's login link to the dashboard's own
// listener; without it, the call says the dashboard is off.
func (g *Gateway) SetDashboardLogin(f func(role string) (api.DashboardLink, error)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.dashLogin = f
}

func (g *Gateway) dashboardLogin(role string) (api.DashboardLink, error) {
	g.mu.Lock()
	f := g.dashLogin
	g.mu.Unlock()
	switch {
	case role != "admin" && role != "viewer":
		return api.DashboardLink{}, fmt.Errorf("%w: role %q: want admin or viewer", ErrBadRequest, role)
	case f == nil:
		return api.DashboardLink{}, fmt.Errorf("%w (hearth-gateway --dashboard 127.0.0.1:7380 turns it on)", ErrDashboardOff)
	}
	return f(role)
}

// OwnerOnly serves h to callers with the owner's token only (for Mount).
func (g *Gateway) OwnerOnly(h http.Handler) http.Handler { return g.admin(h.ServeHTTP) }

// OwnerAPI is the gateway's API as its owner calls it, for a caller in
// the same process (the dashboard): every request carries the admin
// token. It serves what is mounted at its first request.
func (g *Gateway) OwnerAPI() http.Handler {
	h := sync.OnceValue(g.routes)
	auth := "Bearer " + g.adminToken
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Authorization", auth)
		h().ServeHTTP(w, r)
	})
}

// SetChainStatus makes GET /v1/status (hearth status) include what f says
// of the chain connection: its mode, and a warning when reads are trusted.
func (g *Gateway) SetChainStatus(f func() string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.chainStatus = f
}

// Capacity is the pool's aggregate, as the market publishes it.
type Capacity struct {
	// Devices are the paired members; Ready those heard from lately.
	Devices, Ready int
	Cores          int
	MemoryMiB      uint64
	// WattBudget sums the ready devices' budgets now (0 when none reports one).
	WattBudget float64
	// Runtimes and Platforms that some ready device runs, sorted.
	Runtimes, Platforms []string
	// Queued is how many tasks wait for a device.
	Queued int
}

// Capacity sums up the pool now.
func (g *Gateway) Capacity() Capacity {
	g.mu.Lock()
	defer g.mu.Unlock()
	var c Capacity
	rts, pls := map[string]bool{}, map[string]bool{}
	for _, m := range g.members {
		if m.State == api.MemberPending {
			continue
		}
		c.Devices++
		if m.state != api.MemberReady {
			continue
		}
		c.Ready++
		c.Cores += m.Node.CPUs
		c.MemoryMiB += m.Node.MemoryBytes >> 20
		if p := m.health.Power; p != nil {
			c.WattBudget += p.BudgetW
		}
		for _, r := range m.Node.Runtimes {
			rts[r] = true
		}
		for _, p := range m.Node.Platforms {
			pls[p] = true
		}
	}
	c.Queued = len(g.queue)
	for r := range rts {
		c.Runtimes = append(c.Runtimes, r)
	}
	for p := range pls {
		c.Platforms = append(c.Platforms, p)
	}
	slices.Sort(c.Runtimes)
	slices.Sort(c.Platforms)
	return c
}

// Runs reports whether some ready device runs runtime (and, for oci, one of
// platforms). Platforms match as the scheduler matches them (runsOne), by
// containerd's rule: a linux/arm/v7 device runs a linux/arm/v6 image, an
// arm64 one 32-bit ARM images, an amd64 one 386 images.
func (c Capacity) Runs(runtime string, platforms []string) bool {
	if !slices.Contains(c.Runtimes, runtime) {
		return false
	}
	if runtime != "oci" || len(platforms) == 0 {
		return true
	}
	return runsOne(c.Platforms, platforms)
}

// Reply writes v as JSON, or err as the API's error (with the status code
// the gateway maps it to: wrap ErrBadRequest, ErrUnauthorized or
// store.ErrNotFound to choose one).
func Reply(w http.ResponseWriter, v any, err error) { reply(w, v, err) }

// DataDir is the gateway's data directory.
func (g *Gateway) DataDir() string { return g.cfg.DataDir }

// DeviceOnly serves a call of a device of the pool: its client
// certificate names a member the owner let in; h gets its node ID.
func (g *Gateway) DeviceOnly(h func(w http.ResponseWriter, r *http.Request, node string)) http.Handler {
	return g.member(func(w http.ResponseWriter, r *http.Request) {
		node, err := peerID(r)
		if err != nil { // the owner's token: not a device
			reply(w, nil, fmt.Errorf("%w: a call for the devices of the pool, with their certificates", ErrBadRequest))
			return
		}
		h(w, r, node.String())
	})
}

// OwnerKey is a key derived from the owner's admin token for one purpose
// (label): HMAC-SHA256(token, label). Whoever holds the owner's
// credentials file can derive it again, after the gateway is lost.
func (g *Gateway) OwnerKey(label string) []byte { return api.OwnerKey(g.adminToken, label) }

// Members is the pool's members, as `hearth pool ls` shows them.
func (g *Gateway) Members() []api.Member { return g.membersView() }
