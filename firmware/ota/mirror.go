package ota

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/theupdateframework/go-tuf/v2/metadata"
	"github.com/theupdateframework/go-tuf/v2/metadata/trustedmetadata"
)

// DefaultMaxBundleBytes bounds an imported bundle: a few slot images per board.
const DefaultMaxBundleBytes = 2 << 30

// Mirror is the gateway side: a directory holding a verified copy of the signed repository, which
// Handler serves read-only to the devices. It holds no keys and changes no signed byte, so a
// hostile gateway can withhold updates but not forge one. Its zero value, with Dir and Root set,
// works.
type Mirror struct {
	// Dir is the mirror directory: metadata/ and targets/ as served, and .trusted/, the metadata
	// the mirror itself trusted (so that an older bundle is refused as a rollback).
	Dir string
	// Root is the gateway's pinned root.json.
	Root []byte
	// MaxBundleBytes bounds an import; zero means DefaultMaxBundleBytes.
	MaxBundleBytes int64
	// Now judges expiry; nil means time.Now.
	Now func() time.Time
	// Logger: nil means slog.Default().
	Logger *slog.Logger

	mu sync.Mutex
}

// Imported describes a bundle that Import accepted.
type Imported struct {
	// Versions of the metadata now served.
	Root, Timestamp, Snapshot, Targets int64
	// Expires is when the timestamp expires: devices refuse the mirror after it, until a newer
	// bundle is imported.
	Expires time.Time
	// Files are the target files imported; Missing the targets that the metadata lists but
	// neither this bundle nor an earlier one brought (a bundle for some boards only).
	Files, Missing int
	// Images are the imported targets that are Hearth images, for the import's report.
	Images []Update
}

// Import verifies a bundle (a tar of a repository's metadata/ and targets/, see WriteBundle)
// against the pinned root and the metadata the mirror trusted before, then serves it. Everything
// is checked before anything is served: TUF's client workflow for the metadata (signatures,
// versions, expiry, lengths, hashes) and every target file's length and sha256. A refused bundle
// changes nothing and the error says why (ErrBadBundle, ErrSignature, ErrRollback, ErrExpired,
// ErrMismatch, ...).
func (m *Mirror) Import(ctx context.Context, r io.Reader) (*Imported, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := os.MkdirAll(m.Dir, 0o755); err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(m.Dir, ".import-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	limit := m.MaxBundleBytes
	if limit == 0 {
		limit = DefaultMaxBundleBytes
	}
	bundle := filepath.Join(staging, "bundle")
	if err := untar(r, bundle, limit); err != nil {
		return nil, err
	}

	// Verify with a copy of the mirror's trusted state, so that a refusal leaves it as it was.
	state := filepath.Join(staging, "state")
	if err := copyDir(filepath.Join(m.Dir, ".trusted"), state); err != nil {
		return nil, err
	}
	base, err := DirURL(bundle)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	up, err := newUpdater(m.Root, state, base, &tufFetcher{ctx: ctx, f: DirFetcher(bundle)}, now())
	if err == nil {
		err = up.Refresh()
	}
	if err != nil {
		return nil, fmt.Errorf("ota: bundle refused: %w", classify(err))
	}
	trusted := up.GetTrustedMetadataSet()
	roots, err := rootChain(m.Root, bundle, trusted.Root.Signed.Version)
	if err != nil {
		return nil, err
	}
	res := &Imported{
		Root:      trusted.Root.Signed.Version,
		Timestamp: trusted.Timestamp.Signed.Version,
		Snapshot:  trusted.Snapshot.Signed.Version,
		Targets:   trusted.Targets[metadata.TARGETS].Signed.Version,
		Expires:   trusted.Timestamp.Signed.Expires,
	}
	keep := map[string]bool{}
	for name, tf := range trusted.Targets[metadata.TARGETS].Signed.Targets {
		rel, err := targetFile(name, tf)
		if err != nil {
			return nil, fmt.Errorf("ota: bundle refused: %w", err)
		}
		keep[rel] = true
		staged := filepath.Join(bundle, "targets", filepath.FromSlash(rel))
		if _, err := os.Stat(staged); errors.Is(err, fs.ErrNotExist) {
			// An earlier bundle may have brought it: same name, same hash.
			if _, err := os.Stat(filepath.Join(m.Dir, "targets", filepath.FromSlash(rel))); err != nil {
				res.Missing++
			}
			continue
		}
		if err := verifyFile(staged, tf); err != nil {
			return nil, fmt.Errorf("ota: bundle refused: %s: %w", name, err)
		}
		res.Files++
		if _, c, err := parseTarget(name, tf.Custom); err == nil {
			res.Images = append(res.Images, Update{Target: name, Custom: c, Length: tf.Length, SHA256: hex.EncodeToString(tf.Hashes["sha256"])})
		}
	}
	slices.SortFunc(res.Images, func(a, b Update) int { return strings.Compare(a.Target, b.Target) })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := m.commit(bundle, state, roots, keep, res); err != nil {
		return nil, err
	}
	m.logger().Info("firmware bundle imported", "timestamp", res.Timestamp, "targets", res.Targets,
		"files", res.Files, "missing", res.Missing, "expires", res.Expires)
	return res, nil
}

// commit serves a verified bundle: target files first, then metadata in the order that keeps every
// served timestamp pointing at files that exist (roots, targets, snapshot, timestamp last), then
// the mirror's own trusted state. Served metadata is copied from what go-tuf verified and
// persisted in state, never from the bundle.
func (m *Mirror) commit(bundle, state string, roots map[int64][]byte, keep map[string]bool, res *Imported) error {
	targetsDir := filepath.Join(m.Dir, "targets")
	metaDir := filepath.Join(m.Dir, "metadata")
	for _, d := range []string{targetsDir, metaDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	for rel := range keep {
		src := filepath.Join(bundle, "targets", filepath.FromSlash(rel))
		if _, err := os.Stat(src); err != nil {
			continue
		}
		dst := filepath.Join(targetsDir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(src, dst); err != nil {
			return err
		}
	}
	for v, data := range roots {
		if err := atomicfile.WriteFile(filepath.Join(metaDir, strconv.FormatInt(v, 10)+".root.json"), data, 0o644); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		state, served string
	}{
		{"targets.json", strconv.FormatInt(res.Targets, 10) + ".targets.json"},
		{"snapshot.json", strconv.FormatInt(res.Snapshot, 10) + ".snapshot.json"},
		{"timestamp.json", "timestamp.json"},
	} {
		data, err := os.ReadFile(filepath.Join(state, f.state))
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(filepath.Join(metaDir, f.served), data, 0o644); err != nil {
			return err
		}
	}
	trustedDir := filepath.Join(m.Dir, ".trusted")
	old := trustedDir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(trustedDir, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(state, trustedDir); err != nil {
		return err
	}
	os.RemoveAll(old)
	// Target files that the served metadata no longer lists go; a device that was fetching one
	// gets a 404 and checks again.
	return filepath.WalkDir(targetsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(targetsDir, p)
		if err != nil {
			return err
		}
		if !keep[filepath.ToSlash(rel)] {
			return os.Remove(p)
		}
		return nil
	})
}

func (m *Mirror) logger() *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.Default()
}

// rootChain returns the root files to serve, by version: the pinned root, and every newer one up
// to version top, each verified by the one before, so that devices pinned to an older root can
// follow the rotations. Roots older than the pinned one are served as the bundle has them: the
// gateway cannot verify them, and the devices that need them do.
func rootChain(pinned []byte, bundle string, top int64) (map[int64][]byte, error) {
	tm, err := trustedmetadata.New(pinned)
	if err != nil {
		return nil, classify(err)
	}
	out := map[int64][]byte{tm.Root.Signed.Version: pinned}
	for v := tm.Root.Signed.Version + 1; v <= top; v++ {
		data, err := os.ReadFile(filepath.Join(bundle, "metadata", strconv.FormatInt(v, 10)+".root.json"))
		if err != nil {
			return nil, fmt.Errorf("ota: bundle refused: root version %d: %w", v, err)
		}
		if _, err := tm.UpdateRoot(data); err != nil {
			return nil, fmt.Errorf("ota: bundle refused: %w", classify(err))
		}
		out[v] = data
	}
	for v := tm.Root.Signed.Version - 1; v >= 1; v-- {
		data, err := os.ReadFile(filepath.Join(bundle, "metadata", strconv.FormatInt(v, 10)+".root.json"))
		if err != nil {
			break
		}
		out[v] = data
	}
	return out, nil
}

// targetFile is a target's file under targets/ in go-tuf's consistent-snapshot layout.
func targetFile(name string, tf *metadata.TargetFiles) (string, error) {
	sum, ok := tf.Hashes["sha256"]
	if !ok {
		return "", fmt.Errorf("%w: target %s has no sha256", ErrMetadata, name)
	}
	return path.Join(path.Dir(name), hex.EncodeToString(sum)+"."+path.Base(name)), nil
}

// verifyFile checks a file's length and sha256 against its signed target info.
func verifyFile(p string, tf *metadata.TargetFiles) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, tf.Length+1))
	if err != nil {
		return err
	}
	if n != tf.Length {
		return fmt.Errorf("%w: %d bytes, signed length %d", ErrMismatch, n, tf.Length)
	}
	if got := h.Sum(nil); string(got) != string(tf.Hashes["sha256"]) {
		return fmt.Errorf("%w: sha256 %x, signed %x", ErrMismatch, got, []byte(tf.Hashes["sha256"]))
	}
	return nil
}

// copyDir copies the regular files of src (flat) into dst, which it creates; a missing src is an
// empty one.
func copyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
