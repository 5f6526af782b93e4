package rpctamper

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"
)

type testService struct{}

func (testService) Echo(s string) string { return s }
func (testService) Add(a, b int) int     { return a + b }

// start runs a go-ethereum JSON-RPC server (methods test_echo, test_add)
// behind a proxy, and a client of the proxy.
func start(t *testing.T) (*Proxy, *rpc.Client) {
	t.Helper()
	srv := rpc.NewServer()
	if err := srv.RegisterName("test", testService{}); err != nil {
		t.Fatal(err)
	}
	upstream := httptest.NewServer(srv)
	t.Cleanup(upstream.Close)
	t.Cleanup(srv.Stop)
	p := New(upstream.URL)
	t.Cleanup(p.Close)
	c, err := rpc.DialContext(context.Background(), p.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return p, c
}

func TestRewriteOneMethod(t *testing.T) {
	p, c := start(t)
	var seen json.RawMessage
	p.Set("test_echo", func(params, result json.RawMessage) json.RawMessage {
		seen = params
		return json.RawMessage(`"lie"`)
	})
	var s string
	if err := c.Call(&s, "test_echo", "truth"); err != nil || s != "lie" {
		t.Fatalf("test_echo = %q, %v; want the lie", s, err)
	}
	if string(seen) != `["truth"]` {
		t.Errorf("rewrite saw params %s", seen)
	}
	var n int
	if err := c.Call(&n, "test_add", 2, 3); err != nil || n != 5 {
		t.Errorf("test_add = %d, %v; want 5, untouched", n, err)
	}
	p.Set("test_add", func(params, result json.RawMessage) json.RawMessage { return nil })
	if err := c.Call(&n, "test_add", 2, 3); err != nil || n != 5 {
		t.Errorf("test_add with a nil rewrite = %d, %v; want 5", n, err)
	}
	p.Clear()
	if err := c.Call(&s, "test_echo", "truth"); err != nil || s != "truth" {
		t.Errorf("after Clear: %q, %v", s, err)
	}
	if p.Bytes() == 0 {
		t.Error("Bytes() = 0 after serving answers")
	}
}

func TestBatch(t *testing.T) {
	p, c := start(t)
	p.Set("test_add", func(params, result json.RawMessage) json.RawMessage { return json.RawMessage(`42`) })
	p.Fail("test_echo", -32601, "the method test_echo does not exist/is not available")
	var sum1, sum2 int
	var s string
	batch := []rpc.BatchElem{
		{Method: "test_add", Args: []any{1, 1}, Result: &sum1},
		{Method: "test_echo", Args: []any{"x"}, Result: &s},
		{Method: "test_add", Args: []any{2, 2}, Result: &sum2},
	}
	if err := c.BatchCall(batch); err != nil {
		t.Fatal(err)
	}
	if sum1 != 42 || sum2 != 42 || batch[0].Error != nil || batch[2].Error != nil {
		t.Errorf("rewritten adds = %d, %d (%v, %v); want 42", sum1, sum2, batch[0].Error, batch[2].Error)
	}
	var e rpc.Error
	if !errors.As(batch[1].Error, &e) || e.ErrorCode() != -32601 {
		t.Errorf("failed echo: %v, want code -32601", batch[1].Error)
	}
	// A batch of nothing but failures never reaches the node.
	batch = []rpc.BatchElem{{Method: "test_echo", Args: []any{"y"}, Result: &s}}
	if err := c.BatchCall(batch); err != nil || batch[0].Error == nil {
		t.Errorf("all-failing batch: %v, %v", err, batch[0].Error)
	}
	if err := c.Call(&s, "test_echo", "z"); !errors.As(err, &e) || e.ErrorCode() != -32601 {
		t.Errorf("single failed call: %v", err)
	}
}

func TestSwallow(t *testing.T) {
	p, c := start(t)
	p.Swallow("test_echo")
	var s *string
	if err := c.Call(&s, "test_echo", "dropped"); err != nil || s != nil {
		t.Fatalf("swallowed test_echo = %v, %v; want a null success", s, err)
	}
	var n int
	if err := c.Call(&n, "test_add", 1, 2); err != nil || n != 3 {
		t.Errorf("test_add beside a swallow = %d, %v", n, err)
	}
	p.Clear()
	if err := c.Call(&s, "test_echo", "kept"); err != nil || s == nil || *s != "kept" {
		t.Errorf("after Clear: %v, %v", s, err)
	}
}
