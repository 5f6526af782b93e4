package api

import (
	"context"
	"io"
	"net/url"

	"github.com/hearth-home/hearth/internal/http1"
)

// The shard protocol (docs/protocol.md, "Backup shards"): a device that
// keeps backup shards (hearth-agent --storage-dir) holds a long poll open
// on the gateway, which answers it with the operations it wants done; the
// device fetches what it is to store, sends back what it is asked for, and
// says when each operation is done. Every call rides the agent's mutual-TLS
// session: nothing new to open on the device.

// Shard operations.
const (
	// ShardPut: fetch the shard (GET /v1/agent/storage/ops/{id}), check
	// that it hashes to Digest, store it durably (fsync of the file and
	// its directory) under Name, then report done.
	ShardPut = "put"
	// ShardGet: send the shard named Name (PUT /v1/agent/storage/ops/{id});
	// a device that does not have it reports done with an error.
	ShardGet = "get"
	// ShardDelete: remove the shard named Name (no error when absent).
	ShardDelete = "delete"
	// ShardCheck: read the shard named Name and check that it hashes to
	// the digest its name ends with; report done, with code "not_found"
	// or "digest" when it is missing or damaged (a scrub).
	ShardCheck = "check"
	// ShardList: send the names of the shards whose names begin with
	// Name (empty: every shard; else at least two characters), one per
	// line (PUT /v1/agent/storage/ops/{id}).
	ShardList = "list"
)

// StoragePoll is a device's long poll for shard work
// (POST /v1/agent/storage/poll).
type StoragePoll struct {
	// Free is how many more bytes of shards the device takes: its quota
	// less what it holds, or less when its disk has less room.
	Free int64 `json:"free"`
	// Used is the bytes of shards it holds, Shards their number.
	Used   int64 `json:"used"`
	Shards int   `json:"shards"`
	// Wait is how long the gateway may hold the poll when it has no work.
	Wait Duration `json:"wait,omitempty"`
}

// StorageOps answers a poll: the work for the device, possibly none.
type StorageOps struct {
	Ops []StorageOp `json:"ops"`
}

// StorageOp is one operation on one shard.
type StorageOp struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Name is the shard's name on the device: letters, digits, '-' and
	// '.', at most 128 bytes; it ends with the shard's SHA-256 in hex.
	Name string `json:"name"`
	// Digest ("sha256:...") and Size describe the shard of a put.
	Digest string `json:"digest,omitempty"`
	Size   int64  `json:"size,omitempty"`
}

// StorageDone reports how an operation ended
// (POST /v1/agent/storage/ops/{id}/done); Error is empty on success, and
// Code says what failed ("not_found", "full", "digest", "io").
type StorageDone struct {
	Error string `json:"error,omitempty"`
	Code  string `json:"code,omitempty"`
}

// StoragePoll asks for shard work, waiting up to req.Wait.
func (c *Client) StoragePoll(ctx context.Context, req StoragePoll) (StorageOps, error) {
	var out StorageOps
	return out, c.do(ctx, "POST", "/v1/agent/storage/poll", req, &out)
}

// ShardBody fetches a put's shard into w and checks it against digest.
func (c *Client) ShardBody(ctx context.Context, id, digest string, w io.Writer) (int64, error) {
	return c.getBlob(ctx, &http1.Request{Method: "GET", Path: "/v1/agent/storage/ops/" + url.PathEscape(id)}, digest, w)
}

// SendShard answers a get with the shard's bytes.
func (c *Client) SendShard(ctx context.Context, id string, r io.Reader, size int64) error {
	return c.putBlob(ctx, "/v1/agent/storage/ops/"+url.PathEscape(id), r, size)
}

// ShardDone reports how an operation ended.
func (c *Client) ShardDone(ctx context.Context, id string, done StorageDone) error {
	return c.do(ctx, "POST", "/v1/agent/storage/ops/"+url.PathEscape(id)+"/done", done, nil)
}
