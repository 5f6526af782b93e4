package api

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/internal/http1"
	"github.com/hearth-home/hearth/internal/identity"
)

// The market's public API, served by a provider's gateway under /v1/market/
// to requesters, who hold no credentials of the pool: what they may do is
// upload an order's app and inputs (content-addressed, size-capped), read an
// order's state, and, proving with their chain key that they posted the
// order, fetch its results with the Merkle proofs that tie each one to the
// root the contract holds. docs/market.md describes it.

// MarketInfo describes a provider's market.
type MarketInfo struct {
	ChainID  string `json:"chain_id"`
	Contract string `json:"contract"`
	Provider string `json:"provider"`
	Endpoint string `json:"endpoint"`
	// MinPricePerTask is the owner's minimum, in wei (a decimal string).
	MinPricePerTask string   `json:"min_price_per_task"`
	Runtimes        []string `json:"runtimes"`
	MaxTasks        int      `json:"max_tasks"`
	// Head is the last block the gateway's watcher has processed.
	Head uint64 `json:"head"`
	// ChainMode is how chain reads are checked: "verified" (a light
	// client), "local" (the gateway's own dev chain) or "trusted".
	ChainMode string `json:"chain_mode,omitempty"`
	// Warning is set when reads are not verified.
	Warning string `json:"warning,omitempty"`
	// Paused says why new orders are not accepted now ("" when they are).
	Paused string `json:"paused,omitempty"`
}

// MarketOrderState is where an order stands at the provider.
type MarketOrderState string

const (
	// OrderSeen: posted on chain, not yet decided.
	OrderSeen MarketOrderState = "seen"
	// OrderRefused: the provider will not run it; Reason says why.
	OrderRefused MarketOrderState = "refused"
	// OrderAccepting: the acceptance transaction is on its way.
	OrderAccepting MarketOrderState = "accepting"
	// OrderRunning: accepted on chain; its job runs in the pool.
	OrderRunning MarketOrderState = "running"
	// OrderSettling: its job finished; the settlement is queued or sent.
	OrderSettling MarketOrderState = "settling"
	// OrderSettled: settled on chain.
	OrderSettled MarketOrderState = "settled"
	// OrderFailed: its settlement failed the market's SettleAttempts
	// times, and the provider gave up settling it; Reason says why. It
	// stays accepted on chain, unpaid, until its requester reclaims it
	// after its deadline (it is then OrderReclaimed).
	OrderFailed MarketOrderState = "failed"
	// OrderReclaimed: its requester took the escrow back.
	OrderReclaimed MarketOrderState = "reclaimed"
	// OrderRevealing: a replicated order's result is committed on chain;
	// its reveal waits for the other seats' commitments, is on its way, or
	// waits for the quorum (docs/certification.md).
	OrderRevealing MarketOrderState = "revealing"
	// OrderOutvoted: a replicated order settled on another result than
	// this provider's; its seat was slashed. Reason says which.
	OrderOutvoted MarketOrderState = "outvoted"
	// OrderDisputed: a replicated order whose reveals reached no quorum;
	// its requester was refunded.
	OrderDisputed MarketOrderState = "disputed"
)

// Final reports whether the provider does nothing more for an order in
// state s. An OrderFailed order is final so, yet its requester may still
// reclaim it, which the provider then notes (OrderReclaimed).
func (s MarketOrderState) Final() bool {
	switch s {
	case OrderRefused, OrderSettled, OrderFailed, OrderReclaimed, OrderOutvoted, OrderDisputed:
		return true
	}
	return false
}

// MarketOrder is an order as the provider's gateway knows it.
type MarketOrder struct {
	ID           uint64           `json:"id"`
	Requester    string           `json:"requester"`
	State        MarketOrderState `json:"state"`
	Reason       string           `json:"reason,omitempty"`
	AppDigest    string           `json:"app_digest"`
	AppURI       string           `json:"app_uri"`
	Runtime      string           `json:"runtime"`
	Inputs       []string         `json:"inputs,omitempty"`
	Args         []string         `json:"args,omitempty"`
	Tasks        int              `json:"tasks"`
	PricePerTask string           `json:"price_per_task"` // wei
	Deadline     time.Time        `json:"deadline"`
	// Replicas and Quorum: a replicated order's seats, and the equal
	// reveals that settle it (0 for an order of one provider).
	Replicas int `json:"replicas,omitempty"`
	Quorum   int `json:"quorum,omitempty"`
	// Job is the pool job that runs the order.
	Job        string `json:"job,omitempty"`
	TasksDone  int    `json:"tasks_done"`
	ResultRoot string `json:"result_root,omitempty"`
	// Blocks and transactions of the order's steps.
	PostedBlock   uint64 `json:"posted_block"`
	AcceptTx      string `json:"accept_tx,omitempty"`
	AcceptedBlock uint64 `json:"accepted_block,omitempty"`
	SettleTx      string `json:"settle_tx,omitempty"`
	SettledBlock  uint64 `json:"settled_block,omitempty"`
	// A replicated order's commitment and reveal (it has no SettleTx).
	CommitTx string    `json:"commit_tx,omitempty"`
	RevealTx string    `json:"reveal_tx,omitempty"`
	Updated  time.Time `json:"updated"`
}

// MarketResults are a settled order's results: each task with its result
// (nil when it produced none, a zero leaf), the hex hashes of its Merkle
// proof, and the root they lead to.
type MarketResults struct {
	Order  MarketOrder `json:"order"`
	Tasks  []Task      `json:"tasks"`
	Proofs [][]string  `json:"proofs"`
}

// ResultsAuthHeader carries a requester's proof of its key on results calls:
// "TIMESTAMP.SIGNATURE", where SIGNATURE (hex, 65 bytes) signs
// ResultsAuthMessage with the key that posted the order, in the form of
// Ethereum's personal_sign.
const ResultsAuthHeader = "X-Hearth-Requester"

// ResultsAuthMessage is the text a requester signs to read order's results
// at time ts (unix seconds) from the market at contract on chainID.
func ResultsAuthMessage(chainID, contract string, order uint64, ts int64) string {
	return fmt.Sprintf("hearth market results\nchain %s\ncontract %s\norder %d\ntime %d",
		chainID, strings.ToLower(contract), order, ts)
}

// MarketClient calls a provider's market API.
type MarketClient struct {
	c        *Client
	endpoint string
}

// ParseEndpoint splits a market endpoint, "https://HOST:PORT#NODEID", into
// the address and the node ID its certificate must prove.
func ParseEndpoint(endpoint string) (addr string, id identity.NodeID, err error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Fragment == "" {
		return "", id, fmt.Errorf("market endpoint %q: want https://HOST:PORT#GATEWAY-ID", endpoint)
	}
	id, err = identity.ParseNodeID(u.Fragment)
	if err != nil {
		return "", id, fmt.Errorf("market endpoint %q: %w", endpoint, err)
	}
	return u.Host, id, nil
}

// NewMarketClient connects to the market at endpoint, pinned by the
// gateway ID it names.
func NewMarketClient(endpoint string) (*MarketClient, error) {
	addr, id, err := ParseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	anon, err := identity.Generate()
	if err != nil {
		return nil, err
	}
	cfg, err := anon.ClientTLS(false, identity.Pin(id))
	if err != nil {
		return nil, err
	}
	return &MarketClient{c: newClient(addr, "", cfg), endpoint: endpoint}, nil
}

// Close drops idle connections.
func (m *MarketClient) Close() { m.c.Close() }

// Info describes the market.
func (m *MarketClient) Info(ctx context.Context) (MarketInfo, error) {
	var out MarketInfo
	return out, m.c.do(ctx, "GET", "/v1/market/info", nil, &out)
}

// Order is the provider's view of order id.
func (m *MarketClient) Order(ctx context.Context, id uint64) (MarketOrder, error) {
	var out MarketOrder
	return out, m.c.do(ctx, "GET", "/v1/market/orders/"+strconv.FormatUint(id, 10), nil, &out)
}

// PutBlob uploads an order's app or input before the order is posted.
func (m *MarketClient) PutBlob(ctx context.Context, digest string, r io.Reader, size int64) error {
	return m.c.putBlob(ctx, "/v1/market/blobs/"+url.PathEscape(digest), r, size)
}

// Results fetches a settled order's results; auth is the ResultsAuthHeader
// value.
func (m *MarketClient) Results(ctx context.Context, id uint64, auth string) (MarketResults, error) {
	var out MarketResults
	req := &http1.Request{Method: "GET", Path: "/v1/market/orders/" + strconv.FormatUint(id, 10) + "/results", Header: http1.Header{}}
	req.Header.Set(ResultsAuthHeader, auth)
	return out, m.c.doReq(ctx, req, &out)
}

// Output returns a getter for the /out archives of order id's results.
func (m *MarketClient) Output(id uint64, auth string) *OutputGetter {
	return &OutputGetter{m: m, order: id, auth: auth}
}

// OutputGetter fetches an order's output archives by digest, checking each.
type OutputGetter struct {
	m     *MarketClient
	order uint64
	auth  string
}

// GetBlob copies the archive into w and checks its digest.
func (o *OutputGetter) GetBlob(ctx context.Context, digest string, w io.Writer) (int64, error) {
	req := &http1.Request{Method: "GET", Header: http1.Header{},
		Path: "/v1/market/orders/" + strconv.FormatUint(o.order, 10) + "/blobs/" + url.PathEscape(digest)}
	req.Header.Set(ResultsAuthHeader, o.auth)
	return o.m.c.getBlob(ctx, req, digest, w)
}

// MarketFileName is the file, in the gateway's data dir, where the gateway
// writes where its market is (the CLI reads it, as it reads credentials).
const MarketFileName = "market.json"

// MarketFile says where a gateway's market is: its info, the chain's
// JSON-RPC URL, and whether it is the --dev chain (whose requester key is
// public).
type MarketFile struct {
	MarketInfo
	RPC string `json:"rpc"`
	// FromBlock is the contract's deployment block: event scans start there.
	FromBlock uint64 `json:"from_block"`
	Dev       bool   `json:"dev,omitempty"`
	// Network, Beacon and Checkpoint let the CLI verify its reads as the
	// gateway does (verified mode).
	Network    string   `json:"network,omitempty"`
	Beacon     []string `json:"beacon,omitempty"`
	Checkpoint string   `json:"checkpoint,omitempty"`
}
