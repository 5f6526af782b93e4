package discovery

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// heard turns an answer's entry into a peer and records it; a goodbye
// drops the peer at once.
func (d *Discovery) heard(e entry) {
	if !e.complete {
		d.log.Debug("discovery: ignored an answer without SRV and TXT records", "instance", e.instance)
		return
	}
	if e.goodbye {
		if a, _, err := parseTXT(e.text); err == nil {
			d.peers.forget(a.ID, a.Instance, time.Now())
		}
		return
	}
	p, bad, err := peerFromEntry(e)
	if bad > 0 {
		d.malformed.Add(uint64(bad))
		d.log.Debug("discovery: ignored malformed TXT strings", "instance", e.instance, "count", bad, "txt", e.text)
	}
	if err != nil {
		d.malformed.Add(1)
		d.log.Debug("discovery: ignored announcement", "instance", e.instance, "err", err, "txt", e.text)
		return
	}
	d.peers.observe(p, time.Now())
}

// peerFromEntry reads an entry. It trusts nothing in it.
func peerFromEntry(e entry) (Peer, int, error) {
	a, bad, err := parseTXT(e.text)
	if err != nil {
		return Peer{}, bad, err
	}
	if e.port < 1 || e.port > 65535 {
		return Peer{}, bad, fmt.Errorf("port %d", e.port)
	}
	a.Port = e.port
	p := Peer{Announcement: a}
	for _, addr := range e.addrs {
		addr = addr.Unmap()
		if !addr.IsValid() || addr.IsUnspecified() || addr.IsMulticast() {
			continue
		}
		p.Addrs = append(p.Addrs, addr)
	}
	if len(p.Addrs) == 0 {
		return Peer{}, bad, fmt.Errorf("no usable address")
	}
	slices.SortFunc(p.Addrs, netip.Addr.Compare)
	p.Addrs = slices.Compact(p.Addrs)
	return p, bad, nil
}

// labelSafe replaces every run of characters other than ASCII letters,
// digits and '-' with sep.
func labelSafe(s, sep string) string {
	var b strings.Builder
	run := false
	for _, c := range s {
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			b.WriteRune(c)
			run = false
		} else if !run {
			b.WriteString(sep)
			run = true
		}
	}
	return b.String()
}

// instanceLabel names this process's service instance and host in DNS: a
// readable prefix and the instance ID, since two processes must never share
// a name. Only letters, digits and hyphens, so nobody has to escape it.
func instanceLabel(a Announcement) string {
	name := labelSafe(a.Name, "-")
	if name == "" || name == "-" {
		name = "hearth"
	}
	inst := labelSafe(a.Instance, "")
	return fmt.Sprintf("%.30s-%.24s", name, inst)
}
