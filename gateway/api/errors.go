package api

import (
	"errors"
	"fmt"
)

// Error is what the gateway answers when a call fails: an HTTP status, a
// stable code for programs and a message for people.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"error"`
}

func (e *Error) Error() string { return fmt.Sprintf("gateway: %s (%s)", e.Message, e.Code) }

// Is matches an *Error against the sentinels below by code.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code && t.Message == ""
}

// Sentinels for errors.Is on client errors; the gateway maps its own errors
// onto these codes in one place.
var (
	// ErrBadRequest: the request is malformed; the message says how.
	ErrBadRequest = &Error{Code: "bad_request"}
	// ErrUnauthorized: no or wrong admin token, or no client certificate.
	ErrUnauthorized = &Error{Code: "unauthorized"}
	// ErrForbidden: the node is known but may not do this (a bad join
	// token, an unpaired node asking for work).
	ErrForbidden = &Error{Code: "forbidden"}
	// ErrPending: the node waits for the owner's approval.
	ErrPending = &Error{Code: "pending"}
	// ErrNotFound: no such job, member or blob.
	ErrNotFound = &Error{Code: "not_found"}
	// ErrConflict: the request does not fit the state of what it names,
	// e.g. canceling a job that has already finished.
	ErrConflict = &Error{Code: "conflict"}
	// ErrDigestMismatch: uploaded content does not match its digest.
	ErrDigestMismatch = &Error{Code: "digest_mismatch"}
	// ErrInternal: the gateway failed; its log says why.
	ErrInternal = &Error{Code: "internal"}
)
