package market

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/merkle"
	"github.com/hearth-home/hearth/store"
)

// MaxUpload caps an app or input uploaded by a requester.
const MaxUpload = 256 << 20

// authSkew is how far a results signature's time may be from the gateway's.
const authSkew = 10 * time.Minute

func (m *Market) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/market/info", func(w http.ResponseWriter, r *http.Request) {
		gateway.Reply(w, m.Info(), nil)
	})
	mux.HandleFunc("GET /v1/market/orders", func(w http.ResponseWriter, r *http.Request) {
		os, err := m.Orders()
		gateway.Reply(w, os, err)
	})
	mux.HandleFunc("GET /v1/market/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			gateway.Reply(w, nil, err)
			return
		}
		o, err := m.Order(id)
		gateway.Reply(w, o, err)
	})
	// Requesters upload an order's app and inputs before posting it. The
	// content must hash to its digest; size is capped.
	mux.HandleFunc("PUT /v1/market/blobs/{digest}", func(w http.ResponseWriter, r *http.Request) {
		d, err := store.ParseDigest(r.PathValue("digest"))
		if err != nil {
			gateway.Reply(w, nil, fmt.Errorf("%w: %w", gateway.ErrBadRequest, err))
			return
		}
		if r.ContentLength > MaxUpload {
			gateway.Reply(w, nil, fmt.Errorf("%w: %d bytes; the market takes at most %d", gateway.ErrBadRequest, r.ContentLength, MaxUpload))
			return
		}
		_, _, err = m.pool.Blobs().Put(http.MaxBytesReader(w, r.Body, MaxUpload), d)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = fmt.Errorf("%w: the market takes at most %d bytes", gateway.ErrBadRequest, MaxUpload)
		}
		if err == nil {
			m.poke()
		}
		gateway.Reply(w, struct{}{}, err)
	})
	mux.HandleFunc("GET /v1/market/orders/{id}/results", func(w http.ResponseWriter, r *http.Request) {
		o, err := m.authorized(r)
		if err != nil {
			gateway.Reply(w, nil, err)
			return
		}
		res, err := m.results(o)
		gateway.Reply(w, res, err)
	})
	mux.HandleFunc("GET /v1/market/orders/{id}/blobs/{digest}", func(w http.ResponseWriter, r *http.Request) {
		o, err := m.authorized(r)
		if err != nil {
			gateway.Reply(w, nil, err)
			return
		}
		d, err := store.ParseDigest(r.PathValue("digest"))
		if err != nil {
			gateway.Reply(w, nil, fmt.Errorf("%w: %w", gateway.ErrBadRequest, err))
			return
		}
		res, err := m.results(o)
		if err != nil {
			gateway.Reply(w, nil, err)
			return
		}
		if !slices.ContainsFunc(res.Tasks, func(t api.Task) bool { return t.Result != nil && t.Result.Output.Digest == string(d) }) {
			gateway.Reply(w, nil, fmt.Errorf("blob %s is no output of order %d: %w", d.Short(), o.ID, store.ErrNotFound))
			return
		}
		rc, size, err := m.pool.Blobs().Open(d)
		if err != nil {
			gateway.Reply(w, nil, err)
			return
		}
		defer rc.Close()
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		io.Copy(w, rc) // a short copy fails the client's digest check
	})
	return mux
}

func pathID(r *http.Request) (uint64, error) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: order ID %q: want a number", gateway.ErrBadRequest, r.PathValue("id"))
	}
	return id, nil
}

// authorized checks that the caller holds the key that posted the order:
// api.ResultsAuthHeader signs api.ResultsAuthMessage.
func (m *Market) authorized(r *http.Request) (api.MarketOrder, error) {
	id, err := pathID(r)
	if err != nil {
		return api.MarketOrder{}, err
	}
	o, err := m.Order(id)
	if err != nil {
		return o, err
	}
	who, err := SignerOf(r.Header.Get(api.ResultsAuthHeader), m.chainID.String(), m.cfg.Contract.Hex(), id, time.Now())
	if err != nil {
		return o, fmt.Errorf("%w: %w", gateway.ErrUnauthorized, err)
	}
	if !strings.EqualFold(who.Hex(), o.Requester) {
		return o, fmt.Errorf("%w: order %d was posted by %s, not by %s", gateway.ErrUnauthorized, id, o.Requester, who.Hex())
	}
	return o, nil
}

// SignerOf recovers who signed a results authorization header value
// ("TIME.SIG") for order, and checks its time against now.
func SignerOf(header, chainID, contract string, order uint64, now time.Time) (common.Address, error) {
	tsS, sigS, ok := strings.Cut(header, ".")
	if !ok {
		return common.Address{}, fmt.Errorf("header %s: want TIME.SIGNATURE, signed with the order's requester key (the hearth CLI does it)", api.ResultsAuthHeader)
	}
	ts, err := strconv.ParseInt(tsS, 10, 64)
	if err != nil {
		return common.Address{}, fmt.Errorf("header %s: time %q", api.ResultsAuthHeader, tsS)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > authSkew || d < -authSkew {
		return common.Address{}, fmt.Errorf("header %s: signed at %s, more than %s from the provider's clock", api.ResultsAuthHeader, time.Unix(ts, 0).UTC().Format(time.RFC3339), authSkew)
	}
	sig, err := hex.DecodeString(strings.TrimPrefix(sigS, "0x"))
	if err != nil || len(sig) != 65 {
		return common.Address{}, fmt.Errorf("header %s: want a 65-byte hex signature", api.ResultsAuthHeader)
	}
	if sig[64] >= 27 {
		sig[64] -= 27
	}
	pub, err := crypto.SigToPub(accounts.TextHash([]byte(api.ResultsAuthMessage(chainID, contract, order, ts))), sig)
	if err != nil {
		return common.Address{}, fmt.Errorf("header %s: %v", api.ResultsAuthHeader, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// results are a settled order's results with their Merkle proofs.
func (m *Market) results(o api.MarketOrder) (api.MarketResults, error) {
	if o.State != api.OrderSettled && o.State != api.OrderSettling {
		return api.MarketResults{}, fmt.Errorf("%w: order %d is %s; results come once it is settled", gateway.ErrBadRequest, o.ID, o.State)
	}
	rec, _, err := m.getOrder(o.ID)
	if err != nil {
		return api.MarketResults{}, err
	}
	res := api.MarketResults{Order: o, Proofs: make([][]string, len(rec.Digests))}
	leaves := merkle.OrderLeaves(o.ID, rec.Digests)
	for i := range leaves {
		p, err := merkle.Proof(leaves, i)
		if err != nil {
			return res, err
		}
		for _, h := range p {
			res.Proofs[i] = append(res.Proofs[i], "0x"+hex.EncodeToString(h[:]))
		}
	}
	if o.Job == "" {
		return res, nil
	}
	d, err := m.pool.Job(o.Job)
	if err != nil {
		return res, err
	}
	res.Tasks = d.Tasks
	return res, nil
}
