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

// putBlob uploads b and returns its digest.
func putBlob(t *testing.T, tg *testGateway, b []byte) string {
	t.Helper()
	d := store.DigestOf(b)
	if err := tg.admin.PutBlob(context.Background(), string(d), bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatal(err)
	}
	return string(d)
}

// deviceNode is a paired device with the runtimes and platforms given,
// one slot, reporting speed (none when nil).
func deviceNode(t *testing.T, tg *testGateway, runtimes, platforms []string, speed *api.Speed) *testNode {
	t.Helper()
	n := newNode(t, tg.Gateway)
	_, err := n.c.Hello(context.Background(), api.HelloRequest{JoinToken: tg.JoinToken().String(),
		Node: api.NodeInfo{Name: n.id.ID.Short(), Runtimes: runtimes, Platforms: platforms, Slots: 1}})
	if err != nil {
		t.Fatal(err)
	}
	n.beat(t, api.Heartbeat{Speed: speed})
	return n
}

func (n *testNode) leaseOne(t *testing.T, runtimes, platforms []string, wait time.Duration) []api.Lease {
	t.Helper()
	ls, err := n.c.Lease(context.Background(), api.LeaseRequest{Runtimes: runtimes, Platforms: platforms, Max: 1, Wait: api.Duration(wait)})
	if err != nil {
		t.Fatalf("lease: %v", err)
	}
	return ls
}

// A prefer-native job runs as a container on a device that runs its
// image's platform and as wasm, with its module, on a wasm-only plug.
func TestPreferNativeRunsWasmElsewhere(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{Placement: PlacementFIFO})
	image := packImage(t, tg, "linux/amd64")
	module := putBlob(t, tg, []byte("\x00asm\x01\x00\x00\x00 the same program"))
	if _, err := tg.admin.SubmitJob(context.Background(), api.JobSpec{Name: "both", Runtime: "oci", AppDigest: image,
		Prefer: api.PreferNative, WasmDigest: module, Tasks: 2, User: "root"}); err != nil {
		t.Fatal(err)
	}
	amd64 := []string{"linux/amd64"}
	pc := deviceNode(t, tg, []string{"wasm", "oci"}, amd64, nil)
	plug := deviceNode(t, tg, []string{"wasm"}, nil, nil)
	ls := pc.leaseOne(t, []string{"wasm", "oci"}, amd64, time.Second)
	if len(ls) != 1 || ls[0].Runtime != "oci" || ls[0].App.Digest != image {
		t.Fatalf("the pc got %+v: want one oci lease of the image", ls)
	}
	ls = plug.leaseOne(t, []string{"wasm"}, nil, time.Second)
	if len(ls) != 1 || ls[0].Runtime != "wasm" || ls[0].App.Digest != module || ls[0].Image != "" || ls[0].User != "" {
		t.Fatalf("the plug got %+v: want one wasm lease of the module", ls)
	}
}

// With speeds, the plug leaves a prefer-native task to a device that runs
// it natively thirty times faster; by the wasm speeds alone the two are
// equal, and with fifo placement the plug takes it.
func TestPreferNativeBySpeed(t *testing.T) {
	for _, placement := range []string{PlacementSpeed, PlacementFIFO} {
		t.Run(placement, func(t *testing.T) {
			tg := startGateway(t, t.TempDir(), Config{Placement: placement})
			image := packImage(t, tg, "linux/arm64")
			module := putBlob(t, tg, []byte("\x00asm\x01\x00\x00\x00 the same program"))
			if _, err := tg.admin.SubmitJob(context.Background(), api.JobSpec{Name: "both", Runtime: "oci", AppDigest: image,
				Prefer: api.PreferNative, WasmDigest: module, Tasks: 2}); err != nil {
				t.Fatal(err)
			}
			arm64 := []string{"linux/arm64"}
			pi := deviceNode(t, tg, []string{"wasm", "oci"}, arm64, &api.Speed{WasmOps: 1e6, NativeOps: 30e6})
			plug := deviceNode(t, tg, []string{"wasm"}, nil, &api.Speed{WasmOps: 1e6})
			if ls := pi.leaseOne(t, []string{"wasm", "oci"}, arm64, time.Second); len(ls) != 1 || ls[0].Runtime != "oci" {
				t.Fatalf("the pi got %+v, want one oci lease", ls)
			}
			ls := plug.leaseOne(t, []string{"wasm"}, nil, 300*time.Millisecond)
			switch {
			case placement == PlacementSpeed && len(ls) != 0:
				t.Fatalf("the plug got %d leases while the pi would finish the task 30 times sooner", len(ls))
			case placement == PlacementFIFO && len(ls) != 1:
				t.Fatalf("fifo: the plug got %d leases, want 1", len(ls))
			}
		})
	}
}

// prefer is checked at submit: its value, its runtime, its module.
func TestPreferRefused(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	image := packImage(t, tg, "linux/amd64")
	module := putBlob(t, tg, []byte("\x00asm\x01\x00\x00\x00"))
	notModule := putBlob(t, tg, []byte("#!/bin/sh\n"))
	cases := []struct {
		spec api.JobSpec
		want string
	}{
		{api.JobSpec{Runtime: "oci", AppDigest: image, Prefer: "fast", WasmDigest: module}, "prefer"},
		{api.JobSpec{Runtime: "wasm", AppDigest: module, Prefer: api.PreferNative, WasmDigest: module}, "needs runtime oci"},
		{api.JobSpec{Runtime: "oci", AppDigest: image, Prefer: api.PreferNative}, "WASI module"},
		{api.JobSpec{Runtime: "oci", AppDigest: image, WasmDigest: module}, "only with prefer"},
		{api.JobSpec{Runtime: "oci", AppDigest: image, Prefer: api.PreferNative, WasmDigest: notModule}, "not a WebAssembly module"},
	}
	for i, c := range cases {
		c.spec.Name = "bad"
		_, err := tg.admin.SubmitJob(context.Background(), c.spec)
		if !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: %v, want a bad request saying %q", i, err, c.want)
		}
	}
}
