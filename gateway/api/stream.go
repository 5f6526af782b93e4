package api

import (
	"encoding/json"
	"time"
)

// Stream kinds, keys, deliveries and malformed-message policies.
const (
	// StreamMap runs one long-lived function instance per partition that
	// reads one message line and answers with zero or more output lines,
	// then an empty line.
	StreamMap = "map"
	// StreamWindow cuts each partition's messages into windows and runs
	// the function once per closed window, as an ordinary task, over
	// /in/window.ndjson; its outputs are the lines of /out/*.ndjson.
	StreamWindow = "window"
	// Window types and times.
	WindowTumbling   = "tumbling" // back-to-back windows of Size
	WindowHopping    = "hopping"  // windows of Size starting every Hop: they overlap
	WindowCount      = "count"    // every Count messages
	WindowProcessing = "processing"
	WindowEvent      = "event"
	// StreamKeyTopic partitions a stream by the message's topic.
	StreamKeyTopic = "topic"
	// StreamDurable keeps the stream's log in the gateway's store: nothing
	// acknowledged to the broker is lost by a crash.
	StreamDurable = "durable"
	// StreamMemory keeps it in memory: faster, lost with the gateway.
	StreamMemory = "memory"
	// MalformedSkip counts and skips a message whose payload is not JSON.
	MalformedSkip = "skip"
	// MalformedRaw passes it to the function in payload_b64.
	MalformedRaw = "raw"
)

// Stream defaults.
const (
	DefaultStreamPartitions = 4
	MaxStreamPartitions     = 256
	DefaultStreamTimeout    = 5 * time.Second
	DefaultStreamLogBytes   = 64 << 20
	DefaultStreamLogAge     = 24 * time.Hour
	// DefaultStreamOutput is the output topic template: {stream}, {topic}
	// (the input message's topic) and {key} are replaced.
	DefaultStreamOutput = "hearth/{stream}/{topic}"
)

// StreamSpec is a stream as `hearth stream deploy` reads it from its file.
// App is a path relative to the file at deploy time; the CLI uploads it and
// sends AppDigest.
type StreamSpec struct {
	Name string `json:"name" yaml:"name"`
	// Topics are the MQTT topic filters the stream consumes ("+" and "#"
	// wildcards).
	Topics []string `json:"topics" yaml:"topics"`
	// Partitions is how many partitions the stream has; each is run by one
	// device at a time, in order. Default 4.
	Partitions int `json:"partitions,omitempty" yaml:"partitions"`
	// Key is what picks a message's partition: "topic" (default), or a
	// JSON path into the payload such as "$.device".
	Key string `json:"key,omitempty" yaml:"key"`
	// Kind is "map" (default) or "window".
	Kind string `json:"kind,omitempty" yaml:"kind"`
	// Window, for kind window, is how messages are cut into windows.
	Window  *WindowSpec `json:"window,omitempty" yaml:"window"`
	Runtime string      `json:"runtime,omitempty" yaml:"runtime"`
	App     string      `json:"app,omitempty" yaml:"app"`
	// AppDigest pins App's content; always set once deployed.
	AppDigest string            `json:"app_digest,omitempty" yaml:"app_digest"`
	Args      []string          `json:"args,omitempty" yaml:"args"`
	Env       map[string]string `json:"env,omitempty" yaml:"env"`
	// Resources bound each partition's instance. Defaults: 0.25 cores,
	// 32 MiB; Timeout is how long the function may take over one message
	// (default 5s) before its partition is stopped.
	Resources Resources `json:"resources" yaml:"resources"`
	// Output is where results go.
	Output StreamOutputSpec `json:"output" yaml:"output"`
	// Delivery is "durable" (default) or "memory".
	Delivery string `json:"delivery,omitempty" yaml:"delivery"`
	// Malformed says what a payload that is not JSON gets: "skip"
	// (default: counted and skipped) or "raw" (passed as payload_b64).
	Malformed string `json:"malformed,omitempty" yaml:"malformed"`
	// Log bounds each partition's share of the stream's log: the oldest
	// messages are dropped (and counted) beyond them.
	Log StreamLogSpec `json:"log" yaml:"log"`
}

// WindowSpec cuts a partition's messages into windows.
type WindowSpec struct {
	// Type is "tumbling" (default: back-to-back windows of Size),
	// "hopping" (windows of Size that start every Hop, so that a message
	// is in Size/Hop of them) or "count" (every Count messages).
	Type  string   `json:"type,omitempty" yaml:"type"`
	Size  Duration `json:"size,omitempty" yaml:"size"`
	Hop   Duration `json:"hop,omitempty" yaml:"hop"`
	Count int      `json:"count,omitempty" yaml:"count"`
	// Time is what places a message in a tumbling or hopping window: "processing"
	// (default: when the gateway received it) or "event" (the time at
	// TSPath in its payload: Unix seconds or milliseconds, or RFC 3339).
	Time   string `json:"time,omitempty" yaml:"time"`
	TSPath string `json:"ts_path,omitempty" yaml:"ts_path"`
	// Late, with event time, is how long after its end a window waits for
	// late messages; a message later still is dropped and counted.
	Late Duration `json:"late,omitempty" yaml:"late"`
}

// StreamOutputSpec says where a stream's results are published.
type StreamOutputSpec struct {
	// Topic is the template of an output's topic when the function names
	// none. Default "hearth/{stream}/{topic}".
	Topic string `json:"topic,omitempty" yaml:"topic"`
	// Allow are the topic filters a function may publish to. Default: the
	// template's fixed prefix followed by "#". An output to any other
	// topic is counted as rejected and not published.
	Allow []string `json:"allow,omitempty" yaml:"allow"`
	// Retain publishes outputs retained unless an output line says.
	Retain bool `json:"retain,omitempty" yaml:"retain"`
	// HA, when set, announces the outputs to Home Assistant (MQTT
	// discovery): each topic the stream publishes to that HA.Topics
	// matches becomes an entity, announced once (retained).
	HA *HASpec `json:"ha,omitempty" yaml:"ha"`
}

// HASpec describes the Home Assistant entities of a stream's outputs.
type HASpec struct {
	// Component is "sensor" (default) or "binary_sensor".
	Component string `json:"component,omitempty" yaml:"component"`
	// Topics are the output topics announced (filters). Default: the
	// output template's topics (its fixed prefix and "#").
	Topics []string `json:"topics,omitempty" yaml:"topics"`
	// Name is the entity's name, a template with {stream}, {topic} (the
	// output's topic) and {last} (its last level). Default "{stream} {last}".
	Name string `json:"name,omitempty" yaml:"name"`
	// Unit, DeviceClass, StateClass and ValueTemplate are Home
	// Assistant's unit_of_measurement, device_class, state_class and
	// value_template, as they are (e.g. "°C", "temperature",
	// "measurement", "{{ value_json.celsius }}").
	Unit          string `json:"unit,omitempty" yaml:"unit"`
	DeviceClass   string `json:"device_class,omitempty" yaml:"device_class"`
	StateClass    string `json:"state_class,omitempty" yaml:"state_class"`
	ValueTemplate string `json:"value_template,omitempty" yaml:"value_template"`
}

// StreamLogSpec bounds a stream's log per partition.
type StreamLogSpec struct {
	MaxBytes Bytes    `json:"max_bytes,omitempty" yaml:"max_bytes"`
	MaxAge   Duration `json:"max_age,omitempty" yaml:"max_age"`
}

// Stream is a deployed stream as the gateway shows it.
type Stream struct {
	Spec    StreamSpec `json:"spec"`
	Version int        `json:"version"` // 1 at deploy, +1 per update
	JobID   string     `json:"job_id"`  // the job whose tasks run its partitions
	Created time.Time  `json:"created"`
	Updated time.Time  `json:"updated"`
	// Broker says whether the gateway is connected to the MQTT broker.
	Broker     string            `json:"broker"`
	Partitions []StreamPartition `json:"partitions"`
	Counts     StreamCounts      `json:"counts"`
}

// StreamCounts are a stream's totals since it was deployed.
type StreamCounts struct {
	Received  uint64 `json:"received"`  // messages logged
	Processed uint64 `json:"processed"` // messages committed by the function
	Published uint64 `json:"published"` // outputs the broker acknowledged
	Pending   uint64 `json:"pending"`   // outputs waiting to be published
	Dropped   uint64 `json:"dropped"`   // messages dropped by the log's bounds
	Malformed uint64 `json:"malformed"` // payloads that were not JSON, skipped
	Rejected  uint64 `json:"rejected"`  // outputs to topics the spec does not allow
	Lag       uint64 `json:"lag"`       // messages logged, not yet committed
	// Windows counts the windows run (kind window); Late the messages
	// that came after their window had closed (event time), dropped.
	Windows uint64 `json:"windows,omitempty"`
	Late    uint64 `json:"late,omitempty"`
}

// Stream partition states.
const (
	PartitionWaiting = "waiting" // for a device to take it
	PartitionRunning = "running"
	PartitionStopped = "stopped" // its function failed; Reason says how
)

// StreamPartition is one partition of a stream.
type StreamPartition struct {
	Index int    `json:"index"`
	State string `json:"state"`
	Node  string `json:"node,omitempty"`
	// Head is the offset the next message will get; Committed the first
	// offset not yet processed. Lag is Head - Committed.
	Head      uint64 `json:"head"`
	Committed uint64 `json:"committed"`
	Lag       uint64 `json:"lag"`
	Dropped   uint64 `json:"dropped"`
	Reason    string `json:"reason,omitempty"`
}

// StreamLease, in a Lease, makes the lease a stream partition's: the agent
// runs the app as a long-lived instance and feeds it from StreamPull.
type StreamLease struct {
	Stream    string `json:"stream"`
	Partition int    `json:"partition"`
	Version   int    `json:"version"`
	// Timeout is how long the function may take over one message.
	Timeout Duration `json:"timeout"`
}

// StreamPull is an agent's request for the next batch of a partition it
// holds the lease of (POST /v1/agent/stream/pull). Committed and Outputs
// report the batch before: every message below Committed is processed and
// Outputs are all it produced. The gateway stores both in one transaction,
// once: a pull that repeats an older Committed is answered, its outputs
// ignored.
type StreamPull struct {
	LeaseID   string         `json:"lease_id"`
	Committed uint64         `json:"committed"`
	Outputs   []StreamOutput `json:"outputs,omitempty"`
	// Max is how many messages the agent wants at most; 0: the gateway's
	// default (64); negative: none, the request only commits.
	Max int `json:"max"`
	// Wait is how long the gateway may hold the request for messages.
	Wait Duration `json:"wait"`
}

// StreamBatch answers a StreamPull.
type StreamBatch struct {
	// Committed is the partition's committed offset as the gateway has
	// stored it: the agent goes on from there.
	Committed uint64          `json:"committed"`
	Messages  []StreamMessage `json:"messages,omitempty"`
	// Stop, when set, tells the agent to stop the instance: the stream was
	// updated or removed, or the lease is no longer the agent's.
	Stop string `json:"stop,omitempty"`
}

// StreamMessage is one message of a partition's log. It is also the line a
// map function reads on stdin, as one line of JSON.
type StreamMessage struct {
	Offset uint64 `json:"offset"`
	Topic  string `json:"topic"`
	Key    string `json:"key"`
	// Payload is the message when it is JSON; otherwise PayloadB64 holds
	// it (only with malformed: raw).
	Payload    json.RawMessage `json:"payload,omitempty"`
	PayloadB64 []byte          `json:"payload_b64,omitempty"`
	// TS is when the gateway received it, in Unix milliseconds.
	TS     int64 `json:"ts"`
	QoS    byte  `json:"qos"`
	Retain bool  `json:"retain,omitempty"`
}

// StreamOutput is one output of a function. A function writes it as one
// line of JSON with Topic (optional), Payload or PayloadB64, and Retain
// (optional); the agent adds Offset, the input message's, and Index, its
// place among that message's outputs.
type StreamOutput struct {
	Offset     uint64          `json:"offset"`
	Index      int             `json:"index"`
	Topic      string          `json:"topic,omitempty"`
	Payload    json.RawMessage `json:"payload,omitempty"`
	PayloadB64 []byte          `json:"payload_b64,omitempty"`
	Retain     *bool           `json:"retain,omitempty"`
}

// StreamLogEntry is one line of `hearth stream logs`: what the gateway did
// with a stream (deployed, partition leased, stopped, broker down...).
type StreamLogEntry struct {
	Time      time.Time `json:"time"`
	Partition int       `json:"partition"` // -1: the whole stream
	Message   string    `json:"message"`
}
