package market

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/store"
)

// An order as the provider stores it, and the store's helpers.

// orderRecord is an order in the store: what the provider knows and where
// its transactions are.
type orderRecord struct {
	api.MarketOrder
	// AcceptKey and SettleKey name the outbox records of the acceptance
	// and the settlement the order is part of ("" before).
	AcceptKey string `json:"accept_key,omitempty"`
	SettleKey string `json:"settle_key,omitempty"`
	// CommitKey, RevealKey and FinalizeKey name a replicated order's
	// commitment (its batch: the orders of one key, by ID), its reveal,
	// and the finalize or reclaim that ends it when others do not.
	CommitKey   string `json:"commit_key,omitempty"`
	RevealKey   string `json:"reveal_key,omitempty"`
	FinalizeKey string `json:"finalize_key,omitempty"`
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

func idList(os []*orderRecord) string {
	s := make([]string, len(os))
	for i, o := range os {
		s[i] = strconv.FormatUint(o.ID, 10)
	}
	return strings.Join(s, ",")
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

// followBatches walks the outbox records of the orders in state s, grouped
// by their key: a record that is missing (a crash between recording the
// orders and queuing their transaction) is queued again from intent, and
// a final one (mined, reverted or failed) goes to done.
func (m *Market) followBatches(open []orderRecord, s api.MarketOrderState, key func(*orderRecord) string,
	intent func(string, []*orderRecord) chain.Intent, done func(key string, os []*orderRecord, rec chain.Record) error) error {
	keys, by := groups(open, s, key)
	for _, k := range keys {
		os := by[k]
		rec, ok, err := m.outbox.Get(k)
		if err != nil {
			return err
		}
		if !ok {
			if _, err := m.outbox.Enqueue(intent(k, os)); err != nil {
				return err
			}
			continue
		}
		if !rec.Final() {
			continue
		}
		if err := done(k, os, rec); err != nil {
			return err
		}
	}
	return nil
}
