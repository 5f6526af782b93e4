// Package light is the gateway's beacon light client: it follows a beacon
// chain's sync committee from a checkpoint and gives the execution block
// hashes that committee signed, as a chain.HeadSource. The verifying reader
// (gateway/chain/verify) checks every RPC answer against those hashes.
//
// It is go-ethereum's own beacon/light (CommitteeChain for the committees,
// HeadTracker for the heads, real BLS) driven by a small pull loop over the
// beacon light-client REST API: per tick, the committee updates of any new
// sync period, then an optimistic and a finality update from every beacon
// endpoint; the highest valid head wins. No beacon blocks are downloaded: a
// tick costs a few kilobytes. The four REST requests are made here
// (rest.go), decoded into go-ethereum's beacon types, rather than through
// go-ethereum's beacon/light/api, which would bring its sync scheduler, an
// SSE client and package testing into the gateway (0.7 MB on arm64) and
// takes no context.
//
// Trust. A head is believed when two thirds of a sync committee (342 of 512
// validators, chosen by the beacon chain, not slashable for this) signed it.
// The first committee comes from a checkpoint: a finalized beacon block root
// the owner trusts. The newest finalized epoch-boundary root is stored in
// the gateway's store and used at the next start; a checkpoint older than
// MaxCheckpointAge (two weeks) is refused, since committees that old may
// have left and sold their keys.
//
// Caveats: a beacon fork that changes the execution payload header is
// refused (fail closed) until go-ethereum is upgraded; a beacon endpoint
// that withholds updates can stall the client but not fool it (heads go
// stale and reads fail with chain.ErrStale).
package light
