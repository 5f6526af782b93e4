// Package rpctamper is a lying Ethereum JSON-RPC endpoint for tests: an
// HTTP proxy in front of a real node (a dev chain) that rewrites the results
// of chosen methods, answers them with an error, or swallows them, so that
// a client can be shown to catch each lie. It understands JSON-RPC batches.
package rpctamper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
)

// Rewrite turns a method's honest result into the one the proxy serves.
// params are the request's parameters as sent. Returning nil serves the
// honest result unchanged; returning json.RawMessage("null") serves null.
// A Rewrite runs on the proxy's request goroutine and may itself call the
// upstream node.
type Rewrite func(params, result json.RawMessage) json.RawMessage

// Proxy forwards JSON-RPC over HTTP to an upstream endpoint, rewriting what
// it was told to. Its methods are safe for concurrent use.
type Proxy struct {
	upstream string
	srv      *httptest.Server
	client   *http.Client
	served   atomic.Int64

	mu       sync.Mutex
	rewrites map[string]Rewrite
	fails    map[string]*rpcError
	swallows map[string]bool
}

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// message is one request or response of a JSON-RPC exchange; fields not
// named here are kept as they are.
type message map[string]json.RawMessage

// New starts a proxy in front of upstreamURL (an http:// JSON-RPC endpoint).
// Close stops it.
func New(upstreamURL string) *Proxy {
	p := &Proxy{
		upstream: upstreamURL,
		client:   &http.Client{},
		rewrites: map[string]Rewrite{},
		fails:    map[string]*rpcError{},
		swallows: map[string]bool{},
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	return p
}

// URL is the proxy's JSON-RPC endpoint.
func (p *Proxy) URL() string { return p.srv.URL }

// Close stops the proxy.
func (p *Proxy) Close() { p.srv.Close() }

// Set makes the proxy rewrite every successful result of method; a later
// Set for the same method replaces the rewrite.
func (p *Proxy) Set(method string, rewrite Rewrite) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rewrites[method] = rewrite
}

// Fail makes the proxy answer method itself with a JSON-RPC error, as a
// node that lacks the method would (code -32601), without forwarding it.
func (p *Proxy) Fail(method string, code int, msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fails[method] = &rpcError{Code: code, Message: msg}
}

// Swallow makes the proxy answer method itself with success (a null
// result) without forwarding it: an endpoint that says it took a
// transaction and drops it.
func (p *Proxy) Swallow(method string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.swallows[method] = true
}

// Clear removes every rewrite, failure and swallow: the proxy is honest
// again.
func (p *Proxy) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.rewrites)
	clear(p.fails)
	clear(p.swallows)
}

// Bytes is the number of response body bytes the proxy has served.
func (p *Proxy) Bytes() int64 { return p.served.Load() }

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	batch := bytes.HasPrefix(bytes.TrimSpace(body), []byte("["))
	var reqs []message
	if batch {
		err = json.Unmarshal(body, &reqs)
	} else {
		var one message
		err = json.Unmarshal(body, &one)
		reqs = []message{one}
	}
	if err != nil {
		// Not ours to judge: let the node answer the malformed request.
		p.forwardRaw(w, body)
		return
	}

	methods := map[string]string{}         // request id -> method
	params := map[string]json.RawMessage{} // request id -> params
	var forward []message
	var answers []message
	p.mu.Lock()
	for _, req := range reqs {
		var method string
		_ = json.Unmarshal(req["method"], &method)
		id := string(req["id"])
		if f, ok := p.fails[method]; ok && id != "" {
			answers = append(answers, errorAnswer(req["id"], f))
			continue
		}
		if p.swallows[method] && id != "" {
			answers = append(answers, message{"jsonrpc": json.RawMessage(`"2.0"`), "id": req["id"], "result": json.RawMessage("null")})
			continue
		}
		methods[id], params[id] = method, req["params"]
		forward = append(forward, req)
	}
	p.mu.Unlock()

	if len(forward) > 0 {
		got, err := p.roundTrip(forward, batch)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		for _, resp := range got {
			id := string(resp["id"])
			if result, ok := resp["result"]; ok {
				if rw := p.rewrite(methods[id]); rw != nil {
					if out := rw(params[id], result); out != nil {
						resp["result"] = out
					}
				}
			}
			answers = append(answers, resp)
		}
	}

	var out []byte
	if batch {
		out, err = json.Marshal(answers)
	} else if len(answers) == 1 {
		out, err = json.Marshal(answers[0])
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	n, _ := w.Write(out)
	p.served.Add(int64(n))
}

func (p *Proxy) rewrite(method string) Rewrite {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rewrites[method]
}

// roundTrip sends reqs upstream and decodes the answers.
func (p *Proxy) roundTrip(reqs []message, batch bool) ([]message, error) {
	var body []byte
	var err error
	if batch {
		body, err = json.Marshal(reqs)
	} else {
		body, err = json.Marshal(reqs[0])
	}
	if err != nil {
		return nil, err
	}
	resp, err := p.client.Post(p.upstream, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var got []message
	if len(bytes.TrimSpace(raw)) == 0 { // notifications only
		return nil, nil
	}
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		err = json.Unmarshal(raw, &got)
	} else {
		var one message
		err = json.Unmarshal(raw, &one)
		got = []message{one}
	}
	if err != nil {
		return nil, fmt.Errorf("upstream answered HTTP %d without JSON-RPC: %w", resp.StatusCode, err)
	}
	return got, nil
}

func (p *Proxy) forwardRaw(w http.ResponseWriter, body []byte) {
	resp, err := p.client.Post(p.upstream, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	n, _ := io.Copy(w, resp.Body)
	p.served.Add(n)
}

func errorAnswer(id json.RawMessage, e *rpcError) message {
	enc, _ := json.Marshal(e)
	return message{"jsonrpc": json.RawMessage(`"2.0"`), "id": id, "error": enc}
}
