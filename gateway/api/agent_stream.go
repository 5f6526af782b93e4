package api

import "context"

// StreamPull commits a partition's last batch and asks for the next one,
// waiting up to req.Wait on the gateway's side.
func (c *Client) StreamPull(ctx context.Context, req StreamPull) (StreamBatch, error) {
	var out StreamBatch
	return out, c.do(ctx, "POST", "/v1/agent/stream/pull", req, &out)
}
