package stream

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
)

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		payload, malformed string
		json, raw          string
		ok                 bool
	}{
		{`{"power":1}`, "skip", `{"power":1}`, "", true},
		{`{"power":1}`, "raw", `{"power":1}`, "", true},
		{` 42 `, "skip", ` 42 `, "", true},
		{`"ON"`, "skip", `"ON"`, "", true},
		{`null`, "skip", `null`, "", true},
		{"{\n \"a\": 1\n}", "skip", "{\n \"a\": 1\n}", "", true},
		{`ON`, "skip", "", "", false},
		{`ON`, "raw", "", "ON", true},
		{``, "skip", "", "", false},
		{``, "raw", "", "", true},
		{`{"a":1}{"a":2}`, "raw", "", `{"a":1}{"a":2}`, true},
		{"\"\xff\"", "raw", "", "\"\xff\"", true}, // JSON syntax, not UTF-8
		{"\"\xff\"", "skip", "", "", false},
	} {
		j, raw, ok := Wrap([]byte(c.payload), c.malformed)
		if string(j) != c.json || string(raw) != c.raw || ok != c.ok {
			t.Errorf("Wrap(%q, %s) = %q, %q, %v; want %q, %q, %v", c.payload, c.malformed, j, raw, ok, c.json, c.raw, c.ok)
		}
		if c.json != "" && j == nil || c.raw == "" && raw != nil && len(c.payload) > 0 {
			t.Errorf("Wrap(%q, %s): nil where a value is due or the reverse", c.payload, c.malformed)
		}
	}
}

func TestAppendMessageLine(t *testing.T) {
	for _, c := range []struct {
		name string
		m    api.StreamMessage
		want string
	}{
		{"json", api.StreamMessage{Offset: 7, Topic: "zigbee2mqtt/plug1", Key: "zigbee2mqtt/plug1", Payload: json.RawMessage(`{"power":12.5}`), TS: 1764950400000, QoS: 1},
			`{"offset":7,"topic":"zigbee2mqtt/plug1","key":"zigbee2mqtt/plug1","payload":{"power":12.5},"ts":1764950400000,"qos":1}`},
		{"compacted, HTML kept", api.StreamMessage{Topic: "a<b", Key: "k&", Payload: json.RawMessage("{\n  \"html\": \"<b>\"\n}"), Retain: true},
			`{"offset":0,"topic":"a<b","key":"k&","payload":{"html":"<b>"},"ts":0,"qos":0,"retain":true}`},
		{"raw", api.StreamMessage{Offset: 1, Topic: "t", Key: "t", PayloadB64: []byte("ON")},
			`{"offset":1,"topic":"t","key":"t","payload_b64":"T04=","ts":0,"qos":0}`},
		{"empty", api.StreamMessage{Offset: 2, Topic: "t", Key: "t"},
			`{"offset":2,"topic":"t","key":"t","payload_b64":"","ts":0,"qos":0}`},
		{"invalid json payload", api.StreamMessage{Topic: "t", Key: "t", Payload: json.RawMessage(`{"a":`)},
			`{"offset":0,"topic":"t","key":"t","payload_b64":"eyJhIjo=","ts":0,"qos":0}`},
		{"payload not UTF-8", api.StreamMessage{Topic: "t", Key: "t", Payload: json.RawMessage("\"\xff\"")},
			`{"offset":0,"topic":"t","key":"t","payload_b64":"Iv8i","ts":0,"qos":0}`},
		{"both: payload wins", api.StreamMessage{Topic: "t", Key: "t", Payload: json.RawMessage(`1`), PayloadB64: []byte("x")},
			`{"offset":0,"topic":"t","key":"t","payload":1,"ts":0,"qos":0}`},
	} {
		dst := []byte("previous\n")
		got := AppendMessageLine(dst, &c.m)
		if string(got) != "previous\n"+c.want+"\n" {
			t.Errorf("%s: AppendMessageLine =\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

func TestParseOutputLine(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		line string
		want api.StreamOutput
	}{
		{`{"payload":{"watts":12.5}}`, api.StreamOutput{Payload: json.RawMessage(`{"watts":12.5}`)}},
		{` { "payload" : [ 1, 2 ] , "retain" : false } `, api.StreamOutput{Payload: json.RawMessage(`[1,2]`), Retain: &no}},
		{"{\"payload\":\"<b>\\u00e9\"}\r", api.StreamOutput{Payload: json.RawMessage(`"<b>\u00e9"`)}},
		{`{"payload":null}`, api.StreamOutput{Payload: json.RawMessage(`null`)}},
		{`{"payload":""}`, api.StreamOutput{Payload: json.RawMessage(`""`)}},
		{`{"topic":"hearth/x/y","payload":1,"retain":true}`, api.StreamOutput{Topic: "hearth/x/y", Payload: json.RawMessage(`1`), Retain: &yes}},
		{`{"retain":true,"payload_b64":"T04=","topic":"a/\u00e9"}`, api.StreamOutput{Topic: "a/\u00e9", PayloadB64: []byte("ON"), Retain: &yes}},
		{`{"topic":"homeassistant/sensor/p/config","payload_b64":""}`, api.StreamOutput{Topic: "homeassistant/sensor/p/config"}},
		{`{"top\u0069c":"a","payload":1}`, api.StreamOutput{Topic: "a", Payload: json.RawMessage(`1`)}},
	} {
		got, err := ParseOutputLine([]byte(c.line))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseOutputLine(%s) = %+v, %v; want %+v", c.line, got, err, c.want)
		}
	}
}

func TestParseOutputLineRefuses(t *testing.T) {
	for _, c := range []struct {
		line, says string
	}{
		{``, "an empty line ends a message's outputs"},
		{"\r", `a blank line of "\r"`},
		{"  ", "a blank line"},
		{`[1]`, "one JSON object"},
		{`"x"`, "one JSON object"},
		{`ON`, "one JSON object"},
		{`{}`, "no payload"},
		{`{"topic":"a"}`, "no payload"},
		{`{"payload":1,"payload_b64":"eA=="}`, "both payload and payload_b64"},
		{`{"payload":1,"payload":2}`, `key "payload" written twice`},
		{`{"retain":true,"retain":true,"payload":1}`, `key "retain" written twice`},
		{`{"payload":1,"Topic":"a"}`, `unknown key "Topic"`},
		{`{"payload":1,"qos":1}`, `unknown key "qos"`},
		{`{"payload":1} {"payload":2}`, "data after the object"},
		{`{"payload":1}x`, "data after the object"},
		{`{"payload":1}}`, "data after the object"},
		{`{"payload":1`, "ends inside its JSON object"},
		{`{"payload":[1,`, "ends inside its JSON object"},
		{`{"payload":}`, "invalid character"},
		{`{"payload":1,}`, "invalid character"},
		{`{"payload":tru}`, "invalid character"},
		{`{"topic":1,"payload":1}`, "topic must be a string, got a number"},
		{`{"topic":null,"payload":1}`, "topic must be a string, got null"},
		{`{"topic":"","payload":1}`, "empty topic"},
		{`{"topic":"a/+","payload":1}`, "wildcards"},
		{`{"topic":"a\u0000","payload":1}`, "NUL"},
		{`{"payload_b64":1}`, "payload_b64 must be a base64 string, got a number"},
		{`{"payload_b64":null}`, "payload_b64 must be a base64 string, got null"},
		{`{"payload_b64":"not base64!"}`, "payload_b64 is not base64"},
		{`{"payload":1,"retain":"yes"}`, "retain must be true or false, got a string"},
		{`{"payload":1,"retain":null}`, "retain must be true or false, got null"},
		{"{\"payload\":\"\xff\"}", "not valid UTF-8"},
		{`{"payload":1,"x":` + strings.Repeat(" ", MaxLineBytes) + `1}`, "above the limit of 262144"},
	} {
		_, err := ParseOutputLine([]byte(c.line))
		if !errors.Is(err, ErrBadOutput) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("ParseOutputLine(%s) = %v, want ErrBadOutput saying %s", quote(c.line), err, c.says)
		}
	}
	// The limit is on the line without its newline: MaxLineBytes is fine.
	pad := MaxLineBytes - len(`{"payload":""}`)
	line := `{"payload":"` + strings.Repeat("x", pad) + `"}`
	if o, err := ParseOutputLine([]byte(line)); err != nil || len(o.Payload) != pad+2 {
		t.Errorf("ParseOutputLine of %d bytes: %v", len(line), err)
	}
}

// TestParseOutputLineCopies: the output does not share the line's memory,
// which the agent reuses for the next line.
func TestParseOutputLineCopies(t *testing.T) {
	line := []byte(`{"payload":{"a":"b"}}`)
	o, err := ParseOutputLine(line)
	if err != nil {
		t.Fatal(err)
	}
	for i := range line {
		line[i] = 'x'
	}
	if string(o.Payload) != `{"a":"b"}` {
		t.Errorf("payload changed with the line: %s", o.Payload)
	}
}

// appendOutputLine writes o as a function would, the inverse of
// ParseOutputLine.
func appendOutputLine(dst []byte, o *api.StreamOutput) []byte {
	var l struct {
		Topic      string          `json:"topic,omitempty"`
		Payload    json.RawMessage `json:"payload,omitempty"`
		PayloadB64 *[]byte         `json:"payload_b64,omitempty"`
		Retain     *bool           `json:"retain,omitempty"`
	}
	l.Topic, l.Payload, l.Retain = o.Topic, o.Payload, o.Retain
	if len(o.Payload) == 0 {
		b := o.PayloadB64
		if b == nil {
			b = []byte{}
		}
		l.PayloadB64 = &b
	}
	line, err := appendLine(dst, &l)
	if err != nil {
		panic(err)
	}
	return bytes.TrimSuffix(line, []byte("\n"))
}

func FuzzParseOutputLine(f *testing.F) {
	for _, s := range []string{
		`{"payload":{"watts":12.5}}`,
		`{"topic":"hearth/x/y","payload":1,"retain":true}`,
		`{"retain":false,"payload_b64":"T04=","topic":"a/\u00e9"}`,
		`{"payload_b64":""}`,
		`{"payload":"<b>\u2028"}`,
		` {"payload" : [1, {"a":null}] }` + "\r",
		`{"payload":1,"payload":2}`,
		`{"payload":1} {}`,
		`{"payload":1e400}`,
		`{"payload":-0.0E+1}`,
		`{"payload_b64":"T0\n4="}`,
		`{"topic":"\ud800","payload":1}`,
		`{"payload":` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}`,
		``, "\r", `[]`, `{`, `}`, `{"":1}`, `{"payload":"\xff"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		o, err := ParseOutputLine(line)
		if err != nil {
			if !errors.Is(err, ErrBadOutput) {
				t.Fatalf("error %v does not wrap ErrBadOutput", err)
			}
			return
		}
		if len(line) > MaxLineBytes {
			t.Errorf("accepted a line of %d bytes", len(line))
		}
		if o.Topic != "" && ValidTopic(o.Topic) != nil {
			t.Errorf("accepted topic %q", o.Topic)
		}
		if len(o.Payload) > 0 && (o.PayloadB64 != nil || !json.Valid(o.Payload)) {
			t.Errorf("accepted payload %q with payload_b64 %q", o.Payload, o.PayloadB64)
		}
		again := appendOutputLine(nil, &o)
		o2, err := ParseOutputLine(again)
		if err != nil {
			t.Fatalf("%s parsed as %+v, written again as %s: %v", line, o, again, err)
		}
		if !reflect.DeepEqual(o, o2) {
			t.Errorf("%s parsed as %+v, written again as %s, parsed as %+v", line, o, again, o2)
		}
	})
}

// BenchmarkABI is the agent's share of one message: its line, and the
// parsing of one output line (the goal is <= 20 us with the function).
func BenchmarkABI(b *testing.B) {
	m := api.StreamMessage{Offset: 7, Topic: "zigbee2mqtt/plug1", Key: "zigbee2mqtt/plug1",
		Payload: json.RawMessage(`{"power":12.5,"voltage":231.2,"current":0.06,"energy":1.23,"state":"ON"}`), TS: 1764950400000, QoS: 1}
	out := []byte(`{"payload":{"watts":12.5,"device":"plug1"}}`)
	var line []byte
	for b.Loop() {
		line = AppendMessageLine(line[:0], &m)
		if _, err := ParseOutputLine(out); err != nil {
			b.Fatal(err)
		}
	}
}
