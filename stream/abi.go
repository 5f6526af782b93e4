package stream

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"

	"github.com/hearth-home/hearth/gateway/api"
)

// Limits of the map function ABI (see the package documentation).
const (
	// MaxLineBytes bounds one output line, its newline left out.
	MaxLineBytes = 256 << 10
	// MaxOutputs bounds the output lines a function may write for one
	// message.
	MaxOutputs = 1024
)

// Wrap decides how a payload reaches the function under a malformed
// policy (api.MalformedSkip or api.MalformedRaw). A payload that is JSON
// (valid UTF-8 and valid JSON, as RFC 8259 asks of JSON between systems)
// is returned as payload; another one as raw with MalformedRaw, and not
// at all (ok false: count it and skip it) with MalformedSkip. An empty
// payload is not JSON. Both results share payload's memory.
func Wrap(payload []byte, malformed string) (json.RawMessage, []byte, bool) {
	if utf8.Valid(payload) && json.Valid(payload) {
		return payload, nil, true
	}
	if malformed == api.MalformedRaw {
		return nil, payload, true
	}
	return nil, nil, false
}

// messageLine is the line a function reads: api.StreamMessage, with
// payload_b64 present, maybe empty, whenever payload is not.
type messageLine struct {
	Offset     uint64          `json:"offset"`
	Topic      string          `json:"topic"`
	Key        string          `json:"key"`
	Payload    json.RawMessage `json:"payload,omitempty"`
	PayloadB64 *[]byte         `json:"payload_b64,omitempty"`
	TS         int64           `json:"ts"`
	QoS        byte            `json:"qos"`
	Retain     bool            `json:"retain,omitempty"`
}

// AppendMessageLine appends to dst the line the agent writes to a map
// function for m: one JSON object and '\n'. The line holds exactly one of
// payload and payload_b64: payload when m has one, else payload_b64,
// empty for an empty payload. A payload that is not JSON as Wrap says (m
// did not come from it) goes as payload_b64 too, so that the line is
// always valid UTF-8 and JSON.
func AppendMessageLine(dst []byte, m *api.StreamMessage) []byte {
	l := messageLine{Offset: m.Offset, Topic: m.Topic, Key: m.Key, TS: m.TS, QoS: m.QoS, Retain: m.Retain}
	if len(m.Payload) > 0 && utf8.Valid(m.Payload) {
		l.Payload = m.Payload
	} else {
		raw := m.PayloadB64
		if len(m.Payload) > 0 {
			raw = m.Payload
		}
		if raw == nil {
			raw = []byte{}
		}
		l.PayloadB64 = &raw
	}
	line, err := appendLine(dst, &l)
	if err != nil {
		// The payload is not valid JSON, the one thing that fails to
		// encode.
		raw := []byte(m.Payload)
		l.Payload, l.PayloadB64 = nil, &raw
		if line, err = appendLine(dst, &l); err != nil {
			panic("stream: cannot encode a message line: " + err.Error()) // cannot happen
		}
	}
	return line
}

// appendLine appends v to dst as JSON and '\n', without escaping HTML (the
// payload's bytes stay as they came).
func appendLine(dst []byte, v any) ([]byte, error) {
	b := bytes.NewBuffer(dst)
	e := json.NewEncoder(b)
	e.SetEscapeHTML(false)
	err := e.Encode(v)
	return b.Bytes(), err
}

// ParseOutputLine parses one line a map function wrote, without its
// newline: a JSON object with the keys topic (optional: a string,
// ValidTopic), exactly one of payload (any JSON value) and payload_b64 (a
// base64 string, RFC 4648 with padding), and retain (optional: true or
// false). The output's payload is copied out of line, payload compacted;
// with payload_b64 "" it has neither Payload nor PayloadB64: the empty
// payload. Offset and Index are left for the caller. Errors wrap
// ErrBadOutput.
func ParseOutputLine(line []byte) (api.StreamOutput, error) {
	var o api.StreamOutput
	if err := parseOutput(line, &o); err != nil {
		return api.StreamOutput{}, fmt.Errorf("%w: %w", ErrBadOutput, err)
	}
	return o, nil
}

// outputKeys are the keys of an output line.
var outputKeys = [...]string{"topic", "payload", "payload_b64", "retain"}

func parseOutput(line []byte, o *api.StreamOutput) error {
	switch {
	case len(line) > MaxLineBytes:
		return fmt.Errorf("a line of %d bytes, above the limit of %d", len(line), MaxLineBytes)
	case len(bytes.TrimLeft(line, " \t\r")) == 0:
		if len(line) == 0 {
			return errors.New("an empty line ends a message's outputs; it is not one")
		}
		return fmt.Errorf("a blank line of %q: end a message's outputs with an empty line, \"\\n\" alone", line)
	case !utf8.Valid(line):
		return errors.New("the line is not valid UTF-8; send bytes as payload_b64")
	case bytes.TrimLeft(line, " \t\r")[0] != '{':
		return fmt.Errorf("an output line is one JSON object, as in {\"payload\":1}; got %s", quote(string(line)))
	}
	d := json.NewDecoder(bytes.NewReader(line))
	if _, err := d.Token(); err != nil {
		return notJSON(err)
	}
	var payload, b64 bool
	var seen [len(outputKeys)]bool
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return notJSON(err)
		}
		k, _ := t.(string) // a key: the decoder checks the syntax
		i := slices.Index(outputKeys[:], k)
		switch {
		case i < 0:
			return fmt.Errorf("unknown key %s (the keys are topic, payload, payload_b64 and retain)", quote(k))
		case seen[i]:
			return fmt.Errorf("key %s written twice", quote(k))
		}
		seen[i] = true
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return notJSON(err)
		}
		switch k {
		case "topic":
			if err := stringValue(k, v, &o.Topic); err != nil {
				return err
			}
			if err := ValidTopic(o.Topic); err != nil {
				return err
			}
		case "payload":
			var b bytes.Buffer
			if err := json.Compact(&b, v); err != nil {
				return notJSON(err) // cannot happen: Decode checked v
			}
			o.Payload, payload = b.Bytes(), true
		case "payload_b64":
			if len(v) == 0 || v[0] != '"' {
				return fmt.Errorf("payload_b64 must be a base64 string, got %s", kind(v))
			}
			if err := json.Unmarshal(v, &o.PayloadB64); err != nil {
				return fmt.Errorf("payload_b64 is not base64 (RFC 4648, with padding): %w", err)
			}
			if len(o.PayloadB64) == 0 {
				o.PayloadB64 = nil // the empty payload
			}
			b64 = true
		case "retain":
			if string(v) != "true" && string(v) != "false" {
				return fmt.Errorf("retain must be true or false, got %s", kind(v))
			}
			r := string(v) == "true"
			o.Retain = &r
		}
	}
	if _, err := d.Token(); err != nil {
		return notJSON(err)
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the object: an output line holds one JSON object")
	}
	switch {
	case payload && b64:
		return errors.New("both payload and payload_b64: give one")
	case !payload && !b64:
		return errors.New("no payload: give payload (any JSON value) or payload_b64 (bytes in base64)")
	}
	return nil
}

// notJSON explains an error of the JSON decoder.
func notJSON(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("the line ends inside its JSON object")
	}
	return fmt.Errorf("the line is not one JSON object: %w", err)
}

// stringValue decodes the JSON string v, the value of key, into s.
func stringValue(key string, v json.RawMessage, s *string) error {
	if len(v) == 0 || v[0] != '"' {
		return fmt.Errorf("%s must be a string, got %s", key, kind(v))
	}
	return json.Unmarshal(v, s)
}
