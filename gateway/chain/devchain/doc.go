// Package devchain runs an Ethereum development chain inside the gateway
// process, for `hearth-gateway --dev`: no geth to install, no testnet ETH to
// beg for.
//
// The chain is the one go-ethereum's ethclient/simulated backend runs (a full
// eth service driven by catalyst.SimulatedBeacon, chain ID 1337, the genesis of
// `geth --dev` with its system contracts), assembled here rather than through
// simulated.NewBackend for three reasons:
//
//   - simulated.NewBackend rewinds the chain to genesis every time it starts,
//     so a chain kept in a data directory would lose its blocks on restart;
//   - it panics instead of returning an error when the node cannot start, for
//     example when the JSON-RPC port is taken;
//   - it seals blocks only when Commit is called, and the gateway needs blocks
//     to appear on their own when a wallet sends a transaction.
//
// Start seals pending transactions every Options.BlockInterval, and empty
// blocks every Options.IdleBlocks if asked to. A new chain starts at block 1,
// not at genesis: Start seals one empty block so that block time is the
// present and receipt queries answer "not found" rather than go-ethereum's
// "transaction indexing is in progress". Blocks are stamped with the
// wall-clock second, but each block must be at least one second after its
// parent, so a burst of blocks runs the chain's clock ahead of the wall clock
// until the chain goes idle again.
//
// With Options.DataDir set, the chain lives in DataDir/hearth-devchain and
// every block and its state are on disk, synced, once the block is sealed
// (hash-based archive state, one fsync per block), so the chain survives a
// clean Close and a killed process alike. Transactions still in the pool are
// not kept. The data directory must be reopened with the same Alloc: a
// different genesis is refused (ErrGenesisMismatch).
//
// The optional JSON-RPC HTTP server (Options.Addr) serves the eth, net, web3
// and txpool namespaces to ordinary clients: ethclient, cast, wallets. It has
// no unlocked accounts; clients sign their own transactions. Nothing else
// listens: no peer-to-peer port, no discovery, no engine API.
//
// DevKey's keys are derived from public strings. Anyone can compute them; they
// are for development chains only and must never hold real funds.
package devchain
