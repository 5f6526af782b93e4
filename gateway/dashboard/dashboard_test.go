package dashboard_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/dashboard"
)

// fixture is a real gateway (bbolt in a temp dir, not running: its API
// answers from its state) behind a dashboard on an httptest server.
type fixture struct {
	gw   *gateway.Gateway
	dash *dashboard.Server
	srv  *httptest.Server
	now  time.Time
}

func newFixture(t *testing.T, cfg dashboard.Config) *fixture {
	t.Helper()
	g, err := gateway.New(gateway.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	f := &fixture{gw: g, now: time.Now()}
	cfg.API = g.OwnerAPI()
	cfg.Gateway = g.ID().String()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return f.now }
	}
	f.dash = dashboard.New(cfg)
	f.srv = httptest.NewServer(f.dash)
	t.Cleanup(f.srv.Close)
	return f
}

// client is a browser: a cookie jar, no redirects followed past login.
func (f *fixture) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

func (f *fixture) login(t *testing.T, c *http.Client, role string) {
	t.Helper()
	resp, err := c.Get(f.srv.URL + dashboard.LoginPath(f.dash.Ticket(role)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("login: %s at %s, want the page at /", resp.Status, resp.Request.URL)
	}
}

func status(t *testing.T, c *http.Client, req *http.Request) (int, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	req, _ := http.NewRequest("GET", u, nil)
	return status(t, c, req)
}

// TestLogin: a ticket is good once and for a minute; it becomes an
// HttpOnly, SameSite=Strict cookie that is not the ticket, and the page
// then reads the pool.
func TestLogin(t *testing.T) {
	f := newFixture(t, dashboard.Config{})
	c := f.client(t)
	if code, _ := get(t, c, f.srv.URL+"/ui/session"); code != http.StatusUnauthorized {
		t.Fatalf("no session: %d, want 401", code)
	}
	if code, _ := get(t, c, f.srv.URL+"/v1/pool/members"); code != http.StatusUnauthorized {
		t.Fatalf("API without a session: %d, want 401", code)
	}
	if code, body := get(t, c, f.srv.URL+"/login?t=deadbeef"); code != http.StatusForbidden || !strings.Contains(body, "hearth dashboard") {
		t.Fatalf("wrong ticket: %d %q, want 403 saying how to get one", code, body)
	}

	tk := f.dash.Ticket(dashboard.RoleAdmin)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(f.srv.URL + dashboard.LoginPath(tk))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" || len(cookies) != 1 {
		t.Fatalf("login: %s to %q with %d cookies, want 303 to / with one", resp.Status, resp.Header.Get("Location"), len(cookies))
	}
	ck := cookies[0]
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Value == tk || len(ck.Value) < 32 || ck.Path != "/" {
		t.Fatalf("cookie %+v: want HttpOnly, SameSite=Strict, path /, not the ticket", ck)
	}
	if code, _ := get(t, noFollow, f.srv.URL+dashboard.LoginPath(tk)); code != http.StatusForbidden {
		t.Fatalf("ticket used twice: %d, want 403", code)
	}

	req, _ := http.NewRequest("GET", f.srv.URL+"/ui/session", nil)
	req.AddCookie(ck)
	code, body := status(t, noFollow, req)
	var sess map[string]string
	if json.Unmarshal([]byte(body), &sess); code != http.StatusOK || sess["role"] != "admin" || sess["gateway"] != f.gw.ID().String() {
		t.Fatalf("session: %d %s", code, body)
	}
	req, _ = http.NewRequest("GET", f.srv.URL+"/v1/pool/members", nil)
	req.AddCookie(ck)
	if code, body := status(t, noFollow, req); code != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Fatalf("members: %d %q, want the empty pool", code, body)
	}

	late := f.dash.Ticket(dashboard.RoleAdmin)
	f.now = f.now.Add(dashboard.TicketTTL + time.Second)
	if code, _ := get(t, f.client(t), f.srv.URL+dashboard.LoginPath(late)); code != http.StatusForbidden {
		t.Fatalf("expired ticket: %d, want 403", code)
	}
	f.now = f.now.Add(dashboard.SessionIdle + time.Second)
	req, _ = http.NewRequest("GET", f.srv.URL+"/ui/session", nil)
	req.AddCookie(ck)
	if code, _ := status(t, noFollow, req); code != http.StatusUnauthorized {
		t.Fatalf("idle session: %d, want 401", code)
	}
}

// TestCrossOriginAndHost: a change from another site's page, or a request
// naming a foreign Host (DNS rebinding), gets 403; the same change from
// the page itself reaches the gateway.
func TestCrossOriginAndHost(t *testing.T) {
	f := newFixture(t, dashboard.Config{Hosts: []string{"hearth.local"}})
	c := f.client(t)
	f.login(t, c, dashboard.RoleAdmin)
	body := `{"policy": {"watts": 12}}`
	post := func(mod func(*http.Request)) (int, string) {
		req, _ := http.NewRequest("POST", f.srv.URL+"/v1/pool/budget", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		mod(req)
		return status(t, c, req)
	}
	if code, msg := post(func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }); code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d %s, want 403", code, msg)
	}
	if code, msg := post(func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") }); code != http.StatusForbidden {
		t.Errorf("POST with a foreign Origin: %d %s, want 403", code, msg)
	}
	if code, msg := post(func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "same-origin") }); code != http.StatusOK || !strings.Contains(msg, "12") {
		t.Errorf("same-origin POST: %d %s, want the gateway's budgets", code, msg)
	}
	for _, host := range []string{"evil.example", "evil.example:80", "127.0.0.1.evil.example"} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/ui/session", nil)
		req.Host = host
		if code, _ := status(t, c, req); code != http.StatusForbidden {
			t.Errorf("Host %s: %d, want 403", host, code)
		}
	}
	for _, host := range []string{"localhost", "hearth.local:7380", "[::1]:7380", "192.168.1.10:7380", "[fd00::5]"} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/", nil)
		req.Host = host
		if code, _ := status(t, c, req); code != http.StatusOK {
			t.Errorf("Host %s: %d, want 200", host, code)
		}
	}
	// Calls outside the page's list are not served at all.
	for _, m := range [][2]string{{"POST", "/v1/jobs"}, {"GET", "/v1/blobs/sha256:00"}, {"POST", "/v1/firmware/import"}, {"DELETE", "/v1/streams/x"}} {
		req, _ := http.NewRequest(m[0], f.srv.URL+m[1], strings.NewReader("{}"))
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if code, _ := status(t, c, req); code != http.StatusNotFound && code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s from the page: %d, want 404 or 405", m[0], m[1], code)
		}
	}
}

// TestViewer: the viewer token opens a read-only session; a wrong one
// opens nothing.
func TestViewer(t *testing.T) {
	tok := dashboard.NewToken()
	f := newFixture(t, dashboard.Config{ViewerToken: tok})
	c := f.client(t)
	if code, _ := get(t, c, f.srv.URL+"/login?viewer="+url.QueryEscape(tok+"x")); code != http.StatusForbidden {
		t.Fatalf("wrong viewer token: %d, want 403", code)
	}
	if code, _ := get(t, c, f.srv.URL+"/login?viewer="+tok); code != http.StatusOK {
		t.Fatalf("viewer login: %d", code)
	}
	if code, body := get(t, c, f.srv.URL+"/ui/session"); code != http.StatusOK || !strings.Contains(body, `"viewer"`) {
		t.Fatalf("viewer session: %d %s", code, body)
	}
	if code, _ := get(t, c, f.srv.URL+"/v1/pool/budget"); code != http.StatusOK {
		t.Fatalf("viewer reads the budget: %d", code)
	}
	req, _ := http.NewRequest("POST", f.srv.URL+"/v1/pool/budget", strings.NewReader(`{"policy": {"watts": 3}}`))
	req.Header.Set("Content-Type", "application/json")
	if code, _ := status(t, c, req); code != http.StatusForbidden {
		t.Fatalf("viewer sets a budget: %d, want 403", code)
	}
	// Reusable: a wall display logs in again after a restart.
	if code, _ := get(t, f.client(t), f.srv.URL+"/login?viewer="+tok); code != http.StatusOK {
		t.Fatalf("viewer login again: %d", code)
	}
}

// TestPageHoldsNoSecret: the page and its assets are served with a strict
// CSP, and neither they nor any answer carries the admin token.
func TestPageHoldsNoSecret(t *testing.T) {
	f := newFixture(t, dashboard.Config{})
	c := f.client(t)
	f.login(t, c, dashboard.RoleAdmin)
	path, err := f.gw.WriteCredentials()
	if err != nil {
		t.Fatal(err)
	}
	creds, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cr struct{ Token string }
	if json.Unmarshal(creds, &cr); len(cr.Token) < 16 {
		t.Fatalf("no admin token in %s", creds)
	}
	for _, p := range []string{"/", "/assets/app.js", "/assets/app.css", "/ui/session", "/ui/state", "/v1/status"} {
		resp, err := c.Get(f.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", p, resp.Status)
		}
		if strings.Contains(string(b), cr.Token) {
			t.Errorf("%s carries the admin token", p)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, csp)
		}
	}
}

// TestEvents: the live stream sends a state event a second whose id is
// the cursor; a reconnect with Last-Event-ID resumes from it.
func TestEvents(t *testing.T) {
	f := newFixture(t, dashboard.Config{Now: time.Now})
	c := f.client(t)
	f.login(t, c, dashboard.RoleAdmin)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.srv.URL+"/ui/events", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("events: %s %q", resp.Status, ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	var events []map[string]string
	ev := map[string]string{}
	for len(events) < 2 && sc.Scan() {
		line := sc.Text()
		if line == "" {
			events = append(events, ev)
			ev = map[string]string{}
			continue
		}
		k, v, _ := strings.Cut(line, ": ")
		ev[k] = v
	}
	if len(events) < 2 {
		t.Fatalf("events: %v (%v)", events, sc.Err())
	}
	for i, e := range events {
		var data struct {
			Members []any           `json:"members"`
			Power   json.RawMessage `json:"power"`
			Jobs    json.RawMessage `json:"jobs"`
			Cursor  string          `json:"cursor"`
		}
		if err := json.Unmarshal([]byte(e["data"]), &data); err != nil || e["event"] != "state" || e["id"] != data.Cursor || len(data.Power) == 0 {
			t.Fatalf("event %d: %v (%v)", i, e, err)
		}
		// Members and jobs come with the first event and then only when
		// they change.
		if (i == 0) != (len(data.Jobs) > 0) || (i == 0) != (data.Members != nil) {
			t.Errorf("event %d: members %v, jobs %s", i, data.Members, data.Jobs)
		}
	}
	// The polling fallback answers the same, once.
	if code, body := get(t, c, f.srv.URL+"/ui/state?since="+url.QueryEscape(time.Now().Format(time.RFC3339Nano))); code != http.StatusOK || !strings.Contains(body, `"members":[]`) {
		t.Fatalf("state: %d %s", code, body)
	}
}

// TestRedactedAndSessions: the page gets jobs without their environment,
// arguments or output; a crowd of viewer logins does not end an admin's
// session; sessions of two dashboards on one host (ports) are apart.
func TestRedactedAndSessions(t *testing.T) {
	tok := dashboard.NewToken()
	f := newFixture(t, dashboard.Config{ViewerToken: tok, Now: time.Now})
	admin := f.client(t)
	f.login(t, admin, dashboard.RoleAdmin)
	app, err := f.gw.Blobs().PutBytes([]byte("\x00asm\x01\x00\x00\x00"))
	if err != nil {
		t.Fatal(err)
	}
	spec := api.JobSpec{Name: "secret", Runtime: "wasm", AppDigest: string(app), Tasks: 1,
		Args: []string{"--token", "hunter2"}, Env: map[string]string{"API_KEY": "s3cret"}}
	j, err := f.gw.SubmitJob(spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v1/jobs", "/v1/jobs?limit=5", "/v1/jobs/" + j.ID, "/ui/state"} {
		code, body := get(t, admin, f.srv.URL+p)
		if code != http.StatusOK || !strings.Contains(body, j.ID) || strings.Contains(body, "hunter2") || strings.Contains(body, "s3cret") {
			t.Errorf("%s: %d %s, want the job without its secrets", p, code, body)
		}
	}
	for range 60 {
		if code, _ := get(t, f.client(t), f.srv.URL+"/login?viewer="+tok); code != http.StatusOK {
			t.Fatalf("viewer login: %d", code)
		}
	}
	if code, _ := get(t, admin, f.srv.URL+"/ui/session"); code != http.StatusOK {
		t.Errorf("the admin's session after 60 viewer logins: %d, want 200", code)
	}
	// Another dashboard on the same host, another port: its own cookie.
	other := httptest.NewServer(dashboard.New(dashboard.Config{API: f.gw.OwnerAPI()}))
	defer other.Close()
	resp, err := admin.Get(other.URL + "/ui/session")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the first dashboard's cookie opened the second: %s", resp.Status)
	}
	u, _ := url.Parse(f.srv.URL)
	for _, c := range admin.Jar.Cookies(u) {
		if !strings.HasSuffix(c.Name, "-"+u.Port()) || c.MaxAge != 0 {
			t.Errorf("cookie %s: want the port in its name and no Max-Age (a browser session)", c.Name)
		}
	}
}

// TestAssets: the files are served gzip-encoded with an ETag that a
// revalidation answers with 304; the chart library is embedded when the
// build fetched it (make ui), which CI's does. It prints the first load's
// compressed size (goal: at most 100 KB).
func TestAssets(t *testing.T) {
	if !dashboard.ChartsBuilt() {
		if os.Getenv("CI") != "" {
			t.Fatal("the chart library is not embedded: run `make ui` before the tests (make test does)")
		}
		t.Log("the chart library is not embedded (make ui fetches it); its checks are skipped")
	}
	f := newFixture(t, dashboard.Config{})
	for _, tc := range []struct{ enc, want string }{{"gzip, deflate, br", "gzip"}, {"gzip;q=0", ""}, {"", ""}, {"gzip;q=0.5", "gzip"}} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/assets/app.js", nil)
		req.Header.Set("Accept-Encoding", tc.enc)
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != tc.want || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
			t.Errorf("Accept-Encoding %q: %s, encoding %q, type %q", tc.enc, resp.Status, resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
		}
		etag := resp.Header.Get("ETag")
		req.Header.Set("If-None-Match", etag)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation with %s: %v %v, want 304", etag, resp.Status, err)
		}
	}
	if code, _ := get(t, f.client(t), f.srv.URL+"/assets/nothing.js"); code != http.StatusNotFound {
		t.Errorf("missing asset: %d", code)
	}
	if dashboard.ChartsBuilt() {
		n := dashboard.FirstLoad()
		fmt.Printf("BENCH dashboard.first_load_kb_gz %.1f KB\n", float64(n)/1000)
		if n > 100_000 {
			t.Errorf("first load %d bytes compressed, goal 100 KB", n)
		}
	}
}
