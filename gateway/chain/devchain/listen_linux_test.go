package devchain

import (
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/hearthtest/gethtest"
)

// The chain opens its JSON-RPC port and nothing else: no peer-to-peer
// listener, no discovery socket, no engine API.
func TestListensOnlyOnAddr(t *testing.T) {
	before, err := gethtest.ListeningSockets(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	c := startChain(t, Options{Addr: "127.0.0.1:0", DataDir: t.TempDir()})
	after, err := gethtest.ListeningSockets(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	var opened []gethtest.Socket
	for _, s := range after {
		if !slices.Contains(before, s) {
			opened = append(opened, s)
		}
	}
	want := gethtest.Socket{Network: "tcp", Addr: netip.MustParseAddrPort(strings.TrimPrefix(c.URL(), "http://"))}
	if len(opened) != 1 || opened[0] != want {
		t.Errorf("Start opened %v, want only %v", opened, want)
	}
}
