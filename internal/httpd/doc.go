// Package httpd is a small HTTP/1.1 server for a local JSON API: the
// agent's API on loopback that scripts on the device call with curl. It
// exists to keep net/http out of the agent, as internal/httpc does for
// its client side. What it imports (bufio, net, net/url, encoding/json,
// log/slog) is in the agent anyway, so it costs little beyond its own code.
//
// A Mux routes a request by exact method and path to a Handler, which
// returns a status and a value that is sent as JSON. Error builds the
// {"error": "..."} answers that the server also uses for its own.
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
// # Limits
//
// Every connection has ReadTimeout to deliver its request and
// WriteTimeout to take the response; at most MaxConns are served at once,
// and more are answered 503. A handler runs with the context given to
// Serve and must return soon after it ends: Serve waits for it. A handler
// that panics gets its client a 500; the panic is logged and the server
// keeps serving.
package httpd
