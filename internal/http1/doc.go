// Package http1 is the agent's own HTTP/1.1: a client over TLS for
// talking to the gateway, and a small server for the local JSON API that
// scripts on the device call with curl. Both exist to keep net/http out of
// the agent for plug computers, where every megabyte counts: net/http
// would add about 1.1 MB to the wasm-only build. What the package imports
// (bufio, crypto/tls, net, net/url, encoding/json, log/slog) is in the
// agent anyway, so it costs little beyond its own code; a test keeps
// net/http out of it.
//
// The two halves share the wire format: lines read under a size budget,
// tokens, and one Header type (fields by lower-case name, repeated fields
// joined with ", ") that both the response parser and the request parser
// fill with the same rules.
//
// # The client
//
// A Client sends a Request to one server and returns a Response whose body
// streams from the connection. It supports:
//
//   - persistent connections, kept in a small pool per Client and reused
//     most-recently-used first; a connection the server closes while idle
//     leaves the pool as soon as that is seen, before any request is
//     written to it;
//   - request bodies of known length (Content-Length), buffered or streamed;
//   - response bodies delimited by Content-Length, by chunked transfer
//     coding (trailers are read and dropped), or by the end of the
//     connection;
//   - "Connection: close" from the server, and HTTP/1.0 responses (never
//     kept alive); interim 1xx responses are skipped;
//   - a context per request that bounds the whole exchange, body included:
//     when it ends the connection is closed, never reused;
//   - dial and TLS handshake timeouts, and a cap on the size of a
//     response's header so that a hostile server cannot exhaust memory;
//   - IPv6 literal addresses ("[fd00::1]:7443").
//
// It does not support HTTP/2, proxies, redirects, compression, cookies,
// authentication schemes, Expect: 100-continue, request bodies of unknown
// length, protocol upgrades, or more than one server per Client.
//
// A connection returns to the pool only after its response body has been
// read to io.EOF; closing a body before then closes the connection.
//
// # When the client repeats a request
//
// A request that fails is repeated at most once, on a new connection, and
// only if all of these hold:
//
//   - it failed on a connection reused from the pool: a new connection
//     that fails means the server is in trouble, and the error is reported;
//   - not one byte of a response had arrived;
//   - either none of the request had been written to the connection, so
//     the server cannot have seen it, or its method is idempotent (GET,
//     HEAD, OPTIONS) and its body, if any, can be produced again
//     (Request.GetBody);
//   - the context has not ended, and the failure was not in reading the
//     request's own body.
//
// So a POST or PUT that reached a connection which then died without an
// answer is not repeated: the server may have acted on it, and only the
// caller knows whether doing it twice is safe. It gets the error. Such
// races are rare: pooled connections are watched while idle, so a
// connection the server closed earlier is never chosen.
//
// # The server
//
// A Server serves a local JSON API. A Mux routes a ServerRequest by exact
// method and path to a Handler, which returns a status and a value that is
// sent as JSON. Error builds the {"error": "..."} answers that the server
// also uses for its own.
//
// It serves one request per connection and then closes it ("Connection:
// close"). It reads HTTP/1.0 and HTTP/1.1 requests in origin form
// ("/v1/power?since=2m") whose body, if any, has a Content-Length and fits
// in Server.MaxBody; it answers "Expect: 100-continue" before reading such
// a body, as curl expects for larger ones. It does not support keep-alive,
// pipelining, request bodies without a Content-Length (411: chunked or any
// other transfer coding), HEAD (405), request targets other than a path
// (absolute URLs, "*"), TLS, HTTP/2, protocol upgrades, response headers
// chosen by handlers, or streaming.
//
// # Browsers are refused
//
// An API on 127.0.0.1 is reachable from any web page that a browser on
// the same machine opens: a page can POST to it (a "simple" cross-origin
// request needs no permission), and a host name that a page's DNS points
// at 127.0.0.1 makes the page's requests same-origin (DNS rebinding). So
// a request with an Origin header, which browsers send with every such
// request and curl never does, is refused with 403, and so is a Host
// header that is neither an IP address nor "localhost".
//
// # The server's limits
//
// Every connection has ReadTimeout to deliver its request and
// WriteTimeout to take the response; at most MaxConns are served at once,
// and more are answered 503. A handler runs with the context given to
// Serve and must return soon after it ends: Serve waits for it. A handler
// that panics gets its client a 500; the panic is logged and the server
// keeps serving.
package http1
