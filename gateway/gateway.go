package gateway

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// Gateway is a running pool coordinator.
type Gateway struct {
	cfg        Config
	log        *slog.Logger
	db         *store.DB
	blobs      *store.Blobs
	id         identity.Identity
	ln         net.Listener
	adminToken string
	joinToken  api.JoinToken

	mu       sync.Mutex
	members  map[identity.NodeID]*member
	jobs     map[string]*job
	jobOrder []string         // oldest first
	queue    []*task          // queued tasks, oldest first
	leased   map[string]*task // by lease ID
	// wake is closed when work is queued, for the stream requests and
	// the held ones (those of slow devices); the others are parked and
	// woken one by one (wake.go).
	wake chan struct{}
	// unsavedTasks and unsavedJobs changed in memory but failed to be
	// stored (unsaved.go); unsavedErr (the sweeper's) is the last such
	// failure logged.
	unsavedTasks map[string]*task
	unsavedJobs  map[string]*job
	unsavedErr   string
	refused      map[identity.NodeID]time.Time // when an unpaired node was last logged
	power        powerState
	energyBuf    energyBuf // energy not stored yet (power.go)
	// heartbeatSeconds is how long the gateway takes to answer a
	// heartbeat, from its headers read to its answer written.
	heartbeatSeconds prometheus.Histogram
	waiting          map[*leaseWait]struct{} // lease requests waiting for work
	waitingBy        map[identity.NodeID]int // how many of them each device has
	parked           parkedWaits             // task requests waiting to be woken, longest first (wake.go)
	// bySpeed is the members, fastest first by each speed (placement.go);
	// one absent is to be sorted again.
	bySpeed map[speedOrder][]*member
	// streamJobs are the jobs whose tasks are streams' partitions, of
	// every version, oldest first: a stream request looks for queued
	// partitions there rather than in the whole queue.
	streamJobs []*job
	// streamWaiting counts the stream partition requests waiting, by node.
	streamWaiting map[identity.NodeID]int
	mounts        map[string]http.Handler                      // see Mount
	chainStatus   func() string                                // see SetChainStatus
	dashLogin     func(role string) (api.DashboardLink, error) // see SetDashboardLogin
	marketMetrics prometheus.Collector                         // see SetMarketMetrics
	fw            *firmware                                    // nil without Config.FirmwareRoot
	// sealed holds the outputs of certified tasks' replicas not yet
	// certified, with the devices that reported them: only those (and the
	// owner) may read them (certify.go). credChanged and rechecking drive
	// recheckLocked; certRand draws spot checks.
	sealed        map[store.Digest]map[identity.NodeID]bool
	credChanged   bool
	rechecking    bool
	certRand      func() float64
	stuckChecked  time.Time // when checkStuckLocked last ran
	energyFlushed time.Time // when the sweeper last ran flushEnergy

	// smu guards the streams (taken before mu, never after).
	smu     sync.Mutex
	streams map[string]*streamState
	signals []api.MQTTSignal // topics that feed power signals
	broker  *broker          // nil without Config.MQTT
	ha      *haState
	inbox   chan inMsg      // broker -> runIngest
	commits chan *commitReq // durable streams' commits -> runIngest
	// packetIDs is bucketMQTTIDs in memory (guarded by smu); ingestDone is
	// closed when runIngest has returned.
	packetIDs  map[uint16]uint64
	ingestDone chan struct{}
	// storing is open while a durable ingest transaction is committed
	// without smu (waitStoredLocked); nil otherwise. Guarded by smu.
	storing chan struct{}
	outKick chan struct{} // wakes runPublisher
	// ingestHook, for tests, runs at the end of each durable ingest
	// transaction, after the tails are handed out; its error fails the
	// transaction as a failing commit would.
	ingestHook atomic.Pointer[func() error]
}

// New opens (or creates) the gateway's state in cfg.DataDir, makes its
// identity and tokens on first start, and binds the API port so that Addr is
// known before Run. Close releases what New took if Run is never called.
func New(cfg Config) (*Gateway, error) {
	g, err := openGateway(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", g.cfg.Listen)
	if err != nil {
		g.db.Close()
		return nil, fmt.Errorf("gateway: listen on %s: %w (is another gateway running? choose another address with --listen)", g.cfg.Listen, err)
	}
	g.ln = ln
	return g, nil
}

// Init prepares a data dir without serving: identity, join token, admin
// token and the credentials file. It is idempotent: a second call prints the
// same identity and tokens. It returns the credentials and their file.
func Init(cfg Config) (api.Credentials, api.JoinToken, string, error) {
	g, err := openGateway(cfg)
	if err != nil {
		return api.Credentials{}, api.JoinToken{}, "", err
	}
	defer g.db.Close()
	path, err := g.WriteCredentials()
	return g.Credentials(), g.joinToken, path, err
}

func openGateway(cfg Config) (*Gateway, error) {
	cfg = cfg.withDefaults()
	if cfg.DataDir == "" {
		return nil, errors.New("gateway: DataDir is required")
	}
	if cfg.Placement != PlacementSpeed && cfg.Placement != PlacementFIFO {
		return nil, fmt.Errorf("gateway: placement %q: want %q or %q", cfg.Placement, PlacementSpeed, PlacementFIFO)
	}
	db, err := store.Open(filepath.Join(cfg.DataDir, "gateway.db"))
	if err != nil {
		return nil, err
	}
	g := &Gateway{
		heartbeatSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "hearth_heartbeat_seconds",
			Help: "How long the gateway took to answer a device's heartbeat, from its headers read to the answer written.",
			// 25 us to 3 s, each bucket half as wide again as the last.
			Buckets: prometheus.ExponentialBuckets(25e-6, 1.5, 30),
		}),
		cfg: cfg, log: cfg.Logger, db: db,
		members: map[identity.NodeID]*member{}, jobs: map[string]*job{},
		leased: map[string]*task{}, wake: make(chan struct{}),
		sealed: map[store.Digest]map[identity.NodeID]bool{}, certRand: certRandDefault,
		unsavedTasks: map[string]*task{}, unsavedJobs: map[string]*job{}, refused: map[identity.NodeID]time.Time{},
		waiting: map[*leaseWait]struct{}{}, waitingBy: map[identity.NodeID]int{}, streamWaiting: map[identity.NodeID]int{},
		streams: map[string]*streamState{}, inbox: make(chan inMsg, inboxDepth), commits: make(chan *commitReq, 64), outKick: make(chan struct{}, 1), ha: newHAState(),
		packetIDs: map[uint16]uint64{}, ingestDone: make(chan struct{}),
	}
	if err := g.open(); err != nil {
		db.Close()
		return nil, err
	}
	return g, nil
}

func (g *Gateway) open() error {
	var err error
	if g.blobs, err = store.OpenBlobs(filepath.Join(g.cfg.DataDir, "blobs")); err != nil {
		return err
	}
	if g.id, err = g.db.Identity(); err != nil {
		return err
	}
	if err := g.loadSecrets(); err != nil {
		return err
	}
	if err := g.openBroker(); err != nil {
		return err
	}
	if err := g.openFirmware(); err != nil {
		return err
	}
	return g.load()
}

// ID is the gateway's node ID.
func (g *Gateway) ID() identity.NodeID { return g.id.ID }

// Addr is the bound API address.
func (g *Gateway) Addr() net.Addr { return g.ln.Addr() }

// JoinToken is the pool's join token.
func (g *Gateway) JoinToken() api.JoinToken { return g.joinToken }

// Close releases the store and the listener; Run calls it on its way out.
func (g *Gateway) Close() error {
	if g.ln != nil {
		g.ln.Close()
	}
	if err := g.flushEnergy(); err != nil {
		g.log.Error("store the energy kept in memory", "err", err)
	}
	return g.db.Close()
}

// Run serves the API and runs the lease sweeper until ctx ends, then stops
// accepting calls, waits briefly for calls in flight, and closes the store.
func (g *Gateway) Run(ctx context.Context) error {
	defer g.Close()
	tlsCfg, err := g.id.ServerTLS()
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           g.routes(),
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: min(10*time.Second, g.cfg.CallTimeout),
		ReadTimeout:       g.cfg.CallTimeout,
		WriteTimeout:      g.cfg.CallTimeout,
		IdleTimeout:       g.cfg.CallTimeout,
		ErrorLog:          slog.NewLogLogger(g.log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		g.sweeper(ctx)
	}()
	loops := []func(context.Context) error{g.runIngest}
	if g.broker != nil {
		loops = append(loops, g.runBroker, g.runPublisher, g.runHomeAssistant)
	}
	for _, run := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(ctx)
		}()
	}
	if g.fw != nil && g.fw.self != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.runSelfUpdate(ctx)
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(tls.NewListener(g.ln, tlsCfg)) }()
	g.log.Info("gateway serving", "addr", g.ln.Addr().String(), "id", g.id.ID.String())
	select {
	case err = <-errc:
	case <-ctx.Done():
		shut, done := context.WithTimeout(context.Background(), 2*time.Second)
		srv.Shutdown(shut)
		done()
		<-errc
		err = nil
	}
	cancel()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// load rebuilds the in-memory model from the store after a (re)start.
func (g *Gateway) load() error {
	return g.db.View(func(tx *store.Tx) error {
		if err := g.loadPower(tx); err != nil {
			return err
		}
		if err := g.loadFirmware(tx); err != nil {
			return err
		}
		err := tx.Scan(bucketMembers, "", func(_ string, v []byte) error {
			m := &member{}
			if err := json.Unmarshal(v, &m.memberRecord); err != nil {
				return err
			}
			m.state = api.MemberLost // until it is heard from
			if m.memberRecord.State == api.MemberPending {
				m.state = api.MemberPending
			}
			g.members[m.ID] = m
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Scan(bucketJobs, "", func(_ string, v []byte) error {
			j := &job{}
			if err := json.Unmarshal(v, &j.jobRecord); err != nil {
				return err
			}
			j.tasks = make([]*task, j.Spec.Tasks)
			if j.Spec.Certify != nil {
				j.replicaCounts = &api.TaskCounts{}
			}
			g.jobs[j.ID] = j
			if j.Stream != "" {
				g.streamJobs = append(g.streamJobs, j)
			}
			return nil
		})
		if err != nil {
			return err
		}
		var replicas []*task
		err = tx.Scan(bucketTasks, "", func(_ string, v []byte) error {
			t := &task{}
			if err := json.Unmarshal(v, &t.taskRecord); err != nil {
				return err
			}
			j := g.jobs[t.JobID]
			if j == nil || t.Index < 0 || t.Index >= len(j.tasks) {
				return fmt.Errorf("task %s/%d has no job", t.JobID, t.Index)
			}
			t.job = j
			if t.Replica > 0 {
				if j.replicaCounts == nil {
					return fmt.Errorf("replica %s has no certified job", t.key())
				}
				replicas = append(replicas, t)
				return nil
			}
			j.tasks[t.Index] = t
			dropOutputsLocked(t) // stored: read back when asked for
			return nil
		})
		if err != nil {
			return err
		}
		// Replicas join their tasks in order (keys sort them so). A
		// replica whose record is missing (two writes raced, then the
		// gateway was killed) is filled in as canceled: its task asks for
		// another if it needs one.
		for _, r := range replicas {
			p := r.job.tasks[r.Index]
			if p == nil {
				return fmt.Errorf("replica %s has no task", r.key())
			}
			for len(p.replicas)+1 < r.Replica {
				gap := &task{taskRecord: taskRecord{JobID: p.JobID, Index: p.Index, Replica: len(p.replicas) + 1, State: api.TaskCanceled}, job: p.job, parent: p}
				p.replicas = append(p.replicas, gap)
				g.log.Warn("replica record missing; counted as canceled", "replica", gap.key())
			}
			if r.Replica != len(p.replicas)+1 {
				return fmt.Errorf("replica %s is stored twice", r.key())
			}
			r.parent = p
			p.replicas = append(p.replicas, r)
		}
		if err := g.loadStreams(tx); err != nil {
			return err
		}
		if err := g.loadMQTTSignals(tx); err != nil {
			return err
		}
		if err := g.loadPacketIDs(tx); err != nil {
			return err
		}
		// Jobs in submission order: their IDs end in the sequence number.
		for _, j := range g.jobs {
			g.jobOrder = append(g.jobOrder, j.ID)
		}
		sortJobIDs(g.jobOrder)
		now := time.Now()
		for _, id := range g.jobOrder {
			j := g.jobs[id]
			var units []*task
			for _, t := range j.tasks {
				units = append(units, t)
				units = append(units, t.replicas...)
			}
			for _, t := range units {
				if j.Canceled != nil && (t.State == api.TaskQueued || t.State == api.TaskLeased || t.State == api.TaskVerifying) {
					// The cancel stores the job and its tasks in one
					// transaction; should a task's write have been
					// skipped all the same, it stays canceled with its job.
					t.State = api.TaskCanceled
				}
				if t.parent != nil && t.Result != nil && t.Vote != voteAgrees &&
					(t.parent.Cert == nil || t.parent.Cert.Canonical != t.Result.Digest) {
					g.sealLocked(store.Digest(t.Result.Output.Digest), t.Node)
				}
				c := t.counts()
				switch t.State {
				case api.TaskQueued:
					c.Queued++
					g.queue = append(g.queue, t)
				case api.TaskLeased:
					// A fresh TTL: the holder may well be alive. A task
					// lease waits at least RestartGrace for it; a
					// partition's moves on soon, as always.
					c.Leased++
					ttl := g.leaseTTL(t)
					if t.job.Stream == "" {
						ttl = max(ttl, g.cfg.RestartGrace)
					}
					t.expires = now.Add(ttl)
					g.leased[t.leaseID()] = t
				case api.TaskVerifying:
					c.Verifying++
				case api.TaskDone:
					c.Done++
				case api.TaskFailed:
					c.Failed++
				case api.TaskCanceled:
					c.Canceled++
				}
			}
			if j.Finished != nil && j.counts.Queued+j.counts.Leased+j.counts.Verifying > 0 {
				// The write that finished the job landed, an earlier
				// result of the job did not (they raced, then the gateway
				// was killed): the job is not finished yet.
				j.Finished = nil
			}
		}
		g.log.Info("state loaded", "members", len(g.members), "jobs", len(g.jobs), "queued", len(g.queue), "leased", len(g.leased))
		return nil
	})
}
