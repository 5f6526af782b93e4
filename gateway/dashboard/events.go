package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Live updates: Server-Sent Events at /ui/events, one "state" event a
// second. Its id is a cursor, the newest power sample's time, which the
// browser sends back as Last-Event-ID when it reconnects, so that a
// reconnect loses no samples. /ui/state?since=CURSOR answers the same
// JSON once, for browsers that fall back to polling.

// overlap is how far before the cursor an event's samples start: devices
// report a heartbeat's samples together (every 2 s by default), so a
// device's sample may arrive after another's newer one. The page drops
// what it has already.
const overlap = 5 * time.Second

// tick is how often a stream sends an event.
var tick = time.Second

// snapshot is one event's data.
type snapshot struct {
	T       time.Time       `json:"t"`
	Cursor  string          `json:"cursor"`
	Members json.RawMessage `json:"members"`
	Power   json.RawMessage `json:"power"`
	// Jobs is present when the jobs changed since the stream's last event.
	Jobs json.RawMessage `json:"jobs,omitempty"`
}

// snap reads the pool through the API: members, the power samples since
// since (less the overlap) and the jobs. It returns the snapshot and the
// new cursor.
func (s *Server) snap(ctx context.Context, since time.Time) (snapshot, time.Time, error) {
	out := snapshot{T: s.cfg.Now().UTC()}
	var err error
	if out.Members, err = s.get(ctx, "/v1/pool/members"); err != nil {
		return out, since, err
	}
	from := since.Add(-overlap)
	if since.IsZero() {
		from = out.T.Add(-time.Minute)
	}
	if out.Power, err = s.get(ctx, "/v1/pool/power?since="+url.QueryEscape(from.Format(time.RFC3339Nano))); err != nil {
		return out, since, err
	}
	var p struct {
		Devices []struct {
			Samples []struct {
				T time.Time `json:"t"`
			} `json:"samples"`
		} `json:"devices"`
	}
	cursor := since
	if json.Unmarshal(out.Power, &p) == nil {
		for _, d := range p.Devices {
			if n := len(d.Samples); n > 0 && d.Samples[n-1].T.After(cursor) {
				cursor = d.Samples[n-1].T
			}
		}
	}
	if out.Jobs, err = s.get(ctx, "/v1/jobs"); err != nil {
		return out, since, err
	}
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
	out, _, err := s.snap(r.Context(), parseCursor(r))
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
	var lastJobs []byte
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		out, next, err := s.snap(r.Context(), cursor)
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
