package http1

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// Handler answers a request with a status and a value that is sent as
// JSON: nil for no body, an error as {"error": "its message"}, anything
// else as json.Marshal encodes it. Error builds an error answer. A
// status outside 200-599, or a value that does not encode, is a bug that
// the client sees as 500.
//
// ctx is the one given to Serve: the handler must return soon after it
// ends.
type Handler func(ctx context.Context, r *ServerRequest) (status int, body any)

// Mux routes requests to handlers by method and exact path: "/v1/power"
// matches neither "/v1/power/" nor "/v1/power/history". A path with no
// handler is answered 404; a path with handlers for other methods only,
// 405 with an Allow header. The zero Mux is empty and ready; it must not
// change once a Server uses it.
type Mux struct {
	routes map[string]map[string]Handler // path → method → handler
}

// Handle registers h for requests with method and path. It panics if the
// method is not a token or is HEAD (whose answer would need its body left
// out), the path does not start with "/", h is nil, or the method and
// path already have a handler: all mistakes in the code that builds the
// API.
func (m *Mux) Handle(method, path string, h Handler) {
	switch {
	case !isToken(method):
		panic("http1: invalid method " + method)
	case method == "HEAD":
		panic("http1: HEAD is not supported")
	case !strings.HasPrefix(path, "/"):
		panic("http1: path " + path + " does not start with /")
	case h == nil:
		panic("http1: nil handler for " + method + " " + path)
	}
	if m.routes == nil {
		m.routes = map[string]map[string]Handler{}
	}
	if m.routes[path] == nil {
		m.routes[path] = map[string]Handler{}
	}
	if m.routes[path][method] != nil {
		panic("http1: two handlers for " + method + " " + path)
	}
	m.routes[path][method] = h
}

// route returns the handler for method and path; without one, allow lists
// the methods that path has, if any.
func (m *Mux) route(method, path string) (h Handler, allow string) {
	if m == nil {
		return nil, ""
	}
	byMethod := m.routes[path]
	if h := byMethod[method]; h != nil {
		return h, ""
	}
	return nil, strings.Join(slices.Sorted(maps.Keys(byMethod)), ", ")
}
