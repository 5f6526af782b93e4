package store

import "errors"

var (
	// ErrLocked is returned by Open when another process holds the database.
	ErrLocked = errors.New("database is in use by another process")
	// ErrNotFound is returned when a blob is not in the blob store.
	ErrNotFound = errors.New("not found")
	// ErrDigestMismatch is returned when content does not hash to the digest
	// it was stored or fetched under.
	ErrDigestMismatch = errors.New("content does not match its digest")
	// ErrBadDigest is returned when a digest string is not "sha256:" and 64
	// lowercase hex characters.
	ErrBadDigest = errors.New("malformed digest")
)
