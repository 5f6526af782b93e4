package registry_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/registrytest"
	"github.com/hearth-home/hearth/internal/registry"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

func TestResolvePinsTagAndListsPlatforms(t *testing.T) {
	app := sandboxtest.OCITestApp(t, sandboxtest.HostPlatform())
	reg := registrytest.Serve(t, app.Path, "home/testapp", "v1")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	img, err := registry.Resolve(ctx, reg.Ref("v1"), registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := reg.Ref("v1") + "@" + img.Digest; img.Ref != want {
		t.Errorf("pinned ref %q, want %q", img.Ref, want)
	}
	if !strings.HasPrefix(img.Digest, "sha256:") {
		t.Errorf("digest %q", img.Digest)
	}
	if !slices.Equal(img.Platforms, []string{sandboxtest.HostPlatform()}) {
		t.Errorf("platforms %v, want [%s]", img.Platforms, sandboxtest.HostPlatform())
	}
	// Listing platforms reads manifests and configs, never layers.
	if reg.Blobs.Load() > 2 {
		t.Errorf("%d blobs fetched to resolve; layers should stay in the registry", reg.Blobs.Load())
	}

	// Resolving the pinned reference gives the same image.
	again, err := registry.Resolve(ctx, img.Ref, registry.Options{})
	if err != nil || again.Digest != img.Digest {
		t.Errorf("resolving %s: %+v, %v", img.Ref, again, err)
	}
}

// Each bad case gets its own error: a reference that does not parse, a tag
// the registry lacks, a registry that does not answer.
func TestResolveErrors(t *testing.T) {
	app := sandboxtest.OCITestApp(t, sandboxtest.HostPlatform())
	reg := registrytest.Serve(t, app.Path, "home/testapp", "v1")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	for ref, want := range map[string]error{
		"":                          registry.ErrBadRef,
		"Upper/Case":                registry.ErrBadRef,
		" " + reg.Ref("v1"):         registry.ErrBadRef,
		reg.Ref("v2"):               registry.ErrNotFound,
		reg.Host + "/home/other:v1": registry.ErrNotFound,
	} {
		if _, err := registry.Resolve(ctx, ref, registry.Options{}); !errors.Is(err, want) {
			t.Errorf("Resolve(%q): %v, want %v", ref, err, want)
		}
	}
	ref := reg.Ref("v1")
	reg.Close()
	if _, err := registry.Resolve(ctx, ref, registry.Options{}); !errors.Is(err, registry.ErrUnreachable) {
		t.Errorf("registry down: %v, want ErrUnreachable", err)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"alpine":                     "docker.io/library/alpine:latest",
		"registry.lan:5000/vanity:1": "registry.lan:5000/vanity:1",
		"ghcr.io/home/app@sha256:" + strings.Repeat("a", 64): "ghcr.io/home/app@sha256:" + strings.Repeat("a", 64),
	} {
		got, err := registry.Normalize(in)
		if err != nil || got.String() != want {
			t.Errorf("Normalize(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
}
