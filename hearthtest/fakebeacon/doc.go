// Package fakebeacon is an offline fake beacon node for tests: it serves
// the beacon light-client REST API (bootstrap, updates, optimistic_update,
// finality_update, headers) on 127.0.0.1, signed by sync committees of 512
// BLS keys per sync period that it derives from a seed, over beacon headers
// that carry execution payload headers built from REAL execution blocks
// (read from Exec, for example an in-process devchain). go-ethereum's own
// light client (beacon/light CommitteeChain with real BLS, HeadTracker, and
// beacon/light/api as the REST client) accepts what it serves, and rejects
// each of its lies (see Tamper).
//
// Execution block n is carried by the beacon block at slot BaseSlot+n,
// whose state proves the committees of its period and the next, and the
// block FinalityLag blocks back as finalized; its body proves the payload.
// The committee update of period p is attested by the newest block of p
// whose next slot is still in p, signed at that slot by committee p, and
// proves committee p+1; optimistic and finality updates attest the
// newest block, signed at the next slot. The beacon's clock, Now, is the
// start of the newest execution block's slot plus 4 seconds.
//
// Caveats; this is not a beacon chain:
//   - Keys come from a public seed: anyone can sign as these committees.
//     Only test clients may trust a fake beacon's checkpoint.
//   - Beacon states and bodies are sparse Merkle trees that hold only what
//     a light client checks (committee roots, finalized root, payload root)
//     and a few distinguishing fields; other nodes are zero, not SSZ
//     zero-hashes. There are no beacon blocks (/eth/v2/beacon/blocks, so
//     no blsync), no SSE events, no proposer signatures.
//   - The payload header's transactions and withdrawals roots are the
//     execution header's own roots, not SSZ list roots; its timestamp is
//     the execution block's, not the slot's. Its block hash and the other
//     header fields are real.
//   - Every response says version "electra" (electra's generalized indices,
//     deneb's payload header type) whatever the config's fork at the slot.
//   - One block per slot, no missed slots. Blocks are built once by number
//     from block 0 and cached: execution reorgs are not followed, and a
//     chain of millions of blocks would be slow.
//   - With the default BaseSlot, block n is at the start of the wall
//     clock's sync period minus 20 plus n: it is in the wall clock's future
//     when the wall clock is fewer than n-20 slots into its period. Clients
//     in tests take the time from Now (go-ethereum's enforceTime check uses
//     the wall clock, so leave it off).
package fakebeacon
