// Command alert is a stream map function: a unit converter and threshold
// alert for temperature sensors, such as Zigbee2MQTT's, whose messages
// carry a JSON object like {"temperature":21.5,"humidity":40,"battery":90}
// (degrees Celsius).
//
// It is built as a WASI module (GOOS=wasip1 GOARCH=wasm) and runs as a
// long-lived instance, one per partition of its stream (stream.yaml). The
// agent writes one message per line on its stdin, as JSON:
//
//	{"offset":7,"topic":"sensors/kitchen","key":"sensors/kitchen","payload":{"temperature":29.5},"ts":1767225600000,"qos":0}
//
// and alert answers each line with zero or more output lines on stdout,
// then an empty line that says it is done with that message:
//
//	{"payload":{"sensor":"kitchen","celsius":29.5,"fahrenheit":85.1}}
//	{"topic":"hearth/alerts/kitchen","payload":{"sensor":"kitchen","celsius":29.5,"above":28}}
//
// The first output has no topic, so the stream's output template names it
// ("hearth/alert/sensors/kitchen" with the default template); the second,
// the alert, is written only when the temperature is above the threshold:
// -above DEGREES, or the environment variable ALERT_ABOVE, default 28. The
// sensor is the last level of the message's topic.
//
// A message whose payload has no numeric "temperature" gets no output,
// only its empty line. A line that is not a message, or longer than
// maxLine, gets a note on stderr and its empty line: one bad message must
// not stop the partition, so alert exits only at the end of its input.
//
// Try it without Hearth, as a shell pipe (wasmtime, or any WASI runtime):
//
//	GOOS=wasip1 GOARCH=wasm go build -o alert.wasm .
//	echo '{"topic":"sensors/kitchen","payload":{"temperature":29.5}}' | wasmtime alert.wasm
package main
