package gateway

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/store"
)

// packImage makes an OCI image archive for the given platforms (the
// "binaries" are never run here) and uploads it.
func packImage(t *testing.T, tg *testGateway, platforms ...string) string {
	t.Helper()
	bins := map[ociimage.Platform]string{}
	for _, s := range platforms {
		p, err := ociimage.ParsePlatform(s)
		if err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(t.TempDir(), "app")
		if err := os.WriteFile(bin, []byte("binary for "+s), 0o755); err != nil {
			t.Fatal(err)
		}
		bins[p] = bin
	}
	var buf bytes.Buffer
	if err := ociimage.Pack(&buf, "/app", bins); err != nil {
		t.Fatal(err)
	}
	d := store.DigestOf(buf.Bytes())
	if err := tg.admin.PutBlob(context.Background(), string(d), bytes.NewReader(buf.Bytes()), int64(buf.Len())); err != nil {
		t.Fatal(err)
	}
	return string(d)
}

func (n *testNode) leaseAs(t *testing.T, runtimes, platforms []string) []api.Lease {
	t.Helper()
	ls, err := n.c.Lease(context.Background(), api.LeaseRequest{Runtimes: runtimes, Platforms: platforms, Max: 8,
		Wait: api.Duration(100 * time.Millisecond)})
	if err != nil {
		t.Fatalf("lease: %v", err)
	}
	return ls
}

// An oci task goes only to an agent with containerd and a platform the
// app has: not to a wasm-only plug, not to an arm/v6 board for an arm/v7
// image, but to an arm/v7 board for an arm/v6 image.
func TestPlacementByPlatform(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	digest := packImage(t, tg, "linux/amd64", "linux/arm/v7")
	job, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "oci", Runtime: "oci", AppDigest: digest, Tasks: 2})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tg.admin.Job(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"linux/amd64", "linux/arm/v7"}; !slices.Equal(got.Spec.Platforms, want) {
		t.Fatalf("job platforms %v, want %v", got.Spec.Platforms, want)
	}

	plug, v6, v7 := newNode(t, tg.Gateway), newNode(t, tg.Gateway), newNode(t, tg.Gateway)
	for _, n := range []*testNode{plug, v6, v7} {
		n.hello(t, tg.JoinToken().String())
	}
	if ls := plug.leaseAs(t, []string{"wasm"}, nil); len(ls) != 0 {
		t.Errorf("a wasm-only plug got %d oci leases", len(ls))
	}
	if ls := v6.leaseAs(t, []string{"wasm", "oci"}, []string{"linux/arm/v6", "linux/arm/v5"}); len(ls) != 0 {
		t.Errorf("an arm/v6 board got %d leases of an amd64 + arm/v7 app", len(ls))
	}
	ls := v7.leaseAs(t, []string{"wasm", "oci"}, []string{"linux/arm/v7", "linux/arm/v6"})
	if len(ls) != 2 {
		t.Fatalf("an arm/v7 board got %d leases, want 2", len(ls))
	}

	// The other way round: an arm/v6 image runs on a v7 board.
	digest = packImage(t, tg, "linux/arm/v6")
	if _, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "v6", Runtime: "oci", AppDigest: digest}); err != nil {
		t.Fatal(err)
	}
	if ls := v7.leaseAs(t, []string{"oci"}, []string{"linux/arm/v7"}); len(ls) != 1 {
		t.Errorf("an arm/v7 board got %d leases of an arm/v6 app, want 1", len(ls))
	}
}

// An oci job whose app is no image archive is refused at submit, saying
// how to make one.
func TestSubmitRefusesNonImageForOCI(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	app := []byte("\x00asm not an image")
	d := store.DigestOf(app)
	ctx := context.Background()
	if err := tg.admin.PutBlob(ctx, string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	_, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "bad", Runtime: "oci", AppDigest: string(d)})
	if !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), "hearth image pack") {
		t.Fatalf("submit = %v, want a bad request that says how to make an image", err)
	}
	if strings.Contains(err.Error(), tg.dir) {
		t.Errorf("the error shows the gateway's paths: %v", err)
	}
	t.Log(err)
}
