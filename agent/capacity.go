package agent

import (
	"runtime"
	"sync"

	"github.com/hearth-home/hearth/gateway/api"
)

// capacity counts what running tasks hold of the agent's slots, cores and
// memory, and what lease requests in flight have asked for, and says when
// some comes free.
type capacity struct {
	slots  int
	cpu    float64
	memory int64

	mu       sync.Mutex
	used     share // held by running tasks
	reserved share // asked for by lease requests in flight

	// headroom, when set, is how many more cores of tasks the power
	// budget has room for (Governor.Headroom).
	headroom func() float64

	// freed receives a token (without blocking the sender) whenever a task
	// or a request gives its share back, so that the lease loop refills at
	// once.
	freed chan struct{}
}

// share is an amount of capacity.
type share struct {
	slots int
	cpu   float64
	mem   int64
}

// newCapacity offers slots tasks at once. Cores count as many as there are,
// or as many as slots when the owner asked for more tasks than cores: a
// task's CPU share is then a share of a slot.
func newCapacity(slots int, memory int64) *capacity {
	return &capacity{
		slots: slots, cpu: float64(max(runtime.NumCPU(), slots)), memory: memory,
		freed: make(chan struct{}, 1),
	}
}

// free returns what neither running tasks nor requests hold.
func (c *capacity) free() share {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.freeLocked()
}

func (c *capacity) freeLocked() share {
	return share{
		slots: c.slots - c.used.slots - c.reserved.slots,
		cpu:   c.cpu - c.used.cpu - c.reserved.cpu,
		mem:   c.memory - c.used.mem - c.reserved.mem,
	}
}

// idle is how many slots run nothing.
func (c *capacity) idle() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slots - c.used.slots
}

// reserve sets aside everything free for a lease request; ok is false when
// nothing is.
func (c *capacity) reserve() (s share, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s = c.freeLocked()
	if c.headroom != nil {
		// Only work that fits the power budget; but when nothing runs,
		// one task of any size, which the governor then caps to fit.
		h := c.headroom()
		switch {
		case !(h >= minPowerCores):
			return share{}, false
		case c.used.slots+c.reserved.slots > 0:
			s.cpu = min(s.cpu, h)
		default:
			s.slots = 1
		}
	}
	if s.slots <= 0 || s.cpu <= 0 || s.mem <= 0 {
		return share{}, false
	}
	c.reserved.add(s, 1)
	return s, true
}

// minPowerCores is the least power headroom, in cores, worth a lease.
const minPowerCores = 0.05

// settle turns a request's reservation into the leases it brought. The
// gateway is trusted to send only what fits; if it sends more, the agent
// runs it and asks for less until it is back below.
func (c *capacity) settle(s share, leases []api.Lease) {
	c.mu.Lock()
	c.reserved.add(s, -1)
	for i := range leases {
		c.used.add(leaseShare(&leases[i]), 1)
	}
	c.mu.Unlock()
	if len(leases) < s.slots {
		c.signal()
	}
}

// take holds a lease's share (a task found again after a restart).
func (c *capacity) take(l *api.Lease) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used.add(leaseShare(l), 1)
}

// release gives a lease's share back.
func (c *capacity) release(l *api.Lease) {
	c.mu.Lock()
	c.used.add(leaseShare(l), -1)
	if c.used.slots == 0 {
		c.used = share{} // no float drift once idle
	}
	c.mu.Unlock()
	c.signal()
}

func (c *capacity) signal() {
	select {
	case c.freed <- struct{}{}:
	default:
	}
}

// leaseShare is what a lease holds of the capacity: a stream partition
// holds none (it counts against Config.Streams).
func leaseShare(l *api.Lease) share {
	if l.Stream != nil {
		return share{}
	}
	return share{slots: 1, cpu: l.Resources.CPU, mem: int64(l.Resources.Memory)}
}

func (s *share) add(o share, sign int) {
	s.slots += sign * o.slots
	s.cpu += float64(sign) * o.cpu
	s.mem += int64(sign) * o.mem
}
