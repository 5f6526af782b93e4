package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestProfilerOnlyOnLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "localhost", "192.168.1.2:6060"} {
		if _, err := startProfiler(addr); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("--pprof %s: %v, want a refusal that asks for loopback", addr, err)
		}
	}
	if run, err := startProfiler(""); run != nil || err != nil {
		t.Fatalf("no --pprof: %v %v, want nothing", run != nil, err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	run, err := startProfiler(addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "goroutine profile") {
		t.Fatalf("profile: %d %.100s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the profiler did not stop")
	}
}
