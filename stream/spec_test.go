package stream

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// minimal is the least a stream spec says.
func minimal() *api.StreamSpec {
	return &api.StreamSpec{Name: "energy", Topics: []string{"zigbee2mqtt/+"}, App: "energy.wasm"}
}

func TestValidateDefaults(t *testing.T) {
	s := minimal()
	if err := Validate(s); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := &api.StreamSpec{
		Name:       "energy",
		Topics:     []string{"zigbee2mqtt/+"},
		Partitions: 4,
		Key:        "topic",
		Kind:       "map",
		Runtime:    "wasm",
		App:        "energy.wasm",
		Resources:  api.Resources{CPU: 0.25, Memory: 32 << 20, Timeout: api.Duration(5 * time.Second)},
		Output:     api.StreamOutputSpec{Topic: "hearth/{stream}/{topic}", Allow: []string{"hearth/energy/#"}},
		Delivery:   "durable",
		Malformed:  "skip",
		Log:        api.StreamLogSpec{MaxBytes: 64 << 20, MaxAge: api.Duration(24 * time.Hour)},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Validate filled\n%+v\nwant\n%+v", s, want)
	}
	again := *s
	if err := Validate(&again); err != nil || !reflect.DeepEqual(&again, want) {
		t.Errorf("Validate on its own result: %v, %+v", err, again)
	}
}

func TestValidateKeeps(t *testing.T) {
	s := &api.StreamSpec{
		Name:       "Tele_2.x",
		Topics:     []string{"tele/+/SENSOR", "shellies/#", "$SYS/broker/load/#"},
		Partitions: 256,
		Key:        "$.meta.id",
		Kind:       "map",
		Runtime:    "wasm",
		AppDigest:  "sha256:" + strings.Repeat("ab", 32),
		Args:       []string{"-v"},
		Env:        map[string]string{"UNIT": "W"},
		Resources:  api.Resources{CPU: 2, Memory: 1 << 20, Timeout: api.Duration(time.Hour)},
		Output:     api.StreamOutputSpec{Topic: "out/{stream}/{key}", Allow: []string{"out/#", "homeassistant/+/+/config"}, Retain: true},
		Delivery:   "memory",
		Malformed:  "raw",
		Log:        api.StreamLogSpec{MaxBytes: 1 << 20, MaxAge: api.Duration(time.Second)},
	}
	want := *s
	if err := Validate(s); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("Validate changed a full spec:\n%+v\nwant\n%+v", *s, want)
	}
}

func TestValidateRefuses(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(*api.StreamSpec)
		says  string // a piece of the error, from "field: " on
		cause error  // wrapped too, or nil
	}{
		{"no name", func(s *api.StreamSpec) { s.Name = "" }, "name: must be 1-63", nil},
		{"name with a slash", func(s *api.StreamSpec) { s.Name = "a/b" }, "name: must be", nil},
		{"name starting with a dot", func(s *api.StreamSpec) { s.Name = ".a" }, "name: must be", nil},
		{"name too long", func(s *api.StreamSpec) { s.Name = strings.Repeat("a", 64) }, "name: must be", nil},
		{"no topics", func(s *api.StreamSpec) { s.Topics = nil }, "topics: a stream needs at least one", nil},
		{"bad filter", func(s *api.StreamSpec) { s.Topics = []string{"a", "b#"} }, "topics[1]: invalid MQTT topic", ErrBadTopic},
		{"empty filter", func(s *api.StreamSpec) { s.Topics = []string{""} }, "topics[0]: invalid MQTT topic: empty", ErrBadTopic},
		{"shared subscription", func(s *api.StreamSpec) { s.Topics = []string{"$share/g/a/+"} }, `topics[0]: "$share/g/a/+" is a shared subscription; the gateway subscribes once and shares messages among partitions itself: write the filter alone, "a/+"`, nil},
		{"twice", func(s *api.StreamSpec) { s.Topics = []string{"a/+", "b", "a/+"} }, `topics[2]: "a/+" is topics[0] again`, nil},
		{"partitions 300", func(s *api.StreamSpec) { s.Partitions = 300 }, "partitions: 300 is above 256", nil},
		{"partitions -1", func(s *api.StreamSpec) { s.Partitions = -1 }, "partitions: -1 is below 1", nil},
		{"key without $.", func(s *api.StreamSpec) { s.Key = "device" }, `key: invalid stream key: "device": must be "topic" or a JSON path into the payload such as "$.device"`, ErrBadKey},
		{"key with an index", func(s *api.StreamSpec) { s.Key = "$.a[1]" }, "key: invalid stream key", ErrBadKey},
		{"window without one", func(s *api.StreamSpec) { s.Kind = "window" }, "window: a stream of kind window needs one", nil},
		{"window on a map", func(s *api.StreamSpec) { s.Window = &api.WindowSpec{Size: api.Duration(time.Minute)} }, "window: only a stream of kind window has one", nil},
		{"window too short", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Size: api.Duration(time.Millisecond)}
		}, "window.size: must be between 1s and 24h", nil},
		{"hopping without a hop", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Type: "hopping", Size: api.Duration(time.Minute)}
		}, "window.hop: must be at least 1s and less than window.size (1m0s), got 0s", nil},
		{"hopping by its size", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Type: "hopping", Size: api.Duration(time.Minute), Hop: api.Duration(time.Minute)}
		}, "window.hop: must be at least 1s and less than window.size", nil},
		{"hopping too often", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Type: "hopping", Size: api.Duration(time.Hour), Hop: api.Duration(time.Second)}
		}, "window.hop: is too short for size 1h0m0s: a message would be in more than 60 windows", nil},
		{"tumbling with a hop", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Size: api.Duration(time.Minute), Hop: api.Duration(time.Second)}
		}, "window.hop: is for hopping windows", nil},
		{"sliding", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Type: "sliding", Size: api.Duration(time.Minute)}
		}, "window.type: sliding windows are not supported yet", nil},
		{"count of 0", func(s *api.StreamSpec) { s.Kind, s.Window = "window", &api.WindowSpec{Type: "count"} }, "window.count: must be between 1 and 100000", nil},
		{"count with a size", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Type: "count", Count: 5, Size: api.Duration(time.Minute)}
		}, "window: a count window has a count only", nil},
		{"event time without a path", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Size: api.Duration(time.Minute), Time: "event"}
		}, "window.ts_path: event time needs the path", nil},
		{"late with processing time", func(s *api.StreamSpec) {
			s.Kind, s.Window = "window", &api.WindowSpec{Size: api.Duration(time.Minute), Late: api.Duration(time.Second)}
		}, "window: ts_path and late are for event time", nil},
		{"unknown kind", func(s *api.StreamSpec) { s.Kind = "reduce" }, `kind: unknown kind "reduce"`, nil},
		{"oci", func(s *api.StreamSpec) { s.Runtime = "oci" }, "runtime: a map function runs as wasm only: it is a long-lived instance", nil},
		{"unknown runtime", func(s *api.StreamSpec) { s.Runtime = "jvm" }, `runtime: unknown runtime "jvm"`, nil},
		{"no app", func(s *api.StreamSpec) { s.App = "" }, "app: a stream needs its function", nil},
		{"bad digest", func(s *api.StreamSpec) { s.AppDigest = "sha256:abc" }, "app_digest: must be sha256:", nil},
		{"NUL in args", func(s *api.StreamSpec) { s.Args = []string{"a", "b\x00"} }, "args[1]: contains a NUL byte", nil},
		{"bad env name", func(s *api.StreamSpec) { s.Env = map[string]string{"A=B": "c"} }, `env: bad variable name "A=B"`, nil},
		{"NUL in env", func(s *api.StreamSpec) { s.Env = map[string]string{"A": "\x00"} }, "env.A: contains a NUL byte", nil},
		{"NaN cores", func(s *api.StreamSpec) { s.Resources.CPU = math.NaN() }, "resources.cpu: must be between 0 and 64", nil},
		{"negative cores", func(s *api.StreamSpec) { s.Resources.CPU = -1 }, "resources.cpu: must be between 0 and 64", nil},
		{"little memory", func(s *api.StreamSpec) { s.Resources.Memory = 1000 }, "resources.memory: must be at least 1Mi", nil},
		{"much memory", func(s *api.StreamSpec) { s.Resources.Memory = 65 << 30 }, "resources.memory: must be at most 64Gi", nil},
		{"long timeout", func(s *api.StreamSpec) { s.Resources.Timeout = api.Duration(2 * time.Hour) }, "resources.timeout: the time one message may take must be between 0 and 1h0m0s, got 2h0m0s", nil},
		{"negative timeout", func(s *api.StreamSpec) { s.Resources.Timeout = -1 }, "resources.timeout: ", nil},
		{"unknown placeholder", func(s *api.StreamSpec) { s.Output.Topic = "out/{device}" }, `output.topic: "out/{device}": unknown placeholder "{device}"`, nil},
		{"wildcard template", func(s *api.StreamSpec) { s.Output.Topic = "out/+/{key}" }, "output.topic: invalid MQTT topic", ErrBadTopic},
		{"NUL template", func(s *api.StreamSpec) { s.Output.Topic = "out/\x00" }, "output.topic: invalid MQTT topic", ErrBadTopic},
		{"loop", func(s *api.StreamSpec) { s.Output.Topic = "zigbee2mqtt/{key}" }, `output.topic: "zigbee2mqtt/{key}" would publish into the stream's own input "zigbee2mqtt/+"`, nil},
		{"loop by the stream's name", func(s *api.StreamSpec) {
			s.Topics = append(s.Topics, "hearth/energy/#")
		}, `output.topic: "hearth/{stream}/{topic}" would publish into the stream's own input "hearth/energy/#"`, nil},
		{"loop without placeholder", func(s *api.StreamSpec) { s.Output.Topic = "zigbee2mqtt/out" }, `output.topic: "zigbee2mqtt/out" would publish into`, nil},
		{"loop from the start", func(s *api.StreamSpec) { s.Output.Topic = "{topic}/out" }, `output.topic: "{topic}/out" would publish into`, nil},
		{"bad allow", func(s *api.StreamSpec) { s.Output.Allow = []string{"a/#", "a/#/b"} }, "output.allow[1]: invalid MQTT topic", ErrBadTopic},
		{"bad delivery", func(s *api.StreamSpec) { s.Delivery = "disk" }, `delivery: must be durable`, nil},
		{"bad malformed", func(s *api.StreamSpec) { s.Malformed = "drop" }, `malformed: must be skip`, nil},
		{"small log", func(s *api.StreamSpec) { s.Log.MaxBytes = 1000 }, "log.max_bytes: must be at least 1Mi", nil},
		{"negative log", func(s *api.StreamSpec) { s.Log.MaxBytes = -1 }, "log.max_bytes: must be at least 1Mi", nil},
		{"short log", func(s *api.StreamSpec) { s.Log.MaxAge = api.Duration(time.Millisecond) }, "log.max_age: must be at least 1s", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := minimal()
			c.edit(s)
			err := Validate(s)
			if err == nil {
				t.Fatalf("Validate accepted it: %+v", s)
			}
			if !errors.Is(err, api.ErrBadSpec) {
				t.Errorf("error %q does not wrap api.ErrBadSpec", err)
			}
			if c.cause != nil && !errors.Is(err, c.cause) {
				t.Errorf("error %q does not wrap %v", err, c.cause)
			}
			if want := "invalid stream spec: " + c.says; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error\n%q\ndoes not start with\n%q", err, want)
			}
		})
	}
}

// TestValidateAllowDefault: the default allow follows the template, with
// the stream's name in.
func TestValidateAllowDefault(t *testing.T) {
	for _, c := range []struct {
		template, want string
	}{
		{"", "hearth/energy/#"},
		{"hearth/{stream}/{topic}", "hearth/energy/#"},
		{"{stream}/{key}", "energy/#"},
		{"out/{key}/{stream}", "out/#"},
		{"out/fixed", "out/fixed"},
	} {
		s := minimal()
		s.Output.Topic = c.template
		if err := Validate(s); err != nil {
			t.Errorf("template %q: %v", c.template, err)
			continue
		}
		if !reflect.DeepEqual(s.Output.Allow, []string{c.want}) {
			t.Errorf("template %q: allow %q, want [%q]", c.template, s.Output.Allow, c.want)
		}
	}
}

// A hopping window with a hop below its size is valid, with processing
// time by default and event time as for tumbling ones.
func TestValidateHopping(t *testing.T) {
	for _, w := range []api.WindowSpec{
		{Type: "hopping", Size: api.Duration(time.Minute), Hop: api.Duration(15 * time.Second)},
		{Type: "hopping", Size: api.Duration(10 * time.Second), Hop: api.Duration(3 * time.Second), Time: "event", TSPath: "$.ts", Late: api.Duration(time.Second)},
	} {
		s := &api.StreamSpec{Name: "h", Topics: []string{"a/#"}, Kind: "window", Window: &w, AppDigest: "sha256:" + strings.Repeat("ab", 32)}
		if err := Validate(s); err != nil {
			t.Errorf("%+v: %v", w, err)
		} else if s.Window.Time == "" {
			t.Errorf("%+v: no time filled in", w)
		}
	}
}
