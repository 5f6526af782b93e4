package image

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// debs fetches Debian packages of one architecture, whatever the host's,
// with apt's own client on a private state under dir: the host's sources
// (with the non-free-firmware component added, for the Raspberry Pi's
// boot firmware), its own package lists and cache. Nothing is installed
// and nothing needs root; each package is unpacked with dpkg-deb -x into
// dir/pkgs/<name>_<version>, once.
type debs struct {
	dir  string
	arch string
	log  *slog.Logger
	// updated is set once the lists are fresh in this build.
	updated bool
}

func newDebs(cache, arch string, log *slog.Logger) *debs {
	return &debs{dir: filepath.Join(cache, arch), arch: arch, log: log}
}

// DefaultCache is where fetched packages are kept between builds:
// $HEARTH_IMAGE_CACHE, else hearth-image in the user's cache directory.
func DefaultCache() (string, error) {
	if d := os.Getenv("HEARTH_IMAGE_CACHE"); d != "" {
		return d, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "hearth-image"), nil
}

// DebFile returns the path of file in Debian's package pkg
// ("name=version") for arch, fetching and unpacking the package into
// cache first when it is not there yet: e.g. the U-Boot that QEMU boots
// a board's image with.
func DebFile(ctx context.Context, cache, arch, pkg, file string, log *slog.Logger) (string, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir, err := newDebs(cache, arch, log).unpack(ctx, pkg)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, file)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s has no %s: %w", pkg, file, err)
	}
	return p, nil
}

// listsMaxAge is how old package lists may be before a build fetches them
// again.
const listsMaxAge = 12 * time.Hour

// apt runs an apt command on the private state.
func (d *debs) apt(ctx context.Context, dir, tool string, args ...string) ([]byte, error) {
	opts := []string{
		"-o", "Dir::State::Lists=" + filepath.Join(d.dir, "lists"),
		"-o", "Dir::State::status=/dev/null",
		"-o", "Dir::Cache=" + filepath.Join(d.dir, "cache"),
		"-o", "Dir::Etc::SourceList=/dev/null",
		"-o", "Dir::Etc::SourceParts=" + filepath.Join(d.dir, "sources.list.d"),
		"-o", "APT::Architecture=" + d.arch,
		"-o", "APT::Architectures::=" + d.arch,
	}
	// apt-get download writes into the current directory, which apt's
	// sandbox user (_apt) may not reach: fetch as the caller.
	if u, err := user.Current(); err == nil {
		opts = append(opts, "-o", "APT::Sandbox::User="+u.Username)
	}
	cmd := exec.CommandContext(ctx, tool, append(opts, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("%s %s: %v: %s", tool, strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}

// update writes the private sources from the host's and fetches the
// package lists, unless they are fresher than listsMaxAge.
func (d *debs) update(ctx context.Context) error {
	if d.updated {
		return nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errors.New("apt-get is missing: the image is built from Debian's packages, on a Debian or Ubuntu machine")
	}
	src := filepath.Join(d.dir, "sources.list.d")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return err
	}
	for _, sub := range []string{"lists/partial", "cache/archives/partial", "pkgs"} {
		if err := os.MkdirAll(filepath.Join(d.dir, sub), 0o755); err != nil {
			return err
		}
	}
	n, err := copySources(src)
	if err != nil {
		return err
	}
	if n == 0 {
		return errors.New("no apt sources in /etc/apt/sources.list or /etc/apt/sources.list.d: the image is built from Debian's packages")
	}
	stamp := filepath.Join(d.dir, "lists", ".hearth-updated")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < listsMaxAge {
		d.updated = true
		return nil
	}
	d.log.Info("fetching package lists", "arch", d.arch)
	if _, err := d.apt(ctx, d.dir, "apt-get", "-qq", "update"); err != nil {
		// A mirror caught in a sync serves some lists that do not match
		// their signed index, and apt then fails the whole update. The
		// lists it did fetch (or kept) still say where each package is;
		// a pinned package missing from them fails its download, saying
		// so. The lists are fetched again at the next build.
		if !d.haveLists() {
			return err
		}
		d.log.Warn("some package lists could not be fetched; building with those there are", "arch", d.arch, "err", err)
		d.updated = true
		return nil
	}
	d.updated = true
	return os.WriteFile(stamp, nil, 0o644)
}

// haveLists reports whether the private state holds any package list.
func (d *debs) haveLists() bool {
	m, _ := filepath.Glob(filepath.Join(d.dir, "lists", "*_Packages*"))
	return len(m) > 0
}

// copySources writes the host's apt sources into dir, each Debian
// component list with non-free-firmware added, and returns how many
// files it wrote.
func copySources(dir string) (int, error) {
	var files []string
	if _, err := os.Stat("/etc/apt/sources.list"); err == nil {
		files = append(files, "/etc/apt/sources.list")
	}
	for _, pat := range []string{"*.list", "*.sources"} {
		m, _ := filepath.Glob(filepath.Join("/etc/apt/sources.list.d", pat))
		files = append(files, m...)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return n, err
		}
		out := addFirmwareComponent(b, strings.HasSuffix(f, ".sources"))
		name := filepath.Base(f)
		if name == "sources.list" {
			name = "host.list"
		}
		if err := os.WriteFile(filepath.Join(dir, name), out, 0o644); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

var oneLineMain = regexp.MustCompile(`^(deb\s.*\s)main(\s|$)`)

// addFirmwareComponent adds non-free-firmware beside main in apt sources
// (deb822 when deb822, else one-line).
func addFirmwareComponent(b []byte, deb822 bool) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case deb822 && strings.HasPrefix(line, "Components:") && strings.Contains(line, " main") && !strings.Contains(line, "non-free-firmware"):
			line += " non-free-firmware"
		case !deb822 && oneLineMain.MatchString(line) && !strings.Contains(line, "non-free-firmware"):
			line += " non-free-firmware"
		}
		out.WriteString(line + "\n")
	}
	return out.Bytes()
}

// candidate is the version of pkg that apt would fetch now.
func (d *debs) candidate(ctx context.Context, pkg string) (string, error) {
	if err := d.update(ctx); err != nil {
		return "", err
	}
	out, err := d.apt(ctx, d.dir, "apt-cache", "policy", pkg)
	if err != nil {
		return "", err
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "Candidate:"); ok && strings.TrimSpace(v) != "(none)" {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("Debian has no package %s for %s", pkg, d.arch)
}

// kernelOf is the kernel package a metapackage depends on now.
func (d *debs) kernelOf(ctx context.Context, meta string) (string, error) {
	if err := d.update(ctx); err != nil {
		return "", err
	}
	out, err := d.apt(ctx, d.dir, "apt-cache", "depends", meta)
	if err != nil {
		return "", err
	}
	for _, l := range strings.Split(string(out), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(l), "Depends: "); ok && strings.HasPrefix(p, "linux-image-") {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s depends on no linux-image package", meta)
}

// unpack returns the directory pkg ("name=version") is unpacked in,
// fetching and unpacking it first when it is not yet.
func (d *debs) unpack(ctx context.Context, pkg string) (string, error) {
	name, version, ok := strings.Cut(pkg, "=")
	if !ok {
		return "", fmt.Errorf("package %q: want name=version", pkg)
	}
	dir := filepath.Join(d.dir, "pkgs", name+"_"+strings.ReplaceAll(version, ":", "%3a"))
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir, nil
	}
	if err := d.update(ctx); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Join(d.dir, "pkgs"), ".fetch-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	d.log.Info("fetching", "package", name, "version", version, "arch", d.arch)
	if _, err := d.apt(ctx, tmp, "apt-get", "-qq", "download", pkg); err != nil {
		if have, cerr := d.candidate(ctx, name); cerr == nil && have != version {
			return "", fmt.Errorf("%w\nDebian now has %s %s: pin that in the board's file, or build with PINS=latest", err, name, have)
		}
		return "", err
	}
	debsFound, _ := filepath.Glob(filepath.Join(tmp, "*.deb"))
	if len(debsFound) != 1 {
		return "", fmt.Errorf("apt-get download %s left %d .deb files", pkg, len(debsFound))
	}
	x := filepath.Join(tmp, "x")
	if out, err := exec.CommandContext(ctx, "dpkg-deb", "-x", debsFound[0], x).CombinedOutput(); err != nil {
		return "", fmt.Errorf("dpkg-deb -x %s: %v: %s", filepath.Base(debsFound[0]), err, out)
	}
	if err := os.WriteFile(filepath.Join(x, ".complete"), nil, 0o644); err != nil {
		return "", err
	}
	os.RemoveAll(dir)
	if err := os.Rename(x, dir); err != nil {
		return "", err
	}
	return dir, nil
}
