// Package otahttp carries Hearth's signed updates over net/http: Handler serves a mirror directory
// read-only (the gateway mounts it on its agent API), and Fetcher fetches from one. It is apart
// from package ota so that the small agent, which talks HTTP/1.1 through internal/http1 and keeps
// net/http out, can use the client without it.
package otahttp
