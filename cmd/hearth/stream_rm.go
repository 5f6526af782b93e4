package main

import (
	"context"
	"flag"
	"fmt"
)

func streamRmCmd() *command {
	return &command{
		name:    "rm",
		args:    "NAME",
		nargs:   1,
		summary: "remove a stream: its functions stop",
		help: `Remove a stream: the gateway stops taking in its messages and the devices that
run its partitions stop its function. The messages it had logged and the
outputs not yet published are deleted. Deploy it again from its file to start
over.`,
		example: "hearth stream rm temps",
		bind: func(c *cli, _ *flag.FlagSet) action {
			return withStreamName(func(ctx context.Context, args []string) error {
				name := args[0]
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				if err := cl.RemoveStream(ctx, name); err != nil {
					return streamError(name, err)
				}
				_, err = fmt.Fprintf(c.stdout, "removed stream %s\n", name)
				return err
			})
		},
	}
}
