package fakebeacon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/beacon/params"
	btypes "github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// The JSON shapes of the beacon API, as go-ethereum v1.17.5's
// beacon/light/api decodes them. Two traps that rule out go-ethereum's own
// types here: btypes.Header.MarshalJSON writes the slot as a JSON number
// while its UnmarshalJSON (common.Decimal) takes only a string, and
// merkle.Values has no MarshalJSON (its [32]byte items would come out as
// arrays of numbers). SerializedSyncCommittee's MarshalJSON has a pointer
// receiver: keep it a pointer in structs.

type jsonHeader struct {
	Slot          uint64      `json:"slot,string"`
	ProposerIndex uint64      `json:"proposer_index,string"`
	ParentRoot    common.Hash `json:"parent_root"`
	StateRoot     common.Hash `json:"state_root"`
	BodyRoot      common.Hash `json:"body_root"`
}

func headerJSON(h btypes.Header) jsonHeader {
	return jsonHeader{h.Slot, h.ProposerIndex, h.ParentRoot, h.StateRoot, h.BodyRoot}
}

// jsonLCHeader is a LightClientHeader (capella and later).
type jsonLCHeader struct {
	Beacon          jsonHeader      `json:"beacon"`
	Execution       json.RawMessage `json:"execution"`
	ExecutionBranch []common.Hash   `json:"execution_branch"`
}

func lcHeader(blk *beaconBlock, pay *payload) *jsonLCHeader {
	return &jsonLCHeader{Beacon: headerJSON(blk.header), Execution: pay.json, ExecutionBranch: blk.execBranch}
}

type jsonAggregate struct {
	Bits      hexutil.Bytes `json:"sync_committee_bits"`
	Signature hexutil.Bytes `json:"sync_committee_signature"`
}

func aggregateJSON(a btypes.SyncAggregate) jsonAggregate {
	return jsonAggregate{a.Signers[:], a.Signature[:]}
}

type envelope struct {
	Version string `json:"version"`
	Data    any    `json:"data"`
}

type jsonBootstrap struct {
	Header          *jsonLCHeader                   `json:"header"`
	Committee       *btypes.SerializedSyncCommittee `json:"current_sync_committee"`
	CommitteeBranch []common.Hash                   `json:"current_sync_committee_branch"`
}

type jsonUpdate struct {
	Attested            *jsonLCHeader                   `json:"attested_header"`
	NextCommittee       *btypes.SerializedSyncCommittee `json:"next_sync_committee"`
	NextCommitteeBranch []common.Hash                   `json:"next_sync_committee_branch"`
	Finalized           *jsonLCHeader                   `json:"finalized_header,omitempty"`
	FinalityBranch      []common.Hash                   `json:"finality_branch,omitempty"`
	Aggregate           jsonAggregate                   `json:"sync_aggregate"`
	SignatureSlot       uint64                          `json:"signature_slot,string"`
}

type jsonOptimistic struct {
	Attested      *jsonLCHeader `json:"attested_header"`
	Aggregate     jsonAggregate `json:"sync_aggregate"`
	SignatureSlot uint64        `json:"signature_slot,string"`
}

type jsonFinality struct {
	Attested       *jsonLCHeader `json:"attested_header"`
	Finalized      *jsonLCHeader `json:"finalized_header"`
	FinalityBranch []common.Hash `json:"finality_branch"`
	Aggregate      jsonAggregate `json:"sync_aggregate"`
	SignatureSlot  uint64        `json:"signature_slot,string"`
}

type jsonHeaderResponse struct {
	ExecutionOptimistic bool `json:"execution_optimistic"`
	Finalized           bool `json:"finalized"`
	Data                struct {
		Root      common.Hash `json:"root"`
		Canonical bool        `json:"canonical"`
		Header    struct {
			Message   jsonHeader    `json:"message"`
			Signature hexutil.Bytes `json:"signature"`
		} `json:"header"`
	} `json:"data"`
}

// httpError is an error with its HTTP status.
type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func notFound(format string, args ...any) error {
	return &httpError{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// countingWriter adds the body bytes written to a total.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n))
	return n, err
}

func (b *Beacon) handler() http.Handler {
	mux := http.NewServeMux()
	route := func(pattern string, f func(context.Context, *http.Request) (any, error)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { b.serve(w, r, f) })
	}
	route("GET /eth/v1/beacon/light_client/bootstrap/{root}", b.bootstrap)
	route("GET /eth/v1/beacon/light_client/updates", b.updates)
	route("GET /eth/v1/beacon/light_client/optimistic_update", b.optimistic)
	route("GET /eth/v1/beacon/light_client/finality_update", b.finality)
	route("GET /eth/v1/beacon/headers/{id}", b.headers)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/eth/v1/beacon/")
		key = strings.TrimPrefix(key, "light_client/")
		b.mu.Lock()
		b.requests[key]++
		b.mu.Unlock()
		mux.ServeHTTP(&countingWriter{w, &b.bytes}, r)
	})
}

// serve answers with f's value as JSON, or its error as the beacon API's
// error object.
func (b *Beacon) serve(w http.ResponseWriter, r *http.Request, f func(context.Context, *http.Request) (any, error)) {
	b.mu.Lock()
	v, err := f(r.Context(), r)
	var body []byte
	if err == nil {
		body, err = json.Marshal(v)
	}
	b.mu.Unlock()
	code := http.StatusOK
	if err != nil {
		code = http.StatusInternalServerError
		if he, ok := errors.AsType[*httpError](err); ok {
			code = he.code
		}
		body, _ = json.Marshal(struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		}{code, err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	w.Write(body)
}

// attested is the head as served under t, with the payload it is served
// with.
func (b *Beacon) attested(head *beaconBlock, t Tamper) (*beaconBlock, *payload, error) {
	switch t {
	case FutureSlot:
		blk, err := b.futureBlock(head)
		if err != nil {
			return nil, nil, err
		}
		return blk, blk.pay, nil
	case SwappedPayload:
		pay, err := b.otherPayload(head)
		return head, pay, err
	}
	return head, head.pay, nil
}

// signAs signs header at sigSlot as t says.
func (b *Beacon) signAs(t Tamper, header btypes.Header, sigSlot uint64) (jsonAggregate, error) {
	id, n := signer(t, sigSlot)
	agg, err := b.sign(header, id, n)
	return aggregateJSON(agg), err
}

// signedHead is the head as the current lie presents it, signed in the
// next slot: what optimistic and finality updates attest.
func (b *Beacon) signedHead(head *beaconBlock, t Tamper) (att *beaconBlock, pay *payload, agg jsonAggregate, sigSlot uint64, err error) {
	if att, pay, err = b.attested(head, t); err != nil {
		return nil, nil, agg, 0, err
	}
	sigSlot = att.header.Slot + 1
	agg, err = b.signAs(t, att.header, sigSlot)
	return att, pay, agg, sigSlot, err
}

func (b *Beacon) optimistic(ctx context.Context, _ *http.Request) (any, error) {
	t := b.Tampering()
	head, err := b.refresh(ctx)
	if err != nil {
		return nil, err
	}
	att, pay, agg, sigSlot, err := b.signedHead(head, t)
	if err != nil {
		return nil, err
	}
	return envelope{version, jsonOptimistic{lcHeader(att, pay), agg, sigSlot}}, nil
}

func (b *Beacon) finality(ctx context.Context, _ *http.Request) (any, error) {
	t := b.Tampering()
	head, err := b.refresh(ctx)
	if err != nil {
		return nil, err
	}
	if head.finalized == nil {
		return nil, notFound("no finalized block yet")
	}
	att, pay, agg, sigSlot, err := b.signedHead(head, t)
	if err != nil {
		return nil, err
	}
	fin := att.finalized
	return envelope{version, jsonFinality{
		Attested:       lcHeader(att, pay),
		Finalized:      lcHeader(fin, fin.pay),
		FinalityBranch: att.finalityBranch,
		Aggregate:      agg,
		SignatureSlot:  sigSlot,
	}}, nil
}

// maxUpdates is the most updates one request returns, as the beacon API's
// MAX_REQUEST_LIGHT_CLIENT_UPDATES.
const maxUpdates = 128

func (b *Beacon) updates(ctx context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	start, err := strconv.ParseUint(q.Get("start_period"), 10, 64)
	if err != nil {
		return nil, badRequest("start_period: %v", err)
	}
	count, err := strconv.ParseUint(q.Get("count"), 10, 64)
	if err != nil || count == 0 {
		return nil, badRequest("count must be a positive integer")
	}
	count = min(count, maxUpdates)
	t := b.Tampering()
	head, err := b.refresh(ctx)
	if err != nil {
		return nil, err
	}
	var out []envelope
	for p := start; p < start+count; p++ {
		u, err := b.update(head, p, t)
		if err != nil {
			return nil, err
		}
		if u == nil {
			break
		}
		out = append(out, envelope{version, u})
	}
	if len(out) == 0 {
		return nil, notFound("no light client update for period %d (head is in period %d)", start, period(head.header.Slot))
	}
	return out, nil
}

// update is the committee update of period p (nil if there is none yet):
// attested by the newest block of p whose next slot is still in p, signed
// at that next slot by committee p, proving committee p+1.
func (b *Beacon) update(head *beaconBlock, p uint64, t Tamper) (*jsonUpdate, error) {
	if p > period(head.header.Slot) || p < period(b.baseSlot) {
		return nil, nil
	}
	last := btypes.SyncPeriodStart(p+1) - 1 // p's last slot
	var att *beaconBlock
	var sigSlot uint64
	if s := min(head.header.Slot, last-1); s >= b.baseSlot && period(s) == p {
		att, sigSlot = b.blocks[s-b.baseSlot], s+1
	} else if s := min(head.header.Slot, last); s >= b.baseSlot && period(s) == p {
		att, sigSlot = b.blocks[s-b.baseSlot], s // p's only block is its last slot
	} else {
		return nil, nil
	}
	next, err := b.committee(committeeID{trueCommittee, p + 1})
	if err != nil {
		return nil, err
	}
	var agg jsonAggregate
	if t == ForeignCommittee {
		if next, err = b.committee(committeeID{foreignCommittee, p + 1}); err != nil {
			return nil, err
		}
		if att, err = b.foreignUpdateBlock(att, next); err != nil {
			return nil, err
		}
		a, err := b.sign(att.header, committeeID{foreignCommittee, p + 1}, params.SyncCommitteeSize)
		if err != nil {
			return nil, err
		}
		agg = aggregateJSON(a)
	} else if agg, err = b.signAs(t, att.header, sigSlot); err != nil {
		return nil, err
	}
	u := &jsonUpdate{
		Attested:            lcHeader(att, att.pay),
		NextCommittee:       next.serialized,
		NextCommitteeBranch: att.nextBranch,
		Aggregate:           agg,
		SignatureSlot:       sigSlot,
	}
	if fin := att.finalized; fin != nil && period(fin.header.Slot) == p {
		u.Finalized, u.FinalityBranch = lcHeader(fin, fin.pay), att.finalityBranch
	}
	return u, nil
}

func parseRoot(s string) (common.Hash, error) {
	raw, err := hexutil.Decode(s)
	if err != nil || len(raw) != common.HashLength {
		return common.Hash{}, badRequest("invalid block root %q", s)
	}
	return common.Hash(raw), nil
}

func (b *Beacon) bootstrap(ctx context.Context, r *http.Request) (any, error) {
	root, err := parseRoot(r.PathValue("root"))
	if err != nil {
		return nil, err
	}
	t := b.Tampering()
	if _, err := b.refresh(ctx); err != nil {
		return nil, err
	}
	n, ok := b.byRoot[root]
	if !ok {
		return nil, notFound("no beacon block %s", root)
	}
	blk := b.blocks[n]
	if t == BadBootstrap {
		if blk, err = b.otherBlock(blk); err != nil {
			return nil, err
		}
	}
	id := committeeID{trueCommittee, period(blk.header.Slot)}
	if t == BadCommitteeBranch {
		id.kind = foreignCommittee
	}
	c, err := b.committee(id)
	if err != nil {
		return nil, err
	}
	return envelope{version, jsonBootstrap{lcHeader(blk, blk.pay), c.serialized, blk.committeeBranch}}, nil
}

// headers serves /eth/v1/beacon/headers/{head,finalized,<slot>,<0xroot>}.
func (b *Beacon) headers(ctx context.Context, r *http.Request) (any, error) {
	head, err := b.refresh(ctx)
	if err != nil {
		return nil, err
	}
	id := r.PathValue("id")
	var blk *beaconBlock
	switch {
	case id == "head":
		blk = head
	case id == "finalized":
		if blk = head.finalized; blk == nil {
			return nil, notFound("no finalized block yet")
		}
	case strings.HasPrefix(id, "0x"):
		root, err := parseRoot(id)
		if err != nil {
			return nil, err
		}
		n, ok := b.byRoot[root]
		if !ok {
			return nil, notFound("no beacon block %s", root)
		}
		blk = b.blocks[n]
	default:
		slot, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			return nil, badRequest("invalid block id %q", id)
		}
		if slot < b.baseSlot || slot > head.header.Slot {
			return nil, notFound("no beacon block at slot %d", slot)
		}
		blk = b.blocks[slot-b.baseSlot]
	}
	var resp jsonHeaderResponse
	resp.Finalized = head.finalized != nil && blk.pay.number <= head.finalized.pay.number
	resp.Data.Root = blk.root
	resp.Data.Canonical = true
	resp.Data.Header.Message = headerJSON(blk.header)
	resp.Data.Header.Signature = make(hexutil.Bytes, params.BLSSignatureSize) // no proposer: zeros
	return resp, nil
}
