package gateway

import (
	"errors"
	"net/http"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/power/policy"
	"github.com/hearth-home/hearth/store"
)

var (
	// ErrNotPaired is returned when a node that is not a paired member asks
	// for work or reports results.
	ErrNotPaired = errors.New("node is not paired with this pool")
	// ErrPending is returned when a pending node asks for work.
	ErrPending = errors.New("node waits for the owner's approval")
	// ErrBadToken is returned when a node's join token is wrong.
	ErrBadToken = errors.New("join token rejected")
	// ErrUnknownMember is returned when approve names no node.
	ErrUnknownMember = errors.New("no such node")
	// ErrAmbiguousMember is returned when approve names a prefix that
	// matches several nodes: the caller must give more of the ID.
	ErrAmbiguousMember = errors.New("ambiguous node ID")
	// ErrUnknownJob is returned for a job ID the gateway does not have.
	ErrUnknownJob = errors.New("no such job")
	// ErrJobFinished is returned when a job that has already ended (done,
	// failed or canceled) is asked to cancel.
	ErrJobFinished = errors.New("job already finished")
	// ErrMissingBlob is returned at submit when the app or an input was not
	// uploaded first.
	ErrMissingBlob = errors.New("blob not uploaded")
	// ErrUnauthorized is returned when the admin token is missing or wrong,
	// or an agent call comes without a client certificate.
	ErrUnauthorized = errors.New("not authorized")
	// ErrFirmwareOff is returned when a bundle is imported into a gateway
	// that runs without a firmware root.
	ErrFirmwareOff = errors.New("firmware updates are off: start the gateway with --firmware-root ROOT.json (the release's 1.root.json) to import bundles")
	// ErrBadRequest is returned for malformed requests.
	ErrBadRequest = errors.New("bad request")
	// ErrUnknownStream is returned for a stream name that is not deployed.
	ErrUnknownStream = errors.New("no such stream")
	// ErrStreamExists is returned when deploying a name already deployed.
	ErrStreamExists = errors.New("stream already deployed")
	// ErrSealed is returned when a device asks for the output of another
	// device's replica before its task is certified.
	ErrSealed = errors.New("sealed until certified")
	// ErrDashboardOff: a dashboard login was asked of a gateway that
	// serves no dashboard.
	ErrDashboardOff = errors.New("the dashboard is off on this gateway")
)

// refusedBundle reports whether err is a firmware bundle that the mirror
// refused: the bundle's fault, not the gateway's.
func refusedBundle(err error) bool {
	for _, e := range []error{ota.ErrBadBundle, ota.ErrSignature, ota.ErrRollback, ota.ErrExpired,
		ota.ErrMismatch, ota.ErrTooLarge, ota.ErrMetadata, ota.ErrNotFound} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// apiError maps any error to the wire error: this is the one place where
// gateway errors meet HTTP status codes.
func apiError(err error) *api.Error {
	e := func(status int, sentinel *api.Error) *api.Error {
		return &api.Error{Status: status, Code: sentinel.Code, Message: err.Error()}
	}
	switch {
	case errors.Is(err, ErrUnauthorized):
		return e(http.StatusUnauthorized, api.ErrUnauthorized)
	case errors.Is(err, ErrPending):
		return e(http.StatusForbidden, api.ErrPending)
	case errors.Is(err, ErrNotPaired), errors.Is(err, ErrBadToken), errors.Is(err, ErrSealed):
		return e(http.StatusForbidden, api.ErrForbidden)
	case errors.Is(err, ErrUnknownMember), errors.Is(err, ErrUnknownJob), errors.Is(err, ErrUnknownStream), errors.Is(err, store.ErrNotFound):
		return e(http.StatusNotFound, api.ErrNotFound)
	case errors.Is(err, ErrJobFinished), errors.Is(err, ErrFirmwareOff), errors.Is(err, ErrDashboardOff), errors.Is(err, ErrStreamExists):
		return e(http.StatusConflict, api.ErrConflict)
	case errors.Is(err, store.ErrDigestMismatch):
		return e(http.StatusBadRequest, api.ErrDigestMismatch)
	case errors.Is(err, ErrBadRequest), errors.Is(err, api.ErrBadSpec), errors.Is(err, ErrMissingBlob),
		errors.Is(err, store.ErrBadDigest), errors.Is(err, ErrAmbiguousMember), errors.Is(err, policy.ErrBadPolicy),
		refusedBundle(err):
		return e(http.StatusBadRequest, api.ErrBadRequest)
	}
	return &api.Error{Status: http.StatusInternalServerError, Code: api.ErrInternal.Code, Message: err.Error()}
}
