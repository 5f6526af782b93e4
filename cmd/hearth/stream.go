package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
)

func streamCmd() *command {
	return &command{
		name:    "stream",
		summary: "IoT streams: run a function on every MQTT message",
		help: `A stream runs a small function of yours on every MQTT message your sensors
publish (say, to sensors/+/temperature), on the devices of your pool, and
publishes what it answers back to the broker.

Messages are split into partitions (by topic, or by a field of the payload);
each partition runs on one device at a time, in order, and moves to another
device if that one goes away. The gateway keeps each message (within the
bounds of the stream's log) until the function has processed it.
docs/streams.md explains the spec file and shows a whole example.`,
		example: `hearth stream deploy streams/temps.yaml
hearth stream ls
hearth stream get temps
hearth stream logs temps
hearth stream update streams/temps.yaml
hearth stream rm temps`,
		subs: []*command{streamDeployCmd(), streamUpdateCmd(), streamLsCmd(), streamGetCmd(), streamLogsCmd(), streamRmCmd()},
	}
}

// streamName checks a NAME argument.
func streamName(arg string) (string, error) {
	name := strings.TrimSpace(arg)
	if name == "" {
		return "", usageErrorf("NAME is empty: give a stream's name from `hearth stream ls`")
	}
	return name, nil
}

// withStreamName checks a leaf's NAME argument, before anything else, and
// hands act the name trimmed.
func withStreamName(act action) action {
	return func(ctx context.Context, args []string) error {
		name, err := streamName(args[0])
		if err != nil {
			return err
		}
		return act(ctx, append([]string{name}, args[1:]...))
	}
}

// streamError says in the owner's words why a call about the stream name
// failed.
func streamError(name string, err error) error {
	var e *api.Error
	switch {
	case errors.Is(err, api.ErrNotFound):
		return fmt.Errorf("no stream %q (`hearth stream ls` lists the streams): %w", name, err)
	case errors.As(err, &e) && e.Status == 404:
		// Not the gateway's not_found but its router's: no such route.
		return noStreams(err)
	}
	return err
}

// noStreams explains a 404 from a gateway that predates streams.
func noStreams(err error) error {
	return fmt.Errorf("this gateway does not serve streams; upgrade hearth-gateway: %w", err)
}
