// Package httpc is a small HTTP/1.1 client over TLS for talking to one
// server. It exists to keep net/http out of binaries that only call an API:
// the agent for plug computers, where every megabyte counts.
//
// It supports:
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
// # When a request is repeated
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
package httpc
