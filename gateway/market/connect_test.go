package market_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/gateway/market"
)

// Connect waits for a chain that does not answer, saying so once, and
// gives up at once on one that waiting cannot mend.
func TestConnect(t *testing.T) {
	g, err := gateway.New(gateway.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	logs := &testWriter{t: t}
	cfg := market.Config{Contract: common.HexToAddress("0x01"), Endpoint: "https://" + g.Addr().String() + "#" + g.NodeID(),
		Logger: slog.New(slog.NewTextHandler(logs, nil))}
	started := func(*market.Market, *link.Link) { t.Error("a market started without a chain") }

	down := link.Config{Mode: chain.ModeTrusted, RPC: []string{"http://127.0.0.1:1"}, ChainID: 1337, Genesis: common.HexToHash("0x01")}
	ctx, cancel := context.WithTimeout(context.Background(), 7*time.Second)
	defer cancel()
	if err := market.Connect(ctx, down, cfg, g, g.DB(), devchain.DevKey("provider"), started); err != nil {
		t.Fatalf("an endpoint that is down: %v, want nil once the context ends", err)
	}
	if n := strings.Count(logs.String(), "market waits for the chain"); n != 1 {
		t.Fatalf("said %d times that the market waits (two attempts, one reason), want once", n)
	}

	dc, err := devchain.Start(devchain.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	wrong := link.Config{Mode: chain.ModeTrusted, RPC: []string{dc.URL()}, ChainID: dc.ChainID().Uint64() + 1, Genesis: common.HexToHash("0x01")}
	start := time.Now()
	if err := market.Connect(context.Background(), wrong, cfg, g, g.DB(), devchain.DevKey("provider"), started); !errors.Is(err, chain.ErrWrongChain) {
		t.Fatalf("an endpoint of another chain: %v, want ErrWrongChain", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Fatalf("gave up on another chain after %s, want at once", time.Since(start))
	}
}
