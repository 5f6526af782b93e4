// Package dashboard serves the household's web dashboard: the pool, its
// power over time, energy, jobs, the market and streams, updated live.
//
// One Server serves it in two places. The gateway serves it on its own
// listener (loopback by default, TLS with a P-256 certificate on the LAN),
// and `hearth dashboard` serves it on the owner's computer, where its API
// calls go to the gateway over the CLI's pinned channel. Either way the
// Server is given the gateway's /v1 API already authenticated as the owner
// (Config.API) and guards it for the browser itself: the admin token never
// reaches the browser. A one-time login link (Ticket) becomes an HttpOnly,
// SameSite=Strict session cookie; changes pass net/http's
// CrossOriginProtection; a Host allow-list stops DNS rebinding; a viewer
// session (ViewerToken) reads and changes nothing. docs/dashboard.md.
package dashboard

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:embed assets
var assets embed.FS

// Roles of a session.
const (
	RoleAdmin  = "admin"
	RoleViewer = "viewer"
)

// Lifetimes: a login link is good for one use within TicketTTL; a session
// ends after SessionIdle without a request.
const (
	TicketTTL   = time.Minute
	SessionIdle = 12 * time.Hour
	// maxStreams bounds the live event streams open at once (each costs a
	// snapshot of the pool a second).
	maxStreams = 8
)

// maxSessions bounds the sessions kept per role: a crowd of viewer logins
// never pushes an admin's session out.
var maxSessions = map[string]int{RoleAdmin: 16, RoleViewer: 48}

// Config is what a Server serves and whom it lets in.
type Config struct {
	// API is the gateway's /v1 API, called as the owner: the gateway's own
	// routes with the admin token added, or the CLI's pinned channel.
	API http.Handler
	// Hosts are the host names (without port) a request's Host may carry
	// besides localhost and loopback addresses, e.g. the gateway's host
	// name, its .local name and its LAN address.
	Hosts []string
	// Secure: the listener is TLS, so cookies are Secure and __Host-.
	Secure bool
	// ViewerToken, when set, is a reusable read-only login: /login?viewer=
	// TOKEN opens a viewer session (for a wall display). Empty: none.
	ViewerToken string
	// Gateway and Version are shown by the page.
	Gateway, Version string
	Logger           *slog.Logger
	// Now is the clock (tests); time.Now when nil.
	Now func() time.Time
}

// Server is the dashboard's HTTP handler with its sessions.
type Server struct {
	cfg     Config
	handler http.Handler
	streams chan struct{}
	assets  map[string]*asset

	mu       sync.Mutex
	tickets  map[string]ticket   // by sha256 of the ticket
	sessions map[string]*session // by sha256 of the cookie
}

type ticket struct {
	role    string
	expires time.Time
}

type session struct {
	role string
	seen time.Time
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, tickets: map[string]ticket{}, sessions: map[string]*session{}, streams: make(chan struct{}, maxStreams), assets: loadAssets()}
	s.handler = s.routes()
	return s
}

// Ticket makes a one-time login for role, good for TicketTTL: open
// /login?t=TICKET on the dashboard's address.
func (s *Server) Ticket(role string) string { return s.TicketFor(role, TicketTTL) }

// TicketFor is Ticket good for ttl (the dev gateway's banner, read later
// than a command's output).
func (s *Server) TicketFor(role string, ttl time.Duration) string {
	t := randomToken()
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.tickets {
		if now.After(v.expires) {
			delete(s.tickets, k)
		}
	}
	s.tickets[hash(t)] = ticket{role: role, expires: now.Add(ttl)}
	return t
}

// LoginPath is the path that trades ticket for a session.
func LoginPath(ticket string) string { return "/login?t=" + ticket }

// ServeHTTP checks the Host, then serves the page, its assets, the login
// and the guarded API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostOK(r.Host) {
		// DNS rebinding: a page of another site whose name now resolves
		// to this address sends its own name as Host.
		writeError(w, http.StatusForbidden, "forbidden", "host "+r.Host+" is not this dashboard's (start the gateway with --dashboard-host NAME to allow it)")
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	s.handler.ServeHTTP(w, r)
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { s.serveAsset(w, r, "index.html") })
	mux.HandleFunc("GET /assets/{name...}", func(w http.ResponseWriter, r *http.Request) { s.serveAsset(w, r, r.PathValue("name")) })
	mux.HandleFunc("GET /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /ui/session", s.authed(RoleViewer, func(w http.ResponseWriter, r *http.Request, role string) {
		writeJSON(w, map[string]string{"role": role, "gateway": s.cfg.Gateway, "version": s.cfg.Version})
	}))
	mux.HandleFunc("GET /ui/events", s.authed(RoleViewer, func(w http.ResponseWriter, r *http.Request, _ string) { s.events(w, r) }))
	mux.HandleFunc("GET /ui/state", s.authed(RoleViewer, func(w http.ResponseWriter, r *http.Request, _ string) { s.state(w, r) }))
	for _, p := range readRoutes {
		mux.HandleFunc("GET "+p, s.authed(RoleViewer, s.api))
	}
	for _, p := range writeRoutes {
		mux.HandleFunc("POST "+p, s.authed(RoleAdmin, s.api))
	}
	// Every change passes the cross-origin check (Sec-Fetch-Site, Origin)
	// besides the SameSite=Strict cookie; safe methods pass through.
	return http.NewCrossOriginProtection().Handler(mux)
}

// readRoutes are the gateway API calls a session may read; writeRoutes
// those an admin session may make. Nothing else of the API is reachable
// from the browser (results, blobs, job submission, firmware, streams'
// changes stay with the CLI).
var (
	readRoutes = []string{"/v1/status", "/v1/pool/members", "/v1/pool/budget", "/v1/pool/power",
		"/v1/pool/energy", "/v1/jobs", "/v1/jobs/{id}", "/v1/streams", "/v1/streams/{name}",
		"/v1/market/info", "/v1/market/orders", "/v1/market/orders/{id}"}
	writeRoutes = []string{"/v1/pool/members/{id}/approve", "/v1/pool/budget", "/v1/pool/signal", "/v1/jobs/{id}/cancel"}
)

// api passes a guarded call on to the gateway's API. Jobs and streams
// come back without what the page has no use for and a wall display must
// not show: their environment and arguments (secrets go there) and tasks'
// output (redacted).
func (s *Server) api(w http.ResponseWriter, r *http.Request, _ string) {
	r2 := r.Clone(r.Context())
	r2.Header = http.Header{}
	for _, k := range []string{"Content-Type", "Content-Length", "Accept"} {
		if v := r.Header.Get(k); v != "" {
			r2.Header.Set(k, v)
		}
	}
	r2.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if r.Method != http.MethodGet || !redacted(r.URL.Path) {
		s.cfg.API.ServeHTTP(w, r2)
		return
	}
	rec := &recorder{header: http.Header{}, code: http.StatusOK}
	s.cfg.API.ServeHTTP(rec, r2)
	body := rec.body.Bytes()
	if rec.code == http.StatusOK {
		body = redact(body)
	}
	w.Header().Set("Content-Type", rec.header.Get("Content-Type"))
	w.WriteHeader(rec.code)
	w.Write(body)
}

// redacted: the answers that carry jobs' and streams' specs and tasks'
// results.
func redacted(path string) bool {
	return strings.HasPrefix(path, "/v1/jobs") || strings.HasPrefix(path, "/v1/streams")
}

// redactKeys are the fields redact drops, wherever they are.
var redactKeys = []string{"env", "args", "stdout", "stderr"}

// redact drops redactKeys from a JSON answer, at any depth.
func redact(raw []byte) []byte {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return []byte(`{"code":"internal","error":"the gateway's answer is not JSON"}`)
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, k := range redactKeys {
				delete(v, k)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	out, _ := json.Marshal(v)
	return out
}

// cookieName is __Host- prefixed on TLS: the browser then sends it only to
// this host and origin, over TLS, for the whole site. It names the port:
// browsers share cookies among a host's ports, and `hearth dashboard` and
// the gateway's own listener may both serve on 127.0.0.1.
func (s *Server) cookieName(r *http.Request) string {
	name := "hearth-session"
	if _, port, err := net.SplitHostPort(r.Host); err == nil && port != "" {
		name += "-" + port
	}
	if s.cfg.Secure {
		return "__Host-" + name
	}
	return name
}

// login trades a one-time ticket (or the viewer token) for a session
// cookie and sends the browser to the page, so that the ticket leaves the
// address bar. A used, unknown or expired ticket gets 403 and a page that
// says how to get a new one.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Now()
	role := ""
	if t := r.URL.Query().Get("t"); t != "" {
		s.mu.Lock()
		if tk, ok := s.tickets[hash(t)]; ok {
			delete(s.tickets, hash(t)) // one use, even when late
			if !now.After(tk.expires) {
				role = tk.role
			}
		}
		s.mu.Unlock()
	} else if v := r.URL.Query().Get("viewer"); v != "" && s.cfg.ViewerToken != "" {
		a, b := sha256.Sum256([]byte(v)), sha256.Sum256([]byte(s.cfg.ViewerToken))
		if subtle.ConstantTimeCompare(a[:], b[:]) == 1 {
			role = RoleViewer
		}
	}
	if role == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("This login link was used already, has expired (links last a minute) or is wrong.\nRun `hearth dashboard` for a new one.\n"))
		return
	}
	id := randomToken()
	s.mu.Lock()
	s.pruneLocked(now)
	for s.countLocked(role) >= maxSessions[role] { // the oldest of the role goes
		var oldest string
		for k, v := range s.sessions {
			if v.role == role && (oldest == "" || v.seen.Before(s.sessions[oldest].seen)) {
				oldest = k
			}
		}
		delete(s.sessions, oldest)
	}
	s.sessions[hash(id)] = &session{role: role, seen: now}
	s.mu.Unlock()
	// A browser-session cookie: the server ends it after SessionIdle
	// without a request (a live view counts), or at logout.
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: id, Path: "/", HttpOnly: true,
		Secure: s.cfg.Secure, SameSite: http.SameSiteStrictMode})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.cookieName(r)); err == nil {
		s.mu.Lock()
		delete(s.sessions, hash(c.Value))
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) countLocked(role string) int {
	n := 0
	for _, v := range s.sessions {
		if v.role == role {
			n++
		}
	}
	return n
}

func (s *Server) pruneLocked(now time.Time) {
	for k, v := range s.sessions {
		if now.Sub(v.seen) > SessionIdle {
			delete(s.sessions, k)
		}
	}
}

// authed admits a request whose session has at least role (an admin may
// do what a viewer may); others get 401 (no session) or 403 (a viewer).
func (s *Server) authed(role string, h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch have := s.sessionRole(r); {
		case have == "":
			writeError(w, http.StatusUnauthorized, "unauthorized", "not logged in: run `hearth dashboard` for a login link")
		case role == RoleAdmin && have != RoleAdmin:
			writeError(w, http.StatusForbidden, "forbidden", "a viewer session changes nothing")
		default:
			h(w, r, have)
		}
	}
}

// sessionRole is the role of r's session, which it marks as used; empty
// when there is none (no cookie, logged out, idle too long, evicted).
func (s *Server) sessionRole(r *http.Request) string {
	c, err := r.Cookie(s.cookieName(r))
	if err != nil {
		return ""
	}
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.sessions[hash(c.Value)]
	if se == nil || now.Sub(se.seen) > SessionIdle {
		return ""
	}
	se.seen = now
	return se.role
}

// hostOK: an IP address (DNS rebinding needs a name of the attacker's;
// an address typed by the owner cannot be one, and the machine's
// addresses change with DHCP), localhost and the configured names, with
// or without a port.
func (s *Server) hostOK(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || net.ParseIP(host) != nil {
		return true
	}
	return slices.ContainsFunc(s.cfg.Hosts, func(h string) bool {
		return strings.TrimSuffix(strings.ToLower(strings.Trim(h, "[]")), ".") == host
	})
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return string(h[:])
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

// writeError answers as the gateway's API does (api.Error): {"code",
// "error"}.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"code": code, "error": msg})
}

// NewToken is a random token of 48 hex digits (a viewer token).
func NewToken() string { return randomToken() }
