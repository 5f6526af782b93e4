package market

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/store"
)

// poolInfo is the pool's aggregate as the contract publishes it.
func (m *Market) poolInfo() contracts.HearthMarketPoolInfo {
	c := m.pool.Capacity()
	var rts []string
	for _, r := range c.Runtimes {
		for _, sold := range m.cfg.Runtimes {
			if r == sold {
				rts = append(rts, r)
			}
		}
	}
	return contracts.HearthMarketPoolInfo{Devices: uint32(c.Devices), Cores: uint32(c.Cores),
		MemoryMiB: c.MemoryMiB, WattBudget: uint32(math.Round(c.WattBudget)),
		Runtimes: strings.Join(rts, ","), Platforms: strings.Join(c.Platforms, ",")}
}

func infoString(endpoint string, i contracts.HearthMarketPoolInfo) string {
	return fmt.Sprintf("%s %d %d %d %d %s %s", endpoint, i.Devices, i.Cores, i.MemoryMiB, i.WattBudget, i.Runtimes, i.Platforms)
}

// ensureRegistered registers the provider with the contract unless it is:
// it reports true once the contract says so.
func (m *Market) ensureRegistered(ctx context.Context) (bool, error) {
	out, err := m.call(ctx, m.abi.PackProviders(m.provider))
	if err != nil {
		return false, fmt.Errorf("read provider: %w", err)
	}
	p, err := m.abi.UnpackProviders(out)
	if err != nil {
		return false, err
	}
	if p.Active {
		m.number = uint32(p.Number.Uint64())
		// What the chain holds of the pool's aggregate is not known after
		// a restart: publish it once the pool has had time to gather, or
		// at once when the endpoint moved.
		m.lastInfo, m.infoAt = "", time.Now()
		if p.Endpoint != m.cfg.Endpoint {
			m.infoAt = time.Time{}
		}
		return true, nil
	}
	// One registration at a time; a failed one is retried under a new key.
	key := "register/" + m.metaString("register_attempt", "1")
	rec, ok, err := m.outbox.Get(key)
	if err != nil {
		return false, err
	}
	switch {
	case ok && !rec.Final():
		return false, nil
	case ok && rec.State == chain.Mined && !rec.Reverted:
		return false, nil // mined; the next read sees it
	case ok:
		m.log.Error("registration failed", "err", m.txError(rec))
		n, _ := strconv.Atoi(strings.TrimPrefix(key, "register/"))
		if err := m.setMeta("register_attempt", strconv.Itoa(n+1)); err != nil {
			return false, err
		}
		return false, nil
	}
	stake := m.cfg.Stake
	if stake == nil {
		out, err := m.call(ctx, m.abi.PackMinStake())
		if err != nil {
			return false, fmt.Errorf("read minimum stake: %w", err)
		}
		if stake, err = m.abi.UnpackMinStake(out); err != nil {
			return false, err
		}
	}
	info := m.poolInfo()
	if _, err := m.outbox.Enqueue(chain.Intent{Key: key, To: m.cfg.Contract, Value: stake,
		Data: m.abi.PackRegister(m.cfg.Endpoint, info)}); err != nil {
		return false, err
	}
	m.lastInfo, m.infoAt = infoString(m.cfg.Endpoint, info), time.Now()
	m.log.Info("registering as a provider", "provider", m.provider.Hex(), "stake_wei", stake.String(), "endpoint", m.cfg.Endpoint)
	return false, nil
}

// infoEvery paces updates of the pool's published aggregate.
const infoEvery = 30 * time.Second

// publishInfo updates the provider's published aggregate when devices came
// or went, at most every infoEvery.
func (m *Market) publishInfo() error {
	if !m.registered {
		return nil
	}
	info := m.poolInfo()
	s := infoString(m.cfg.Endpoint, info)
	if s == m.lastInfo || time.Since(m.infoAt) < infoEvery {
		return nil
	}
	key, err := m.nextKey("update")
	if err != nil {
		return err
	}
	if _, err := m.outbox.Enqueue(chain.Intent{Key: key, To: m.cfg.Contract,
		Data: m.abi.PackUpdateProvider(m.cfg.Endpoint, info)}); err != nil {
		return err
	}
	m.lastInfo, m.infoAt = s, time.Now()
	m.log.Info("publishing the pool's aggregate", "devices", info.Devices, "cores", info.Cores,
		"watts", info.WattBudget, "runtimes", info.Runtimes)
	return nil
}

func (m *Market) metaString(key, def string) string {
	var v string
	m.db.View(func(tx *store.Tx) error {
		v = string(tx.Get(bucketMeta, key))
		return nil
	})
	if v == "" {
		return def
	}
	return v
}

func (m *Market) setMeta(key, v string) error {
	return m.db.Update(func(tx *store.Tx) error { return tx.Put(bucketMeta, key, []byte(v)) })
}

// ---- fetching apps ----

// Fetcher opens what a URL names.
type Fetcher func(ctx context.Context, url string) (io.ReadCloser, error)

func isURL(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") }

// fetchLimit caps a fetched app or input.
const fetchLimit = 512 << 20

func httpFetch(ctx context.Context, url string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return resp.Body, nil
}

// fetch stores what url names in the blob store if it hashes to want.
func (m *Market) fetch(ctx context.Context, url, want string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	rc, err := m.cfg.Fetch(ctx, url)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, _, err = m.pool.Blobs().Put(io.LimitReader(rc, fetchLimit), store.Digest(want))
	if errors.Is(err, store.ErrDigestMismatch) {
		return fmt.Errorf("%w: %s gave other content: %v", errDigestMismatch, url, err)
	}
	return err
}

var errDigestMismatch = errors.New("digest mismatch")
