package discovery

import (
	"net"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// AnnounceOnce multicasts self's records on the named interfaces once, as
// a node does as it starts, and closes its socket without saying goodbye:
// a node that died. For tests of expiry.
func AnnounceOnce(cfg Config, self Announcement, ifaces []string) error {
	cfg = cfg.withDefaults()
	nics, err := systemNICs()
	if err != nil {
		return err
	}
	l, err := pickLinks(nics, ifaces)
	if err != nil {
		return err
	}
	c, err := listen(l.ifaces, func(*dns.Msg, netip.AddrPort) {})
	if err != nil {
		return err
	}
	defer c.close()
	return c.send(Answer(cfg, self, l.addrs, 120))
}

// Answer is a response carrying self's PTR, SRV, TXT and address records,
// each with TTL ttl, as zeroconf's server sends it.
func Answer(cfg Config, self Announcement, addrs []netip.Addr, ttl uint32) *dns.Msg {
	cfg = cfg.withDefaults()
	label := instanceLabel(self)
	domain := strings.TrimSuffix(cfg.Domain, ".")
	service := dns.Fqdn(cfg.Service + "." + domain)
	inst, host := label+"."+service, dns.Fqdn(label+"."+domain)
	hdr := func(name string, t uint16) dns.RR_Header {
		return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: ttl}
	}
	txt := self.txt()
	for i := range txt {
		txt[i] = escapeTXT(txt[i])
	}
	m := &dns.Msg{MsgHdr: dns.MsgHdr{Response: true, Authoritative: true}}
	m.Answer = []dns.RR{&dns.PTR{Hdr: hdr(service, dns.TypePTR), Ptr: inst}}
	m.Extra = []dns.RR{
		&dns.SRV{Hdr: hdr(inst, dns.TypeSRV), Port: uint16(self.Port), Target: host},
		&dns.TXT{Hdr: hdr(inst, dns.TypeTXT), Txt: txt},
	}
	for _, a := range addrs {
		if a.Is4() {
			m.Extra = append(m.Extra, &dns.A{Hdr: hdr(host, dns.TypeA), A: net.IP(a.AsSlice())})
		} else {
			m.Extra = append(m.Extra, &dns.AAAA{Hdr: hdr(host, dns.TypeAAAA), AAAA: net.IP(a.AsSlice())})
		}
	}
	return m
}
