package link_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/hearthtest/lightchain"
	"github.com/hearth-home/hearth/store"
)

// TestLightClientBench prints the light client's figures as BENCH lines
// (make bench sets HEARTH_LIGHT_BENCH=1; HEARTH_LIGHT_TICKS changes the
// 10,000 ticks of the memory figure).
func TestLightClientBench(t *testing.T) {
	if os.Getenv("HEARTH_LIGHT_BENCH") == "" {
		t.Skip("set HEARTH_LIGHT_BENCH=1 (make bench does)")
	}
	ticks := 10000
	if n, err := strconv.Atoi(os.Getenv("HEARTH_LIGHT_TICKS")); err == nil && n > 0 {
		ticks = n
	}
	ctx := context.Background()
	h := lightchain.Start(t, lightchain.Options{BlockInterval: time.Hour})
	db, err := store.Open(filepath.Join(t.TempDir(), "gateway.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// A first start stores a checkpoint; a restart from it is what a
	// gateway does every day.
	l := h.Open(t, db)
	for range 40 { // past a finalized epoch boundary
		h.Tick(t, l)
	}
	l.Close()
	var firsts []float64
	for range 5 {
		start := time.Now()
		l2 := h.Open(t, db)
		if _, err := l2.Backend.BalanceAt(ctx, devchain.DevAddress("requester"), nil); err != nil {
			t.Fatal(err)
		}
		firsts = append(firsts, ms(time.Since(start)))
		l2.Close()
	}
	bench("lightclient.first_verified_read_ms", median(firsts), "ms")

	l = h.Open(t, db)
	reader := l.Backend.(interface {
		StorageAt(ctx context.Context, account common.Address, key common.Hash, blockNumber *big.Int) ([]byte, error)
	})
	var reads, updates []float64
	for range 100 {
		h.Chain.Commit()
		start := time.Now()
		if err := l.Light.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		updates = append(updates, ms(time.Since(start)))
		start = time.Now()
		if _, err := reader.StorageAt(ctx, h.Contract, common.Hash{}, nil); err != nil {
			t.Fatal(err)
		}
		reads = append(reads, ms(time.Since(start)))
	}
	bench("lightclient.verify_update_ms", median(updates), "ms")
	bench("lightclient.verified_storage_read_ms", median(reads), "ms")

	// Memory and traffic: a light client alone in a child process, ticked
	// as a gateway does it (sync, then the order count), a block per tick.
	beacon0, rpc0 := h.Beacon.Bytes(), h.Proxy.Bytes()
	child := startChild(t, h)
	base := child.rss(t)
	var early float64
	for i := range ticks {
		h.Chain.Commit()
		child.tick(t, h.Beacon.Now())
		if i == ticks/10 { // the heap has found its size
			early = child.rss(t)
		}
	}
	after := child.rss(t)
	beaconPerTick := float64(h.Beacon.Bytes()-beacon0) / float64(ticks)
	rpcPerTick := float64(h.Proxy.Bytes()-rpc0) / float64(ticks)
	bench("lightclient.rss_added_mb", after-base, "MB")
	bench("lightclient.rss_growth_mb", after-early, "MB") // over the last 90% of the ticks
	bench("lightclient.bytes_per_tick", beaconPerTick+rpcPerTick, "bytes")
	// Mainnet: the beacon's answers are the same size (a full committee,
	// the same headers); proofs are about three times longer than on this
	// small state (lightclient.md: an account proof ~8 nodes, 4 KB); one
	// committee update (55 KB in JSON) per 27.3 hours.
	perDay := (beaconPerTick+3*rpcPerTick)*24*60 + 55e3*24/27.3
	bench("lightclient.mainnet_mb_per_day_at_one_tick_per_minute", perDay/1e6, "MB")

	h.Honest()
	s := h.SetScene(t, l)
	caught, total := h.RunLies(t, s)
	fmt.Printf("BENCH lightclient.tamper_rejected %d/%d\n", caught, total)
}

func bench(name string, v float64, unit string) {
	fmt.Printf("BENCH %s %.2f %s\n", name, v, unit)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// rssMB is the resident memory of process pid ("self" for this one).
func rssMB(pid string) float64 {
	raw, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
