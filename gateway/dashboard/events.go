package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// Live updates: Server-Sent Events at /ui/events, one "state" event a
// second. Its id is a cursor, the newest power sample's time, which the
// browser sends back as Last-Event-ID when it reconnects, so that a
// reconnect loses no samples. /ui/state?since=CURSOR answers the same
// JSON once, for browsers that fall back to polling.

// overlap is how far before the cursor an event's samples start: devices
// report a heartbeat's samples together (every 2 s by default, a retried
// heartbeat later), so a device's sample may arrive after another's newer
// one. A stream sends each sample once (sent); a poll, or a stream that
// reconnects, may send one again, and the page drops what it has.
// pollOverlap is a poll's (smaller: a poll sends all it reads).
const (
	overlap     = 30 * time.Second
	pollOverlap = 10 * time.Second
	// maxBack is how far back a cursor may ask: the hour of samples kept.
	maxBack = time.Hour
	// jobsShown is how many of the newest jobs the page is sent.
	jobsShown = 100
)

// tick is how often a stream sends an event; membersEvery how often at
// most it sends the members when only their figures changed.
var (
	tick         = time.Second
	membersEvery = 4 * time.Second
)

// memberStates is the members' IDs and states, in the API's order.
func memberStates(raw json.RawMessage) string {
	var ms []struct{ ID, State string }
	json.Unmarshal(raw, &ms)
	var b bytes.Buffer
	for _, m := range ms {
		b.WriteString(m.ID + "=" + m.State + ";")
	}
	return b.String()
}

// snapshot is one event's data.
type snapshot struct {
	T      time.Time `json:"t"`
	Cursor string    `json:"cursor"`
	// Members and Jobs are present in a stream's event when they changed
	// since its last one.
	Members json.RawMessage `json:"members,omitempty"`
	Power   *api.PoolPower  `json:"power"`
	Jobs    json.RawMessage `json:"jobs,omitempty"`
}

// snap reads the pool through the API: members, the power samples since
// since (less the overlap) and the jobs. It returns the snapshot and the
// new cursor.
func (s *Server) snap(ctx context.Context, since time.Time, back time.Duration) (snapshot, time.Time, error) {
	out := snapshot{T: s.cfg.Now().UTC()}
	var err error
	if out.Members, err = s.get(ctx, "/v1/pool/members"); err != nil {
		return out, since, err
	}
	// From the cursor less the overlap; a cursor older than the hour kept
	// (or none) starts a minute back, as the page then reloads.
	from := since.Add(-back)
	if since.Before(out.T.Add(-maxBack)) {
		from = out.T.Add(-time.Minute)
	}
	raw, err := s.get(ctx, "/v1/pool/power?since="+url.QueryEscape(from.Format(time.RFC3339Nano)))
	if err != nil {
		return out, since, err
	}
	out.Power = new(api.PoolPower)
	if err := json.Unmarshal(raw, out.Power); err != nil {
		return out, since, fmt.Errorf("/v1/pool/power: %w", err)
	}
	cursor := since
	for _, d := range out.Power.Devices {
		if n := len(d.Samples); n > 0 && d.Samples[n-1].T.After(cursor) {
			cursor = d.Samples[n-1].T
		}
	}
	if out.Jobs, err = s.get(ctx, fmt.Sprintf("/v1/jobs?limit=%d", jobsShown)); err != nil {
		return out, since, err
	}
	out.Jobs = redact(out.Jobs)
	out.Cursor = cursor.UTC().Format(time.RFC3339Nano)
	return out, cursor, nil
}

// get calls the API as the owner and returns its JSON answer.
func (s *Server) get(ctx context.Context, path string) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	rec := &recorder{header: http.Header{}, code: http.StatusOK}
	s.cfg.API.ServeHTTP(rec, req)
	if rec.code != http.StatusOK {
		var e struct{ Error string }
		json.Unmarshal(rec.body.Bytes(), &e)
		return nil, fmt.Errorf("%s: HTTP %d: %s", path, rec.code, e.Error)
	}
	return bytes.TrimSpace(rec.body.Bytes()), nil
}

// recorder keeps an in-process API answer.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.code = code }

func parseCursor(r *http.Request) time.Time {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("since")
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}
	}
	return t
}

// state answers one snapshot (the polling fallback).
func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	out, _, err := s.snap(r.Context(), parseCursor(r), pollOverlap)
	if err != nil {
		writeError(w, http.StatusBadGateway, "unavailable", err.Error())
		return
	}
	writeJSON(w, out)
}

// events streams a snapshot a second until the browser goes away. At most
// maxStreams are open at once; more get 503, and the page polls instead.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	select {
	case s.streams <- struct{}{}:
		defer func() { <-s.streams }()
	default:
		writeError(w, http.StatusServiceUnavailable, "busy", fmt.Sprintf("%d live views are open already; this one polls", maxStreams))
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	cursor := parseCursor(r)
	var lastJobs, lastMembers []byte
	var lastStates string
	var membersAt time.Time
	sent := newSent()
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if s.sessionRole(r) == "" {
			return // logged out, or the session ended: so does its view
		}
		out, next, err := s.snap(r.Context(), cursor, overlap)
		if r.Context().Err() != nil {
			return
		}
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err != nil {
			// The gateway is away (the CLI's channel, a restart): say so
			// and try again; the browser keeps the stream.
			fmt.Fprintf(w, "event: away\ndata: %q\n\n", err.Error())
		} else {
			if bytes.Equal(out.Jobs, lastJobs) {
				out.Jobs = nil
			} else {
				lastJobs = out.Jobs
			}
			// Members change with every heartbeat (last seen, load,
			// watts): they go at most every membersEvery, but at once
			// when a device comes, goes or changes state.
			states := memberStates(out.Members)
			if bytes.Equal(out.Members, lastMembers) || states == lastStates && time.Since(membersAt) < membersEvery {
				out.Members = nil
			} else {
				lastMembers, lastStates, membersAt = out.Members, states, time.Now()
			}
			sent.filter(out.Power, next.Add(-time.Minute))
			cursor = next
			data, _ := json.Marshal(out)
			fmt.Fprintf(w, "id: %s\nevent: state\nretry: 2000\ndata: %s\n\n", out.Cursor, data)
		}
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
	}
}

// sent is what a stream has sent of the power history, so that its events
// carry only what is new: each device's samples after the last one sent,
// the pool's seconds not sent or since summed over more devices, and the
// signals' steps that change what was sent last. (A new stream starts from
// Last-Event-ID less the overlap, and the page drops what it has.)
type sent struct {
	dev  map[string]time.Time
	pool map[int64]int // second -> devices summed
	sig  *api.SignalPoint
}

func newSent() *sent { return &sent{dev: map[string]time.Time{}, pool: map[int64]int{}} }

func (st *sent) filter(p *api.PoolPower, horizon time.Time) {
	for i := range p.Devices {
		d := &p.Devices[i]
		last, ok := st.dev[d.ID]
		d.Samples = slices.DeleteFunc(d.Samples, func(s api.PowerSample) bool { return ok && !s.T.After(last) })
		if n := len(d.Samples); n > 0 {
			st.dev[d.ID] = d.Samples[n-1].T
		}
	}
	p.Devices = slices.DeleteFunc(p.Devices, func(d api.DevicePower) bool { return len(d.Samples) == 0 })
	p.Pool = slices.DeleteFunc(p.Pool, func(s api.PoolSample) bool {
		k := s.T.Unix()
		if n, ok := st.pool[k]; ok && n >= s.Devices {
			return true
		}
		st.pool[k] = s.Devices
		return false
	})
	for k := range st.pool {
		if k < horizon.Unix() {
			delete(st.pool, k)
		}
	}
	same := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	p.Signals = slices.DeleteFunc(p.Signals, func(g api.SignalPoint) bool {
		if st.sig != nil && same(st.sig.SolarW, g.SolarW) && same(st.sig.Heat, g.Heat) {
			return true
		}
		st.sig = &g
		return false
	})
}
