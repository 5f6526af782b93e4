// Package storage is the home's backup cloud: a restic repository per
// user, served with restic's REST backend protocol (version 2) on the
// gateway's storage listener, so that Debian's restic backs a laptop up to
// the home with `restic -r rest:https://USER:PASS@gateway:7480/USER/`.
//
// The protocol (restic's doc/100_references.rst, "REST Backend"): a
// repository is a set of files by type (config, keys, locks, snapshots,
// index, data) and name; HEAD, GET (with Range), POST and DELETE act on
// one file, GET /TYPE/ lists a type, POST /?create=true makes the
// repository. restic names every file but the config by the SHA-256 of
// its content, which the server checks on upload.
//
// Where the files live is a Store's business (Store). docs/storage.md.
package storage

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
)

// Types are the kinds of file a repository holds; config is a single file.
var Types = []string{"data", "keys", "locks", "snapshots", "index"}

// Errors a Store returns, mapped to HTTP statuses by the handler.
var (
	ErrNotFound = errors.New("no such file")
	ErrExists   = errors.New("file exists already")
	ErrNoRepo   = errors.New("no such repository")
	// ErrFull: the user's quota or the storage has no room for the file.
	ErrFull = errors.New("storage full")
)

// FileInfo is a listed file.
type FileInfo struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// Store keeps users' repositories. Names are checked by the handler: the
// type is "config" (with an empty name) or one of Types, and the name 64
// hex digits.
type Store interface {
	// Create makes user's repository; no error when it exists.
	Create(user string) error
	// Exists says whether user's repository was created.
	Exists(user string) bool
	// Stat is a file's size.
	Stat(user, typ, name string) (int64, error)
	// Open reads a file from offset off, length bytes (-1: to its end).
	Open(user, typ, name string, off, length int64) (io.ReadCloser, error)
	// Put stores a file of size bytes from r, durably before it returns
	// nil; a file that exists already is ErrExists, unless typ is "locks"
	// or "config" when overwrite is set. verify, when not nil, is called
	// with the content's SHA-256 once read, before anything is kept.
	Put(user, typ, name string, size int64, r io.Reader, verify func(sum [32]byte) error) error
	// Delete removes a file.
	Delete(user, typ, name string) error
	// List lists a type.
	List(user, typ string) ([]FileInfo, error)
}

// Handler serves the REST protocol for the users Auth admits, each under
// /USER/ and only there.
type Handler struct {
	Store Store
	// Auth checks a request's basic-auth user and password.
	Auth func(user, password string) bool
	// AppendOnly says which users' repositories refuse deletes (but of
	// locks) and overwrites: a thief of the laptop's password cannot
	// destroy its backups.
	AppendOnly func(user string) bool
	// MaxFile bounds one file (restic's packs are 16 MiB by default).
	MaxFile int64
	Logger  *slog.Logger
}

const (
	contentV1 = "application/vnd.x.restic.rest.v1"
	contentV2 = "application/vnd.x.restic.rest.v2"
)

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || !h.Auth(user, pass) {
		w.Header().Set("WWW-Authenticate", `Basic realm="hearth backup"`)
		http.Error(w, "unauthorized: the user or password is wrong (hearth storage user add NAME gives both)", http.StatusUnauthorized)
		return
	}
	// /USER/ then the repository's path.
	repo, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if repo != user {
		http.Error(w, fmt.Sprintf("forbidden: user %s may use /%s/ only", user, user), http.StatusForbidden)
		return
	}
	if rest == "" {
		h.repo(w, r, user)
		return
	}
	typ, name, _ := strings.Cut(rest, "/")
	switch {
	case typ == "config" && name == "":
	case !validType(typ):
		http.Error(w, "not found: no file type "+typ, http.StatusNotFound)
		return
	case name == "" && r.Method == http.MethodGet:
		h.list(w, r, user, typ)
		return
	case !validName(name):
		http.Error(w, "bad request: a file's name is 64 hex digits", http.StatusBadRequest)
		return
	}
	if !h.Store.Exists(user) && !(typ == "config" && r.Method == http.MethodPost) {
		http.Error(w, "not found: the repository does not exist (restic init makes it)", http.StatusNotFound)
		return
	}
	switch r.Method {
	case http.MethodHead:
		size, err := h.Store.Stat(user, typ, name)
		if err != nil {
			h.fail(w, err)
			return
		}
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		h.get(w, r, user, typ, name)
	case http.MethodPost:
		h.put(w, r, user, typ, name)
	case http.MethodDelete:
		if h.AppendOnly(user) && typ != "locks" {
			http.Error(w, "forbidden: this repository is append-only (only locks may be deleted)", http.StatusForbidden)
			return
		}
		if err := h.Store.Delete(user, typ, name); err != nil {
			h.fail(w, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// repo: POST /USER/?create=true makes the repository; DELETE /USER/ is
// refused (a whole repository is deleted at the gateway, by its owner).
func (h *Handler) repo(w http.ResponseWriter, r *http.Request, user string) {
	if r.Method == http.MethodPost && r.URL.Query().Get("create") == "true" {
		if err := h.Store.Create(user); err != nil {
			h.fail(w, err)
			return
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Error(w, "forbidden: only POST /USER/?create=true acts on a whole repository", http.StatusForbidden)
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request, user, typ string) {
	if !h.Store.Exists(user) {
		http.Error(w, "not found: the repository does not exist (restic init makes it)", http.StatusNotFound)
		return
	}
	files, err := h.Store.List(user, typ)
	if err != nil {
		h.fail(w, err)
		return
	}
	if r.Header.Get("Accept") == contentV2 {
		w.Header().Set("Content-Type", contentV2)
		json.NewEncoder(w).Encode(nonNil(files))
		return
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	w.Header().Set("Content-Type", contentV1)
	json.NewEncoder(w).Encode(names)
}

func nonNil(f []FileInfo) []FileInfo {
	if f == nil {
		return []FileInfo{}
	}
	return f
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request, user, typ, name string) {
	size, err := h.Store.Stat(user, typ, name)
	if err != nil {
		h.fail(w, err)
		return
	}
	off, length, partial, err := parseRange(r.Header.Get("Range"), size)
	if err != nil {
		w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
		http.Error(w, err.Error(), http.StatusRequestedRangeNotSatisfiable)
		return
	}
	rc, err := h.Store.Open(user, typ, name, off, length)
	if err != nil {
		h.fail(w, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(length, 10))
	w.Header().Set("Accept-Ranges", "bytes")
	status := http.StatusOK
	if partial {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+length-1, size))
		status = http.StatusPartialContent
	}
	w.WriteHeader(status)
	if _, err := io.Copy(w, rc); err != nil {
		h.Logger.Warn("serving a backup file", "user", user, "type", typ, "name", short(name), "err", err)
	}
}

// parseRange reads one "bytes=A-B", "bytes=A-" or "bytes=-N" range (what
// restic sends). No header, or one this does not read (RFC 9110 lets a
// server ignore it), is the whole file; a range outside the file is an
// error (416).
func parseRange(v string, size int64) (off, length int64, partial bool, err error) {
	spec, ok := strings.CutPrefix(v, "bytes=")
	a, b, dash := strings.Cut(spec, "-")
	if !ok || !dash || strings.Contains(spec, ",") {
		return 0, size, false, nil
	}
	if size == 0 {
		return 0, 0, false, fmt.Errorf("range %q of an empty file", v)
	}
	if a == "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			return 0, size, false, nil
		}
		if n == 0 {
			return 0, 0, false, fmt.Errorf("range %q is empty", v)
		}
		n = min(n, size)
		return size - n, n, true, nil
	}
	start, err := strconv.ParseInt(a, 10, 64)
	if err != nil || start < 0 {
		return 0, size, false, nil
	}
	end := size - 1
	if b != "" {
		if end, err = strconv.ParseInt(b, 10, 64); err != nil || end < start {
			return 0, size, false, nil
		}
		end = min(end, size-1)
	}
	if start >= size {
		return 0, 0, false, fmt.Errorf("range %q of a %d-byte file", v, size)
	}
	return start, end - start + 1, true, nil
}

func (h *Handler) put(w http.ResponseWriter, r *http.Request, user, typ, name string) {
	if r.ContentLength < 0 {
		http.Error(w, "length required", http.StatusLengthRequired)
		return
	}
	if r.ContentLength > h.MaxFile {
		http.Error(w, fmt.Sprintf("request entity too large: %d bytes, at most %d a file", r.ContentLength, h.MaxFile), http.StatusRequestEntityTooLarge)
		return
	}
	var verify func([32]byte) error
	if typ != "config" {
		// restic names a file by its content's SHA-256: a file that
		// arrived damaged is refused, and restic sends it again.
		verify = func(sum [32]byte) error {
			if hex.EncodeToString(sum[:]) != name {
				return errMismatch
			}
			return nil
		}
	}
	if have, err := h.Store.Stat(user, typ, name); err == nil && !(typ == "locks" && !h.AppendOnly(user)) {
		if typ != "config" && have == r.ContentLength {
			// The same file again: its name is its content's hash, so it
			// is what we have. restic sends a file again when an answer
			// was lost, and deletes it first where it may: 200 keeps an
			// append-only backup going.
			io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, r.ContentLength))
			w.WriteHeader(http.StatusOK)
			return
		}
		// As rest-server: a file is never replaced (but a lock).
		http.Error(w, "forbidden: the file exists already", http.StatusForbidden)
		return
	}
	if err := h.Store.Put(user, typ, name, r.ContentLength, http.MaxBytesReader(w, r.Body, r.ContentLength), verify); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

var errMismatch = errors.New("the content's SHA-256 is not the file's name")

// fail answers a Store's error.
func (h *Handler) fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrNoRepo):
		http.Error(w, "not found: "+err.Error(), http.StatusNotFound)
	case errors.Is(err, ErrExists):
		http.Error(w, "forbidden: "+err.Error(), http.StatusForbidden)
	case errors.Is(err, errMismatch):
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
	case errors.Is(err, ErrFull):
		// 507: restic stops with this message rather than retry forever.
		http.Error(w, "insufficient storage: "+err.Error(), http.StatusInsufficientStorage)
	case errors.Is(err, ErrUnavailable), errors.Is(err, ErrDevice):
		// 503: restic tries again a few times, and the devices may be
		// back by then.
		h.Logger.Warn("backup storage", "err", err)
		http.Error(w, "service unavailable: "+err.Error(), http.StatusServiceUnavailable)
	default:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request entity too large", http.StatusRequestEntityTooLarge)
			return
		}
		h.Logger.Error("backup storage", "err", err)
		http.Error(w, "internal error: the gateway's log says more", http.StatusInternalServerError)
	}
}

func validType(t string) bool {
	for _, x := range Types {
		if t == x {
			return true
		}
	}
	return false
}

func validName(n string) bool {
	if len(n) != 64 {
		return false
	}
	_, err := hex.DecodeString(n)
	return err == nil && strings.ToLower(n) == n
}

func short(name string) string {
	if len(name) > 12 {
		return name[:12]
	}
	return name
}
