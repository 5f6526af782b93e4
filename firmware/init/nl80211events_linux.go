package hearthinit

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// mlmeEvent is one connection event of nl80211's "mlme" multicast group.
type mlmeEvent struct {
	cmd           uint8 // NL80211_CMD_CONNECT, _DISCONNECT or _PORT_AUTHORIZED
	ifindex       int
	status        uint16 // of a connect: 0 is success (IEEE 802.11 status code)
	reason        uint16 // of a disconnect (IEEE 802.11 reason code)
	hasBSSID      bool   // a connect result names the access point
	timeoutReason uint32 // NL80211_ATTR_TIMEOUT_REASON
}

// timeoutScan is NL80211_TIMEOUT_SCAN: the network was not found.
const timeoutScan = 1

// mlmeEvents receives the connection events of every Wi-Fi interface
// until closed.
type mlmeEvents struct {
	ch     chan mlmeEvent
	conn   *genetlink.Conn
	cancel context.CancelFunc
	done   chan struct{}
}

// listenMLME joins nl80211's mlme group.
func listenMLME(ctx context.Context) (*mlmeEvents, error) {
	conn, err := genetlink.Dial(nil)
	if err != nil {
		return nil, err
	}
	fam, err := conn.GetFamily(unix.NL80211_GENL_NAME)
	if err == nil {
		err = errors.New("nl80211 has no mlme group")
		for _, g := range fam.Groups {
			if g.Name == unix.NL80211_MULTICAST_GROUP_MLME {
				err = conn.JoinGroup(g.ID)
				break
			}
		}
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	e := &mlmeEvents{ch: make(chan mlmeEvent, 32), conn: conn, cancel: cancel, done: make(chan struct{})}
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Now()) })
	go func() {
		defer close(e.done)
		defer close(e.ch)
		defer stop()
		for ctx.Err() == nil {
			msgs, _, err := conn.Receive()
			if err != nil {
				if ctx.Err() == nil && errors.Is(err, unix.ENOBUFS) {
					continue // events were dropped; the carrier check covers them
				}
				return
			}
			for _, m := range msgs {
				ev, ok := parseMLME(m)
				if !ok {
					continue
				}
				select {
				case e.ch <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return e, nil
}

// drain drops the events received so far.
func (e *mlmeEvents) drain() {
	for {
		select {
		case _, ok := <-e.ch:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// close stops listening and waits for the receiver to end.
func (e *mlmeEvents) close() {
	e.cancel()
	<-e.done
	e.conn.Close()
}

// parseMLME reads a connection event; ok is false for the group's other
// messages (authenticate, associate, frames).
func parseMLME(m genetlink.Message) (mlmeEvent, bool) {
	ev := mlmeEvent{cmd: m.Header.Command}
	switch ev.cmd {
	case unix.NL80211_CMD_CONNECT, unix.NL80211_CMD_DISCONNECT, unix.NL80211_CMD_PORT_AUTHORIZED:
	default:
		return ev, false
	}
	attrs, err := netlink.UnmarshalAttributes(m.Data)
	if err != nil {
		return ev, false
	}
	for _, a := range attrs {
		switch a.Type {
		case unix.NL80211_ATTR_IFINDEX:
			if len(a.Data) >= 4 {
				ev.ifindex = int(binary.NativeEndian.Uint32(a.Data))
			}
		case unix.NL80211_ATTR_STATUS_CODE:
			if len(a.Data) >= 2 {
				ev.status = binary.NativeEndian.Uint16(a.Data)
			}
		case unix.NL80211_ATTR_REASON_CODE:
			if len(a.Data) >= 2 {
				ev.reason = binary.NativeEndian.Uint16(a.Data)
			}
		case unix.NL80211_ATTR_MAC:
			ev.hasBSSID = len(a.Data) == 6
		case unix.NL80211_ATTR_TIMEOUT_REASON:
			if len(a.Data) >= 4 {
				ev.timeoutReason = binary.NativeEndian.Uint32(a.Data)
			}
		}
	}
	return ev, true
}
