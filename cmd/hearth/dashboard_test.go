package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/dashboard"
)

// TestDashboardServesThroughTheCLI: `hearth dashboard --no-open` prints a
// one-time login on loopback; the browser that opens it reads the real
// gateway's pool through the CLI's channel, and the address works once.
func TestDashboardServesThroughTheCLI(t *testing.T) {
	g, env := startGateway(t)
	var out, errOut logBuffer
	c := &cli{stdout: &out, stderr: &errOut, getenv: envMap(env), now: time.Now}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- c.main(ctx, []string{"dashboard", "--no-open"}) }()
	var login string
	for deadline := time.Now().Add(10 * time.Second); login == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(l, "http://127.0.0.1:") && strings.Contains(l, "/login?t=") {
				login = l
			}
		}
	}
	if login == "" {
		cancel()
		t.Fatalf("no login address printed: %q %q", out.String(), errOut.String())
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(login)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	base := strings.TrimSuffix(resp.Request.URL.String(), "/")
	for path, want := range map[string]string{"/ui/session": g.ID().String(), "/v1/status": g.ID().String(), "/v1/pool/members": "[]"} {
		resp, err := browser.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("%s through the CLI: %s %s, want %q", path, resp.Status, b, want)
		}
	}
	if resp, err := http.Get(login); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("the login address a second time: %v %v, want 403", resp.Status, err)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("hearth dashboard ended with %d: %s", code, errOut.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("hearth dashboard did not stop with its context")
	}
}

// TestDashboardLinks: --lan and --viewer print links to the gateway's own
// listener, by the host the CLI reaches the gateway at; a gateway without
// a dashboard says how to turn it on.
func TestDashboardLinks(t *testing.T) {
	g, env := startGateway(t)
	_, errOut, code := runCLI(t, env, "dashboard", "--lan")
	if code == exitOK || !strings.Contains(errOut, "--dashboard") {
		t.Fatalf("no dashboard: exit %d, %q, want a hint naming --dashboard", code, errOut)
	}
	viewer := dashboard.NewToken()
	srv := dashboard.New(dashboard.Config{API: g.OwnerAPI(), ViewerToken: viewer})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	port := hs.Listener.Addr().(*net.TCPAddr).Port
	g.SetDashboardLogin(func(role string) (api.DashboardLink, error) {
		l := api.DashboardLink{Scheme: "http", Listen: hs.Listener.Addr().String(), Port: port, Loopback: true}
		if role == dashboard.RoleViewer {
			l.Path = "/login?viewer=" + viewer
		} else {
			l.Path = dashboard.LoginPath(srv.Ticket(role))
		}
		return l, nil
	})
	for _, tc := range []struct{ flag, role string }{{"--lan", "admin"}, {"--viewer", "viewer"}} {
		out := mustRun(t, env, exitOK, "dashboard", tc.flag)
		link := strings.TrimSpace(out)
		if !strings.HasPrefix(link, "http://127.0.0.1:") {
			t.Fatalf("%s: %q", tc.flag, out)
		}
		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar}
		if resp, err := browser.Get(link); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s link: %v %v", tc.flag, resp, err)
		}
		resp, err := browser.Get(hs.URL + "/ui/session")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `"`+tc.role+`"`) {
			t.Errorf("%s: session %s, want role %s", tc.flag, b, tc.role)
		}
	}
}
