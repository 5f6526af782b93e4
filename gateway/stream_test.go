package gateway

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// A window function may be an OCI image (examples/streams/average's
// stream-oci.yaml): the gateway takes an image archive for runtime oci and
// refuses anything else with a message that says how to make one; a map
// function stays wasm only.
func TestStreamWindowImage(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	put := func(b []byte) string {
		d := store.DigestOf(b)
		if err := tg.admin.PutBlob(ctx, string(d), bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatal(err)
		}
		return string(d)
	}
	image, notImage := put(packArchive(t, "linux/amd64", "linux/arm64")), put([]byte("\x00asm\x01\x00\x00\x00"))
	spec := api.StreamSpec{Name: "avg", Topics: []string{"sensors/#"}, Kind: api.StreamWindow, Runtime: "oci", AppDigest: image,
		Window: &api.WindowSpec{Size: api.Duration(time.Minute)}}
	if _, err := tg.admin.DeployStream(ctx, spec); err != nil {
		t.Fatalf("a window function as an image: %v", err)
	}
	spec.Name, spec.AppDigest = "avg2", notImage
	if _, err := tg.admin.DeployStream(ctx, spec); !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), "hearth image pack") {
		t.Errorf("runtime oci with a wasm module: %v; want a bad request that says how to make an image", err)
	}
	spec.Name, spec.Kind, spec.Window, spec.AppDigest = "map", api.StreamMap, nil, image
	if _, err := tg.admin.DeployStream(ctx, spec); !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), "runs as wasm only") {
		t.Errorf("a map function as an image: %v; want a bad request", err)
	}
}
