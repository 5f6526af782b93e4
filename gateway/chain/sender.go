package chain

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/hearth-home/hearth/store"
)

// callTimeout bounds one round of RPC calls, so that a hung endpoint is
// treated like a down one.
const callTimeout = 30 * time.Second

// Run sends the queued intents and follows them until mined, until ctx ends
// (then it returns nil). While the RPC endpoint is unreachable it logs once,
// backs off and keeps every record; it returns an error only when it cannot
// go on safely: the database fails, or the endpoint serves another chain.
func (o *Outbox) Run(ctx context.Context) error {
	if !o.running.CompareAndSwap(false, true) {
		return fmt.Errorf("outbox: %w", ErrRunning)
	}
	defer o.running.Store(false)
	s := &sender{
		o:        o,
		started:  time.Now(),
		unsent:   map[string]bool{},
		conflict: map[string]time.Time{},
		retried:  map[string]time.Time{},
		logged:   map[string]string{},
	}
	poll := o.opts.PollInterval
	maxBackoff := min(30*time.Second, 32*poll)
	backoff := poll
	synced, down := false, false
	for {
		err := func() error {
			ctx, cancel := context.WithTimeout(ctx, callTimeout)
			defer cancel()
			if !synced {
				if err := s.sync(ctx); err != nil {
					return err
				}
				synced = true
			}
			return s.tick(ctx)
		}()
		if ctx.Err() != nil {
			return nil
		}
		wait, wake := poll, o.wake
		var de *downError
		switch {
		case err == nil:
			if down {
				o.opts.Logger.Info("outbox: chain RPC is back")
				down = false
			}
			backoff = poll
		case errors.As(err, &de):
			if !down {
				o.opts.Logger.Warn("outbox: chain RPC unavailable, retrying with backoff; every record is kept", "err", de.err)
				down = true
			}
			wait, wake = backoff, nil
			backoff = min(2*backoff, maxBackoff)
		default:
			return fmt.Errorf("outbox: %w", err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// downError is an RPC failure that waiting may cure: Run backs off.
type downError struct{ err error }

func (e *downError) Error() string { return e.err.Error() }
func (e *downError) Unwrap() error { return e.err }

func down(err error) error { return &downError{err} }

// answered reports whether err is the node's refusal rather than a failure
// to reach it.
func answered(err error) bool {
	var e rpc.Error
	return errors.As(err, &e)
}

// knownToNode reports whether a send error means the node has the
// transaction already, or one with its nonce is mined (ours, we hope; the
// receipts will tell).
func knownToNode(err error) bool {
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"already known", "known transaction", "already imported", "nonce too low"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// indexing reports whether a receipt error is geth's "transaction indexing
// is in progress": the node does not know yet whether it has the receipt.
func indexing(err error) bool {
	return strings.Contains(err.Error(), "indexing is in progress")
}

// revertOf reports whether an estimate error says the call reverts, with the
// revert data when the node gives it.
func revertOf(err error) ([]byte, bool) {
	var data []byte
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			data, _ = hexutil.Decode(s)
		}
	}
	var re rpc.Error
	if errors.As(err, &re) && re.ErrorCode() == 3 {
		return data, true
	}
	return data, strings.Contains(err.Error(), "execution reverted")
}

// sender is one Run's working memory. What it forgets in a crash is either
// in the records or safe to redo.
type sender struct {
	o       *Outbox
	started time.Time
	next    uint64 // next nonce to assign
	// unsent holds Sent records whose latest send did not reach a node, and
	// after a restart every Sent record: the crash may have come between
	// recording and sending.
	unsent map[string]bool
	// conflict holds when a record's nonce was first seen used on chain
	// with none of its transactions mined.
	conflict map[string]time.Time
	// retried holds when a record was last re-sent as is while it waited.
	retried map[string]time.Time
	// logged holds the last message logged per record, to log each once.
	logged map[string]string
}

// view is what one tick learned of the chain, fetched at most once.
type view struct {
	head        *types.Header
	hashes      map[uint64]common.Hash
	tip, feeCap *big.Int
	minedNonce  *uint64
	// indexing is set when the node said its transaction index is still
	// being built: a missing receipt then proves nothing.
	indexing bool
}

func (s *sender) logOnce(key, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if s.logged[key] != msg {
		s.logged[key] = msg
		s.o.opts.Logger.Warn("outbox: " + msg)
	}
}

// sync checks the chain and takes up the account's nonce: a fresh database,
// or transactions sent from the key by something else, leave the chain
// ahead of the stored next nonce.
func (s *sender) sync(ctx context.Context) error {
	o := s.o
	id, err := o.b.ChainID(ctx)
	if err != nil {
		return down(fmt.Errorf("chain ID: %w", err))
	}
	if id.Cmp(o.chainID) != 0 {
		return fmt.Errorf("%w: the endpoint serves chain %v, the outbox signs for %v", ErrWrongChain, id, o.chainID)
	}
	pending, err := o.b.PendingNonceAt(ctx, o.from)
	if err != nil {
		return down(fmt.Errorf("nonce of %s: %w", o.from, err))
	}
	var stored uint64
	err = o.db.Update(func(tx *store.Tx) error {
		if _, err := tx.GetJSON(o.opts.Bucket, nonceKey, &stored); err != nil {
			return err
		}
		if pending <= stored {
			return nil
		}
		return tx.PutJSON(o.opts.Bucket, nonceKey, pending)
	})
	if err != nil {
		return err
	}
	s.next = max(stored, pending)
	if stored != 0 && pending > stored {
		o.opts.Logger.Warn("outbox: the chain's nonce differs from the outbox's: has the key another sender?", "chain_nonce", pending, "from", o.from, "outbox_nonce", stored)
	}
	recs, err := s.active()
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.State == Sent {
			s.unsent[rec.Key] = true
		}
	}
	return nil
}

// active returns the records Run still works on, in enqueue order.
func (s *sender) active() ([]Record, error) {
	var recs []Record
	b := s.o.opts.Bucket
	err := s.o.db.View(func(tx *store.Tx) error {
		return tx.Scan(b, actPrefix, func(_ string, key []byte) error {
			var rec Record
			found, err := tx.GetJSON(b, recPrefix+string(key), &rec)
			if err != nil || !found {
				return err
			}
			recs = append(recs, rec)
			return nil
		})
	})
	return recs, err
}

// tick does one round: follows mined and sent records, then signs and sends
// queued ones in order.
func (s *sender) tick(ctx context.Context) error {
	head, err := s.o.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return down(fmt.Errorf("head: %w", err))
	}
	v := &view{head: head, hashes: map[uint64]common.Hash{}}
	recs, err := s.active()
	if err != nil {
		return err
	}
	inflight, blocked := 0, false
	for _, rec := range recs {
		switch rec.State {
		case Mined:
			err = s.checkMined(ctx, v, rec)
		case Sent:
			var pending bool
			pending, err = s.track(ctx, v, rec)
			if pending {
				inflight++
			}
		case Queued:
			if blocked {
				continue
			}
			var assigned bool
			assigned, blocked, err = s.assign(ctx, v, rec, inflight)
			if assigned {
				inflight++
			}
		default:
			err = s.retire(rec)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// assign estimates, prices, signs and records rec with the next nonce, then
// sends it. assigned is true when it got a nonce. wait is true when it
// stays queued: the records after it wait too, so that nonces keep the
// enqueue order.
func (s *sender) assign(ctx context.Context, v *view, rec Record, inflight int) (assigned, wait bool, err error) {
	o := s.o
	gas := rec.GasLimit
	if gas == 0 {
		to := rec.To
		est, err := o.b.EstimateGas(ctx, ethereum.CallMsg{From: o.from, To: &to, Value: rec.Value, Data: rec.Data})
		if err != nil {
			if data, reverts := revertOf(err); reverts {
				if inflight > 0 {
					// Earlier transactions, not mined yet, may change the
					// outcome: estimate again when they are.
					s.logOnce(rec.Key, "%s: estimate reverts while earlier transactions are pending; waiting for them: %v", rec.Key, err)
					return false, true, nil
				}
				rec.State, rec.Err, rec.RevertData = Failed, "estimate gas: "+err.Error(), data
				return false, false, s.finish(rec)
			}
			if answered(err) {
				s.logOnce(rec.Key, "%s: estimate gas: %v", rec.Key, err)
				return false, true, nil
			}
			return false, true, down(fmt.Errorf("estimate gas: %w", err))
		}
		gas = uint64(math.Ceil(float64(est)*o.opts.GasMargin)) + rec.GasExtra
	}
	tip, feeCap, err := s.fees(ctx, v)
	if err != nil {
		return false, true, err
	}
	rec.Nonce, rec.Gas = s.next, gas
	tx, raw, err := s.sign(rec, tip, feeCap)
	if err != nil {
		return false, true, err
	}
	rec.State, rec.GasTipCap, rec.GasFeeCap = Sent, tip, feeCap
	rec.Hashes, rec.Raw = []common.Hash{tx.Hash()}, raw
	rec.SentAt, rec.Attempts = time.Now().UTC(), 1
	// The signed transaction and the nonce it took are on disk before any
	// node sees it: a crash from here on re-sends these bytes.
	err = s.put(rec, func(tx *store.Tx) error { return tx.PutJSON(o.opts.Bucket, nonceKey, rec.Nonce+1) })
	if err != nil {
		return false, true, err
	}
	s.next++
	return true, false, s.send(ctx, rec)
}

// track follows a Sent record: mined, re-sent, replaced or failed. pending
// is true while it is still Sent.
func (s *sender) track(ctx context.Context, v *view, rec Record) (pending bool, err error) {
	o := s.o
	for i := len(rec.Hashes) - 1; i >= 0; i-- {
		r, err := o.b.TransactionReceipt(ctx, rec.Hashes[i])
		switch {
		case errors.Is(err, ethereum.NotFound):
			continue
		case err != nil && indexing(err):
			// The node cannot tell yet whether it has it.
			v.indexing = true
			continue
		case err != nil:
			return true, down(fmt.Errorf("receipt: %w", err))
		}
		return false, s.mined(rec, r)
	}
	if s.unsent[rec.Key] {
		return true, s.resend(ctx, rec)
	}
	// A restart gives every transaction a fresh StuckAfter: it may have
	// waited in the node's pool all along.
	if time.Since(later(rec.SentAt, s.started)) < o.opts.StuckAfter {
		return true, nil
	}
	mined, err := s.minedNonce(ctx, v)
	if err != nil {
		return true, err
	}
	switch {
	case rec.Nonce < mined:
		// The nonce is used and none of ours has a receipt. Give the
		// node's receipt index a while to catch up before believing it.
		if v.indexing {
			return true, nil
		}
		since, seen := s.conflict[rec.Key]
		if !seen {
			s.conflict[rec.Key] = time.Now()
			return true, nil
		}
		if time.Since(since) < o.opts.StuckAfter {
			return true, nil
		}
		rec.State, rec.Err = Failed, fmt.Sprintf("%v: nonce %d", ErrNonceTaken, rec.Nonce)
		return false, s.finish(rec)
	case rec.Nonce > mined:
		// It waits behind a lower nonce: bumping it would not help, but
		// the node may have dropped it.
		delete(s.conflict, rec.Key)
		if time.Since(s.retried[rec.Key]) < o.opts.StuckAfter {
			return true, nil
		}
		s.retried[rec.Key] = time.Now()
		return true, s.resend(ctx, rec)
	}
	delete(s.conflict, rec.Key)
	return true, s.bump(ctx, v, rec)
}

// bump replaces a stuck transaction: same nonce, same gas, higher fees.
func (s *sender) bump(ctx context.Context, v *view, rec Record) error {
	o := s.o
	suggested, _, err := s.fees(ctx, v)
	if err != nil {
		return err
	}
	tip, feeCap, ok := bumpFees(rec.GasTipCap, rec.GasFeeCap, suggested, baseFee(v.head), o.opts.MaxFeeCap)
	if !ok {
		s.logOnce(rec.Key, "%s: nonce %d not mined after %v, and its fee cap %v cannot rise past the ceiling %v; re-sending it as is",
			rec.Key, rec.Nonce, o.opts.StuckAfter, rec.GasFeeCap, o.opts.MaxFeeCap)
		if time.Since(s.retried[rec.Key]) < o.opts.StuckAfter {
			return nil
		}
		s.retried[rec.Key] = time.Now()
		return s.resend(ctx, rec)
	}
	tx, raw, err := s.sign(rec, tip, feeCap)
	if err != nil {
		return err
	}
	o.opts.Logger.Info("outbox: not mined in time; replacing the transaction with higher fees",
		"record", rec.Key, "nonce", rec.Nonce, "after", o.opts.StuckAfter, "old", rec.Hashes[len(rec.Hashes)-1], "new", tx.Hash(),
		"tip_from", rec.GasTipCap, "tip_to", tip, "fee_cap_from", rec.GasFeeCap, "fee_cap_to", feeCap)
	rec.Hashes, rec.Raw = append(rec.Hashes, tx.Hash()), raw
	rec.GasTipCap, rec.GasFeeCap = tip, feeCap
	rec.SentAt = time.Now().UTC()
	rec.Attempts++
	if err := s.put(rec, nil); err != nil {
		return err
	}
	return s.send(ctx, rec)
}

// resend sends the record's latest signed transaction again, byte for byte.
func (s *sender) resend(ctx context.Context, rec Record) error {
	rec.Attempts++
	if err := s.put(rec, nil); err != nil {
		return err
	}
	return s.send(ctx, rec)
}

// send hands rec.Raw to the node. A refusal is logged and retried next
// tick; a failure to reach the node stops the tick.
func (s *sender) send(ctx context.Context, rec Record) error {
	var tx types.Transaction
	if err := tx.UnmarshalBinary(rec.Raw); err != nil {
		return fmt.Errorf("%s: decode stored transaction: %w", rec.Key, err)
	}
	err := s.o.b.SendTransaction(ctx, &tx)
	if err == nil || knownToNode(err) {
		delete(s.unsent, rec.Key)
		return nil
	}
	s.unsent[rec.Key] = true
	if answered(err) {
		s.logOnce(rec.Key, "%s: send %s (nonce %d): %v", rec.Key, tx.Hash(), rec.Nonce, err)
		return nil
	}
	return down(fmt.Errorf("send: %w", err))
}

func (s *sender) mined(rec Record, r *types.Receipt) error {
	rec.State = Mined
	rec.TxHash, rec.BlockHash, rec.GasUsed = r.TxHash, r.BlockHash, r.GasUsed
	if r.BlockNumber != nil {
		rec.BlockNumber = r.BlockNumber.Uint64()
	}
	rec.Reverted = r.Status != types.ReceiptStatusSuccessful
	rec.EffectiveGasPrice = r.EffectiveGasPrice
	rec.Err = ""
	return s.finish(rec)
}

// checkMined sends a mined record back to Sent when its block left the
// canonical chain, and stops watching it once it is ReorgDepth deep.
func (s *sender) checkMined(ctx context.Context, v *view, rec Record) error {
	o := s.o
	if o.opts.Finalized != nil {
		if final, err := o.opts.Finalized(ctx); err == nil && rec.BlockNumber <= final {
			return s.retire(rec)
		}
	} else if v.head.Number.Uint64() >= rec.BlockNumber+o.opts.ReorgDepth {
		return s.retire(rec)
	}
	h, ok := v.hashes[rec.BlockNumber]
	if !ok {
		hdr, err := o.b.HeaderByNumber(ctx, new(big.Int).SetUint64(rec.BlockNumber))
		switch {
		case errors.Is(err, ethereum.NotFound):
		case err != nil:
			return down(fmt.Errorf("header %d: %w", rec.BlockNumber, err))
		default:
			h = hdr.Hash()
		}
		v.hashes[rec.BlockNumber] = h
	}
	if h == rec.BlockHash {
		return nil
	}
	o.opts.Logger.Warn("outbox: the block holding the transaction left the canonical chain; following it again",
		"record", rec.Key, "block", rec.BlockNumber, "block_hash", rec.BlockHash, "tx", rec.TxHash)
	rec.State = Sent
	rec.TxHash, rec.BlockNumber, rec.BlockHash = common.Hash{}, 0, common.Hash{}
	rec.GasUsed, rec.Reverted, rec.EffectiveGasPrice = 0, false, nil
	rec.SentAt = time.Now().UTC()
	s.unsent[rec.Key] = true
	if err := s.put(rec, nil); err != nil {
		return err
	}
	o.notify()
	return nil
}

// finish stores a record that became Mined or Failed and tells the caller.
func (s *sender) finish(rec Record) error {
	if err := s.put(rec, nil); err != nil {
		return err
	}
	delete(s.unsent, rec.Key)
	delete(s.conflict, rec.Key)
	delete(s.retried, rec.Key)
	delete(s.logged, rec.Key)
	s.o.notify()
	if s.o.opts.OnDone != nil {
		s.o.opts.OnDone(rec)
	}
	return nil
}

// put stores rec, with extra in the same transaction. A Failed record
// leaves the active index.
func (s *sender) put(rec Record, extra func(*store.Tx) error) error {
	b := s.o.opts.Bucket
	return s.o.db.Update(func(tx *store.Tx) error {
		if err := tx.PutJSON(b, recPrefix+rec.Key, rec); err != nil {
			return err
		}
		if rec.State == Failed {
			if err := tx.Delete(b, seqKey(actPrefix, rec.Seq)); err != nil {
				return err
			}
		}
		if extra != nil {
			return extra(tx)
		}
		return nil
	})
}

// retire takes a record out of the active index.
func (s *sender) retire(rec Record) error {
	return s.o.db.Update(func(tx *store.Tx) error {
		return tx.Delete(s.o.opts.Bucket, seqKey(actPrefix, rec.Seq))
	})
}

func (s *sender) sign(rec Record, tip, feeCap *big.Int) (*types.Transaction, []byte, error) {
	to := rec.To
	tx, err := types.SignNewTx(s.o.key, s.o.signer, &types.DynamicFeeTx{
		ChainID: s.o.chainID, Nonce: rec.Nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: rec.Gas, To: &to, Value: rec.Value, Data: rec.Data,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: sign: %w", rec.Key, err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: encode: %w", rec.Key, err)
	}
	return tx, raw, nil
}

// fees returns this tick's suggested tip and fee cap for a new transaction.
func (s *sender) fees(ctx context.Context, v *view) (tip, feeCap *big.Int, err error) {
	if v.tip == nil {
		suggested, err := s.o.b.SuggestGasTipCap(ctx)
		if err != nil {
			return nil, nil, down(fmt.Errorf("gas tip: %w", err))
		}
		v.tip, v.feeCap = initialFees(suggested, baseFee(v.head), s.o.opts.MaxFeeCap)
	}
	return v.tip, v.feeCap, nil
}

// minedNonce returns the account's nonce as of the head: every nonce below
// it is used.
func (s *sender) minedNonce(ctx context.Context, v *view) (uint64, error) {
	if v.minedNonce == nil {
		n, err := s.o.b.NonceAt(ctx, s.o.from, nil)
		if err != nil {
			return 0, down(fmt.Errorf("nonce of %s: %w", s.o.from, err))
		}
		v.minedNonce = &n
	}
	return *v.minedNonce, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func baseFee(h *types.Header) *big.Int {
	if h.BaseFee == nil {
		return new(big.Int)
	}
	return h.BaseFee
}
