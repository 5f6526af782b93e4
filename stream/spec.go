package stream

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// Defaults Validate fills in that gateway/api does not name.
const (
	DefaultCPU    = 0.25     // cores per partition's instance
	DefaultMemory = 32 << 20 // bytes per partition's instance
	// MaxTimeout bounds Resources.Timeout, the time one message may take:
	// a partition waits for each message in turn.
	MaxTimeout = time.Hour
)

// specError is a stream spec's error: api.ErrBadSpec for errors.Is, so
// that the gateway answers it as any bad spec, with a text of its own
// (ErrBadSpec's says "job"), and the cause, when there is one, for
// errors.Is too.
type specError struct {
	field, msg string
	cause      error
}

func (e *specError) Error() string { return "invalid stream spec: " + e.field + ": " + e.msg }

func (e *specError) Unwrap() []error {
	if e.cause == nil {
		return []error{api.ErrBadSpec}
	}
	return []error{api.ErrBadSpec, e.cause}
}

func fieldErr(field, format string, a ...any) error {
	return &specError{field: field, msg: fmt.Sprintf(format, a...)}
}

func causeErr(field string, cause error) error {
	return &specError{field: field, msg: cause.Error(), cause: cause}
}

// Validate fills in the defaults of s and checks every field; the error
// names the first bad field and how to fix it, and wraps api.ErrBadSpec
// (and the cause: ErrBadTopic, ErrBadKey). It is a function, not a
// method, for the reason api.ValidateJobSpec gives. Validate on a spec it
// has accepted accepts it again, unchanged.
//
// Besides each field's own rules, it refuses an output topic template
// that would publish into the stream's own input (see feedsBack for the
// exact rule): the function would then consume its own outputs, forever.
// It does not look at output.allow that way: a function naming its
// output topics is trusted to know what it does.
func Validate(s *api.StreamSpec) error {
	if !validName(s.Name) {
		return fieldErr("name", "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got %s", quote(s.Name))
	}
	if err := validateTopics(s.Topics); err != nil {
		return err
	}
	if s.Partitions == 0 {
		s.Partitions = api.DefaultStreamPartitions
	}
	switch {
	case s.Partitions < 1:
		return fieldErr("partitions", "%d is below 1 (leave it out for %d)", s.Partitions, api.DefaultStreamPartitions)
	case s.Partitions > api.MaxStreamPartitions:
		return fieldErr("partitions", "%d is above %d", s.Partitions, api.MaxStreamPartitions)
	}
	if s.Key == "" {
		s.Key = api.StreamKeyTopic
	}
	if err := ValidKey(s.Key); err != nil {
		return causeErr("key", err)
	}
	if err := validateKindAndRuntime(s); err != nil {
		return err
	}
	if s.App == "" && s.AppDigest == "" {
		return fieldErr("app", "a stream needs its function: app, the path of its WASI module (the CLI uploads it and sets app_digest)")
	}
	if s.AppDigest != "" && !api.ValidDigest(s.AppDigest) {
		return fieldErr("app_digest", "must be sha256: and 64 hex digits, got %s", quote(s.AppDigest))
	}
	for i, a := range s.Args {
		if strings.IndexByte(a, 0) >= 0 {
			return fieldErr("args["+strconv.Itoa(i)+"]", "contains a NUL byte")
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return fieldErr("env", "bad variable name %s: it must be non-empty, without '=' or NUL", quote(k))
		}
		if strings.IndexByte(s.Env[k], 0) >= 0 {
			return fieldErr("env."+k, "contains a NUL byte")
		}
	}
	if s.Kind == api.StreamWindow && s.Resources.Timeout == 0 {
		s.Resources.Timeout = api.Duration(DefaultWindowTimeout)
	}
	if err := validateResources(&s.Resources); err != nil {
		return err
	}
	if err := validateOutput(s); err != nil {
		return err
	}
	if err := validateHA(s); err != nil {
		return err
	}
	return validateDelivery(s)
}

// validName is api's rule for job names (its validName, unexported),
// written again: 1-63 letters, digits, '.', '_' or '-', starting with a
// letter or digit. A name that passes is safe in a topic level too.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i, c := range []byte(s) {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

func validateTopics(topics []string) error {
	if len(topics) == 0 {
		return fieldErr("topics", "a stream needs at least one MQTT topic filter to consume, such as \"zigbee2mqtt/+\"")
	}
	for i, f := range topics {
		field := "topics[" + strconv.Itoa(i) + "]"
		if err := ValidFilter(f); err != nil {
			return causeErr(field, err)
		}
		if rest, ok := strings.CutPrefix(f, "$share/"); ok {
			_, plain, _ := strings.Cut(rest, "/")
			return fieldErr(field, "%s is a shared subscription; the gateway subscribes once and shares messages among partitions itself: write the filter alone, %s", quote(f), quote(plain))
		}
		if j := slices.Index(topics[:i], f); j >= 0 {
			return fieldErr(field, "%s is topics[%d] again; list each filter once", quote(f), j)
		}
	}
	return nil
}

func validateKindAndRuntime(s *api.StreamSpec) error {
	if s.Kind == "" {
		s.Kind = api.StreamMap
	}
	switch s.Kind {
	case api.StreamMap:
		if s.Window != nil {
			return fieldErr("window", "only a stream of kind window has one")
		}
	case api.StreamWindow:
		if err := validateWindow(s.Window); err != nil {
			return err
		}
	default:
		return fieldErr("kind", "unknown kind %s; map (a function called on every message) or window (called on each window of messages)", quote(s.Kind))
	}
	if s.Runtime == "" {
		s.Runtime = "wasm"
	}
	switch {
	case s.Runtime == "wasm":
		return nil
	case s.Runtime == "oci" && s.Kind == api.StreamWindow:
		return nil // a window runs as an ordinary task
	case s.Runtime == "oci":
		return fieldErr("runtime", "a map function runs as wasm only: it is a long-lived instance per partition fed one message at a time over stdin, which agents do for WASI modules alone; build it as one (GOOS=wasip1, TinyGo, Rust wasm32-wasip1), or make it a window function")
	default:
		return fieldErr("runtime", "unknown runtime %s; wasm, or oci for a window function", quote(s.Runtime))
	}
}

// MaxWindowCount bounds a count window.
const MaxWindowCount = 100000

// MaxWindowOverlap bounds how many hopping windows a message is in
// (size / hop): each is a task over all its messages.
const MaxWindowOverlap = 60

func validateWindow(w *api.WindowSpec) error {
	if w == nil {
		return fieldErr("window", "a stream of kind window needs one, e.g. {type: tumbling, size: 1m}")
	}
	if w.Type == "" {
		w.Type = api.WindowTumbling
	}
	switch w.Type {
	case api.WindowTumbling, api.WindowHopping:
		if w.Size.D() < time.Second || w.Size.D() > 24*time.Hour {
			return fieldErr("window.size", "must be between 1s and 24h, got %s", w.Size)
		}
		if w.Count != 0 {
			return fieldErr("window.count", "is for count windows; a %s window has a size", w.Type)
		}
		switch {
		case w.Type == api.WindowTumbling && w.Hop != 0:
			return fieldErr("window.hop", "is for hopping windows; tumbling windows follow each other (hop = size)")
		case w.Type == api.WindowHopping && (w.Hop.D() < time.Second || w.Hop >= w.Size):
			return fieldErr("window.hop", "must be at least 1s and less than window.size (%s), got %s: a window starts every hop", w.Size, w.Hop)
		case w.Type == api.WindowHopping && w.Size.D()/w.Hop.D() > MaxWindowOverlap:
			return fieldErr("window.hop", "is too short for size %s: a message would be in more than %d windows", w.Size, MaxWindowOverlap)
		}
	case api.WindowCount:
		if w.Count < 1 || w.Count > MaxWindowCount {
			return fieldErr("window.count", "must be between 1 and %d messages, got %d", MaxWindowCount, w.Count)
		}
		if w.Size != 0 || w.Hop != 0 || w.Time != "" || w.TSPath != "" || w.Late != 0 {
			return fieldErr("window", "a count window has a count only (no size, hop, time, ts_path or late)")
		}
		return nil
	case "sliding", "session":
		return fieldErr("window.type", "%s windows are not supported yet; tumbling, hopping or count", w.Type)
	default:
		return fieldErr("window.type", "unknown type %s; tumbling, hopping or count", quote(w.Type))
	}
	if w.Time == "" {
		w.Time = api.WindowProcessing
	}
	switch w.Time {
	case api.WindowProcessing:
		if w.TSPath != "" || w.Late != 0 {
			return fieldErr("window", "ts_path and late are for event time (time: event)")
		}
	case api.WindowEvent:
		if !strings.HasPrefix(w.TSPath, "$.") || ValidKey(w.TSPath) != nil {
			return fieldErr("window.ts_path", "event time needs the path of the message's time in its payload, like $.ts, got %s", quote(w.TSPath))
		}
		if w.Late < 0 || w.Late.D() > time.Hour {
			return fieldErr("window.late", "must be between 0 and 1h, got %s", w.Late)
		}
	default:
		return fieldErr("window.time", "unknown time %s; processing or event", quote(w.Time))
	}
	return nil
}

func validateResources(r *api.Resources) error {
	if !(r.CPU >= 0 && r.CPU <= 64) { // NaN too
		return fieldErr("resources.cpu", "must be between 0 and 64 cores, got %v", r.CPU)
	}
	if r.CPU == 0 {
		r.CPU = DefaultCPU
	}
	if r.Memory < 0 || r.Memory > 64<<30 {
		return fieldErr("resources.memory", "must be at most 64Gi, got %d bytes", r.Memory)
	}
	if r.Memory == 0 {
		r.Memory = DefaultMemory
	}
	if r.Memory < 1<<20 {
		return fieldErr("resources.memory", "must be at least 1Mi, got %d bytes", r.Memory)
	}
	if r.Timeout < 0 || r.Timeout.D() > MaxTimeout {
		return fieldErr("resources.timeout", "the time one message may take must be between 0 and %s, got %s", MaxTimeout, r.Timeout)
	}
	if r.Timeout == 0 {
		r.Timeout = api.Duration(api.DefaultStreamTimeout)
	}
	return nil
}

// DefaultWindowTimeout is resources.timeout's default for a window
// function: a whole window's run, not one message.
const DefaultWindowTimeout = time.Minute

// Sample values the output template is rendered with to check it.
const sampleTopic, sampleKey = "sample/topic", "key"

func validateOutput(s *api.StreamSpec) error {
	o := &s.Output
	if o.Topic == "" {
		o.Topic = api.DefaultStreamOutput
	}
	if err := checkTemplate(o.Topic); err != nil {
		return fieldErr("output.topic", "%s: %s", quote(o.Topic), err)
	}
	if err := ValidTopic(OutputTopic(o.Topic, s.Name, sampleTopic, sampleKey)); err != nil {
		return causeErr("output.topic", err)
	}
	named := strings.ReplaceAll(o.Topic, placeStream, s.Name)
	if f, ok := feedsBack(named, s.Topics); ok {
		return fieldErr("output.topic", "%s would publish into the stream's own input %s, and the function would consume its outputs forever; start the template with a prefix no input matches, such as \"hearth/{stream}/\"", quote(o.Topic), quote(f))
	}
	if len(o.Allow) == 0 {
		o.Allow = []string{DefaultAllow(named)}
	}
	for i, f := range o.Allow {
		if err := ValidFilter(f); err != nil {
			return causeErr("output.allow["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}

func validateDelivery(s *api.StreamSpec) error {
	if s.Delivery == "" {
		s.Delivery = api.StreamDurable
	}
	if s.Delivery != api.StreamDurable && s.Delivery != api.StreamMemory {
		return fieldErr("delivery", "must be durable (the log is kept in the gateway's store) or memory (faster, lost with the gateway), got %s", quote(s.Delivery))
	}
	if s.Malformed == "" {
		s.Malformed = api.MalformedSkip
	}
	if s.Malformed != api.MalformedSkip && s.Malformed != api.MalformedRaw {
		return fieldErr("malformed", "must be skip (count and skip payloads that are not JSON) or raw (pass them to the function in payload_b64), got %s", quote(s.Malformed))
	}
	l := &s.Log
	if l.MaxBytes == 0 {
		l.MaxBytes = api.DefaultStreamLogBytes
	}
	if l.MaxBytes < 1<<20 {
		return fieldErr("log.max_bytes", "must be at least 1Mi, got %d bytes (leave it out for 64Mi)", l.MaxBytes)
	}
	if l.MaxAge == 0 {
		l.MaxAge = api.Duration(api.DefaultStreamLogAge)
	}
	if l.MaxAge.D() < time.Second {
		return fieldErr("log.max_age", "must be at least 1s, got %s (leave it out for 24h)", l.MaxAge)
	}
	return nil
}

// validateHA checks output.ha and fills its defaults.
func validateHA(s *api.StreamSpec) error {
	ha := s.Output.HA
	if ha == nil {
		return nil
	}
	switch ha.Component {
	case "":
		ha.Component = "sensor"
	case "sensor", "binary_sensor":
	default:
		return fieldErr("output.ha.component", "%s: sensor or binary_sensor", quote(ha.Component))
	}
	if len(ha.Topics) == 0 {
		ha.Topics = []string{DefaultAllow(s.Output.Topic)}
	}
	for i, f := range ha.Topics {
		if err := ValidFilter(f); err != nil {
			return causeErr("output.ha.topics["+strconv.Itoa(i)+"]", err)
		}
	}
	if ha.Name == "" {
		ha.Name = "{stream} {last}"
	}
	for field, v := range map[string]string{"name": ha.Name, "unit": ha.Unit, "device_class": ha.DeviceClass,
		"state_class": ha.StateClass, "value_template": ha.ValueTemplate} {
		if len(v) > 255 || strings.ContainsAny(v, "\x00\n") {
			return fieldErr("output.ha."+field, "at most 255 bytes on one line")
		}
	}
	return nil
}
