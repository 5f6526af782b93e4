package http1

import (
	"net"
	"net/netip"
	"strings"
)

// checkLocal refuses requests from web pages; the package documentation
// says why. Programs that call the API name it by address or as
// localhost, and send no Origin.
func (r *ServerRequest) checkLocal() error {
	if o, ok := r.Header["origin"]; ok {
		return answer(403, "requests from web pages (Origin %q) are refused: this API is for programs on the device", o)
	}
	if h, ok := r.Header["host"]; ok && !localHost(h) {
		return answer(403, "Host %q is refused: call the API by IP address or as localhost", h)
	}
	return nil
}

// localHost reports whether a Host header names an IP address or
// localhost, with or without a port: a name that no DNS server can point
// elsewhere.
func localHost(h string) bool {
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		host = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	} else if strings.ContainsFunc(port, func(c rune) bool { return c < '0' || c > '9' }) {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	_, err = netip.ParseAddr(host)
	return err == nil
}
