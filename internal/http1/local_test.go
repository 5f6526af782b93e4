package http1

import (
	"net/http"
	"strings"
	"testing"
)

func TestBrowsersRefused(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: powerAPI()})
	// A page's cross-origin POST, which browsers send without asking.
	req, _ := http.NewRequest("POST", "http://"+addr+"/v1/power/signal", strings.NewReader(`{"watts":0}`))
	req.Header.Set("Origin", "https://ads.example")
	req.Header.Set("Content-Type", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if r := readReply(t, resp); r.status != 403 || !strings.Contains(r.errorText(t), "web pages") {
		t.Errorf("with Origin: got %d %q, want 403", r.status, r.body)
	}
	// DNS rebinding: a page's own host name, pointed at 127.0.0.1.
	r := roundTrip(t, addr, "GET /v1/power HTTP/1.1\r\nHost: rebind.example:7381\r\n\r\n")
	if r.status != 403 || !strings.Contains(r.errorText(t), "Host") {
		t.Errorf("Host rebind.example: got %d %q, want 403", r.status, r.body)
	}
}

func TestLocalHost(t *testing.T) {
	for h, want := range map[string]bool{
		"127.0.0.1":              true,
		"127.0.0.1:7381":         true,
		"localhost":              true,
		"LocalHost:7381":         true,
		"[::1]:7381":             true,
		"[::1]":                  true,
		"192.168.1.20:7381":      true,
		"localhost.example":      false,
		"example.com:7381":       false,
		"127.0.0.1.nip.io:7381":  false,
		"thermostat.local:7381":  false,
		"localhost:7381, a.test": false,
	} {
		if got := localHost(h); got != want {
			t.Errorf("localHost(%q) = %v, want %v", h, got, want)
		}
	}
}
