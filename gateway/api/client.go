package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/hearth-home/hearth/internal/http1"
	"github.com/hearth-home/hearth/internal/identity"
)

// Client calls a gateway. It is safe for concurrent use.
type Client struct {
	token string
	http  *http1.Client
}

// NewAgentClient connects as a node: it presents self's certificate and
// accepts the gateway only if pin accepts its proven node ID.
func NewAgentClient(addr string, self identity.Identity, pin func(identity.NodeID) error) (*Client, error) {
	cfg, err := self.ClientTLS(true, pin)
	if err != nil {
		return nil, err
	}
	c := newClient(addr, "", cfg)
	c.http.IdleTimeout = AgentIdleTimeout
	return c, nil
}

// AgentIdleTimeout is how long an agent keeps a connection to the gateway
// that no call has used. Heartbeats (every 2 s by default) keep one in use
// and requests for work (answered within 10 s) another; a connection opened
// for a call that overlapped them is surplus, and costs the gateway tens of
// kilobytes for as long as it stays open. Not much sooner than a minute,
// though: a device at work overlaps its calls every few seconds, and each
// connection opened again is a TLS handshake on both sides.
const AgentIdleTimeout = time.Minute

// NewAdminClient connects as the owner, with the admin token, to the gateway
// named in creds, pinned by its node ID.
func NewAdminClient(creds Credentials) (*Admin, error) {
	gw, err := identity.ParseNodeID(creds.GatewayID)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	// The CLI needs no identity of its own; an ephemeral key satisfies
	// the TLS library and is never shown.
	anon, err := identity.Generate()
	if err != nil {
		return nil, err
	}
	cfg, err := anon.ClientTLS(false, identity.Pin(gw))
	if err != nil {
		return nil, err
	}
	return &Admin{newClient(creds.Gateway, creds.Token, cfg)}, nil
}

// newClient speaks HTTP/1.1 through internal/http1 rather than net/http, which
// would cost the agent binary about a megabyte.
func newClient(addr, token string, tlsCfg *tls.Config) *Client {
	return &Client{token: token, http: &http1.Client{Addr: addr, TLS: tlsCfg}}
}

// Addr is the gateway's host:port.
func (c *Client) Addr() string { return c.http.Addr }

// Close drops idle connections.
func (c *Client) Close() { c.http.CloseIdle() }

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	req := &http1.Request{Method: method, Path: path, Header: http1.Header{}}
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		req.Body, req.ContentLength = bytes.NewReader(raw), int64(len(raw))
		req.GetBody = func() (io.Reader, error) { return bytes.NewReader(raw), nil }
		req.Header.Set("Content-Type", "application/json")
	}
	return c.doReq(ctx, req, out)
}

func (c *Client) doReq(ctx context.Context, req *http1.Request, out any) error {
	path := req.Path
	resp, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return decodeError(resp)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		p, _ := url.PathUnescape(path)
		return fmt.Errorf("decode gateway answer to %s: %w", p, err)
	}
	// The encoder's newline is still unread; the connection is reused only
	// after the body has been read to its end.
	io.CopyN(io.Discard, resp.Body, 4<<10)
	return nil
}

// send makes the call. Failures to reach the gateway are wrapped as
// net/http wrapped them (in a *url.Error naming the call), which callers
// such as the CLI's hints rely on.
func (c *Client) send(ctx context.Context, req *http1.Request) (*http1.Response, error) {
	if req.Header == nil {
		req.Header = http1.Header{}
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		op := req.Method[:1] + strings.ToLower(req.Method[1:])
		err = &url.Error{Op: op, URL: "https://" + c.Addr() + req.Path, Err: err}
		return nil, fmt.Errorf("gateway %s unreachable: %w", c.Addr(), err)
	}
	return resp, nil
}

func decodeError(resp *http1.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := &Error{Status: resp.StatusCode}
	if json.Unmarshal(raw, e) != nil || e.Code == "" {
		e.Code, e.Message = "internal", fmt.Sprintf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(raw))
	}
	return e
}

// Hello opens an agent session.
func (c *Client) Hello(ctx context.Context, req HelloRequest) (HelloResponse, error) {
	var out HelloResponse
	return out, c.do(ctx, "POST", "/v1/agent/hello", req, &out)
}

// Heartbeat reports health and renews leases.
func (c *Client) Heartbeat(ctx context.Context, hb Heartbeat) (HeartbeatResponse, error) {
	var out HeartbeatResponse
	return out, c.do(ctx, "POST", "/v1/agent/heartbeat", hb, &out)
}

// Lease asks for work, waiting up to req.Wait on the gateway's side.
func (c *Client) Lease(ctx context.Context, req LeaseRequest) ([]Lease, error) {
	var out LeaseResponse
	err := c.do(ctx, "POST", "/v1/agent/lease", req, &out)
	return out.Leases, err
}

// Report delivers finished results; the acks come back in order.
func (c *Client) Report(ctx context.Context, results []TaskResult) ([]Ack, error) {
	var out ResultAck
	if err := c.do(ctx, "POST", "/v1/agent/results", ResultBatch{Results: results}, &out); err != nil {
		return nil, err
	}
	if len(out.Acks) != len(results) {
		return nil, fmt.Errorf("gateway acked %d of %d results", len(out.Acks), len(results))
	}
	return out.Acks, nil
}

// GetBlob copies a blob into w and checks it against its digest; on a
// mismatch w holds bad bytes and the error wraps ErrDigestMismatch.
func (c *Client) GetBlob(ctx context.Context, digest string, w io.Writer) (int64, error) {
	return c.getBlob(ctx, &http1.Request{Method: "GET", Path: "/v1/blobs/" + url.PathEscape(digest)}, digest, w)
}

func (c *Client) getBlob(ctx context.Context, req *http1.Request, digest string, w io.Writer) (int64, error) {
	resp, err := c.send(ctx, req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, decodeError(resp)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), resp.Body)
	if err != nil {
		return n, fmt.Errorf("fetch blob %s: %w", digest, err)
	}
	if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != digest {
		return n, fmt.Errorf("%w: blob %s arrived as %s", ErrDigestMismatch, digest, got)
	}
	return n, nil
}

// PutBlob uploads content under its digest; the gateway refuses content
// that does not hash to it (ErrDigestMismatch).
func (c *Client) PutBlob(ctx context.Context, digest string, r io.Reader, size int64) error {
	return c.putBlob(ctx, "/v1/blobs/"+url.PathEscape(digest), r, size)
}

func (c *Client) putBlob(ctx context.Context, path string, r io.Reader, size int64) error {
	req := &http1.Request{Method: "PUT", Path: path, Header: http1.Header{},
		Body: r, ContentLength: size}
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return decodeError(resp)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// IsUnreachable reports whether err means the gateway could not be reached
// at all (as opposed to an answer that refused the call).
func IsUnreachable(err error) bool {
	var e *Error
	return err != nil && !errors.As(err, &e)
}
