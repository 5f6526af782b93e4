package sandboxtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/sandbox"
)

// OCIEntrypoint is where OCITestApp's images hold testapp.
const OCIEntrypoint = "/testapp"

var ociBuilds struct {
	sync.Mutex
	paths map[ociimage.Platform]string
}

// OCITestApp is testapp built for platform ("linux/amd64", "linux/arm/v6";
// GOARM follows the variant) and packed alone, at OCIEntrypoint, into an
// OCI image archive for that one platform. The archive is kept beside
// BuildTestApp's binaries under a name derived from its content, so that
// runs with unchanged sources reuse the same file and digest.
func OCITestApp(t testing.TB, platform string) sandbox.App {
	t.Helper()
	p, err := ociimage.ParsePlatform(platform)
	if err != nil {
		t.Fatal(err)
	}
	ociBuilds.Lock()
	defer ociBuilds.Unlock()
	if path, ok := ociBuilds.paths[p]; ok {
		return FileApp(t, path)
	}
	var goarm string
	if p.Architecture == "arm" {
		goarm = strings.TrimPrefix(p.Variant, "v")
		if goarm == "8" {
			goarm = "7" // Go's highest GOARM
		}
	}
	bin := buildTestApp(t, p.OS, p.Architecture, goarm)
	path, err := packTestApp(bin, p)
	if err != nil {
		t.Fatalf("pack testapp for %s: %v", p, err)
	}
	if ociBuilds.paths == nil {
		ociBuilds.paths = map[ociimage.Platform]string{}
	}
	ociBuilds.paths[p] = path
	return FileApp(t, path)
}

// packTestApp packs bin in memory (a few MiB) and writes the archive unless
// a file of the same content is there; older archives of the platform go.
func packTestApp(bin string, p ociimage.Platform) (string, error) {
	var buf bytes.Buffer
	if err := (ociimage.Options{Entrypoint: OCIEntrypoint}).Pack(&buf, map[ociimage.Platform]string{p: bin}); err != nil {
		return "", err
	}
	name := "testapp-oci-" + strings.ReplaceAll(p.String(), "/", "-")
	sum := sha256.Sum256(buf.Bytes())
	path := filepath.Join(filepath.Dir(bin), fmt.Sprintf("%s-%s.tar", name, hex.EncodeToString(sum[:8])))
	if _, err := os.Stat(path); err != nil {
		// Beside the target and renamed, as build does.
		tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
		if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
			return "", err
		}
		if err := os.Rename(tmp, path); err != nil {
			os.Remove(tmp)
			return "", err
		}
	}
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(bin), name+"-"+strings.Repeat("[0-9a-f]", 16)+".tar"))
	for _, o := range old {
		if o != path {
			os.Remove(o)
		}
	}
	return path, nil
}

// HostPlatform is the Linux platform of this machine as far as the test
// binary knows it: "linux/" + GOARCH, with GOARM's variant on ARM
// ("linux/arm/v7"). Images for it run here.
func HostPlatform() string {
	h := ociimage.Host()
	h.OS = "linux"
	return h.String()
}
