package ota

import (
	"errors"
	"fmt"

	"github.com/theupdateframework/go-tuf/v2/metadata"
)

var (
	// ErrRollback is returned when metadata is older than metadata already trusted: a replayed
	// timestamp, snapshot or targets file, or a file whose version is not the one its parent names.
	ErrRollback = errors.New("ota: metadata older than trusted (rollback)")
	// ErrExpired is returned when the newest metadata on offer has expired: the repository or
	// mirror stopped publishing (freeze attack, or an offline bundle older than its timestamp).
	ErrExpired = errors.New("ota: metadata expired (freeze)")
	// ErrSignature is returned when metadata is not signed by a threshold of the keys that the
	// trusted root names for its role: another repository's metadata, or a forgery.
	ErrSignature = errors.New("ota: metadata not signed by trusted keys")
	// ErrMismatch is returned when a file's length or hashes differ from what the signed metadata
	// says: a target with other bytes, or a snapshot and targets taken from two releases.
	ErrMismatch = errors.New("ota: length or hash differs from signed metadata")
	// ErrTooLarge is returned when a file is longer than its limit: the length signed for it, or
	// for metadata whose length is unknown, the client's configured maximum (endless data).
	ErrTooLarge = errors.New("ota: file longer than allowed")
	// ErrNotFound is returned by a Fetcher when the file does not exist.
	ErrNotFound = errors.New("ota: file not found")
	// ErrWrongBoard is returned by Download for a target that is not for the client's board and
	// product, or that trusted metadata does not list.
	ErrWrongBoard = errors.New("ota: target is not for this board")
	// ErrNoCheck is returned by Download before a Check has trusted the repository's metadata.
	ErrNoCheck = errors.New("ota: Download before Check")
	// ErrBadBundle is returned by Mirror.Import for a bundle that is not a tar of a repository
	// directory (bad names, links, too large).
	ErrBadBundle = errors.New("ota: bad bundle")
	// ErrMetadata is returned for metadata that is refused for another reason than those above
	// (malformed, wrong type, missing role).
	ErrMetadata = errors.New("ota: metadata refused")
)

// classify wraps an error from go-tuf with the package error that names the defence which refused
// it, so that callers test with errors.Is and people read one plain word first.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var sentinel error
	switch {
	case errors.Is(err, ErrRollback), errors.Is(err, ErrExpired), errors.Is(err, ErrSignature),
		errors.Is(err, ErrMismatch), errors.Is(err, ErrTooLarge), errors.Is(err, ErrNotFound):
		return err
	case errors.Is(err, &metadata.ErrBadVersionNumber{}):
		sentinel = ErrRollback
	case errors.Is(err, &metadata.ErrExpiredMetadata{}):
		sentinel = ErrExpired
	case errors.Is(err, &metadata.ErrUnsignedMetadata{}):
		sentinel = ErrSignature
	case errors.Is(err, &metadata.ErrLengthOrHashMismatch{}):
		sentinel = ErrMismatch
	case errors.Is(err, &metadata.ErrDownloadLengthMismatch{}):
		sentinel = ErrTooLarge
	case errors.Is(err, &metadata.ErrDownloadHTTP{}):
		sentinel = ErrNotFound
	default:
		sentinel = ErrMetadata
	}
	return fmt.Errorf("%w: %w", sentinel, err)
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
