package market

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/store"
)

// retryEvery paces Connect's attempts while the chain cannot be reached.
const retryEvery = 5 * time.Second

// Connect opens the chain as lcfg says, prepares the market and runs it
// with the light client until ctx ends. While the chain cannot be reached
// it tries again every 5 seconds, logging each new reason once; the pool
// works meanwhile. What waiting cannot mend ends it: a light-client
// checkpoint too old, an RPC endpoint without a method verified reads
// need, an endpoint of another chain. started is called once, when the
// market is up, before it runs.
func Connect(ctx context.Context, lcfg link.Config, cfg Config, pool Pool, db *store.DB, key *ecdsa.PrivateKey, started func(*Market, *link.Link)) error {
	cfg = cfg.withDefaults()
	for warned := ""; ; {
		m, l, err := open(ctx, lcfg, cfg, pool, db, key)
		if err == nil {
			defer l.Close()
			started(m, l)
			// The light client and the market stop together: a market
			// without fresh verified heads only waits.
			eg, ctx := errgroup.WithContext(ctx)
			eg.Go(func() error { return l.Run(ctx) })
			eg.Go(func() error { return m.Run(ctx) })
			return eg.Wait()
		}
		if errors.Is(err, chain.ErrCheckpointTooOld) || errors.Is(err, chain.ErrMissingMethod) || errors.Is(err, chain.ErrWrongChain) {
			return err // the owner must act
		}
		if ctx.Err() != nil {
			return nil
		}
		if err.Error() != warned {
			cfg.Logger.Warn("market waits for the chain; the pool works meanwhile", "rpc", chain.RedactURL(lcfg.RPC[0]), "err", err)
			warned = err.Error()
		}
		sleep(ctx, retryEvery)
	}
}

// open opens the chain and prepares the market on it.
func open(ctx context.Context, lcfg link.Config, cfg Config, pool Pool, db *store.DB, key *ecdsa.PrivateKey) (*Market, *link.Link, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	l, err := link.Open(ctx, lcfg)
	if err != nil {
		return nil, nil, err
	}
	cfg.Mode = l.Mode
	m, err := New(ctx, cfg, pool, db, l.Backend, key)
	if err != nil {
		l.Close()
		return nil, nil, err
	}
	return m, l, nil
}
