package main

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
)

// message is the part of a stream message (the gateway's
// api.StreamMessage) that alert reads.
type message struct {
	Offset  uint64          `json:"offset"`
	Topic   string          `json:"topic"`
	Key     string          `json:"key"`
	Payload json.RawMessage `json:"payload"`
}

// output is one output line: the gateway's api.StreamOutput as a function
// writes it. No Topic: the stream's output template names it.
type output struct {
	Topic   string `json:"topic,omitempty"`
	Payload any    `json:"payload"`
}

// reading is the converted measurement.
type reading struct {
	Sensor     string  `json:"sensor"`
	Celsius    float64 `json:"celsius"`
	Fahrenheit float64 `json:"fahrenheit"`
}

// alarm is the alert's payload.
type alarm struct {
	Sensor  string  `json:"sensor"`
	Celsius float64 `json:"celsius"`
	Above   float64 `json:"above"`
}

// errNotMessage is a line that is not a stream message.
var errNotMessage = errors.New("not a stream message")

// convert answers one message line: nothing when its payload has no
// numeric temperature, the reading, and the alert when the temperature is
// above the threshold.
func convert(line []byte, above float64) ([]output, error) {
	var m message
	if err := json.Unmarshal(line, &m); err != nil {
		return nil, errors.Join(errNotMessage, err)
	}
	// A pointer tells a missing or null temperature from 0 °C; a string,
	// a bool or a payload that is no object fails to decode.
	var p struct {
		Temperature *float64 `json:"temperature"`
	}
	if json.Unmarshal(m.Payload, &p) != nil || p.Temperature == nil {
		return nil, nil
	}
	c := *p.Temperature
	name := sensor(m.Topic, m.Key)
	outs := []output{{Payload: reading{Sensor: name, Celsius: c, Fahrenheit: round2(c*9/5 + 32)}}}
	if c > above {
		outs = append(outs, output{Topic: "hearth/alerts/" + name, Payload: alarm{Sensor: name, Celsius: c, Above: above}})
	}
	return outs, nil
}

// sensor names a message's sensor: the last level of its topic
// ("zigbee2mqtt/kitchen" is "kitchen"), else of its key.
func sensor(topic, key string) string {
	for _, s := range []string{topic, key} {
		if i := strings.LastIndexByte(s, '/'); s[i+1:] != "" {
			return s[i+1:]
		}
	}
	return "unknown"
}

// round2 rounds to hundredths: 21.5 °C is 70.7 °F, not 70.69999999999999.
func round2(v float64) float64 {
	return math.Round(v*100) / 100
}
