package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/internal/merkle"
)

func marketResultsCmd() *command {
	return &command{
		name:    "results",
		args:    "ID --out DIR",
		nargs:   1,
		summary: "fetch a settled order's results and verify them against the chain",
		help: `Fetch the results of your settled order ID from its provider, proving with
your key that you posted it, into DIR as ` + "`hearth job results`" + ` lays them out
(DIR/<index>/ with the task's /out files, stdout and stderr). With --verify (the
default) each task's result digest is recomputed from what was downloaded, and
checked with its Merkle proof against the result root the provider settled on
chain: a result the provider did not commit to, or a task it counted as done
without a result, is named and fails the command.

` + marketHelp,
		example: "hearth market results 1 --out results/",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			mf := bindMarketFlags(fs)
			dir := fs.String("out", "", "write the results under `DIR` (required)")
			verify := fs.Bool("verify", true, "check every result against the root on chain")
			return func(ctx context.Context, args []string) error {
				if *dir == "" {
					return usageErrorf("--out DIR is required")
				}
				id, err := parseOrderID(args[0])
				if err != nil {
					return err
				}
				return c.marketResults(ctx, mf, id, *dir, *verify)
			}
		},
	}
}

// resultsAuth signs the header that proves the caller posted the order.
func (m *mkt) resultsAuth(id uint64, now time.Time) (string, error) {
	ts := now.Unix()
	msg := api.ResultsAuthMessage(m.chainID.String(), m.contract.Hex(), id, ts)
	sig, err := crypto.Sign(accounts.TextHash([]byte(msg)), m.key)
	if err != nil {
		return "", err
	}
	sig[64] += 27
	return strconv.FormatInt(ts, 10) + "." + hex.EncodeToString(sig), nil
}

func (c *cli) marketResults(ctx context.Context, mf *marketFlags, id uint64, dir string, verify bool) error {
	m, err := c.connectMarket(ctx, mf, true)
	if err != nil {
		return err
	}
	defer m.Close()
	o, err := m.order(ctx, id)
	if err != nil {
		return err
	}
	if o.Status != contracts.StatusSettled {
		return fmt.Errorf("order %d is %s on chain: results come once it is settled (hearth market order get %d)", id, contracts.StatusName(o.Status), id)
	}
	if o.Requester != m.me {
		return fmt.Errorf("order %d was posted by %s; your key is %s: only its requester may fetch its results", id, o.Requester.Hex(), m.me.Hex())
	}
	providers, err := resultProviders(ctx, m, id, o)
	if err != nil {
		return err
	}
	auth, err := m.resultsAuth(id, c.now())
	if err != nil {
		return err
	}
	// A replicated order's results are at each provider that agreed with
	// the quorum: the first that answers serves them.
	var mc *api.MarketClient
	var res api.MarketResults
	for i, p := range providers {
		pv, perr := m.provider(ctx, p)
		if perr == nil {
			mc, perr = api.NewMarketClient(pv.Endpoint)
		}
		if perr == nil {
			if res, perr = mc.Results(ctx, id, auth); perr != nil {
				mc.Close()
			}
		}
		if perr == nil {
			break
		}
		if i == len(providers)-1 {
			return fmt.Errorf("provider %s: %w", p.Hex(), perr)
		}
		fmt.Fprintf(c.stderr, "provider %s: %v; trying the next that agreed\n", p.Hex(), perr)
	}
	defer mc.Close()
	tasks := int(o.Tasks.Int64())
	d := api.JobDetail{Job: api.Job{ID: fmt.Sprintf("order-%d", id)}, Tasks: res.Tasks}
	rep, err := fetchResults(ctx, mc.Output(id, auth), d, dir)
	if err != nil {
		return err
	}
	if verify {
		bad := verifyOrderResults(id, tasks, int(o.TasksDone.Int64()), o.ResultRoot, res)
		rep.bad = append(rep.bad, bad...)
	}
	if err := rep.write(c.stdout, c.stderr, fmt.Sprintf("order %d", id), dir); err != nil {
		return err
	}
	if verify {
		fmt.Fprintf(c.stdout, "order %d: %d of %d tasks done, every result proven against the root 0x%s on chain\n",
			id, o.TasksDone.Int64(), tasks, hex.EncodeToString(o.ResultRoot[:]))
	}
	return nil
}

// verifyOrderResults checks each task's result digest, with its proof,
// against the root settled on chain; it names each failure. (fetchResults
// has already checked each digest against the downloaded content.)
func verifyOrderResults(id uint64, tasks, done int, root [32]byte, res api.MarketResults) []string {
	var bad []string
	if len(res.Proofs) != tasks {
		return []string{fmt.Sprintf("order: the provider sent proofs for %d tasks, the order has %d", len(res.Proofs), tasks)}
	}
	digests := make([]string, tasks)
	for _, t := range res.Tasks {
		if t.Index >= 0 && t.Index < tasks && t.State == api.TaskDone && t.Result != nil {
			digests[t.Index] = t.Result.Digest
		}
	}
	n := 0
	for i := range tasks {
		if digests[i] != "" {
			n++
		}
		proof := make([]merkle.Hash, len(res.Proofs[i]))
		for j, h := range res.Proofs[i] {
			b, err := hex.DecodeString(strings.TrimPrefix(h, "0x"))
			if err != nil || len(b) != 32 {
				bad = append(bad, fmt.Sprintf("task %d: malformed proof", i))
				continue
			}
			copy(proof[j][:], b)
		}
		leaf := merkle.Leaf(bigUint(id), uint64(i), merkle.DigestBytes(digests[i]))
		if err := merkle.Verify(root, leaf, i, tasks, proof); err != nil {
			what := "result " + digests[i]
			if digests[i] == "" {
				what = "no result"
			}
			bad = append(bad, fmt.Sprintf("task %d: %s is not what the provider settled on chain (%v)", i, what, err))
		}
	}
	if n != done {
		bad = append(bad, fmt.Sprintf("order: %d results arrived, the chain says %d tasks were done", n, done))
	}
	return bad
}

// resultProviders are the providers that hold order id's results: its
// provider, or a replicated order's providers that agreed with its quorum.
func resultProviders(ctx context.Context, m *mkt, id uint64, o contracts.HearthMarketOrder) ([]common.Address, error) {
	if o.Provider != (common.Address{}) {
		return []common.Address{o.Provider}, nil
	}
	rep, err := m.replication(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []common.Address
	for i, n := range contracts.Seats(rep) {
		if rep.Agreeing&(1<<i) == 0 {
			continue
		}
		a, err := m.providerAt(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("order %d names no provider that agreed on its results", id)
	}
	return out, nil
}
