package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// A prefix that names several nodes is the caller's mistake to fix by
// typing more of the ID, not a node that does not exist.
func TestApproveAmbiguousPrefix(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	// Two nodes whose IDs share all but the last byte; no key can be
	// ground to that in a test, so they say hello without TLS.
	var a, b identity.NodeID
	a[0], a[1], b[0], b[1], b[31] = 7, 7, 7, 7, 1
	for _, id := range []identity.NodeID{a, b} {
		if _, err := tg.hello(id, "test", api.HelloRequest{Node: api.NodeInfo{Name: "twin"}}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := tg.admin.Approve(ctx, a.Short())
	if !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), "matches 2") {
		t.Fatalf("approve %s (two nodes): %v, want bad_request", a.Short(), err)
	}
	if m, err := tg.admin.Approve(ctx, b.String()); err != nil || m.State != api.MemberReady || m.ID != b.String() {
		t.Fatalf("approve by full ID: %+v, %v", m, err)
	}
}

// rawAdmin sends a request as the owner, bypassing api.Client's encoding.
func rawAdmin(t *testing.T, tg *testGateway, method, path string, body io.Reader) (int, string) {
	t.Helper()
	creds := tg.Credentials()
	anon, _ := identity.Generate()
	cfg, err := anon.ClientTLS(false, identity.Pin(tg.ID()))
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	defer c.CloseIdleConnections()
	req, _ := http.NewRequest(method, "https://"+tg.Addr().String()+path, body)
	req.Header.Set("Authorization", "Bearer "+creds.Token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// Malformed calls get a 4xx with an api.Error body, and digests never
// reach the file system unchecked.
func TestBadRequestsAreBadRequests(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{MaxBlobBytes: 1 << 10})
	zero := "sha256:" + strings.Repeat("0", 64)
	cases := []struct {
		method, path string
		body         io.Reader
		status       int
	}{
		{"POST", "/v1/jobs", strings.NewReader("{not json"), 400},
		{"POST", "/v1/jobs", strings.NewReader(""), 400},
		{"POST", "/v1/jobs", strings.NewReader(`{"name":"x","runtime":"wasm","resources":{"memory":"lots"}}`), 400},
		{"POST", "/v1/jobs", io.LimitReader(neverEnding('x'), maxJSONBody+10), 400},
		{"GET", "/v1/blobs/sha256:..%2F..%2Fgateway.db", nil, 400},
		{"GET", "/v1/blobs/" + strings.ToUpper(zero), nil, 400},
		{"GET", "/v1/blobs/" + zero, nil, 404},
		{"PUT", "/v1/blobs/sha256:nothex", strings.NewReader("x"), 400},
		{"PUT", "/v1/blobs/" + string(store.DigestOf(bytes.Repeat([]byte("y"), 2<<10))), bytes.NewReader(bytes.Repeat([]byte("y"), 2<<10)), 400},
		{"GET", "/v1/jobs/nope-1", nil, 404},
		{"POST", "/v1/pool/members/ABC/approve", nil, 404},
	}
	for _, c := range cases {
		status, body := rawAdmin(t, tg, c.method, c.path, c.body)
		if status != c.status {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, status, body, c.status)
		}
		if !strings.Contains(body, `"code"`) {
			t.Errorf("%s %s: body %s is not an api.Error", c.method, c.path, body)
		}
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}
