// Command average is a stream window function: every minute, the mean,
// minimum and maximum of each sensor's temperature over that minute.
//
// Unlike a map function (see ../alert), it is a batch task: the gateway
// closes a window (stream.yaml: one minute of the time messages arrived),
// writes its messages to /in/window.ndjson, one stream message per line as
// JSON, and runs the module once over them. It writes one output per key
// (the message's partition key: its topic unless the stream says) to
// /out/averages.ndjson:
//
//	{"topic":"hearth/average/sensors/kitchen","payload":{"key":"sensors/kitchen","count":6,"mean":21.42,"min":21.1,"max":21.9,"from":1767225600000,"to":1767225650000}}
//
// mean is rounded to hundredths; from and to are the earliest and latest
// message times of the key (Unix milliseconds). Messages whose payload has
// no numeric value (-field, default "temperature") are left out, and keys
// with none get no line. Lines that are not messages are noted on stderr
// and skipped: the task fails (exit 1) only when it cannot read its input
// or write its output.
//
//	GOOS=wasip1 GOARCH=wasm go build -o average.wasm .
package main
