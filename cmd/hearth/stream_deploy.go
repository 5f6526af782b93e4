package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/stream/specfile"
)

// streamSpecExample is the smallest spec, for the help of deploy and update.
const streamSpecExample = `  name: temps
  topics: ["sensors/+/temperature"]
  runtime: wasm
  app: average.wasm       # relative to FILE
  key: $.device           # optional: one partition per device, not per topic
  output:
    topic: home/{key}/average`

func streamDeployCmd() *command {
	return &command{
		name:    "deploy",
		args:    "FILE",
		nargs:   1,
		summary: "upload a stream's function and start it",
		help: `Read the stream spec FILE (YAML or JSON), upload its app (the function, a
path relative to FILE) to the gateway and deploy the stream: from then on the
gateway logs every MQTT message on the stream's topics and the pool's devices
run the function over them. If the spec pins app_digest, the local file must
match it, or nothing is uploaded. A stream that already exists is changed with
` + "`hearth stream update`" + `, not deployed again.

A spec looks like this (docs/streams.md lists every field):

` + streamSpecExample,
		example: "hearth stream deploy streams/temps.yaml\nhearth stream deploy streams/temps.yaml -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				return c.streamPush(ctx, args[0], false, *out)
			}
		},
	}
}

func streamUpdateCmd() *command {
	return &command{
		name:    "update",
		args:    "FILE",
		nargs:   1,
		summary: "change a deployed stream to the spec in FILE",
		help: `Read the stream spec FILE, upload its app if it changed, and replace the spec of
the deployed stream of the same name (the name in FILE says which). Its
version goes up by one; each partition finishes the messages it has begun and
starts again with the new function from there, so no message is lost or
processed twice. The number of partitions cannot change: to change it, remove
the stream and deploy it again. If the spec pins app_digest, the local file
must match it, or nothing is uploaded.`,
		example: "hearth stream update streams/temps.yaml",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				return c.streamPush(ctx, args[0], true, *out)
			}
		},
	}
}

// streamPush deploys (or updates) the stream in file.
func (c *cli) streamPush(ctx context.Context, file string, update bool, out format) error {
	verb := "deploy"
	if update {
		verb = "update"
	}
	spec, up, err := prepareStream(file, verb)
	if err != nil {
		return err
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := upload(ctx, cl, up); err != nil {
		return err
	}
	var s api.Stream
	if update {
		s, err = cl.UpdateStream(ctx, spec)
	} else {
		s, err = cl.DeployStream(ctx, spec)
	}
	if err != nil {
		return pushError(spec.Name, file, update, err)
	}
	if out == formatJSON {
		return writeJSON(c.stdout, s)
	}
	return writePushed(c.stdout, s, update)
}

// prepareStream loads a spec file and hashes its app, checking it against
// the digest the spec pins. The spec comes back ready for the gateway:
// AppDigest set, App the file's base name (for people). Its errors say
// what to do about them.
func prepareStream(file, verb string) (api.StreamSpec, blobUpload, error) {
	spec, app, err := specfile.Load(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return api.StreamSpec{}, blobUpload{}, fmt.Errorf("%w\nGive the path of a stream spec file (YAML); docs/streams.md shows one.", err)
	case err != nil:
		return api.StreamSpec{}, blobUpload{}, fmt.Errorf("%w\nFix %s and run `hearth stream %s %s` again; docs/streams.md lists the fields of a stream spec.", err, file, verb, file)
	}
	digest, size, err := hashFile(app)
	if err != nil {
		return api.StreamSpec{}, blobUpload{}, fmt.Errorf("%s: app: %w\nBuild the function first, or fix app: in %s (it is relative to the file).", file, err, file)
	}
	if spec.AppDigest != "" && spec.AppDigest != digest {
		return api.StreamSpec{}, blobUpload{}, &pinError{"app", app, "app_digest", spec.AppDigest, digest}
	}
	spec.App, spec.AppDigest = filepath.Base(app), digest
	return spec, blobUpload{what: "app", path: app, digest: digest, size: size}, nil
}

// pushError adds to a refused deploy or update what to do about it.
func pushError(name, file string, update bool, err error) error {
	switch {
	case !update && errors.Is(err, api.ErrConflict):
		return fmt.Errorf("%w\nStream %q is already deployed; to change it, run `hearth stream update %s`.", err, name, file)
	case update && errors.Is(err, api.ErrNotFound):
		return fmt.Errorf("%w\nNo stream %q is deployed; deploy it first with `hearth stream deploy %s`.", err, name, file)
	case errors.Is(err, api.ErrBadRequest):
		return fmt.Errorf("%w\nThe gateway refused the stream in %s: fix what it names and run the command again; docs/streams.md lists the fields of a stream spec.", err, file)
	}
	return streamError(name, err)
}

func writePushed(w io.Writer, s api.Stream, update bool) error {
	what := "deployed"
	if update {
		what = "updated"
	}
	_, err := fmt.Fprintf(w, "%s stream %s, version %d, %d partitions\nFollow it: hearth stream get %s\n",
		what, cleanCell(s.Spec.Name), s.Version, streamPartitions(s), cleanCell(s.Spec.Name))
	return err
}
