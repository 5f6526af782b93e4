package discovery

import (
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func fakeNIC(name string, flags net.Flags, addrs ...string) nic {
	n := nic{Interface: net.Interface{Name: name, Index: len(name), Flags: flags}}
	for _, a := range addrs {
		n.Addrs = append(n.Addrs, netip.MustParseAddr(a))
	}
	return n
}

const upMC = net.FlagUp | net.FlagMulticast

func TestPickLinks(t *testing.T) {
	lo := fakeNIC("lo", net.FlagUp|net.FlagLoopback, "127.0.0.1", "::1")
	loMC := fakeNIC("lo", upMC|net.FlagLoopback, "127.0.0.1", "::1")
	eth0 := fakeNIC("eth0", upMC, "192.168.1.20", "fe80::1", "fd00::20")
	wlan0 := fakeNIC("wlan0", upMC, "fe80::2")
	down := fakeNIC("eth1", net.FlagMulticast, "10.0.0.1")
	bare := fakeNIC("eth2", upMC)
	tun := fakeNIC("tun0", net.FlagUp|net.FlagPointToPoint, "100.64.0.1")

	for _, tc := range []struct {
		name   string
		nics   []nic
		want   []string
		ifaces string
		addrs  string
		err    string
	}{
		{name: "default takes up multicast interfaces with addresses",
			nics: []nic{lo, eth0, down, bare, tun}, ifaces: "eth0", addrs: "192.168.1.20 fd00::20"},
		{name: "loopback only: announce loopback addresses",
			nics: []nic{loMC}, ifaces: "lo", addrs: "127.0.0.1 ::1"},
		{name: "lo with multicast beside a LAN: never announce 127.0.0.1",
			nics: []nic{loMC, eth0}, ifaces: "lo eth0", addrs: "192.168.1.20 fd00::20"},
		{name: "link-local only when nothing else",
			nics: []nic{wlan0}, ifaces: "wlan0", addrs: "fe80::2"},
		{name: "named",
			nics: []nic{lo, eth0, wlan0}, want: []string{"wlan0"}, ifaces: "wlan0", addrs: "fe80::2"},
		{name: "named but missing",
			nics: []nic{eth0}, want: []string{"nope0"}, err: "nope0: no such interface"},
		{name: "named but down",
			nics: []nic{down}, want: []string{"eth1"}, err: "eth1: down"},
		{name: "nothing usable says why",
			nics: []nic{lo, bare, tun}, err: "lo: no multicast; eth2: no address; tun0: no multicast"},
		{name: "no interfaces at all",
			err: "no interfaces"},
	} {
		l, err := pickLinks(tc.nics, tc.want)
		if tc.err != "" {
			if !errors.Is(err, ErrNoInterface) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want ErrNoInterface with %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var addrs []string
		for _, a := range l.addrs {
			addrs = append(addrs, a.String())
		}
		if got := strings.Join(l.names(), " "); got != tc.ifaces {
			t.Errorf("%s: ifaces %q, want %q", tc.name, got, tc.ifaces)
		}
		if got := strings.Join(addrs, " "); got != tc.addrs {
			t.Errorf("%s: addrs %q, want %q", tc.name, got, tc.addrs)
		}
	}
}

func TestLinksKey(t *testing.T) {
	a, _ := pickLinks([]nic{fakeNIC("eth0", upMC, "10.0.0.1")}, nil)
	b, _ := pickLinks([]nic{fakeNIC("eth0", upMC, "10.0.0.2")}, nil)
	c, _ := pickLinks([]nic{fakeNIC("eth0", upMC, "10.0.0.1")}, nil)
	if a.key() == b.key() || a.key() != c.key() {
		t.Errorf("keys: %q %q %q", a.key(), b.key(), c.key())
	}
	if !slices.Equal(a.names(), []string{"eth0"}) {
		t.Errorf("names = %v", a.names())
	}
}
