// Package stream is what the gateway and the agent share about streams:
// the MQTT topic rules (ValidFilter, ValidTopic, Match), how a message
// finds its partition (Key, Partition), a stream spec's defaults and
// checks (Validate) and output topics (OutputTopic, DefaultAllow,
// Allowed), and the ABI of map functions (Wrap, AppendMessageLine,
// ParseOutputLine). The gateway is the MQTT edge: it subscribes to a
// stream's topics, keys each message into a partition's log, and
// publishes what the functions answer; the agent runs one function
// instance per partition it holds and speaks the ABI with it. The
// package links into the agent's small binary, so it uses the standard
// library and gateway/api alone.
//
// # The map function ABI
//
// A map function is a WASI command (any WASI toolchain: Go with
// GOOS=wasip1, TinyGo, Rust wasm32-wasip1) started once per partition,
// with the stream's args and env. It gets the partition's messages in
// order and answers each, in order:
//
//  1. The agent writes message lines to the function's stdin: a batch of
//     them at once (up to 64), so that the function may read its next line
//     while its last answer is on its way. A function reads a line,
//     answers it, and reads the next; it must not wait for more lines
//     before it answers one (the next may come only after the answer).
//  2. For each line, in order, the function writes zero or more output
//     lines to its stdout, then an empty line: "\n" alone. The empty line
//     says it is done with the message; only then are its outputs taken,
//     and the message counted as processed.
//
// It has the stream's resources.timeout (default 5s) for each message,
// from the moment the answer before it (or the batch's write) ended to
// the moment its empty line is read; beyond it the partition's instance
// is stopped. At the end of stdin
// (EOF) the function exits. Every line is UTF-8 JSON ended by '\n' (no
// "\r"): one JSON object, on one line.
//
// A message line has these keys, in this order:
//
//	offset       number   the message's place in its partition's log
//	topic        string   the MQTT topic it was published to
//	key          string   its key: the topic, or the value at the stream's key path
//	payload      any      the payload, when it is JSON (UTF-8 and valid JSON), compacted
//	payload_b64  string   otherwise (malformed: raw), the payload's bytes in
//	                      base64 (RFC 4648 with padding); "" for an empty payload
//	ts           number   when the gateway received it, Unix milliseconds
//	qos          number   the MQTT QoS it was received with: 0, 1 or 2
//	retain       bool     true when the broker delivered it as retained; absent otherwise
//
// Exactly one of payload and payload_b64 is present. A stream with
// malformed: skip (the default) never gives its function a payload that
// is not JSON. For example:
//
//	{"offset":7,"topic":"zigbee2mqtt/plug1","key":"zigbee2mqtt/plug1","payload":{"power":12.5},"ts":1764950400000,"qos":1}
//
// An output line is one JSON object with these keys and no others, each
// at most once:
//
//	topic        string   optional: the topic to publish to (ValidTopic); without
//	                      it, the stream's output.topic template, rendered
//	payload      any      the payload to publish: this JSON value's text, compacted
//	payload_b64  string   or the payload's bytes in base64 (RFC 4648, padded);
//	                      "" publishes an empty payload (which deletes a retained one)
//	retain       bool     optional: publish retained; default the stream's output.retain
//
// Exactly one of payload and payload_b64 is present. For example:
//
//	{"payload":{"watts":12.5}}
//	{"topic":"homeassistant/sensor/plug1/config","payload_b64":"","retain":true}
//
// An output line is at most MaxLineBytes (256 KiB) without its newline,
// and a function writes at most MaxOutputs (1024) of them for one
// message. An output whose topic output.allow does not allow is counted
// as rejected and not published; a line that breaks these rules is the
// function's error (ParseOutputLine says what is wrong with it). Input
// lines have no limit of their own: read lines of any length (in Go,
// bufio.Reader rather than a bufio.Scanner, which stops at 64 KiB).
// Whatever the function writes to stderr is not an output.
//
// Delivery is at least once: after a device fails, its partition goes on
// elsewhere from the last message whose empty line was read, so a
// function may see a message (the same offset) again. The agent numbers
// each message's outputs (api.StreamOutput's Offset and Index), and the
// gateway publishes each (offset, index) once, so a function that answers
// the same message with the same outputs publishes no duplicates.
//
// # Caveats
//
// Validate refuses an output template that could publish into the
// stream's own input by its fixed prefix, which refuses some templates
// that would not loop, and does not look at what output.allow lets a
// function publish by name. Key reads the payload as JSON at each level
// of its path: fine for the small payloads of home devices.
package stream
