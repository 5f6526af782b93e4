package mqttconn

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hearth-home/hearth/internal/mosquitto/mosquittotest"
)

// Packets of every size, from a few bytes to several times the read
// buffer, arrive whole and in order through a real mosquitto, at QoS 0
// and 1, over connections opened by Open.
func TestPacketsThroughBuffer(t *testing.T) {
	b := mosquittotest.Start(t)
	connect := func(id string) mqtt.Client {
		c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + b.Addr()).SetClientID(id).
			SetCustomOpenConnectionFn(Open).SetOrderMatters(true))
		if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatalf("connect %s: %v", id, tok.Error())
		}
		t.Cleanup(func() { c.Disconnect(100) })
		return c
	}
	sizes := []int{0, 1, 126, 127, 128, 16383, 16384, readBuffer - 10, readBuffer, readBuffer + 1, 3*readBuffer + 7}
	payload := func(i int) []byte {
		n := sizes[i%len(sizes)]
		return bytes.Repeat([]byte{byte('a' + i%26)}, n)
	}
	const n = 500
	for _, qos := range []byte{0, 1} {
		var mu sync.Mutex
		var got [][]byte
		done := make(chan struct{})
		sub := connect(fmt.Sprintf("sub%d", qos))
		tok := sub.Subscribe(fmt.Sprintf("t%d/#", qos), qos, func(_ mqtt.Client, m mqtt.Message) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, m.Payload())
			if len(got) == n {
				close(done)
			}
		})
		if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatal(tok.Error())
		}
		pub := connect(fmt.Sprintf("pub%d", qos))
		for i := range n {
			tok := pub.Publish(fmt.Sprintf("t%d/%d", qos, i%7), qos, false, payload(i))
			if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
				t.Fatalf("publish %d: %v", i, tok.Error())
			}
		}
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			mu.Lock()
			t.Fatalf("QoS %d: %d of %d messages arrived", qos, len(got), n)
		}
		mu.Lock()
		for i, p := range got {
			if !bytes.Equal(p, payload(i)) {
				t.Fatalf("QoS %d: message %d is %d bytes of %q, want %d", qos, i, len(p), p[:min(len(p), 1)], len(payload(i)))
			}
		}
		mu.Unlock()
	}
}

// A scheme Open does not speak is an error that names it, and no dial.
func TestUnknownScheme(t *testing.T) {
	u, _ := url.Parse("ws://user:secret@127.0.0.1:1/")
	_, err := Open(u, *mqtt.NewClientOptions())
	if err == nil || !strings.Contains(err.Error(), `"ws"`) || strings.Contains(err.Error(), "secret") {
		t.Fatalf("err = %v; want one that names the scheme and hides the password", err)
	}
}
