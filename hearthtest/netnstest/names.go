package netnstest

import (
	"crypto/rand"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
)

var homeCount atomic.Uint32

// names holds what one Home is called and numbered.
type names struct {
	hub   string
	nodes []string
	v4    netip.Prefix // a /24 inside 10.0.0.0/8
	v6    netip.Prefix // a /64 inside fd00::/8
}

// newNames picks namespace names and prefixes for a Home of n nodes. Names
// carry the pid, a per-process counter and random bytes, so parallel test
// binaries never collide; they stay short because they show up in `ip netns`
// listings when something leaks. The prefixes only need to differ for
// humans reading logs: each Home is its own isolated link.
func newNames(prefix string, n int) names {
	var r [7]byte
	rand.Read(r[:])
	base := fmt.Sprintf("%s%d-%d%x", clean(prefix), os.Getpid(), homeCount.Add(1), r[:2])
	nm := names{
		hub: base + "-hub",
		v4:  netip.PrefixFrom(netip.AddrFrom4([4]byte{10, r[2], r[3], 0}), 24),
		v6: netip.PrefixFrom(netip.AddrFrom16([16]byte{
			0xfd, r[4], r[5], r[6], 0, 0, 0, 0}), 64),
	}
	for i := 1; i <= n; i++ {
		nm.nodes = append(nm.nodes, fmt.Sprintf("%s-n%d", base, i))
	}
	return nm
}

// clean keeps prefix usable as a file name and short.
func clean(prefix string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(prefix) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
		if b.Len() == 8 {
			break
		}
	}
	if b.Len() == 0 {
		return "ht"
	}
	return b.String()
}

// nth returns the i-th address of p (p's base address plus i).
func nth(p netip.Prefix, i int) netip.Addr {
	a := p.Addr().As16()
	a[15] += byte(i)
	if p.Addr().Is4() {
		return netip.AddrFrom4([4]byte(a[12:]))
	}
	return netip.AddrFrom16(a)
}
