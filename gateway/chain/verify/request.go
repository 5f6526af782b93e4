package verify

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/rpc"
)

// request is one JSON-RPC request and where its answer goes.
type request struct {
	method string
	args   []any
	out    any
}

// call sends one request to the read endpoint. A failure to get an answer
// is returned as it is; an answer that does not decode into out is the
// RPC's fault and wraps chain.ErrUnverified.
func (r *Reader) call(ctx context.Context, out any, method string, args ...any) error {
	var raw json.RawMessage
	if err := r.rpc.CallContext(ctx, &raw, method, args...); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return decode(raw, out, method)
}

// batch sends reqs to the read endpoint in one JSON-RPC batch; errors as
// call's, the first one returned.
func (r *Reader) batch(ctx context.Context, reqs []request) error {
	elems := make([]rpc.BatchElem, len(reqs))
	raws := make([]json.RawMessage, len(reqs))
	for i, q := range reqs {
		elems[i] = rpc.BatchElem{Method: q.method, Args: q.args, Result: &raws[i]}
	}
	if err := r.rpc.BatchCallContext(ctx, elems); err != nil {
		return fmt.Errorf("batch of %d (%s, ...): %w", len(reqs), reqs[0].method, err)
	}
	for i, q := range reqs {
		if err := elems[i].Error; err != nil {
			return fmt.Errorf("%s: %w", q.method, err)
		}
		if err := decode(raws[i], q.out, q.method); err != nil {
			return err
		}
	}
	return nil
}

func decode(raw json.RawMessage, out any, method string) error {
	if len(raw) == 0 {
		raw = json.RawMessage("null")
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return unverified("%s: the answer does not decode: %w", method, err)
	}
	return nil
}
