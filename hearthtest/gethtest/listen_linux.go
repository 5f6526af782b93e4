package gethtest

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Socket is a socket that a process has open for others to reach: a TCP
// socket in LISTEN state, or an unconnected UDP socket.
type Socket struct {
	Network string // "tcp" or "udp"
	Addr    netip.AddrPort
}

func (s Socket) String() string { return s.Network + " " + s.Addr.String() }

// ListeningSockets returns the sockets process pid listens on, read from
// /proc. Tests use it to check that geth, or the in-process development
// chain (pid os.Getpid()), listens on loopback only.
func ListeningSockets(pid int) ([]Socket, error) {
	proc := filepath.Join("/proc", strconv.Itoa(pid))
	owned, err := socketInodes(filepath.Join(proc, "fd"))
	if err != nil {
		return nil, err
	}
	var sockets []Socket
	for _, table := range []string{"tcp", "tcp6", "udp", "udp6"} {
		network := strings.TrimSuffix(table, "6")
		found, err := readSocketTable(filepath.Join(proc, "net", table), network, owned)
		if err != nil {
			return nil, err
		}
		sockets = append(sockets, found...)
	}
	return sockets, nil
}

// socketInodes returns the inodes of the sockets among a process's file
// descriptors.
func socketInodes(fdDir string) (map[string]bool, error) {
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		return nil, err
	}
	inodes := map[string]bool{}
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err != nil {
			continue // closed since ReadDir
		}
		if inode, ok := strings.CutPrefix(target, "socket:["); ok {
			inodes[strings.TrimSuffix(inode, "]")] = true
		}
	}
	return inodes, nil
}

// readSocketTable parses /proc/net/{tcp,tcp6,udp,udp6}:
//
//	sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
func readSocketTable(path, network string, owned map[string]bool) ([]Socket, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil // no IPv6 in this kernel
		}
		return nil, err
	}
	defer f.Close()
	const tcpListen, udpUnconnected = "0A", "07"
	var sockets []Socket
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || !owned[fields[9]] {
			continue
		}
		state := fields[3]
		if (network == "tcp" && state != tcpListen) || (network == "udp" && state != udpUnconnected) {
			continue
		}
		addr, err := parseProcAddr(fields[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		sockets = append(sockets, Socket{Network: network, Addr: addr})
	}
	return sockets, sc.Err()
}

// parseProcAddr parses "0100007F:1F90": the address as 32-bit words in the
// machine's byte order, then the port.
func parseProcAddr(s string) (netip.AddrPort, error) {
	hexAddr, hexPort, ok := strings.Cut(s, ":")
	if !ok {
		return netip.AddrPort{}, fmt.Errorf("bad socket address %q", s)
	}
	raw, err := hex.DecodeString(hexAddr)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.AddrPort{}, fmt.Errorf("bad socket address %q", s)
	}
	port, err := strconv.ParseUint(hexPort, 16, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad socket port %q", s)
	}
	for i := 0; i < len(raw); i += 4 {
		binary.BigEndian.PutUint32(raw[i:], binary.NativeEndian.Uint32(raw[i:]))
	}
	addr, _ := netip.AddrFromSlice(raw)
	return netip.AddrPortFrom(addr.Unmap(), uint16(port)), nil
}
