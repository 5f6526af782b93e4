package discovery

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Bounds on what the watcher keeps for strangers on the LAN.
const (
	// maxInstances bounds the service instances read from one message.
	maxInstances = 32
	// maxWanted bounds the hosts whose addresses are being asked for.
	maxWanted = 32
	// askEvery is the least time between two questions for one host.
	askEvery = time.Second
)

// watcher browses: it sends the browse queries on its own socket, which
// reads only multicast from port 5353 that came in on a chosen interface,
// and reads every answer with miekg/dns (the codec zeroconf uses):
//
//   - an answer with an instance's PTR, SRV, TXT and addresses lists or
//     refreshes that peer;
//   - a goodbye (an instance's PTR with TTL 0) drops that peer at once;
//   - an answer whose host addresses did not come with it (responders may
//     send them in a separate packet, or only when asked) makes it ask for
//     the host's A and AAAA records and complete the peer when they come.
//
// It reads only responses: zeroconf's server answers the queries.
//
// zeroconf's own resolver is not used for browsing: it reports each
// instance once per resolver (so refreshing peers took a new resolver,
// with new sockets and two 64 KiB buffers, every Interval: 1.7 MB more
// resident memory in an idle agent), drops goodbyes silently, ignores an
// address that comes in another packet, and reads the group on every
// interface of the host.
type watcher struct {
	d       *Discovery
	service string
	conn    *conn

	mu     sync.Mutex
	wanted map[string]*wanted // by lower-case host name
}

// wanted is a host whose addresses were asked for, with the entries that
// wait for them.
type wanted struct {
	asked   time.Time
	until   time.Time    // forgotten after this
	entries []entry      // by instance, at most maxInstances
	addrs   []netip.Addr // once heard
	heard   time.Time
}

func newWatcher(d *Discovery, service string, l links) (*watcher, error) {
	w := &watcher{d: d, service: service, wanted: make(map[string]*wanted)}
	c, err := listen(l.ifaces, w.receive)
	if err != nil {
		return nil, err
	}
	w.conn = c
	return w, nil
}

func (w *watcher) close() { w.conn.close() }

// receive handles one message from the link (from the conn's goroutines).
func (w *watcher) receive(m *dns.Msg, _ netip.AddrPort) {
	if !m.Response {
		return
	}
	now := time.Now()
	w.addresses(m, now)
	var ask []string
	for _, e := range entries(m, w.service) {
		switch {
		case e.goodbye, e.complete && len(e.addrs) > 0:
			w.d.heard(e)
		case e.complete && len(e.addrs) == 0 && e.host != "":
			if w.wait(e, now) {
				ask = append(ask, e.host)
			}
		}
	}
	if len(ask) > 0 {
		w.ask(ask)
	}
}

// wait completes e with its host's addresses when they were heard lately,
// and otherwise keeps it until they come. It reports whether the host
// should be asked for them now.
func (w *watcher) wait(e entry, now time.Time) bool {
	w.mu.Lock()
	k := strings.ToLower(e.host)
	h := w.wanted[k]
	if h == nil {
		w.pruneLocked(now)
		if len(w.wanted) >= maxWanted {
			w.mu.Unlock()
			w.d.log.Debug("discovery: too many hosts without addresses, ignoring one", "host", e.host)
			return false
		}
		h = &wanted{}
		w.wanted[k] = h
	}
	h.until = now.Add(w.d.cfg.Expiry)
	if len(h.addrs) > 0 && now.Sub(h.heard) < w.d.cfg.Expiry {
		e.addrs = slices.Clone(h.addrs)
		w.mu.Unlock()
		w.d.heard(e)
		return false
	}
	if i := slices.IndexFunc(h.entries, func(o entry) bool { return strings.EqualFold(o.instance, e.instance) }); i >= 0 {
		h.entries[i] = e
	} else if len(h.entries) < maxInstances {
		h.entries = append(h.entries, e)
	}
	ask := now.Sub(h.asked) >= askEvery
	if ask {
		h.asked = now
	}
	w.mu.Unlock()
	return ask
}

// addresses takes the A and AAAA records of wanted hosts from m and
// completes the entries that waited for them.
func (w *watcher) addresses(m *dns.Msg, now time.Time) {
	found := make(map[string][]netip.Addr)
	for _, rr := range slices.Concat(m.Answer, m.Extra) {
		var ip []byte
		switch r := rr.(type) {
		case *dns.A:
			ip = r.A
		case *dns.AAAA:
			ip = r.AAAA
		default:
			continue
		}
		if a, ok := addrOf(ip); ok && rr.Header().Ttl > 0 {
			k := strings.ToLower(rr.Header().Name)
			found[k] = append(found[k], a)
		}
	}
	if len(found) == 0 {
		return
	}
	var done []entry
	w.mu.Lock()
	for k, addrs := range found {
		h := w.wanted[k]
		if h == nil {
			continue
		}
		h.addrs, h.heard = addrs, now
		for _, e := range h.entries {
			e.addrs = slices.Clone(addrs)
			done = append(done, e)
		}
		h.entries = nil
	}
	w.mu.Unlock()
	for _, e := range done {
		w.d.heard(e)
	}
}

// pruneLocked forgets the hosts nobody asked about for an Expiry.
func (w *watcher) pruneLocked(now time.Time) {
	for k, h := range w.wanted {
		if now.After(h.until) {
			delete(w.wanted, k)
		}
	}
}

// query multicasts one browse query: every live node answers it.
func (w *watcher) query() error {
	m := new(dns.Msg)
	m.SetQuestion(w.service, dns.TypePTR)
	m.RecursionDesired = false
	return w.conn.send(m)
}

// ask multicasts one query for the A and AAAA records of hosts.
func (w *watcher) ask(hosts []string) {
	m := new(dns.Msg)
	for _, h := range hosts {
		m.Question = append(m.Question,
			dns.Question{Name: dns.Fqdn(h), Qtype: dns.TypeA, Qclass: dns.ClassINET},
			dns.Question{Name: dns.Fqdn(h), Qtype: dns.TypeAAAA, Qclass: dns.ClassINET})
	}
	w.d.log.Debug("discovery: asking for addresses", "hosts", hosts)
	if err := w.conn.send(m); err != nil {
		w.d.log.Debug("discovery: asking for addresses", "err", err)
	}
}

// entry is one service instance read from an answer.
type entry struct {
	instance string
	host     string // the SRV record's target
	port     int
	text     []string // decoded: raw bytes, not DNS presentation format
	addrs    []netip.Addr
	goodbye  bool // its PTR record had TTL 0: it stopped
	complete bool // an SRV and a TXT record came with the PTR
}

// entries reads the instances of service from an answer: each PTR record
// of the service with the SRV and TXT records of its instance and the
// addresses of the SRV's host, from the answer and additional sections.
// An instance whose records did not all come is returned incomplete.
func entries(m *dns.Msg, service string) []entry {
	all := slices.Concat(m.Answer, m.Extra)
	// Records by owner name, once: a hostile packet of many records must
	// not cost a scan of all of them per instance.
	owned := make(map[string][]int, len(all))
	for i, r := range all {
		k := strings.ToLower(r.Header().Name)
		owned[k] = append(owned[k], i)
	}
	var out []entry
	seen := make(map[string]bool)
	for _, i := range owned[strings.ToLower(service)] {
		ptr, ok := all[i].(*dns.PTR)
		if !ok {
			continue
		}
		inst := strings.ToLower(ptr.Ptr)
		if seen[inst] {
			continue
		}
		if len(out) == maxInstances {
			break
		}
		seen[inst] = true
		e := entry{instance: ptr.Ptr, goodbye: ptr.Hdr.Ttl == 0}
		var srv, txt bool
		for _, j := range owned[inst] {
			switch r := all[j].(type) {
			case *dns.SRV:
				if !srv {
					srv, e.port, e.host = true, int(r.Port), r.Target
				}
			case *dns.TXT:
				if !txt {
					txt = true
					for _, s := range r.Txt {
						e.text = append(e.text, unescapeTXT(s))
					}
				}
			}
		}
		if e.host != "" {
			for _, j := range owned[strings.ToLower(e.host)] {
				switch r := all[j].(type) {
				case *dns.A:
					if a, ok := addrOf(r.A); ok {
						e.addrs = append(e.addrs, a)
					}
				case *dns.AAAA:
					if a, ok := addrOf(r.AAAA); ok {
						e.addrs = append(e.addrs, a)
					}
				}
			}
		}
		e.complete = srv && txt
		out = append(out, e)
	}
	return out
}
