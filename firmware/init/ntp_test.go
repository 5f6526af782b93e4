package hearthinit

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/ntptest"
)

// serveTime starts a time server on loopback whose clock is offset ahead.
func serveTime(t *testing.T, offset time.Duration) *ntptest.Server {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := ntptest.Serve(conn, offset)
	t.Cleanup(func() { s.Close() })
	return s
}

// The clock is stepped by what a real SNTP exchange (beevik/ntp against a
// server on loopback) says; a server that does not answer, or says its
// own clock is unsynchronized, is passed over for the next.
func TestTimeSyncOnce(t *testing.T) {
	good := serveTime(t, time.Hour)
	unsync := serveTime(t, 3*time.Hour)
	unsync.SetUnsynchronized(true)
	silent, err := net.ListenPacket("udp4", "127.0.0.1:0") // never answers
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()

	var stepped []time.Duration
	var saved int
	s := TimeSync{Servers: []string{silent.LocalAddr().String(), unsync.Addr().String(), good.Addr().String()},
		Step: func(d time.Duration) error { stepped = append(stepped, d); return nil },
		Save: func(time.Time) error { saved++; return nil }}
	s.Query = queryWithTimeout(500 * time.Millisecond)
	server, offset, err := s.Once()
	if err != nil || server != good.Addr().String() {
		t.Fatalf("Once = %s, %v, %v; want the good server", server, offset, err)
	}
	if len(stepped) != 1 || (stepped[0]-time.Hour).Abs() > time.Second || saved != 1 {
		t.Errorf("stepped by %v and saved %d times, want about 1h once", stepped, saved)
	}

	// None good: an error naming each, and the clock left alone.
	s.Servers = s.Servers[:2]
	stepped = nil
	if _, _, err := s.Once(); err == nil || !strings.Contains(err.Error(), silent.LocalAddr().String()) ||
		!strings.Contains(err.Error(), unsync.Addr().String()) || len(stepped) != 0 {
		t.Errorf("with no good server: %v, stepped %v", err, stepped)
	}

	// A clock already right is not stepped.
	right := serveTime(t, 0)
	s.Servers = []string{right.Addr().String()}
	if _, offset, err := s.Once(); err != nil || len(stepped) != 0 {
		t.Errorf("a right clock (offset %v): %v, stepped %v", offset, err, stepped)
	}
}

// Run keeps asking until a server answers (the network comes up late).
func TestTimeSyncRunRetries(t *testing.T) {
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := conn.LocalAddr().String()
	conn.Close() // nothing there yet
	var mu sync.Mutex
	var stepped []time.Duration
	s := TimeSync{Servers: []string{addr}, Retry: 100 * time.Millisecond, Every: time.Hour,
		Query: queryWithTimeout(200 * time.Millisecond),
		Step: func(d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			stepped = append(stepped, d)
			return nil
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx, slog.New(slog.DiscardHandler)); close(done) }()
	time.Sleep(400 * time.Millisecond)
	conn, err = net.ListenPacket("udp4", addr) // the server comes up
	if err != nil {
		t.Fatal(err)
	}
	srv := ntptest.Serve(conn, 2*time.Hour)
	defer srv.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(stepped)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the clock was not set within 10 s of the server coming up")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if (stepped[0] - 2*time.Hour).Abs() > time.Second {
		t.Errorf("stepped by %v, want about 2h", stepped[0])
	}
}
