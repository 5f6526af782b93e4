package agent

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"golang.org/x/sync/errgroup"

	"github.com/hearth-home/hearth/agent/speed"
)

// timing holds the agent's intervals; tests shorten them.
type timing struct {
	pendingRetry   time.Duration // re-hello while waiting for approval
	refusedRetry   time.Duration // re-hello after the gateway refused the node
	maxBackoff     time.Duration // cap of the delay between tries to reach the gateway
	leaseWait      time.Duration // how long the gateway may hold a lease request
	heartbeatFloor time.Duration // the shortest heartbeat interval accepted
	// discoverPatience is how long discovery may find nothing before the
	// agent says so.
	discoverPatience time.Duration
	// speedBudget is how long the speed probe runs (speed.Measure).
	speedBudget time.Duration
}

var defaultTiming = timing{
	pendingRetry:     2 * time.Second,
	refusedRetry:     30 * time.Second,
	maxBackoff:       5 * time.Second,
	leaseWait:        10 * time.Second,
	heartbeatFloor:   100 * time.Millisecond,
	discoverPatience: 15 * time.Second,
	speedBudget:      speed.DefaultBudget,
}

// connect keeps a session with the gateway until ctx ends: it finds the
// gateway, says hello until paired, then runs the session's loops; when the
// session ends (the gateway is gone, or refuses the node) it starts over.
func (a *Agent) connect(ctx context.Context) {
	var (
		addr     string
		client   *api.Client
		bo       = backoff{min: 100 * time.Millisecond, max: a.timing.maxBackoff}
		said     string // the last problem logged, so that it is logged once
		pending  bool
		lastHost string
		// The join token goes only to a gateway that has not paired this
		// agent yet: once paired, a token since replaced must not get the
		// node refused. A gateway that forgot the node gets it again.
		token = a.cfg.JoinToken
	)
	if a.pin.pairedBefore() {
		token = ""
	}
	defer func() {
		if client != nil {
			client.Close()
		}
	}()
	say := func(key string, log func()) {
		if key != said {
			log()
			said = key
		}
	}
	for ctx.Err() == nil {
		if addr == "" {
			var err error
			if addr, err = a.findGateway(ctx); err != nil {
				return
			}
		}
		if client == nil || client.Addr() != addr {
			if client != nil {
				client.Close()
			}
			var err error
			if client, err = api.NewAgentClient(addr, a.id, a.pin.check); err != nil {
				a.log.Error("cannot build the gateway client", "err", err)
				return
			}
		}
		hello, err := client.Hello(ctx, a.hello(token))
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, identity.ErrUnexpectedPeer):
			pinned, source := a.pin.describe()
			say("pin "+addr, func() {
				a.log.Error("the gateway at this address is not the pinned one; no work will be taken from it",
					"addr", addr, "pinned", pinned.String(), "pinned_by", source, "err", err,
					"fix", "point --join at the right gateway, or give the token or --gateway-id of this one")
			})
			if a.cfg.Gateway == "" {
				addr = "" // another announcement may be the right gateway
			}
			sleep(ctx, a.timing.maxBackoff)
			continue
		case api.IsUnreachable(err):
			say("unreachable "+addr, func() {
				a.log.Warn("gateway unreachable; results are kept until it is back", "addr", addr, "err", err)
			})
			if a.cfg.Gateway == "" {
				addr = ""
			}
			sleep(ctx, bo.next())
			continue
		case errors.Is(err, api.ErrForbidden):
			say("refused "+err.Error(), func() {
				cause := "this node is not allowed in the pool"
				if token != "" {
					cause = "the join token is wrong (it is not this pool's current token)"
				}
				a.log.Error("gateway refused this node; no work will be taken", "cause", cause, "addr", addr, "err", err,
					"fix", "give the token `hearth-gateway init` prints, or none and run `hearth pool approve "+a.id.ID.Short()+"`")
			})
			sleep(ctx, a.timing.refusedRetry)
			continue
		case err != nil:
			say("hello "+err.Error(), func() { a.log.Warn("gateway answered hello with an error", "addr", addr, "err", err) })
			sleep(ctx, bo.next())
			continue
		case hello.State == api.MemberPending && token == "" && a.cfg.JoinToken != "":
			token = a.cfg.JoinToken // the gateway forgot this node: pair again
			continue
		case hello.State == api.MemberPending:
			if !pending {
				a.log.Info("waiting for approval: run `hearth pool approve "+a.id.ID.Short()+"` on the gateway",
					"node", a.id.ID.String(), "gateway", addr)
				pending = true
			}
			said = ""
			sleep(ctx, a.timing.pendingRetry)
			continue
		}
		bo.reset()
		pending, said, token = false, "", ""
		tofu, gw, err := a.pin.paired(a.db)
		if err != nil {
			a.log.Error("remembering the gateway", "err", err)
		}
		if tofu {
			a.log.Warn("trusting the gateway on first use and pinning it from now on", "gateway", gw.String(), "addr", addr)
		}
		if addr != lastHost {
			a.log.Info("paired with gateway", "gateway", gw.Short(), "addr", addr, "state", hello.State)
			lastHost = addr
		} else {
			a.log.Info("gateway session resumed", "gateway", gw.Short(), "addr", addr)
		}
		err = a.session(ctx, client, hello)
		if ctx.Err() != nil {
			return
		}
		a.log.Warn("gateway session ended", "addr", addr, "err", err)
		if api.IsUnreachable(err) && a.cfg.Gateway == "" {
			addr = ""
		}
		sleep(ctx, bo.next())
	}
}

// session runs the loops of one paired session until one of them fails.
func (a *Agent) session(ctx context.Context, c *api.Client, hello api.HelloResponse) error {
	a.client.Store(c)
	defer a.client.Store(nil)
	every := max(hello.Heartbeat.D(), a.timing.heartbeatFloor)
	if hello.Heartbeat <= 0 {
		every = 5 * time.Second
	}
	// The first loop to fail ends the others (errgroup). The heartbeat
	// goes first, alone, on the hello's connection: the others start at
	// its first answer. Started together, each would open a connection of
	// its own, and after a gateway's restart thousands of devices' extra
	// TLS handshakes at once are most of its work (docs/scale.md). The
	// answer also says whether any stream runs: a request for partitions
	// asked before it would wait its full time for nothing.
	g, ctx := errgroup.WithContext(ctx)
	answered := make(chan struct{}) // closed at the session's first heartbeat answer
	g.Go(func() error { return a.heartbeats(ctx, c, every, answered) })
	then := func(loop func(context.Context, *api.Client) error) {
		g.Go(func() error {
			select {
			case <-answered:
				return loop(ctx, c)
			case <-ctx.Done():
				return nil
			}
		})
	}
	then(a.send)
	if len(a.rtNames) > 0 {
		then(a.leases)
	}
	if a.cfg.Streams > 0 && len(a.streamRuntimes()) > 0 {
		then(a.streamLeases)
	}
	if a.shards != nil {
		then(a.storageLoop)
	}
	return g.Wait()
}

// findGateway returns the address to try next.
func (a *Agent) findGateway(ctx context.Context) (string, error) {
	if a.cfg.Gateway != "" {
		return a.cfg.Gateway, nil
	}
	want, source := a.pin.describe()
	a.log.Debug("looking for the gateway", "want", pinText(want, source))
	warned := false
	for {
		dctx, cancel := context.WithTimeout(ctx, a.timing.discoverPatience)
		addr, err := a.cfg.Discover(dctx, want)
		cancel()
		switch {
		case err == nil:
			return addr, nil
		case ctx.Err() != nil:
			return "", ctx.Err()
		case dctx.Err() != nil:
			if !warned {
				a.log.Warn("no gateway found yet; still looking", "want", pinText(want, source), "after", a.timing.discoverPatience,
					"fix", "check that the gateway runs on this network; where multicast is blocked, give --join host:port")
				warned = true
			}
		default:
			a.log.Warn("looking for the gateway", "err", err)
			sleep(ctx, a.timing.maxBackoff)
		}
	}
}

// hello is what the agent says about itself.
func (a *Agent) hello(token string) api.HelloRequest {
	return api.HelloRequest{
		Node: api.NodeInfo{
			Name: a.cfg.Name, OS: runtime.GOOS, Arch: Arch(), Version: a.cfg.Version,
			Proto: api.ProtocolVersion, Runtimes: a.rtNames, Platforms: a.platforms, CPUs: runtime.NumCPU(),
			MemoryBytes: uint64(a.cfg.MemoryBytes), Slots: a.cfg.Slots,
		},
		JoinToken: token,
		Firmware:  a.firmware.load(),
	}
}
