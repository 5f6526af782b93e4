package netnstest

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// DialContext connects to addr from inside namespace ns, for a test that
// talks to a machine of the home (a VM on a tap) from its own process. The
// socket is made on a thread that enters ns and then goes back to the
// namespace it came from; the connection stays in ns, the test's other
// goroutines stay where they were.
//
// The thread must not end with the goroutine (as a thread left locked
// does): the home's processes are started with Pdeathsig, which the
// kernel sends when the thread that forked them ends, so ending one of
// the test's threads here could kill the gateway. Only when going back
// fails is the thread left locked, to end, so that nothing else runs in
// ns.
func DialContext(ctx context.Context, ns, network, addr string) (net.Conn, error) {
	var c net.Conn
	err := inNamespace(ns, func() (err error) {
		var d net.Dialer
		c, err = d.DialContext(ctx, network, addr)
		return err
	})
	return c, err
}

// ListenPacket opens a packet socket on addr inside namespace ns (a time
// server on the home's bridge, say), as DialContext does.
func ListenPacket(ns, network, addr string) (net.PacketConn, error) {
	var c net.PacketConn
	err := inNamespace(ns, func() (err error) {
		c, err = net.ListenPacket(network, addr)
		return err
	})
	return c, err
}

// inNamespace runs fn on a thread that enters ns and then goes back to the
// namespace it came from (see DialContext).
func inNamespace(ns string, fn func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		back, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
		if err != nil {
			runtime.UnlockOSThread()
			done <- err
			return
		}
		defer back.Close()
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			runtime.UnlockOSThread()
			done <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			done <- fmt.Errorf("entering namespace %s: %w", ns, err)
			return
		}
		err = fn()
		if unix.Setns(int(back.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		done <- err
	}()
	return <-done
}
