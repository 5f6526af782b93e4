package api

import (
	"context"
	"net/url"
)

// DeployStream deploys a new stream whose app is already uploaded
// (spec.AppDigest names it). It returns the stream at version 1.
func (c *Admin) DeployStream(ctx context.Context, spec StreamSpec) (Stream, error) {
	var out Stream
	return out, c.do(ctx, "POST", "/v1/streams", spec, &out)
}

// UpdateStream replaces the spec of the stream spec.Name names and returns
// it at its next version; an unknown stream gives ErrNotFound.
func (c *Admin) UpdateStream(ctx context.Context, spec StreamSpec) (Stream, error) {
	var out Stream
	return out, c.do(ctx, "PUT", streamPath(spec.Name), spec, &out)
}

// Streams lists the deployed streams.
func (c *Admin) Streams(ctx context.Context) ([]Stream, error) {
	var out []Stream
	return out, c.do(ctx, "GET", "/v1/streams", nil, &out)
}

// Stream returns one stream with its partitions and counts.
func (c *Admin) Stream(ctx context.Context, name string) (Stream, error) {
	var out Stream
	return out, c.do(ctx, "GET", streamPath(name), nil, &out)
}

// StreamLogs returns what the gateway did with a stream.
func (c *Admin) StreamLogs(ctx context.Context, name string) ([]StreamLogEntry, error) {
	var out []StreamLogEntry
	return out, c.do(ctx, "GET", streamPath(name)+"/logs", nil, &out)
}

// RemoveStream removes a stream; an unknown one gives ErrNotFound.
func (c *Admin) RemoveStream(ctx context.Context, name string) error {
	return c.do(ctx, "DELETE", streamPath(name), nil, nil)
}

func streamPath(name string) string { return "/v1/streams/" + url.PathEscape(name) }
