package api

import (
	"fmt"
	"time"

	"github.com/hearth-home/hearth/power/policy"
)

// PowerSample is one second of a device's power history.
type PowerSample struct {
	T time.Time `json:"t"`
	// Watts is the device's draw: measured, or modeled from its work.
	Watts   float64 `json:"watts"`
	BudgetW float64 `json:"budget_w"`
	// TempC is the hottest thermal zone; absent when unknown.
	TempC *float64 `json:"temp_c,omitempty"`
	// Busy is how many cores were busy, whatever ran on them; Work how
	// many of them Hearth's tasks kept busy.
	Busy float64 `json:"busy"`
	Work float64 `json:"work"`
}

// PowerControl is what the gateway asks of a device's governor, in every
// heartbeat's answer while it holds.
type PowerControl struct {
	// Policy replaces the device's own budget (its --power-budget and
	// --power-schedule); its thermal limits replace the device's only when
	// set. Nil: the device's own budget holds.
	Policy *policy.Policy `json:"policy,omitempty"`
	// Signals posted to the gateway for this device, or shared out to it
	// from one posted for the pool.
	Signals []policy.Signal `json:"signals,omitempty"`
}

// SignalRequest posts a signal (solar surplus, heat demand) to an agent's
// local API or to the gateway.
type SignalRequest struct {
	// Kind is "solar" (Watts: the surplus) or "heat" (Demand: 0..1).
	Kind   string  `json:"kind"`
	Watts  float64 `json:"watts,omitempty"`
	Demand float64 `json:"demand,omitempty"`
	// TTL is how long the signal holds: a sender that goes quiet must not
	// hold the budget forever. Default DefaultSignalTTL, at most
	// MaxSignalTTL.
	TTL Duration `json:"ttl,omitempty"`
	// Source names the sender ("inverter", "thermostat"): a signal
	// replaces the earlier one of the same kind and source.
	Source string `json:"source,omitempty"`
	// Device, at the gateway only: the device (ID or unique prefix, or
	// name) the signal is for. Empty: the pool. A pool's solar surplus is
	// split among the devices (see policy.Split); a heat demand applies to
	// each.
	Device string `json:"device,omitempty"`
}

// Signal TTLs.
const (
	DefaultSignalTTL = 10 * time.Minute
	MaxSignalTTL     = 24 * time.Hour
)

// Signal turns the request into the policy's form, expiring TTL after
// now. A TTL out of range is refused (policy.ErrBadPolicy), as is
// whatever policy.Signal.Check refuses. A solar surplus may be far more
// than the device can draw (an inverter sees the whole house): it is a
// cap that then does not bind, so the ten-times rule of budgets does not
// apply to it.
func (r SignalRequest) Signal(now time.Time) (policy.Signal, error) {
	ttl := r.TTL.D()
	if ttl == 0 {
		ttl = DefaultSignalTTL
	}
	if ttl < 0 || ttl > MaxSignalTTL {
		return policy.Signal{}, fmt.Errorf("%w: signal ttl %v: want more than 0 and at most %v", policy.ErrBadPolicy, ttl, MaxSignalTTL)
	}
	s := policy.Signal{Kind: r.Kind, Watts: r.Watts, Demand: r.Demand, Expires: now.Add(ttl), Source: r.Source}
	return s, s.Check(0)
}

// BudgetRequest sets the owner's budget at the gateway: for one device,
// or (Device empty) the pool's total, which the gateway splits among the
// ready devices. A device with both gets the smaller.
type BudgetRequest struct {
	Device string `json:"device,omitempty"`
	// Policy is the budget; nil clears it (the device's own flags hold
	// again, or the pool has no total).
	Policy *policy.Policy `json:"policy,omitempty"`
}

// Budgets lists the budgets set at the gateway.
type Budgets struct {
	// TotalW is the pool's total; 0: none.
	TotalW float64 `json:"total_w,omitempty"`
	// Devices maps a device ID to its budget.
	Devices map[string]policy.Policy `json:"devices,omitempty"`
}

// DevicePower is a device's power history at the gateway.
type DevicePower struct {
	ID      string        `json:"id"`
	Name    string        `json:"name"`
	Samples []PowerSample `json:"samples"`
}

// PoolSample sums the devices' samples of one second.
type PoolSample struct {
	T       time.Time `json:"t"`
	Watts   float64   `json:"watts"`
	BudgetW float64   `json:"budget_w"`
	Work    float64   `json:"work"`
	// Devices is how many devices reported this second.
	Devices int `json:"devices"`
}

// PoolPower is the pool's power history: the sum per second, and each
// device's own.
type PoolPower struct {
	// StepS is the samples' step in seconds: 1 for the last hour's
	// samples, 60 for the minute tier's (each the minute's mean).
	StepS   int           `json:"step_s"`
	Pool    []PoolSample  `json:"pool"`
	Devices []DevicePower `json:"devices"`
	// Signals is what the power signals posted to the gateway said, as
	// steps: each point holds from its time to the next one's. The first
	// is the state at the span's start; none when no signal was posted in
	// the last hour (the gateway keeps an hour of them).
	Signals []SignalPoint `json:"signals,omitempty"`
}

// SignalPoint is the state of the power signals from T on: the solar
// surplus posted (the pool's and the devices' summed, in watts) and the
// strongest heat demand (0..1). A field is absent while no such signal
// holds.
type SignalPoint struct {
	T      time.Time `json:"t"`
	SolarW *float64  `json:"solar_w,omitempty"`
	Heat   *float64  `json:"heat,omitempty"`
}

// EnergyDay is one device's energy on one day (the gateway's local date).
type EnergyDay struct {
	Day  string `json:"day"` // 2006-01-02
	Node string `json:"node"`
	Name string `json:"name"`
	// TaskWh sums the energy of the tasks whose results were accepted
	// that day; Tasks counts them.
	TaskWh float64 `json:"task_wh"`
	Tasks  int     `json:"tasks"`
	// DeviceWh is the device's whole draw over the samples it reported
	// that day, idle included; SampleS how many seconds they cover.
	DeviceWh float64 `json:"device_wh"`
	SampleS  int     `json:"sample_s"`
}

// MQTTSignal feeds a power signal from the household's MQTT broker: each
// message on Topic sets a signal of Kind from the number at Path in its
// payload, times Scale, for TTL (a topic that goes quiet lets the signal
// expire). Its source is "mqtt:" and the topic.
type MQTTSignal struct {
	// Topic is an MQTT topic filter.
	Topic string `json:"topic"`
	// Kind is "solar" (the value is a surplus in watts) or "heat" (a
	// demand from 0 to 1; values outside are clamped).
	Kind string `json:"kind"`
	// Path is a JSON path to the value ("$.surplus"); empty or "$": the
	// payload is the number itself.
	Path string `json:"path,omitempty"`
	// Scale multiplies the value: 1000 for kW, 0.01 for a percentage.
	// Default 1.
	Scale float64 `json:"scale,omitempty"`
	// TTL is how long a value holds. Default DefaultMQTTSignalTTL.
	TTL Duration `json:"ttl,omitempty"`
	// Device, when set, is the device the signal is for; empty: the pool.
	Device string `json:"device,omitempty"`
}

// DefaultMQTTSignalTTL is MQTTSignal.TTL's default: Home Assistant and
// Zigbee2MQTT publish a sensor's state every few minutes at most.
const DefaultMQTTSignalTTL = 5 * time.Minute
