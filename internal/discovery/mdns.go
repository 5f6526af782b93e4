package discovery

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/internal/mdns"
)

// Timing and size of what the announcer sends.
const (
	recordTTL = 120 // seconds; the table expires peers by Config.Expiry, not by this
	// maxAnswerGap bounds the least time between two multicast answers.
	// RFC 6762 6 asks for one second, and 250 ms when defending a probe;
	// Hearth takes 250 ms, because a node that starts just after its
	// gateway answered someone must still find it well inside its 1.5 s
	// start-to-ready budget. The gap is Interval/2 when that is shorter,
	// so that every query round still refreshes this node. Every node
	// hears a multicast answer, so a query that comes sooner is answered
	// once the gap is over, not dropped.
	maxAnswerGap = 250 * time.Millisecond
	// An answer waits 20-120 ms (RFC 6762 6): the copies of one query (one
	// per IP version and link) get one answer, and nodes that answer one
	// query do not all send at once.
	answerDelay  = 20 * time.Millisecond
	answerSpread = 100 * time.Millisecond
	// reannounceAfter is when the second unsolicited announcement goes
	// out (RFC 6762 8.3: at least two, one second apart).
	reannounceAfter = time.Second
	// maxInstances bounds the service instances read from one message.
	maxInstances = 32
	// maxAddrs bounds the addresses announced, so that the answer fits
	// one Ethernet frame.
	maxAddrs = 16
)

// announcer answers for this node and sends the browse queries, over one
// mdns.Conn on the chosen links.
type announcer struct {
	d                      *Discovery
	service, inst, host    string // the PTR, SRV/TXT and A/AAAA owner names
	ptr                    mdns.Record
	extra                  []mdns.Record // SRV, TXT, A, AAAA
	conn                   *mdns.Conn
	gap                    time.Duration // least time between two answers
	mu                     sync.Mutex    // held while sending, so nothing follows the goodbye
	closed                 bool
	lastAnswer             time.Time
	pending, announceAgain *time.Timer
}

// start listens on l and announces this node. The first browse query
// goes out from Run's loop right after.
func (a *announcer) start(l links) error {
	self, cfg := a.d.self, a.d.cfg
	label := instanceLabel(self)
	a.service = cfg.Service + "." + cfg.Domain
	a.inst = label + "." + a.service
	a.host = label + "." + cfg.Domain
	a.ptr = mdns.Record{Name: a.service, Type: mdns.TypePTR, TTL: recordTTL, Target: a.inst}
	a.extra = []mdns.Record{
		{Name: a.inst, Type: mdns.TypeSRV, Flush: true, TTL: recordTTL, Port: uint16(self.Port), Target: a.host},
		{Name: a.inst, Type: mdns.TypeTXT, Flush: true, TTL: recordTTL, Text: self.txt()},
	}
	a.gap = min(maxAnswerGap, cfg.Interval/2)
	addrs := l.addrs
	if len(addrs) > maxAddrs {
		a.d.log.Warn("discovery: announcing only some addresses", "announced", addrs[:maxAddrs], "left_out", len(addrs)-maxAddrs)
		addrs = addrs[:maxAddrs]
	}
	for _, ip := range addrs {
		t := mdns.TypeAAAA
		if ip.Is4() {
			t = mdns.TypeA
		}
		a.extra = append(a.extra, mdns.Record{Name: a.host, Type: t, Flush: true, TTL: recordTTL, Addr: ip})
	}
	// The records must pack: a bad one would fail every answer later.
	if _, err := a.answer(recordTTL).Pack(); err != nil {
		return fmt.Errorf("discovery: %w", err)
	}

	a.mu.Lock()
	a.closed, a.lastAnswer = false, time.Time{}
	a.mu.Unlock()
	conn, err := mdns.Listen(l.ifaces, a.receive)
	if err != nil {
		return fmt.Errorf("discovery: announcing on %v: %w", l.names(), err)
	}
	a.mu.Lock()
	a.conn = conn
	a.mu.Unlock()
	a.d.log.Debug("discovery: announcing", "instance", label, "addrs", l.addrs, "mdns", conn.Families())
	a.announce()
	a.mu.Lock()
	a.announceAgain = time.AfterFunc(reannounceAfter, a.announce)
	a.mu.Unlock()
	return nil
}

// answer is this node's full answer, with every TTL set to ttl.
func (a *announcer) answer(ttl uint32) *mdns.Message {
	m := &mdns.Message{Response: true, Answers: []mdns.Record{a.ptr}, Extra: slices.Clone(a.extra)}
	m.Answers[0].TTL = ttl
	for i := range m.Extra {
		m.Extra[i].TTL = ttl
	}
	return m
}

// announce multicasts this node's records unasked.
func (a *announcer) announce() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sendLocked()
}

// sendLocked multicasts this node's answer; a.mu is held.
func (a *announcer) sendLocked() {
	if a.closed || a.conn == nil {
		return
	}
	a.lastAnswer = time.Now()
	if err := a.conn.Send(a.answer(recordTTL)); err != nil {
		a.d.log.Debug("discovery: announcing", "err", err)
	}
}

// query asks every node for its records: one browse round.
func (a *announcer) query() error {
	a.mu.Lock()
	conn := a.conn
	a.mu.Unlock()
	if conn == nil {
		return nil
	}
	// This node's own PTR rides along as a known answer (RFC 6762 7.1), so
	// that it does not answer its own query, which it hears too.
	return conn.Send(&mdns.Message{
		Questions: []mdns.Question{{Name: a.service, Type: mdns.TypePTR}},
		Answers:   []mdns.Record{a.ptr},
	})
}

// stop closes the sockets, after a goodbye (the records with TTL 0) when
// this node leaves. Announcing anew on other links needs none: the new
// answer replaces the old addresses, while a goodbye would make the
// neighbours ignore this instance for a while.
func (a *announcer) stop(goodbye bool) {
	a.mu.Lock()
	conn := a.conn
	if conn == nil {
		a.mu.Unlock()
		return
	}
	a.closed, a.conn = true, nil
	for _, t := range []*time.Timer{a.pending, a.announceAgain} {
		if t != nil {
			t.Stop()
		}
	}
	a.pending, a.announceAgain = nil, nil
	if goodbye {
		if err := conn.Send(a.answer(0)); err != nil {
			a.d.log.Debug("discovery: saying goodbye", "err", err)
		}
	}
	a.mu.Unlock()
	conn.Close() // waits for receive, which takes a.mu: not under it
}

// receive handles one message from the network (from the conn's
// goroutines).
func (a *announcer) receive(m *mdns.Message, _ netip.AddrPort) {
	if !m.Response {
		a.asked(m)
		return
	}
	for _, e := range entries(m, a.service) {
		a.d.heard(e)
	}
}

// asked schedules this node's answer to a query that asks for its records
// and does not already know them.
func (a *announcer) asked(m *mdns.Message) {
	if !slices.ContainsFunc(m.Questions, a.owns) || slices.ContainsFunc(m.Answers, a.known) {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed || a.conn == nil || a.pending != nil {
		return // stopped, or an answer is already due
	}
	wait := answerDelay + rand.N(answerSpread)
	if gap := time.Until(a.lastAnswer.Add(a.gap)); gap > wait {
		wait = gap
	}
	var t *time.Timer
	t = time.AfterFunc(wait, func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.pending != t {
			return // stopped, or restarted, since
		}
		a.pending = nil
		a.sendLocked()
	})
	a.pending = t
}

// known reports whether r, from a query's known answers, is this node's
// PTR with at least half its TTL left: the asker has it (RFC 6762 7.1).
func (a *announcer) known(r mdns.Record) bool {
	return r.Type == mdns.TypePTR && mdns.EqualName(r.Name, a.service) &&
		mdns.EqualName(r.Target, a.inst) && r.TTL >= recordTTL/2
}

// owns reports whether q asks for one of this node's records.
func (a *announcer) owns(q mdns.Question) bool {
	wild := q.Type == mdns.TypeANY
	switch {
	case mdns.EqualName(q.Name, a.service):
		return wild || q.Type == mdns.TypePTR
	case mdns.EqualName(q.Name, a.inst):
		return wild || q.Type == mdns.TypeSRV || q.Type == mdns.TypeTXT
	case mdns.EqualName(q.Name, a.host):
		return wild || q.Type == mdns.TypeA || q.Type == mdns.TypeAAAA
	}
	return false
}

// entry is one service instance read from an answer.
type entry struct {
	instance string
	port     int
	text     []string
	addrs    []netip.Addr
	goodbye  bool // its PTR record had TTL 0: it stopped
	complete bool // an SRV and a TXT record came with the PTR
}

// entries reads the instances of service from an answer: each PTR record
// of the service with the SRV and TXT records of its instance and the
// addresses of the SRV's host. An instance whose records did not all come
// is returned incomplete.
func entries(m *mdns.Message, service string) []entry {
	all := append(slices.Clone(m.Answers), m.Extra...)
	// Records by owner name, once: a hostile packet of many records must
	// not cost a scan of all of them per instance.
	owned := make(map[string][]int, len(all))
	for i, r := range all {
		k := strings.ToLower(r.Name)
		owned[k] = append(owned[k], i)
	}
	var out []entry
	seen := make(map[string]bool)
	for _, i := range owned[strings.ToLower(service)] {
		ptr := all[i]
		inst := strings.ToLower(ptr.Target)
		if ptr.Type != mdns.TypePTR || seen[inst] {
			continue
		}
		if len(out) == maxInstances {
			break
		}
		seen[inst] = true
		e := entry{instance: ptr.Target, goodbye: ptr.TTL == 0}
		var host string
		var srv, txt bool
		for _, j := range owned[inst] {
			switch r := all[j]; {
			case r.Type == mdns.TypeSRV && !srv:
				srv, e.port, host = true, int(r.Port), r.Target
			case r.Type == mdns.TypeTXT && !txt:
				txt, e.text = true, r.Text
			}
		}
		if host != "" {
			for _, j := range owned[strings.ToLower(host)] {
				if r := all[j]; r.Type == mdns.TypeA || r.Type == mdns.TypeAAAA {
					e.addrs = append(e.addrs, r.Addr)
				}
			}
		}
		e.complete = srv && txt
		out = append(out, e)
	}
	return out
}

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
// digits and '-' with sep. (A loop rather than regexp, which would cost the
// agent binary a quarter megabyte on ARM.)
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
