package stream

import (
	"errors"
	"hash/fnv"
	"strings"
	"testing"
)

func TestPartition(t *testing.T) {
	for _, key := range []string{"", "a", "zigbee2mqtt/plug1", "tele/kitchen/SENSOR", "caf\u00e9", "\x00\xff"} {
		h := fnv.New32a()
		h.Write([]byte(key))
		for _, n := range []int{1, 2, 4, 7, 16, 256} {
			if got, want := Partition(key, n), int(h.Sum32()%uint32(n)); got != want {
				t.Errorf("Partition(%q, %d) = %d, want fnv32a mod n = %d", key, n, got, want)
			}
		}
	}
	// Fixed values: gateways of every version must agree on them.
	for _, c := range []struct {
		key  string
		n    int
		want int
	}{
		{"zigbee2mqtt/plug1", 4, 1},
		{"zigbee2mqtt/plug1", 256, 17},
		{"tele/kitchen/SENSOR", 16, 13},
		{"tele/kitchen/SENSOR", 256, 77},
		{"", 256, 197},
		{"x", 1, 0},
		{"x", 0, 0},
		{"x", -3, 0},
	} {
		if got := Partition(c.key, c.n); got != c.want {
			t.Errorf("Partition(%q, %d) = %d, want %d", c.key, c.n, got, c.want)
		}
	}
}

func TestValidKey(t *testing.T) {
	for _, c := range []struct {
		spec, want string
	}{
		{"", ""},
		{"topic", ""},
		{"$.device", ""},
		{"$.meta.id", ""},
		{"$.a b.c-d", ""},
		{"$.\u00e9", ""},
		{"device", `"$.device"`},
		{"$device", `"$.device"`},
		{"Topic", "must be"},
		{"$", "must be"},
		{"$.", "empty field name"},
		{"$.a.", "empty field name"},
		{"$..a", "empty field name"},
		{"$.a[0]", "array indexes"},
		{"$.a.[0]", "array indexes"},
	} {
		err := ValidKey(c.spec)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("ValidKey(%q) = %v, want nil", c.spec, err)
		case c.want != "" && (err == nil || !errors.Is(err, ErrBadKey) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("ValidKey(%q) = %v, want ErrBadKey saying %s", c.spec, err, c.want)
		}
	}
}

func TestKey(t *testing.T) {
	const topic = "zigbee2mqtt/plug1"
	for _, c := range []struct {
		spec, payload string
		want          string
		err           error  // nil, ErrNoKey or ErrBadKey
		says          string // a piece of the error
	}{
		{"", "not json", topic, nil, ""},
		{"topic", `{"topic":"x"}`, topic, nil, ""},
		{"$.device", `{"device":"plug1","power":3}`, "plug1", nil, ""},
		{"$.device", ` { "device" : "a\"b\u00e9" } `, "a\"b\u00e9", nil, ""},
		{"$.device", `{"device":""}`, "", nil, ""},
		{"$.device", `{"device":12}`, "12", nil, ""},
		{"$.device", `{"device":1.50}`, "1.50", nil, ""},
		{"$.device", `{"device":-1e3}`, "-1e3", nil, ""},
		{"$.device", `{"device":true}`, "true", nil, ""},
		{"$.device", "{\"device\": 12 }", "12", nil, ""},
		{"$.a.device", "{\"a\": {\"device\" :\n false\t} }", "false", nil, ""},
		{"$.device", `{"device":false}`, "false", nil, ""},
		{"$.device", `{"device":"a","device":"b"}`, "b", nil, ""},
		{"$.meta.id", `{"meta":{"id":"m1"},"id":"top"}`, "m1", nil, ""},
		{"$.a.b.c", `{"a":{"b":{"c":7}}}`, "7", nil, ""},
		{"$.Device", `{"device":"plug1"}`, "", ErrNoKey, `no field "Device"`},
		{"$.device", `{"power":3}`, "", ErrNoKey, `the payload has no field "device"`},
		{"$.meta.id", `{"meta":{}}`, "", ErrNoKey, `$.meta has no field "id"`},
		{"$.meta.id", `{"meta":[1]}`, "", ErrNoKey, "$.meta is an array"},
		{"$.meta.id", `{"meta":"x"}`, "", ErrNoKey, "$.meta is a string"},
		{"$.meta.id", `{"meta":null}`, "", ErrNoKey, "$.meta is null"},
		{"$.device", `{"device":{"id":1}}`, "", ErrNoKey, "is an object"},
		{"$.device", `{"device":[1]}`, "", ErrNoKey, "is an array"},
		{"$.device", `{"device":null}`, "", ErrNoKey, "is null"},
		{"$.device", `[{"device":"x"}]`, "", ErrNoKey, "the payload is an array"},
		{"$.device", `"plug1"`, "", ErrNoKey, "the payload is a string"},
		{"$.device", `null`, "", ErrNoKey, "the payload is null"},
		{"$.device", ``, "", ErrNoKey, "not valid JSON"},
		{"$.device", `{"device":"x"} trailing`, "", ErrNoKey, "not valid JSON"},
		{"$.device", `\xff`, "", ErrNoKey, "not valid JSON"},
		{"device", `{"device":"x"}`, "", ErrBadKey, `"$.device"`},
		{"$.a[0]", `{"a":["x"]}`, "", ErrBadKey, "array indexes"},
	} {
		got, err := Key(c.spec, topic, []byte(c.payload))
		switch {
		case c.err == nil && (err != nil || got != c.want):
			t.Errorf("Key(%q, %s) = %q, %v; want %q", c.spec, c.payload, got, err, c.want)
		case c.err != nil && (!errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says)):
			t.Errorf("Key(%q, %s) = %q, %v; want %v saying %s", c.spec, c.payload, got, err, c.err, c.says)
		}
	}
}
