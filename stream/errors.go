package stream

import "errors"

var (
	// ErrBadTopic is returned (wrapped) by ValidFilter and ValidTopic when
	// a topic filter or a topic name breaks the MQTT 3.1.1 rules; the
	// message says which rule and how to write it instead.
	ErrBadTopic = errors.New("invalid MQTT topic")
	// ErrBadKey is returned (wrapped) by ValidKey and Key when a key spec
	// is neither "topic" nor a JSON path such as "$.device".
	ErrBadKey = errors.New("invalid stream key")
	// ErrNoKey is returned (wrapped) by Key when a message's payload has
	// no usable key at the spec's path: the payload is not a JSON object,
	// the field is missing, or it holds an object, an array or null.
	ErrNoKey = errors.New("no key in message")
	// ErrBadOutput is returned (wrapped) by ParseOutputLine when a line a
	// function wrote is not a valid output; the message says what is
	// wrong with it.
	ErrBadOutput = errors.New("invalid function output")
)
