package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hearth-home/hearth/internal/mqttconn"
)

// The gateway is the home's MQTT edge: one client of the household's broker
// for every stream (agents never speak MQTT). It subscribes with QoS 1 in a
// persistent session (clean session off, a client ID fixed by the
// gateway's identity) and acknowledges a message only once it is logged
// (runIngest), so a message the broker gave the gateway survives a crash of
// either. Handlers run in arrival order (SetOrderMatters) and only hand the
// message to the ingest loop.

// inboxDepth is how many delivered messages wait for the ingest loop.
const inboxDepth = 4096

// broker is the gateway's connection to the household's MQTT broker.
type broker struct {
	client mqtt.Client
	addr   string // host:port, no credentials: for status and logs
	status string // guarded by mu

	mu         sync.Mutex
	want, have []string // topic filters wanted and subscribed
	kick       chan struct{}
}

// ParseMQTT parses --mqtt: mqtt://[user[:pass]@]host[:port] or mqtts://...
// It returns the broker's URL without credentials, and the credentials.
func ParseMQTT(raw string) (server, user, pass string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", "", fmt.Errorf("--mqtt %q: %w", redactURL(raw), err)
	}
	switch u.Scheme {
	case "mqtt", "tcp":
		u.Scheme = "tcp"
		if u.Port() == "" {
			u.Host += ":1883"
		}
	case "mqtts", "ssl", "tls":
		u.Scheme = "ssl"
		if u.Port() == "" {
			u.Host += ":8883"
		}
	default:
		return "", "", "", fmt.Errorf("--mqtt %q: want mqtt://[user:pass@]host[:port] or mqtts://...", redactURL(raw))
	}
	if u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return "", "", "", fmt.Errorf("--mqtt %q: want mqtt://[user:pass@]host[:port] (no path)", redactURL(raw))
	}
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	return u.Scheme + "://" + u.Host, user, pass, nil
}

func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		return u.String()
	}
	return raw
}

// openBroker makes the client; runBroker connects it.
func (g *Gateway) openBroker() error {
	if g.cfg.MQTT == "" {
		return nil
	}
	server, user, pass, err := ParseMQTT(g.cfg.MQTT)
	if err != nil {
		return err
	}
	if g.cfg.MQTTPassword != "" {
		pass = g.cfg.MQTTPassword
	}
	_, addr, _ := strings.Cut(server, "://")
	b := &broker{addr: addr, status: "connecting", kick: make(chan struct{}, 1)}
	opts := mqtt.NewClientOptions().AddBroker(server).
		SetClientID("hearth-"+g.id.ID.Short()).
		SetUsername(user).SetPassword(pass).
		SetCleanSession(false).SetAutoAckDisabled(true).SetOrderMatters(true).
		SetCustomOpenConnectionFn(mqttconn.Open). // reads through a buffer
		// In order: on reconnection paho sends again what the broker had
		// not acknowledged, from its store, which by default is a map.
		SetResumeSubs(true).SetStore(mqtt.NewOrderedMemoryStore()).
		SetAutoReconnect(true).SetConnectRetry(true).
		SetConnectRetryInterval(time.Second).SetMaxReconnectInterval(5*time.Second).
		SetKeepAlive(30*time.Second).SetConnectTimeout(10*time.Second).
		SetWill(g.availabilityTopic(), "offline", 1, true).
		SetDefaultPublishHandler(func(_ mqtt.Client, m mqtt.Message) {
			g.inbox <- inMsg{topic: m.Topic(), payload: m.Payload(), qos: m.Qos(), retain: m.Retained(), at: time.Now(), ack: m.Ack,
				dup: m.Duplicate(), id: m.MessageID()}
		}).
		SetOnConnectHandler(func(c mqtt.Client) {
			b.setStatus("connected to " + b.addr)
			g.log.Info("MQTT broker connected", "broker", b.addr)
			g.noteAll("broker %s connected", b.addr)
			b.mu.Lock()
			b.have = nil // subscribe again: the broker may have lost the session
			b.mu.Unlock()
			b.wake()
			c.Publish(g.availabilityTopic(), 1, true, "online")
			g.wakePublisher()
			g.ha.reset() // announce again: the broker may have lost its retained configs
		}).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			b.setStatus(fmt.Sprintf("disconnected from %s: %v (reconnecting)", b.addr, err))
			g.log.Warn("MQTT broker connection lost; reconnecting", "broker", b.addr, "err", err)
			g.noteAll("broker %s lost: %v; reconnecting", b.addr, err)
		})
	b.client = mqtt.NewClient(opts)
	g.broker = b
	return nil
}

// availabilityTopic is where the gateway says "online", and its will
// "offline".
func (g *Gateway) availabilityTopic() string { return "hearth/" + g.id.ID.Short() + "/status" }

func (b *broker) setStatus(s string) {
	b.mu.Lock()
	b.status = s
	b.mu.Unlock()
}

func (b *broker) wake() {
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// brokerStatus says how the gateway stands with the broker.
func (g *Gateway) brokerStatus() string {
	if g.broker == nil {
		return "off (start the gateway with --mqtt mqtt://host:1883)"
	}
	g.broker.mu.Lock()
	defer g.broker.mu.Unlock()
	return g.broker.status
}

// resubscribe sets the filters to subscribe to from the streams and the
// power signals; smu must be held. The broker loop subscribes.
func (g *Gateway) resubscribe() {
	if g.broker == nil {
		return
	}
	want := []string{haStatusTopic}
	for _, s := range g.streams {
		want = append(want, s.Spec.Topics...)
	}
	for _, s := range g.signals {
		want = append(want, s.Topic)
	}
	slices.Sort(want)
	want = slices.Compact(want)
	g.broker.mu.Lock()
	g.broker.want = want
	g.broker.mu.Unlock()
	g.broker.wake()
}

// runBroker connects to the broker and keeps the subscriptions what the
// streams want until ctx ends; then it says "offline" and disconnects.
func (g *Gateway) runBroker(ctx context.Context) error {
	b := g.broker
	b.client.Connect() // retries by itself (SetConnectRetry)
	defer func() {
		select { // the acknowledgements of the last batch logged go out first
		case <-g.ingestDone:
		case <-time.After(5 * time.Second):
		}
		if b.client.IsConnectionOpen() {
			b.client.Publish(g.availabilityTopic(), 1, true, "offline").WaitTimeout(time.Second)
		}
		b.client.Disconnect(250)
	}()
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-b.kick:
		case <-tick.C:
		}
		if !b.client.IsConnectionOpen() {
			continue
		}
		if err := b.sync(); err != nil {
			g.log.Warn("MQTT subscribe", "broker", b.addr, "err", err)
		}
	}
}

// sync subscribes to the filters wanted and not yet subscribed, and
// unsubscribes from the others.
func (b *broker) sync() error {
	b.mu.Lock()
	want, have := slices.Clone(b.want), slices.Clone(b.have)
	b.mu.Unlock()
	add := map[string]byte{}
	for _, f := range want {
		if !slices.Contains(have, f) {
			add[f] = 1
		}
	}
	var drop []string
	for _, f := range have {
		if !slices.Contains(want, f) {
			drop = append(drop, f)
		}
	}
	if len(add) > 0 {
		t := b.client.SubscribeMultiple(add, nil)
		if !t.WaitTimeout(10 * time.Second) {
			return errors.New("subscribe: no answer from the broker in 10s")
		}
		if err := t.Error(); err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
		if st, ok := t.(*mqtt.SubscribeToken); ok {
			for f, code := range st.Result() {
				if code == 0x80 {
					return fmt.Errorf("the broker refused the subscription to %q (check its ACL for this user)", f)
				}
			}
		}
	}
	if len(drop) > 0 {
		t := b.client.Unsubscribe(drop...)
		if t.WaitTimeout(10*time.Second) && t.Error() != nil {
			return fmt.Errorf("unsubscribe: %w", t.Error())
		}
	}
	b.mu.Lock()
	b.have = want
	b.mu.Unlock()
	return nil
}
