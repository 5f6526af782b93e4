package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/stream"
)

// Home Assistant (MQTT discovery): the gateway announces, as retained
// config messages under homeassistant/, the stream outputs that declare
// output.ha, and itself: the pool's and each device's power (W) and energy
// (Wh, total_increasing: Home Assistant's Energy dashboard takes it),
// published every haEvery to hearth/<gateway>/power and
// hearth/<gateway>/device/<device>. Every entity's availability is the
// gateway's status topic, "offline" by its will. It announces again when
// Home Assistant says it started (homeassistant/status "online") and when
// the broker connection comes back.

const (
	haPrefix      = "homeassistant"
	haStatusTopic = haPrefix + "/status"
	haEvery       = 10 * time.Second
)

// haState is what the gateway has announced since it last connected.
type haState struct {
	mu        sync.Mutex
	announced map[string]bool // config topics
	kick      chan struct{}
}

func newHAState() *haState {
	return &haState{announced: map[string]bool{}, kick: make(chan struct{}, 1)}
}

// reset forgets what was announced: all is announced again.
func (h *haState) reset() {
	h.mu.Lock()
	clear(h.announced)
	h.mu.Unlock()
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// haConfig is a discovery config message.
type haConfig struct {
	Name              string   `json:"name"`
	UniqueID          string   `json:"unique_id"`
	ObjectID          string   `json:"object_id,omitempty"`
	StateTopic        string   `json:"state_topic"`
	AvailabilityTopic string   `json:"availability_topic"`
	Unit              string   `json:"unit_of_measurement,omitempty"`
	DeviceClass       string   `json:"device_class,omitempty"`
	StateClass        string   `json:"state_class,omitempty"`
	ValueTemplate     string   `json:"value_template,omitempty"`
	Device            haDevice `json:"device"`
}

type haDevice struct {
	Identifiers  []string `json:"identifiers"`
	Name         string   `json:"name"`
	Manufacturer string   `json:"manufacturer"`
	Model        string   `json:"model"`
}

// announce publishes a config (retained) once per connection.
func (g *Gateway) announce(component, id string, c haConfig) {
	topic := fmt.Sprintf("%s/%s/%s/config", haPrefix, component, id)
	g.ha.mu.Lock()
	done := g.ha.announced[topic]
	g.ha.announced[topic] = true
	g.ha.mu.Unlock()
	if done {
		return
	}
	c.UniqueID, c.AvailabilityTopic = id, g.availabilityTopic()
	b, _ := json.Marshal(c)
	t := g.broker.client.Publish(topic, 1, true, b)
	if !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		g.ha.mu.Lock()
		delete(g.ha.announced, topic) // again next time
		g.ha.mu.Unlock()
	}
}

// announceOutput announces the entity of an output on topic of stream s,
// if its spec asks for one.
func (g *Gateway) announceOutput(spec *api.StreamSpec, topic string) {
	ha := spec.Output.HA
	if ha == nil || !stream.Allowed(ha.Topics, topic) {
		return
	}
	h := fnv.New64a()
	h.Write([]byte(topic))
	id := fmt.Sprintf("hearth_%s_%016x", strings.ToLower(g.id.ID.Short()), h.Sum64())
	last := topic[strings.LastIndexByte(topic, '/')+1:]
	name := strings.NewReplacer("{stream}", spec.Name, "{topic}", topic, "{last}", last).Replace(ha.Name)
	g.announce(ha.Component, id, haConfig{Name: name, StateTopic: topic, Unit: ha.Unit, DeviceClass: ha.DeviceClass,
		StateClass: ha.StateClass, ValueTemplate: ha.ValueTemplate,
		Device: haDevice{Identifiers: []string{"hearth_" + strings.ToLower(g.id.ID.Short()) + "_stream_" + spec.Name},
			Name: "Hearth stream " + spec.Name, Manufacturer: "Hearth", Model: "stream"}})
}

// runHomeAssistant publishes the pool's power and energy, and announces
// them, until ctx ends.
func (g *Gateway) runHomeAssistant(ctx context.Context) error {
	tick := time.NewTicker(haEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-g.ha.kick:
		}
		if g.broker.client.IsConnectionOpen() {
			g.publishPower()
		}
	}
}

// haPowerState is a power sensor's state message.
type haPowerState struct {
	Watts    float64 `json:"watts"`
	EnergyWh float64 `json:"energy_wh"`
	Devices  int     `json:"devices,omitempty"`
}

// publishPower announces and publishes the pool's and each device's power
// and energy.
func (g *Gateway) publishPower() {
	gw := strings.ToLower(g.id.ID.Short())
	device := haDevice{Identifiers: []string{"hearth_" + gw}, Name: "Hearth pool", Manufacturer: "Hearth", Model: "gateway"}
	now := time.Now()
	pp, _ := g.poolPower(now.Add(-30*time.Second), now) // a store that cannot be read leaves it empty
	days, err := g.energy(3660)
	if err != nil {
		g.log.Warn("energy for Home Assistant", "err", err)
		return
	}
	energy := map[string]float64{}
	var total float64
	for _, d := range days {
		energy[d.Node] += d.DeviceWh
		total += d.DeviceWh
	}
	pool := haPowerState{EnergyWh: total}
	if n := len(pp.Pool); n > 0 {
		pool.Watts, pool.Devices = pp.Pool[n-1].Watts, pp.Pool[n-1].Devices
	}
	g.publishSensors("hearth/"+gw+"/power", "hearth_"+gw+"_pool", "Hearth pool", device, pool)
	for _, d := range pp.Devices {
		short := strings.ToLower(strings.SplitN(d.ID, "-", 2)[0])
		st := haPowerState{EnergyWh: energy[d.ID]}
		if n := len(d.Samples); n > 0 {
			st.Watts = d.Samples[n-1].Watts
		}
		name := d.Name
		if name == "" {
			name = short
		}
		g.publishSensors("hearth/"+gw+"/device/"+short, "hearth_"+gw+"_"+short, "Hearth "+name, device, st)
	}
}

// publishSensors announces a power and an energy sensor on topic and
// publishes their state.
func (g *Gateway) publishSensors(topic, id, name string, device haDevice, st haPowerState) {
	g.announce("sensor", id+"_power", haConfig{Name: name + " power", StateTopic: topic, Unit: "W",
		DeviceClass: "power", StateClass: "measurement", ValueTemplate: "{{ value_json.watts }}", Device: device})
	g.announce("sensor", id+"_energy", haConfig{Name: name + " energy", StateTopic: topic, Unit: "Wh",
		DeviceClass: "energy", StateClass: "total_increasing", ValueTemplate: "{{ value_json.energy_wh }}", Device: device})
	b, _ := json.Marshal(st)
	g.broker.client.Publish(topic, 0, false, b)
}

// haMessage handles a message on Home Assistant's status topic: when it
// says "online" (it started), everything is announced again.
func (g *Gateway) haMessage(m *inMsg) {
	if m.topic == haStatusTopic && strings.TrimSpace(string(m.payload)) == "online" {
		g.ha.reset()
	}
}
