package stream

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
)

// Partition returns the partition of a message with this key among n:
// the key's 32-bit FNV-1a hash modulo n. Gateways of every version must
// agree on it, or an update would move keys between partitions and break
// their order. n below 1 counts as 1.
func Partition(key string, n int) int {
	if n <= 1 {
		return 0
	}
	const offset32, prime32 = 2166136261, 16777619
	h := uint32(offset32)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= prime32
	}
	return int(h % uint32(n))
}

// ValidKey checks a key spec: "" or "topic" (api.StreamKeyTopic) for the
// message's topic, or a JSON path "$." followed by one or more field
// names separated by dots ("$.device", "$.meta.id"). A field name is any
// non-empty text without '.', '[' or ']'; there are no array indexes,
// escapes or wildcards (yet). Errors wrap ErrBadKey.
func ValidKey(spec string) error {
	if spec == "" || spec == api.StreamKeyTopic {
		return nil
	}
	path, ok := strings.CutPrefix(spec, "$.")
	if !ok {
		hint := "$." + strings.TrimPrefix(spec, "$")
		return fmt.Errorf("%w: %s: must be %q or a JSON path into the payload such as %q", ErrBadKey, quote(spec), api.StreamKeyTopic, hint)
	}
	for field := range strings.SplitSeq(path, ".") {
		switch {
		case field == "":
			return fmt.Errorf("%w: %s: an empty field name (dots must separate names, as in \"$.meta.id\")", ErrBadKey, quote(spec))
		case strings.ContainsAny(field, "[]"):
			return fmt.Errorf("%w: %s: array indexes are not supported; key on a field of an object", ErrBadKey, quote(spec))
		}
	}
	return nil
}

// Key returns a message's key by spec (see ValidKey): the topic, or the
// value at the spec's path in the payload, a JSON object. A string value
// is the key unquoted; a number or true/false is the key as its JSON text,
// as written (1 and 1.0 are different keys). Field names match exactly,
// case included; of a field written twice the last counts. Errors wrap
// ErrBadKey for a bad spec and ErrNoKey when the payload has no string,
// number or boolean there.
func Key(spec string, topic string, payload []byte) (string, error) {
	if spec == "" || spec == api.StreamKeyTopic {
		return topic, nil
	}
	if err := ValidKey(spec); err != nil {
		return "", err
	}
	v := json.RawMessage(payload)
	at := "$"
	for field := range strings.SplitSeq(spec[len("$."):], ".") {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(v, &obj); err != nil || obj == nil {
			if !json.Valid(v) {
				return "", fmt.Errorf("%w: %s: the payload is not valid JSON", ErrNoKey, spec)
			}
			return "", fmt.Errorf("%w: %s: %s is %s, not a JSON object with field %q", ErrNoKey, spec, what(at), kind(v), field)
		}
		var ok bool
		if v, ok = obj[field]; !ok {
			return "", fmt.Errorf("%w: %s: %s has no field %q", ErrNoKey, spec, what(at), field)
		}
		at += "." + field
	}
	switch k := kind(v); k {
	case "a string":
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", fmt.Errorf("%w: %s: %w", ErrNoKey, spec, err)
		}
		return s, nil
	case "a number", "a boolean":
		return string(v), nil
	default:
		return "", fmt.Errorf("%w: %s is %s; a key must be a string, a number or a boolean", ErrNoKey, spec, k)
	}
}

// what names the place at a path for an error message.
func what(at string) string {
	if at == "$" {
		return "the payload"
	}
	return at
}

// kind names the kind of the JSON value v by its first byte.
func kind(v []byte) string {
	v = bytes.TrimLeft(v, " \t\r\n")
	if len(v) == 0 {
		return "empty"
	}
	switch c := v[0]; {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	}
	return "not JSON"
}
