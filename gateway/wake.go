package gateway

// Waking lease requests for tasks. A request that finds nothing to take is
// parked. When work is queued, the gateway wakes as many parked requests
// as there are queued tasks, those that have waited longest first, rather
// than all of them: at 3,000 devices one new task used to wake 3,000
// requests, each taking the scheduler's lock only to find the queue empty
// again (docs/scale.md). A woken request that can take nothing of what is
// queued (another runtime or platform, too little memory, a certified
// task it already ran) wakes the next parked one before it parks again, so
// work that no woken device fits still reaches every device that waits,
// one after another, and each request is woken at most once for it.
//
// Stream requests and the requests of devices held back for speed are not
// parked: they wait on Gateway.wake, which every new work closes.

import (
	"math"
	"slices"
	"time"

	"github.com/hearth-home/hearth/internal/identity"
)

// parkedWaits holds the parked task requests: untried, those not yet woken
// since work was last queued, longest waiting first; and tried, those that
// looked at the queue since then and found nothing they could take.
// Requests that ended stay in either list, marked done, until they are
// popped or the lists are compacted.
type parkedWaits struct {
	untried, tried []*leaseWait
	woken          uint64 // parked requests woken so far (hearth_lease_wakeups_total)
}

// parkLocked parks lw, which found nothing it could take.
func (g *Gateway) parkLocked(lw *leaseWait) {
	if lw.parked {
		return
	}
	lw.parked = true
	p := &g.parked
	p.tried = append(p.tried, lw)
	if n := len(p.untried) + len(p.tried); n > 2*len(g.waiting)+64 {
		p.untried = slices.DeleteFunc(p.untried, (*leaseWait).isDone)
		p.tried = slices.DeleteFunc(p.tried, (*leaseWait).isDone)
	}
}

// wakeLocked tells waiting lease requests that work arrived: every stream
// and held request, and one parked task request per queued task.
func (g *Gateway) wakeLocked() {
	close(g.wake)
	g.wake = make(chan struct{})
	p := &g.parked
	if len(p.tried) > 0 {
		// New work: everyone may look again, those who waited longest
		// first.
		p.untried = append(p.tried, p.untried...)
		p.tried = nil
	}
	for n := len(g.queue); n > 0 && g.wakeOneLocked(); n-- {
	}
}

// relayLocked passes a wake that lw could not use on to the next parked
// request, while tasks are queued.
func (g *Gateway) relayLocked() {
	if len(g.queue) > 0 {
		g.wakeOneLocked()
	}
}

// wakeOneLocked wakes the parked request that has waited longest and not
// been woken since work was last queued; it reports whether there was one.
func (g *Gateway) wakeOneLocked() bool {
	p := &g.parked
	for len(p.untried) > 0 {
		lw := p.untried[0]
		p.untried[0] = nil
		p.untried = p.untried[1:]
		lw.parked = false
		if lw.done {
			continue
		}
		select {
		case lw.wake <- struct{}{}:
		default:
		}
		p.woken++
		return true
	}
	p.untried = nil // let the array go
	return false
}

func (lw *leaseWait) isDone() bool {
	if lw.done {
		lw.parked = false
		return true
	}
	return false
}

// LeaseRequestsWaiting counts the devices' requests for work held open
// now: for tasks, and for stream partitions.
func (g *Gateway) LeaseRequestsWaiting() (tasks, streams int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, n := range g.streamWaiting {
		streams += n
	}
	return len(g.waiting), streams
}

// headroomDefer is how long a device with less power headroom lets one
// with more pick first, and headroomMargin how much more counts.
const (
	headroomDefer  = 150 * time.Millisecond
	headroomMargin = 0.5 // watts
)

// leaseWait is a lease request waiting for work.
type leaseWait struct {
	node      identity.NodeID
	headroomW float64 // +Inf: no power limit
	runtimes  []string
	// wake is signalled when the request is to look at the queue again;
	// parked, while it is in g.parked; done, once it has ended (wake.go).
	wake         chan struct{}
	parked, done bool
}

// betterWaitingLocked reports whether another device that runs one of
// lw's runtimes waits for work with clearly more power headroom, and wakes
// each such device's request, parked or not, to pick first.
func (g *Gateway) betterWaitingLocked(lw *leaseWait) bool {
	if math.IsInf(lw.headroomW, 1) {
		return false // no power limit: none has more
	}
	better := false
	for o := range g.waiting {
		if o.node != lw.node && o.headroomW > lw.headroomW+headroomMargin &&
			slices.ContainsFunc(o.runtimes, func(rt string) bool { return slices.Contains(lw.runtimes, rt) }) {
			better = true
			select {
			case o.wake <- struct{}{}:
			default:
			}
		}
	}
	return better
}
