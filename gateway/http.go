package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// maxJSONBody bounds a JSON request; results carry bounded stdout/stderr.
const maxJSONBody = 32 << 20

func (g *Gateway) routes() http.Handler {
	mux := http.NewServeMux()
	// Agents: mutual TLS, node ID from the client certificate.
	mux.HandleFunc("POST /v1/agent/hello", g.agent(func(w http.ResponseWriter, r *http.Request, node identity.NodeID) {
		var req api.HelloRequest
		if decode(w, r, &req) {
			resp, err := g.hello(node, r.RemoteAddr, req)
			reply(w, resp, err)
		}
	}))
	mux.HandleFunc("POST /v1/agent/heartbeat", g.agent(func(w http.ResponseWriter, r *http.Request, node identity.NodeID) {
		start := time.Now()
		var hb api.Heartbeat
		if decode(w, r, &hb) {
			resp, err := g.heartbeat(node, r.RemoteAddr, hb)
			reply(w, resp, err)
			g.heartbeatSeconds.Observe(time.Since(start).Seconds())
		}
	}))
	mux.HandleFunc("POST /v1/agent/lease", g.agent(func(w http.ResponseWriter, r *http.Request, node identity.NodeID) {
		var req api.LeaseRequest
		if decode(w, r, &req) {
			leases, err := g.lease(r.Context(), node, req)
			reply(w, api.LeaseResponse{Leases: leases}, err)
		}
	}))
	mux.HandleFunc("POST /v1/agent/results", g.agent(func(w http.ResponseWriter, r *http.Request, node identity.NodeID) {
		var batch api.ResultBatch
		g.allowTransfer(w, max(r.ContentLength, 0)) // a batch may carry megabytes of output
		if decode(w, r, &batch) {
			acks, err := g.report(node, batch.Results)
			reply(w, api.ResultAck{Acks: acks}, err)
		}
	}))
	mux.HandleFunc("POST /v1/agent/stream/pull", g.agent(func(w http.ResponseWriter, r *http.Request, node identity.NodeID) {
		var req api.StreamPull
		if decode(w, r, &req) {
			batch, err := g.streamPull(r.Context(), node, req)
			reply(w, batch, err)
		}
	}))
	mux.Handle("GET /v1/agent/firmware/metadata/{file}", g.firmwareFiles())
	mux.Handle("GET /v1/agent/firmware/targets/{path...}", g.firmwareFiles())
	// Blobs: paired agents or the owner.
	mux.HandleFunc("GET /v1/blobs/{digest}", g.member(g.getBlob))
	mux.HandleFunc("PUT /v1/blobs/{digest}", g.member(g.putBlob))
	// The owner, with the admin token.
	mux.HandleFunc("GET /v1/status", g.admin(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		st := api.Status{ID: g.id.ID.String(), Version: g.cfg.Version, Proto: api.ProtocolVersion,
			Members: len(g.members), Jobs: len(g.jobs), Queued: len(g.queue)}
		chainStatus := g.chainStatus
		g.mu.Unlock()
		if chainStatus != nil {
			st.Chain = chainStatus()
		}
		reply(w, st, nil)
	}))
	mux.HandleFunc("POST /v1/streams", g.admin(func(w http.ResponseWriter, r *http.Request) {
		var spec api.StreamSpec
		if decode(w, r, &spec) {
			st, err := g.DeployStream(spec)
			reply(w, st, err)
		}
	}))
	mux.HandleFunc("PUT /v1/streams/{name}", g.admin(func(w http.ResponseWriter, r *http.Request) {
		var spec api.StreamSpec
		if decode(w, r, &spec) {
			if spec.Name != r.PathValue("name") {
				reply(w, nil, fmt.Errorf("%w: the spec names stream %q, the path %q", ErrBadRequest, spec.Name, r.PathValue("name")))
				return
			}
			st, err := g.UpdateStream(spec)
			reply(w, st, err)
		}
	}))
	mux.HandleFunc("GET /v1/streams", g.admin(func(w http.ResponseWriter, r *http.Request) {
		reply(w, g.Streams(), nil)
	}))
	mux.HandleFunc("GET /v1/streams/{name}", g.admin(func(w http.ResponseWriter, r *http.Request) {
		st, err := g.Stream(r.PathValue("name"))
		reply(w, st, err)
	}))
	mux.HandleFunc("GET /v1/streams/{name}/logs", g.admin(func(w http.ResponseWriter, r *http.Request) {
		logs, err := g.StreamLogs(r.PathValue("name"))
		reply(w, logs, err)
	}))
	mux.HandleFunc("DELETE /v1/streams/{name}", g.admin(func(w http.ResponseWriter, r *http.Request) {
		reply(w, struct{}{}, g.RemoveStream(r.PathValue("name")))
	}))
	mux.HandleFunc("GET /v1/pool/members", g.admin(func(w http.ResponseWriter, r *http.Request) {
		reply(w, g.membersView(), nil)
	}))
	mux.HandleFunc("POST /v1/pool/members/{id}/approve", g.admin(func(w http.ResponseWriter, r *http.Request) {
		m, err := g.approve(r.PathValue("id"))
		reply(w, m, err)
	}))
	mux.HandleFunc("POST /v1/pool/members/{id}/release", g.admin(func(w http.ResponseWriter, r *http.Request) {
		m, err := g.release(r.PathValue("id"))
		reply(w, m, err)
	}))
	mux.HandleFunc("GET /v1/pool/budget", g.admin(func(w http.ResponseWriter, r *http.Request) {
		reply(w, g.budgets(), nil)
	}))
	mux.HandleFunc("POST /v1/pool/budget", g.admin(func(w http.ResponseWriter, r *http.Request) {
		var req api.BudgetRequest
		if decode(w, r, &req) {
			b, err := g.setBudget(req)
			reply(w, b, err)
		}
	}))
	mux.HandleFunc("POST /v1/pool/signal", g.admin(func(w http.ResponseWriter, r *http.Request) {
		var req api.SignalRequest
		if decode(w, r, &req) {
			reply(w, struct{}{}, g.signal(req))
		}
	}))
	mux.HandleFunc("POST /v1/pool/signals/mqtt", g.admin(func(w http.ResponseWriter, r *http.Request) {
		var req api.MQTTSignal
		if decode(w, r, &req) {
			reply(w, struct{}{}, g.SetMQTTSignal(req))
		}
	}))
	mux.HandleFunc("GET /v1/pool/signals/mqtt", g.admin(func(w http.ResponseWriter, r *http.Request) {
		reply(w, g.MQTTSignals(), nil)
	}))
	mux.HandleFunc("DELETE /v1/pool/signals/mqtt", g.admin(func(w http.ResponseWriter, r *http.Request) {
		reply(w, struct{}{}, g.RemoveMQTTSignal(r.URL.Query().Get("topic"), r.URL.Query().Get("kind")))
	}))
	mux.HandleFunc("GET /v1/pool/power", g.admin(func(w http.ResponseWriter, r *http.Request) {
		since, err := parseSince(r.URL.Query().Get("since"), time.Now())
		if err != nil {
			reply(w, nil, err)
			return
		}
		out, err := g.poolPower(since, time.Now())
		reply(w, out, err)
	}))
	mux.HandleFunc("GET /v1/pool/energy", g.admin(func(w http.ResponseWriter, r *http.Request) {
		days := 7
		if s := r.URL.Query().Get("days"); s != "" {
			if _, err := fmt.Sscan(s, &days); err != nil {
				reply(w, nil, fmt.Errorf("%w: days %q: want a number", ErrBadRequest, s))
				return
			}
		}
		out, err := g.energy(days)
		reply(w, out, err)
	}))
	mux.HandleFunc("POST /v1/firmware/import", g.admin(func(w http.ResponseWriter, r *http.Request) {
		if g.fw == nil {
			reply(w, nil, ErrFirmwareOff)
			return
		}
		if r.ContentLength > g.cfg.MaxFirmwareBundle {
			reply(w, nil, fmt.Errorf("%w: bundle of %d MiB, larger than the %d MiB allowed", ErrBadRequest, r.ContentLength>>20, g.cfg.MaxFirmwareBundle>>20))
			return
		}
		g.allowTransfer(w, max(r.ContentLength, 0))
		res, err := g.importFirmware(r.Context(), http.MaxBytesReader(w, r.Body, g.cfg.MaxFirmwareBundle))
		reply(w, res, err)
	}))
	mux.HandleFunc("GET /v1/firmware", g.admin(func(w http.ResponseWriter, r *http.Request) {
		reply(w, g.firmwareView(), nil)
	}))
	mux.HandleFunc("POST /v1/jobs", g.admin(func(w http.ResponseWriter, r *http.Request) {
		var spec api.JobSpec
		if decode(w, r, &spec) {
			j, err := g.submit(spec)
			reply(w, j, err)
		}
	}))
	mux.HandleFunc("GET /v1/jobs", g.admin(func(w http.ResponseWriter, r *http.Request) {
		limit := 0
		if v := r.URL.Query().Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				reply(w, nil, fmt.Errorf("%w: limit %q: want a number of jobs, 1 or more", ErrBadRequest, v))
				return
			}
			limit = n
		}
		reply(w, g.jobsView(limit), nil)
	}))
	mux.HandleFunc("GET /v1/jobs/{id}", g.admin(func(w http.ResponseWriter, r *http.Request) {
		d, err := g.jobView(r.PathValue("id"))
		reply(w, d, err)
	}))
	mux.HandleFunc("POST /v1/jobs/{id}/cancel", g.admin(func(w http.ResponseWriter, r *http.Request) {
		j, err := g.cancelJob(r.PathValue("id"))
		reply(w, j, err)
	}))
	mux.HandleFunc("POST /v1/dashboard/login", g.admin(func(w http.ResponseWriter, r *http.Request) {
		var req api.DashboardLoginRequest
		if decode(w, r, &req) {
			link, err := g.dashboardLogin(req.Role)
			reply(w, link, err)
		}
	}))
	g.mu.Lock()
	for pattern, h := range g.mounts {
		mux.Handle(pattern, h)
	}
	g.mu.Unlock()
	return mux
}

// agent authenticates a node by its client certificate.
func (g *Gateway) agent(h func(http.ResponseWriter, *http.Request, identity.NodeID)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		node, err := peerID(r)
		if err != nil {
			reply(w, nil, err)
			return
		}
		h(w, r, node)
	}
}

func peerID(r *http.Request) (identity.NodeID, error) {
	if r.TLS == nil {
		return identity.NodeID{}, fmt.Errorf("%w: TLS required", ErrUnauthorized)
	}
	id, err := identity.HandshakeID(r.TLS.PeerCertificates) // ServerTLS checked it
	if err != nil {
		return identity.NodeID{}, fmt.Errorf("%w: %w", ErrUnauthorized, err)
	}
	return id, nil
}

// admin requires the owner's token.
func (g *Gateway) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !g.adminOK(r.Header.Get("Authorization")) {
			reply(w, nil, fmt.Errorf("%w: admin token missing or wrong (see the credentials file written by `hearth-gateway init`)", ErrUnauthorized))
			return
		}
		h(w, r)
	}
}

// member admits the owner or a paired node.
func (g *Gateway) member(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if g.adminOK(r.Header.Get("Authorization")) {
			h(w, r)
			return
		}
		node, err := peerID(r)
		if err == nil {
			g.mu.Lock()
			_, err = g.workerLocked(node)
			g.mu.Unlock()
		}
		if err != nil {
			reply(w, nil, err)
			return
		}
		h(w, r)
	}
}

func (g *Gateway) getBlob(w http.ResponseWriter, r *http.Request) {
	d, err := store.ParseDigest(r.PathValue("digest"))
	if err != nil {
		reply(w, nil, err)
		return
	}
	if !g.adminOK(r.Header.Get("Authorization")) {
		node, _ := peerID(r) // member() checked it
		g.mu.Lock()
		sealed := g.sealedFromLocked(d, node)
		g.mu.Unlock()
		if sealed {
			// The output of a replica not yet certified: another device
			// could copy it instead of computing its own.
			reply(w, nil, fmt.Errorf("%w: blob %s is the output of another device's replica, not yet certified", ErrSealed, d.Short()))
			return
		}
	}
	rc, size, err := g.blobs.Open(d)
	if err != nil {
		reply(w, nil, err)
		return
	}
	defer rc.Close()
	g.allowTransfer(w, size)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", fmt.Sprint(size))
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are gone; the client's digest check catches the rest.
		g.log.Error("serve blob", "digest", d.Short(), "err", err)
	}
}

func (g *Gateway) putBlob(w http.ResponseWriter, r *http.Request) {
	d, err := store.ParseDigest(r.PathValue("digest"))
	if err != nil {
		reply(w, nil, err)
		return
	}
	if g.blobs.Has(d) {
		io.Copy(io.Discard, io.LimitReader(r.Body, g.cfg.MaxBlobBytes))
		reply(w, api.BlobRef{Digest: string(d)}, nil)
		return
	}
	size := r.ContentLength
	if size < 0 || size > g.cfg.MaxBlobBytes {
		size = g.cfg.MaxBlobBytes
	}
	g.allowTransfer(w, size)
	body := http.MaxBytesReader(w, r.Body, g.cfg.MaxBlobBytes)
	_, n, err := g.blobs.Put(body, d)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = fmt.Errorf("%w: blob larger than %d bytes", ErrBadRequest, g.cfg.MaxBlobBytes)
		}
		reply(w, nil, err)
		return
	}
	g.db.Batch(func(tx *store.Tx) error {
		return tx.PutJSON(bucketBlobs, string(d), map[string]any{"size": n, "stored": time.Now().UTC()})
	})
	reply(w, api.BlobRef{Digest: string(d), Size: n}, nil)
}

// blobRate is the slowest transfer a blob call is given time for: 64 KiB a
// second, so that 256 MiB may take 68 minutes on a poor Wi-Fi link.
const blobRate = 64 << 10

// allowTransfer extends the call's read and write deadlines past
// CallTimeout for a blob of size bytes.
func (g *Gateway) allowTransfer(w http.ResponseWriter, size int64) {
	d := time.Now().Add(g.cfg.CallTimeout + time.Duration(size/blobRate)*time.Second)
	rc := http.NewResponseController(w)
	if err := errors.Join(rc.SetReadDeadline(d), rc.SetWriteDeadline(d)); err != nil {
		g.log.Debug("blob call keeps the default deadlines", "err", err)
	}
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err := dec.Decode(v); err != nil {
		reply(w, nil, fmt.Errorf("%w: body: %v", ErrBadRequest, err))
		return false
	}
	return true
}

func reply(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		e := apiError(err)
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(e)
		return
	}
	json.NewEncoder(w).Encode(v)
}
