package market

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/internal/merkle"
	"github.com/hearth-home/hearth/store"
)

// orderRecord is an order in the store: what the provider knows and where
// its transactions are.
type orderRecord struct {
	api.MarketOrder
	// AcceptKey and SettleKey name the outbox records of the acceptance
	// and the settlement the order is part of ("" before).
	AcceptKey string `json:"accept_key,omitempty"`
	SettleKey string `json:"settle_key,omitempty"`
	// Attempts counts the acceptances that failed.
	Attempts int `json:"attempts,omitempty"`
	// SettleFailures counts the settlements that failed; RetryAt is when
	// the next one may be sent.
	SettleFailures int        `json:"settle_failures,omitempty"`
	RetryAt        *time.Time `json:"retry_at,omitempty"`
	// Digests are the tasks' result digests ("" for none), once finished.
	Digests    []string   `json:"digests,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

func orderKey(id uint64) string { return fmt.Sprintf("%020d", id) }

func (m *Market) getOrder(id uint64) (orderRecord, bool, error) {
	var o orderRecord
	var ok bool
	err := m.db.View(func(tx *store.Tx) error {
		var err error
		ok, err = tx.GetJSON(bucketOrders, orderKey(id), &o)
		return err
	})
	return o, ok, err
}

// Orders lists the orders the provider knows, newest first.
func (m *Market) Orders() ([]api.MarketOrder, error) {
	os, err := m.loadOrders(func(orderRecord) bool { return true })
	out := make([]api.MarketOrder, len(os))
	for i, o := range os {
		out[len(os)-1-i] = o.MarketOrder
	}
	return out, err
}

// Order is the provider's view of order id.
func (m *Market) Order(id uint64) (api.MarketOrder, error) {
	o, ok, err := m.getOrder(id)
	if err != nil {
		return api.MarketOrder{}, err
	}
	if !ok {
		return api.MarketOrder{}, fmt.Errorf("order %d: %w (not posted, not confirmed yet, or for another provider)", id, store.ErrNotFound)
	}
	return o.MarketOrder, nil
}

func (m *Market) loadOrders(keep func(orderRecord) bool) ([]orderRecord, error) {
	var out []orderRecord
	err := m.db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketOrders, "", func(_ string, v []byte) error {
			var o orderRecord
			if err := json.Unmarshal(v, &o); err != nil {
				return err
			}
			if keep(o) {
				out = append(out, o)
			}
			return nil
		})
	})
	return out, err
}

// putOrders writes orders in one transaction, stamping them.
func (m *Market) putOrders(os ...*orderRecord) error {
	now := time.Now().UTC()
	return m.db.Update(func(tx *store.Tx) error {
		for _, o := range os {
			o.Updated = now
			if err := tx.PutJSON(bucketOrders, orderKey(o.ID), o); err != nil {
				return err
			}
		}
		return nil
	})
}

// refuse ends an order the provider will not run, saying why in its state
// and the log.
func (m *Market) refuse(o *orderRecord, reason string) error {
	o.State, o.Reason = api.OrderRefused, reason
	m.log.Info("order refused", "order", o.ID, "reason", reason)
	return m.putOrders(o)
}

// ---- chain events ----

// handleLogs records what the contract's events say. It is idempotent: the
// watcher may deliver a batch again after a crash.
func (m *Market) handleLogs(ctx context.Context, logs []types.Log) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range logs {
		if err := m.handleLog(&logs[i]); err != nil {
			return err
		}
	}
	m.poke()
	return nil
}

func (m *Market) handleLog(l *types.Log) error {
	if len(l.Topics) == 0 {
		return nil
	}
	events := m.abi.GetABI().Events
	switch l.Topics[0] {
	case events["OrderPosted"].ID:
		ev, err := m.abi.UnpackOrderPostedEvent(l)
		if err != nil {
			return fmt.Errorf("order event in block %d: %w", l.BlockNumber, err)
		}
		if ev.Provider != (common.Address{}) && ev.Provider != m.provider {
			return nil // for another provider
		}
		id := ev.Id.Uint64()
		o, ok, err := m.getOrder(id)
		if err != nil {
			return err
		}
		if l.Removed {
			if ok && o.State == api.OrderSeen {
				m.log.Warn("order vanished in a chain reorganization", "order", id)
				return m.db.Update(func(tx *store.Tx) error { return tx.Delete(bucketOrders, orderKey(id)) })
			}
			return nil
		}
		if ok {
			return nil
		}
		o = orderFromEvent(ev, l.BlockNumber)
		m.log.Info("order seen", "order", id, "requester", o.Requester, "runtime", o.Runtime,
			"tasks", o.Tasks, "price_per_task", o.PricePerTask, "block", l.BlockNumber)
		return m.putOrders(&o)
	case events["OrderReclaimed"].ID:
		ev, err := m.abi.UnpackOrderReclaimedEvent(l)
		if err != nil || l.Removed {
			return err
		}
		o, ok, err := m.getOrder(ev.Id.Uint64())
		// An order whose settlement the gateway gave up on (OrderFailed)
		// is still the requester's to reclaim, and then it is reclaimed.
		if err != nil || !ok || o.State.Final() && o.State != api.OrderFailed {
			return err
		}
		return m.reclaimed(&o, "reclaimed by its requester after its deadline")
	case events["OrderAccepted"].ID, events["OrderSettled"].ID:
		if len(l.Topics) < 3 || common.BytesToAddress(l.Topics[2].Bytes()) != m.provider || l.Removed {
			return nil
		}
		o, ok, err := m.getOrder(new(big.Int).SetBytes(l.Topics[1].Bytes()).Uint64())
		if err != nil || !ok {
			return err
		}
		if l.Topics[0] == events["OrderAccepted"].ID {
			o.AcceptedBlock = l.BlockNumber
		} else {
			o.SettledBlock = l.BlockNumber
			if o.State == api.OrderFailed {
				// A settlement that had reverted was mined again, and
				// went through, after a reorganization.
				o.State, o.Reason = api.OrderSettled, ""
			}
		}
		return m.putOrders(&o)
	}
	return nil
}

func orderFromEvent(ev *contracts.HearthMarketOrderPosted, block uint64) orderRecord {
	o := api.MarketOrder{
		ID: ev.Id.Uint64(), Requester: ev.Requester.Hex(), State: api.OrderSeen,
		AppDigest: "sha256:" + hex.EncodeToString(ev.AppDigest[:]), AppURI: ev.AppURI,
		Runtime: runtimeName(ev.Runtime), Args: ev.Args, Tasks: int(ev.Tasks.Int64()),
		PricePerTask: ev.PricePerTask.String(), Deadline: time.Unix(ev.Deadline.Int64(), 0).UTC(),
		PostedBlock: block,
	}
	for _, in := range ev.Inputs {
		o.Inputs = append(o.Inputs, "sha256:"+hex.EncodeToString(in[:]))
	}
	return orderRecord{MarketOrder: o}
}

func runtimeName(r uint8) string {
	switch r {
	case contracts.RuntimeWasm:
		return "wasm"
	case contracts.RuntimeOCI:
		return "oci"
	}
	return "runtime-" + strconv.Itoa(int(r))
}

// ---- the steps ----

// step moves every unfinished order as far as it can go now.
func (m *Market) step(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	open, err := m.loadOrders(func(o orderRecord) bool { return !o.State.Final() })
	if err != nil {
		return err
	}
	var errs []error
	errs = append(errs, m.followAccepts(ctx, open))
	errs = append(errs, m.scanGap(ctx))
	// Orders to decide want a fresh head: the light client then checks
	// every slot instead of every minute.
	if rf, ok := m.reader.(chain.Refresher); ok && slices.ContainsFunc(open, func(o orderRecord) bool { return o.State == api.OrderSeen }) {
		rf.Refresh()
	}
	fresh := m.freshHead(ctx)
	if fresh != nil {
		m.setPaused(fresh.Error())
	} else {
		m.setPaused("")
	}
	if m.registered && fresh == nil {
		errs = append(errs, m.decide(ctx, open))
	}
	errs = append(errs, m.followJobs(open))
	errs = append(errs, m.followSettles(ctx, open))
	errs = append(errs, m.settle(ctx, open))
	errs = append(errs, m.publishInfo())
	return errors.Join(errs...)
}

// onChain reads an order from the contract.
func (m *Market) onChain(ctx context.Context, id uint64) (contracts.HearthMarketOrder, error) {
	out, err := m.call(ctx, m.abi.PackGetOrder(new(big.Int).SetUint64(id)))
	if err != nil {
		return contracts.HearthMarketOrder{}, fmt.Errorf("read order %d: %w", id, err)
	}
	return m.abi.UnpackGetOrder(out)
}

func (m *Market) call(ctx context.Context, data []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return m.reader.CallContract(ctx, ethereum.CallMsg{To: &m.cfg.Contract, Data: data}, nil)
}

// judge applies the owner's policy to a seen order: a reason to refuse it,
// or a reason to wait (wait true), or neither: accept it.
func (m *Market) judge(ctx context.Context, o *orderRecord) (reason string, wait bool) {
	if lead := time.Until(o.Deadline); lead < m.cfg.MinLead {
		return fmt.Sprintf("expired: its deadline %s is past or less than %s away", o.Deadline.Format(time.RFC3339), m.cfg.MinLead), false
	}
	price, _ := new(big.Int).SetString(o.PricePerTask, 10)
	if price == nil || price.Cmp(m.cfg.MinPricePerTask) < 0 {
		return fmt.Sprintf("price below policy: %s wei per task, the provider's minimum is %s wei", o.PricePerTask, m.cfg.MinPricePerTask), false
	}
	if !slices.Contains(m.cfg.Runtimes, o.Runtime) {
		return fmt.Sprintf("runtime %s is not sold here (only %s)", o.Runtime, strings.Join(m.cfg.Runtimes, ", ")), false
	}
	if len(m.cfg.Apps) > 0 && !slices.Contains(m.cfg.Apps, o.AppDigest) {
		return fmt.Sprintf("app %s is not on the provider's list of allowed apps", o.AppDigest), false
	}
	if o.Tasks > m.cfg.MaxTasks {
		return fmt.Sprintf("too many tasks: %d, the provider takes at most %d per order", o.Tasks, m.cfg.MaxTasks), false
	}
	spec := jobSpec(o)
	if err := api.ValidateJobSpec(&spec); err != nil {
		return "the pool cannot run it as a job: " + err.Error(), false
	}
	blobs := m.pool.Blobs()
	if !blobs.Has(store.Digest(o.AppDigest)) {
		if !isURL(o.AppURI) {
			return fmt.Sprintf("waiting for the app %s: upload it to the provider (hearth market order post does)", o.AppDigest), true
		}
		if err := m.fetch(ctx, o.AppURI, o.AppDigest); err != nil {
			if errors.Is(err, errDigestMismatch) {
				return "app digest mismatch: " + err.Error(), false
			}
			return "waiting for the app: " + err.Error(), true
		}
	}
	v, reason, wait := m.judgeApp(ctx, o, spec)
	if reason != "" {
		return reason, wait
	}
	for i, in := range o.Inputs {
		if !blobs.Has(store.Digest(in)) {
			return fmt.Sprintf("waiting for input %d (%s): upload it to the provider", i, in), true
		}
	}
	c := m.pool.Capacity()
	if !c.Runs(o.Runtime, nil) {
		return fmt.Sprintf("waiting for a ready device that runs %s", o.Runtime), true
	}
	if reason := judgePlatforms(o, v, c); reason != "" {
		return reason, false
	}
	if c.Queued > m.cfg.MaxQueued {
		return fmt.Sprintf("waiting: the pool has %d tasks queued", c.Queued), true
	}
	return "", false
}

// decide judges the seen orders and accepts the ones that pass, in one
// transaction.
func (m *Market) decide(ctx context.Context, open []orderRecord) error {
	var take []*orderRecord
	for i := range open {
		o := &open[i]
		if o.State != api.OrderSeen || len(take) >= m.cfg.AcceptBatch {
			continue
		}
		reason, wait := m.judge(ctx, o)
		switch {
		case reason != "" && wait && time.Until(o.Deadline) < m.cfg.MinLead:
			if err := m.refuse(o, "expired while "+reason); err != nil {
				return err
			}
		case reason != "" && wait:
			if o.Reason != reason {
				o.Reason = reason
				m.log.Info("order waits", "order", o.ID, "reason", reason)
				if err := m.putOrders(o); err != nil {
					return err
				}
			}
		case reason != "":
			if err := m.refuse(o, reason); err != nil {
				return err
			}
		default:
			take = append(take, o)
		}
	}
	if len(take) == 0 {
		return nil
	}
	// The contract's word decides: an order reclaimed or taken meanwhile
	// would fail the whole batch.
	var batch []*orderRecord
	for _, o := range take {
		c, err := m.onChain(ctx, o.ID)
		if err != nil {
			return err
		}
		if why := m.matchesChain(o, c); why != "" {
			if err := m.dropForged(o, why); err != nil {
				return err
			}
			continue
		}
		switch {
		case c.Status == contracts.StatusOpen:
			batch = append(batch, o)
		case c.Status == contracts.StatusReclaimed:
			if err := m.reclaimed(o, "reclaimed by its requester"); err != nil {
				return err
			}
		case c.Status == contracts.StatusAccepted && c.Provider == m.provider:
			// Accepted by this provider, though the store had forgotten
			// (restored from an older backup): run it.
			m.startJob(o)
			if err := m.putOrders(o); err != nil {
				return err
			}
		default:
			if err := m.refuse(o, "no longer open on chain: "+contracts.StatusName(c.Status)); err != nil {
				return err
			}
		}
	}
	if len(batch) == 0 {
		return nil
	}
	key, err := m.nextKey("accept")
	if err != nil {
		return err
	}
	for _, o := range batch {
		o.State, o.Reason, o.AcceptKey = api.OrderAccepting, "", key
	}
	// Recorded first: after a crash, followAccepts finds the key and
	// enqueues it again (the outbox makes that one transaction).
	if err := m.putOrders(batch...); err != nil {
		return err
	}
	crashPoint("accept-recorded")
	if _, err := m.outbox.Enqueue(m.acceptIntent(key, batch)); err != nil {
		return err
	}
	m.log.Info("accepting orders", "orders", idList(batch), "tx", key)
	crashPoint("accept-enqueued")
	return nil
}

// nextKey is a new outbox key: "accept/7", "settle/3".
func (m *Market) nextKey(kind string) (string, error) {
	var seq uint64
	err := m.db.Update(func(tx *store.Tx) error {
		var err error
		seq, err = tx.NextSeq("market_seq_" + kind)
		return err
	})
	return kind + "/" + strconv.FormatUint(seq, 10), err
}

func idList(os []*orderRecord) string {
	s := make([]string, len(os))
	for i, o := range os {
		s[i] = strconv.FormatUint(o.ID, 10)
	}
	return strings.Join(s, ",")
}

// groups collects the orders in state s by their outbox key.
func groups(open []orderRecord, s api.MarketOrderState, key func(*orderRecord) string) (keys []string, by map[string][]*orderRecord) {
	by = map[string][]*orderRecord{}
	for i := range open {
		o := &open[i]
		if o.State != s || key(o) == "" {
			continue
		}
		k := key(o)
		if by[k] == nil {
			keys = append(keys, k)
		}
		by[k] = append(by[k], o)
	}
	return keys, by
}

// followAccepts starts the jobs of accepted orders, and sorts out the
// orders of an acceptance that failed.
func (m *Market) followAccepts(ctx context.Context, open []orderRecord) error {
	keys, by := groups(open, api.OrderAccepting, func(o *orderRecord) string { return o.AcceptKey })
	for _, key := range keys {
		os := by[key]
		rec, ok, err := m.outbox.Get(key)
		if err != nil {
			return err
		}
		if !ok { // crashed between recording the orders and enqueuing
			if _, err := m.outbox.Enqueue(m.acceptIntent(key, os)); err != nil {
				return err
			}
			continue
		}
		if !rec.Final() {
			continue
		}
		if rec.State == chain.Mined && !rec.Reverted {
			crashPoint("accept-mined")
			for _, o := range os {
				o.AcceptTx, o.AcceptedBlock = rec.TxHash.Hex(), rec.BlockNumber
				m.startJob(o)
				if err := m.putOrders(o); err != nil {
					return err
				}
			}
			m.log.Info("orders accepted", "orders", idList(os), "tx", rec.TxHash.Hex(), "block", rec.BlockNumber, "gas", rec.GasUsed)
			continue
		}
		why := m.txError(rec)
		m.log.Warn("acceptance failed", "orders", idList(os), "tx", key, "err", why)
		for _, o := range os {
			if err := m.afterFailedAccept(ctx, o, why); err != nil {
				return err
			}
		}
	}
	return nil
}

// afterFailedAccept asks the contract where an order stands after its
// acceptance failed.
func (m *Market) afterFailedAccept(ctx context.Context, o *orderRecord, why string) error {
	c, err := m.onChain(ctx, o.ID)
	if err != nil {
		return err
	}
	switch {
	case c.Status == contracts.StatusAccepted && c.Provider == m.provider:
		m.startJob(o)
	case c.Status == contracts.StatusOpen && o.Attempts < 3:
		o.State, o.AcceptKey, o.Reason = api.OrderSeen, "", "acceptance failed, will try again: "+why
		o.Attempts++
	case c.Status == contracts.StatusReclaimed:
		return m.reclaimed(o, "reclaimed by its requester")
	default:
		return m.refuse(o, "acceptance failed: "+why)
	}
	return m.putOrders(o)
}

// txError says why an outbox record failed or reverted, decoding the
// contract's custom error when there is one.
func (m *Market) txError(rec chain.Record) string {
	if len(rec.RevertData) >= 4 {
		if e, err := m.abi.UnpackError(rec.RevertData); err == nil {
			return fmt.Sprintf("%T %+v", e, e)
		}
	}
	if rec.Err != "" {
		return rec.Err
	}
	if rec.Reverted {
		return "transaction " + rec.TxHash.Hex() + " reverted"
	}
	return string(rec.State)
}

// jobName names an order's pool job; a restart finds the job by it.
func jobName(id uint64) string { return "market-" + strconv.FormatUint(id, 10) }

// jobSpec is the pool job that runs an order; judge checks it before the
// order is accepted.
func jobSpec(o *orderRecord) api.JobSpec {
	spec := api.JobSpec{Name: jobName(o.ID), Runtime: o.Runtime, AppDigest: o.AppDigest,
		Args: o.Args, Tasks: o.Tasks}
	for i, in := range o.Inputs {
		spec.Inputs = append(spec.Inputs, api.Input{Name: strconv.Itoa(i), Digest: in})
	}
	return spec
}

// startJob turns an accepted order into a pool job, once: a job of the
// order's name that exists already is the one. An order whose job cannot be
// made is settled with no task done, refunding its requester.
func (m *Market) startJob(o *orderRecord) {
	o.State, o.Reason = api.OrderRunning, ""
	for _, j := range m.pool.Jobs() {
		if j.Spec.Name == jobName(o.ID) {
			o.Job = j.ID
			return
		}
	}
	j, err := m.pool.SubmitJob(jobSpec(o))
	crashPoint("job-submitted")
	if err != nil {
		now := time.Now().UTC()
		o.State, o.Reason, o.FinishedAt = api.OrderSettling, "accepted, but the pool cannot run it: "+err.Error(), &now
		o.Digests = make([]string, o.Tasks)
		o.ResultRoot = rootHex(o.ID, o.Digests)
		m.log.Warn("order's job refused; settling it as not done", "order", o.ID, "err", err)
		return
	}
	o.Job = j.ID
	m.log.Info("order running", "order", o.ID, "job", j.ID)
}

// followJobs notes the orders whose jobs finished, with their results'
// Merkle root, for settlement.
func (m *Market) followJobs(open []orderRecord) error {
	for i := range open {
		o := &open[i]
		if o.State != api.OrderRunning {
			continue
		}
		d, err := m.pool.Job(o.Job)
		if err != nil {
			return fmt.Errorf("order %d: job %s: %w", o.ID, o.Job, err)
		}
		// A job the owner canceled (hearth job cancel) has ended too:
		// the order is settled with the tasks that were done.
		if !d.State.Final() {
			continue
		}
		o.Digests = make([]string, o.Tasks)
		o.TasksDone = 0
		for _, t := range d.Tasks {
			if t.State == api.TaskDone && t.Result != nil && t.Index < o.Tasks {
				o.Digests[t.Index] = t.Result.Digest
				o.TasksDone++
			}
		}
		o.ResultRoot = rootHex(o.ID, o.Digests)
		now := time.Now().UTC()
		o.State, o.FinishedAt = api.OrderSettling, &now
		m.log.Info("order finished", "order", o.ID, "job", o.Job, "done", o.TasksDone, "of", o.Tasks, "root", o.ResultRoot)
		if err := m.putOrders(o); err != nil {
			return err
		}
	}
	return nil
}

func rootHex(order uint64, digests []string) string {
	r := merkle.Root(merkle.OrderLeaves(order, digests))
	return "0x" + hex.EncodeToString(r[:])
}

// acceptIntent and settleIntent are the transactions of a recorded batch:
// after a crash the same orders give the same intent, which the outbox
// knows as the one it may already have sent.
func (m *Market) acceptIntent(key string, os []*orderRecord) chain.Intent {
	ids := make([]*big.Int, len(os))
	for i, o := range os {
		ids[i] = new(big.Int).SetUint64(o.ID)
	}
	return chain.Intent{Key: key, To: m.cfg.Contract, Data: m.abi.PackAcceptOrders(ids)}
}

func (m *Market) settleIntent(key string, os []*orderRecord) chain.Intent {
	items := make([]contracts.HearthMarketSettlement, len(os))
	for i, o := range os {
		items[i] = settlement(o)
	}
	return chain.Intent{Key: key, To: m.cfg.Contract, Data: m.abi.PackSettle(items)}
}
