package gateway

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/power/policy"
	"github.com/hearth-home/hearth/store"
	"github.com/hearth-home/hearth/stream"
)

// Power signals from the home's own sensors: an inverter's surplus or a
// thermostat's demand, as Home Assistant or Zigbee2MQTT publish them, feed
// the pool's budgets directly (api.MQTTSignal). The gateway subscribes to
// the mapped topics with the streams' and turns each message into a signal
// whose TTL lets it expire when the topic goes quiet.

// bucketMQTTSignals holds the mappings: topic + "\x00" + kind -> api.MQTTSignal.
const bucketMQTTSignals = "mqtt-signals"

func signalKey(topic, kind string) string { return topic + "\x00" + kind }

// SetMQTTSignal stores a mapping and subscribes to its topic.
func (g *Gateway) SetMQTTSignal(s api.MQTTSignal) error {
	if err := stream.ValidFilter(s.Topic); err != nil {
		return fmt.Errorf("%w: topic: %w", ErrBadRequest, err)
	}
	if s.Kind != policy.KindSolar && s.Kind != policy.KindHeat {
		return fmt.Errorf("%w: kind %q: want %s or %s", ErrBadRequest, s.Kind, policy.KindSolar, policy.KindHeat)
	}
	if s.Path == "$" {
		s.Path = ""
	}
	if s.Path != "" && (!strings.HasPrefix(s.Path, "$.") || stream.ValidKey(s.Path) != nil) {
		return fmt.Errorf("%w: path %q: want a JSON path like $.surplus, or none when the payload is the number", ErrBadRequest, s.Path)
	}
	if s.Scale == 0 {
		s.Scale = 1
	}
	if math.IsNaN(s.Scale) || math.IsInf(s.Scale, 0) {
		return fmt.Errorf("%w: scale %v", ErrBadRequest, s.Scale)
	}
	if s.TTL == 0 {
		s.TTL = api.Duration(api.DefaultMQTTSignalTTL)
	}
	if _, err := (api.SignalRequest{Kind: s.Kind, TTL: s.TTL}).Signal(time.Now()); err != nil {
		return err
	}
	if s.Device != "" {
		g.mu.Lock()
		_, err := g.findMemberLocked(s.Device)
		g.mu.Unlock()
		if err != nil {
			return err
		}
	}
	g.smu.Lock()
	defer g.smu.Unlock()
	if err := g.db.Update(func(tx *store.Tx) error { return tx.PutJSON(bucketMQTTSignals, signalKey(s.Topic, s.Kind), s) }); err != nil {
		return err
	}
	g.signals = slices.DeleteFunc(g.signals, func(o api.MQTTSignal) bool { return o.Topic == s.Topic && o.Kind == s.Kind })
	g.signals = append(g.signals, s)
	g.log.Info("power signal from MQTT", "topic", s.Topic, "kind", s.Kind, "path", s.Path, "scale", s.Scale, "device", s.Device)
	g.resubscribe()
	return nil
}

// RemoveMQTTSignal removes the mappings of topic of kind (both kinds when
// kind is empty).
func (g *Gateway) RemoveMQTTSignal(topic, kind string) error {
	g.smu.Lock()
	defer g.smu.Unlock()
	var gone []api.MQTTSignal
	for _, s := range g.signals {
		if s.Topic == topic && (kind == "" || s.Kind == kind) {
			gone = append(gone, s)
		}
	}
	if len(gone) == 0 {
		return fmt.Errorf("%w: no power signal is fed from topic %q", store.ErrNotFound, topic)
	}
	err := g.db.Update(func(tx *store.Tx) error {
		for _, s := range gone {
			if err := tx.Delete(bucketMQTTSignals, signalKey(s.Topic, s.Kind)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	g.signals = slices.DeleteFunc(g.signals, func(o api.MQTTSignal) bool { return slices.Contains(gone, o) })
	g.resubscribe()
	return nil
}

// MQTTSignals lists the mappings, by topic.
func (g *Gateway) MQTTSignals() []api.MQTTSignal {
	g.smu.Lock()
	defer g.smu.Unlock()
	out := slices.Clone(g.signals)
	slices.SortFunc(out, func(a, b api.MQTTSignal) int {
		return strings.Compare(signalKey(a.Topic, a.Kind), signalKey(b.Topic, b.Kind))
	})
	return out
}

func (g *Gateway) loadMQTTSignals(tx *store.Tx) error {
	return tx.Scan(bucketMQTTSignals, "", func(k string, v []byte) error {
		var s api.MQTTSignal
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("mqtt signal %q: %w", k, err)
		}
		g.signals = append(g.signals, s)
		return nil
	})
}

// signalFrom sets the signals that m feeds; smu must be held. A message
// without a readable number is logged and ignored: the last value holds
// until its TTL.
func (g *Gateway) signalFrom(m *inMsg) {
	for _, s := range g.signals {
		if !stream.Match(s.Topic, m.topic) {
			continue
		}
		v, err := signalValue(s.Path, m.payload)
		if err != nil {
			g.log.Warn("power signal from MQTT: no number in the message", "topic", m.topic, "path", s.Path, "err", err)
			continue
		}
		v *= s.Scale
		req := api.SignalRequest{Kind: s.Kind, TTL: s.TTL, Source: "mqtt:" + s.Topic, Device: s.Device}
		if s.Kind == policy.KindSolar {
			req.Watts = max(v, 0)
		} else {
			req.Demand = min(max(v, 0), 1)
		}
		if err := g.signal(req); err != nil {
			g.log.Warn("power signal from MQTT", "topic", m.topic, "err", err)
		}
	}
}

// signalValue reads the number at path in payload (the payload itself when
// path is empty): a JSON number, or a string holding one, as Home
// Assistant's states are.
func signalValue(path string, payload []byte) (float64, error) {
	text := strings.TrimSpace(string(payload))
	if path != "" {
		var err error
		if text, err = stream.Key(path, "", payload); err != nil {
			return 0, err
		}
	}
	text = strings.Trim(text, `"`)
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", text)
	}
	return v, nil
}
