package sandboxtest

import (
	"slices"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/internal/ociimage"
)

func platformsOf(t *testing.T, path string) []string {
	t.Helper()
	ps, err := ociimage.PlatformsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestOCITestApp(t *testing.T) {
	app := OCITestApp(t, "linux/amd64")
	if got := platformsOf(t, app.Path); !slices.Equal(got, []string{"linux/amd64"}) {
		t.Errorf("platforms %v, want [linux/amd64]", got)
	}
	if want := FileApp(t, app.Path); app != want || !strings.HasPrefix(app.Digest, "sha256:") {
		t.Errorf("app %+v, want %+v", app, want)
	}
	if again := OCITestApp(t, "linux/amd64"); again != app {
		t.Errorf("second call gave %+v, want %+v", again, app)
	}
	bin := BuildTestApp(t, "linux", "amd64")
	if err := ociimage.CheckBinary(bin, ociimage.Platform{OS: "linux", Architecture: "amd64"}); err != nil {
		t.Error(err)
	}
}

// GOARM follows the variant: a v6 device must not get a v7 build.
func TestOCITestAppARM(t *testing.T) {
	app := OCITestApp(t, "linux/arm/v6")
	if got := platformsOf(t, app.Path); !slices.Equal(got, []string{"linux/arm/v6"}) {
		t.Errorf("platforms %v, want [linux/arm/v6]", got)
	}
	v6 := ociimage.Platform{OS: "linux", Architecture: "arm", Variant: "v6"}
	if err := ociimage.CheckBinary(buildTestApp(t, "linux", "arm", "6"), v6); err != nil {
		t.Error(err)
	}
	if OCITestApp(t, "linux/arm/v7").Digest == app.Digest {
		t.Error("arm/v7 and arm/v6 images are the same")
	}
}

func TestHostPlatform(t *testing.T) {
	h := HostPlatform()
	p, err := ociimage.ParsePlatform(h)
	if err != nil || p.String() != h || !strings.HasPrefix(h, "linux/") {
		t.Fatalf("HostPlatform() = %q: %v", h, err)
	}
	if p.Architecture == "arm" && p.Variant == "" {
		t.Errorf("HostPlatform() = %q lacks the ARM variant", h)
	}
}
