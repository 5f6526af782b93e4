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
	"github.com/hearth-home/hearth/hearthtest/registrytest"
	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/store"
)

// packImage makes an OCI image archive for the given platforms (the
// "binaries" are never run here) and uploads it.
func packImage(t *testing.T, tg *testGateway, platforms ...string) string {
	t.Helper()
	b := packArchive(t, platforms...)
	d := store.DigestOf(b)
	if err := tg.admin.PutBlob(context.Background(), string(d), bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatal(err)
	}
	return string(d)
}

// packArchive makes an OCI image archive for the given platforms; the
// "binaries" are never run here.
func packArchive(t *testing.T, platforms ...string) []byte {
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
	return buf.Bytes()
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

// An oci job may name its image by a registry reference instead of
// uploading it: the gateway pins the tag to its digest at submit, reads the
// platforms from the registry, places by them, and leases the pinned
// reference, so that every task runs the same image.
func TestSubmitImageByReference(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "app.oci.tar")
	if err := os.WriteFile(archive, packArchive(t, "linux/amd64", "linux/arm/v7"), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := registrytest.Serve(t, archive, "home/app", "v1")
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()

	job, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "pulled", Runtime: "oci", Image: reg.Ref("v1"), Tasks: 2})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tg.admin.Job(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := got.Spec
	if !api.ValidDigest(s.AppDigest) || s.Image != reg.Ref("v1")+"@"+s.AppDigest {
		t.Fatalf("image %q digest %q: want the reference pinned to its digest", s.Image, s.AppDigest)
	}
	if want := []string{"linux/amd64", "linux/arm/v7"}; !slices.Equal(s.Platforms, want) {
		t.Errorf("platforms %v, want %v", s.Platforms, want)
	}

	v6, v7 := newNode(t, tg.Gateway), newNode(t, tg.Gateway)
	v6.hello(t, tg.JoinToken().String())
	v7.hello(t, tg.JoinToken().String())
	if ls := v6.leaseAs(t, []string{"oci"}, []string{"linux/arm/v6"}); len(ls) != 0 {
		t.Errorf("an arm/v6 board got %d leases of an amd64 + arm/v7 image", len(ls))
	}
	ls := v7.leaseAs(t, []string{"oci"}, []string{"linux/arm/v7"})
	if len(ls) != 2 {
		t.Fatalf("%d leases, want 2", len(ls))
	}
	for _, l := range ls {
		if l.Image != s.Image || l.App.Digest != s.AppDigest {
			t.Errorf("lease image %q app %q, want %q %q", l.Image, l.App.Digest, s.Image, s.AppDigest)
		}
	}
}

// Each bad image gets a bad request that says what is wrong, and no job:
// a tag the registry lacks, a pin that disagrees with the registry, an
// image for a wasm job, both app and image, a registry that is down.
func TestSubmitImageRefused(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "app.oci.tar")
	if err := os.WriteFile(archive, packArchive(t, "linux/amd64"), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := registrytest.Serve(t, archive, "home/app", "v1")
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	other := string(store.DigestOf([]byte("other")))
	cases := []struct {
		spec api.JobSpec
		want string
	}{
		{api.JobSpec{Runtime: "oci", Image: reg.Ref("v2")}, "not found"},
		{api.JobSpec{Runtime: "oci", Image: reg.Ref("v1"), AppDigest: other}, "app_digest pins"},
		{api.JobSpec{Runtime: "wasm", Image: reg.Ref("v1")}, "only runtime oci"},
		{api.JobSpec{Runtime: "oci", Image: reg.Ref("v1"), App: "app.tar"}, "not both"},
		{api.JobSpec{Runtime: "oci", Image: "Not A Ref"}, "image"},
	}
	for i, c := range cases {
		c.spec.Name = "bad"
		_, err := tg.admin.SubmitJob(ctx, c.spec)
		if !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: %v, want a bad request saying %q", i, err, c.want)
		}
	}
	ref := reg.Ref("v1")
	reg.Close()
	_, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "down", Runtime: "oci", Image: ref})
	if !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("registry down: %v", err)
	}
	t.Log(err)
	if jobs, err := tg.admin.Jobs(ctx); err != nil || len(jobs) != 0 {
		t.Errorf("jobs %v, %v: want none", jobs, err)
	}
}
