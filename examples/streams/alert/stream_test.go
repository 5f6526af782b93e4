package main

import (
	"bytes"
	"os"
	"slices"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hearth-home/hearth/gateway/api"
)

// stream.yaml uses only StreamSpec's fields, and says what the program
// expects.
func TestStreamSpec(t *testing.T) {
	raw, err := os.ReadFile("stream.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var s api.StreamSpec
	if err := dec.Decode(&s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "alert" || !slices.Equal(s.Topics, []string{"sensors/#"}) || s.Partitions != 4 ||
		s.Kind != api.StreamMap || s.Runtime != "wasm" || s.App != "alert.wasm" || s.Key != api.StreamKeyTopic {
		t.Errorf("spec %+v", s)
	}
	if r := s.Resources; r.CPU != 0.25 || r.Memory != 32<<20 || r.Timeout.D() != 5*time.Second {
		t.Errorf("resources %+v", r)
	}
	if o := s.Output; o.Topic != api.DefaultStreamOutput || !slices.Equal(o.Allow, []string{"hearth/#"}) {
		t.Errorf("output %+v", o)
	}
	if s.Delivery != api.StreamDurable || s.Malformed != api.MalformedSkip {
		t.Errorf("delivery %q, malformed %q", s.Delivery, s.Malformed)
	}
	if s.Env["ALERT_ABOVE"] != "28" {
		t.Errorf("env %v", s.Env)
	}
}
