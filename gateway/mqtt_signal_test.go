package gateway

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/mosquitto/mosquittotest"
	"github.com/hearth-home/hearth/power/policy"
)

// An inverter's surplus published on MQTT, as Home Assistant does, becomes
// the pool's solar signal, in watts by the mapping's scale; a message that
// holds no number changes nothing; the signal expires when the topic goes
// quiet; the mapping survives a restart and can be removed.
func TestMQTTSignal(t *testing.T) {
	b := mosquittotest.Start(t)
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{MQTT: b.URL()})
	ctx := context.Background()
	for _, bad := range []api.MQTTSignal{
		{Topic: "a/#/b", Kind: policy.KindSolar},
		{Topic: "inverter", Kind: "wind"},
		{Topic: "inverter", Kind: policy.KindSolar, Path: "surplus"},
	} {
		if err := tg.admin.SetMQTTSignal(ctx, bad); err == nil {
			t.Errorf("SetMQTTSignal(%+v) accepted", bad)
		}
	}
	s := api.MQTTSignal{Topic: "homeassistant/sensor/surplus/state", Kind: policy.KindSolar, Path: "$.kw", Scale: 1000, TTL: api.Duration(2 * time.Second)}
	if err := tg.admin.SetMQTTSignal(ctx, s); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // subscribed
	pub := func(payload string) {
		_, port, _ := strings.Cut(b.Addr(), ":")
		if out, err := exec.Command("mosquitto_pub", "-p", port, "-q", "1", "-t", s.Topic, "-m", payload).CombinedOutput(); err != nil {
			t.Fatalf("mosquitto_pub: %v\n%s", err, out)
		}
	}
	solar := func() (float64, bool) {
		tg.mu.Lock()
		defer tg.mu.Unlock()
		for _, sig := range tg.power.pool {
			if sig.Source == "mqtt:"+s.Topic && time.Now().Before(sig.Expires) {
				return sig.Watts, true
			}
		}
		return 0, false
	}
	waitSolar := func(want float64) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			w, ok := solar()
			if ok && w == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("pool solar signal %v (%v), want %v W", w, ok, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	pub(`{"kw": 0.25}`)
	waitSolar(250)
	pub(`{"kw": "0.4"}`) // a state as text, as Home Assistant writes it
	waitSolar(400)
	pub(`{"kw": "unavailable"}`)
	time.Sleep(300 * time.Millisecond)
	if w, _ := solar(); w != 400 {
		t.Errorf("after a message without a number: %v W, want the last value, 400", w)
	}
	time.Sleep(2 * time.Second)
	if w, ok := solar(); ok {
		t.Errorf("the topic went quiet for its TTL, but the signal holds: %v W", w)
	}

	tg.stop()
	tg = startGateway(t, dir, Config{MQTT: b.URL()})
	ss, err := tg.admin.MQTTSignals(ctx)
	if err != nil || len(ss) != 1 || ss[0].Topic != s.Topic || ss[0].Scale != 1000 {
		t.Fatalf("after a restart: %+v, %v; want the mapping", ss, err)
	}
	time.Sleep(300 * time.Millisecond)
	pub(`{"kw": 0.1}`)
	waitSolar(100)
	if err := tg.admin.RemoveMQTTSignal(ctx, s.Topic, ""); err != nil {
		t.Fatal(err)
	}
	if ss, _ := tg.admin.MQTTSignals(ctx); len(ss) != 0 {
		t.Errorf("after removing: %+v", ss)
	}
	if err := tg.admin.RemoveMQTTSignal(ctx, s.Topic, ""); err == nil {
		t.Error("removing it again: no error")
	}
}
