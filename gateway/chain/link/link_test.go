package link_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/hearthtest/lightchain"
)

// Every row of the tamper table is caught by a verified connection, and the
// same connection reads honestly once the lie is off.
func TestTamperTable(t *testing.T) {
	h := lightchain.Start(t, lightchain.Options{BlockInterval: time.Hour})
	l := h.Open(t, nil)
	s := h.SetScene(t, l)
	caught, total := h.RunLies(t, s)
	t.Logf("tamper table: %d of %d lies caught", caught, total)
}

// Trusted mode is refused unless the chain is pinned, and refuses a chain
// other than the pinned one.
func TestTrustedIsPinned(t *testing.T) {
	h := lightchain.Start(t, lightchain.Options{BlockInterval: time.Hour})
	ctx := context.Background()
	genesis, err := h.Chain.Client().HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	id := h.Chain.ChainID().Uint64()
	cfg := link.Config{Mode: chain.ModeTrusted, RPC: []string{h.Chain.URL()}}
	if _, err := link.Open(ctx, cfg); err == nil || !strings.Contains(err.Error(), "--chain-genesis") {
		t.Fatalf("trusted without pins: %v, want an error naming --chain-id and --chain-genesis", err)
	}
	cfg.ChainID, cfg.Genesis = id, common.HexToHash("0x01")
	if _, err := link.Open(ctx, cfg); !errors.Is(err, chain.ErrWrongChain) {
		t.Fatalf("wrong genesis: %v, want ErrWrongChain", err)
	}
	cfg.ChainID, cfg.Genesis = id+1, genesis.Hash()
	if _, err := link.Open(ctx, cfg); !errors.Is(err, chain.ErrWrongChain) {
		t.Fatalf("wrong chain ID: %v, want ErrWrongChain", err)
	}
	cfg.ChainID = id
	l, err := link.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.Mode != chain.ModeTrusted || l.Light != nil {
		t.Fatalf("mode %s, light client %v; want trusted, none", l.Mode, l.Light)
	}
	if _, ok := l.Backend.(chain.Verifying); ok {
		t.Fatal("a trusted backend claims to verify")
	}
}

// Verified mode needs a beacon endpoint and says so.
func TestVerifiedNeedsBeacon(t *testing.T) {
	_, err := link.Open(context.Background(), link.Config{RPC: []string{"http://127.0.0.1:1"}})
	if err == nil || !strings.Contains(err.Error(), "--beacon-api") {
		t.Fatalf("verified without a beacon: %v, want an error naming --beacon-api", err)
	}
}
