package dashboard

import (
	"bytes"
	"io"
	"net/http"

	"github.com/hearth-home/hearth/gateway/api"
)

// Forward is the gateway's API for a Server on the owner's own computer
// (hearth dashboard): every call goes to the gateway over a's pinned
// channel with the admin token, which stays in the CLI.
func Forward(a *api.Admin) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The page's changes are small JSON: read whole (a chunked body
		// too), at most 1 MiB.
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, "bad_request", "request body: "+err.Error())
			return
		}
		status, ctype, rc, err := a.Call(r.Context(), r.Method, r.URL.RequestURI(), r.Header.Get("Content-Type"), bytes.NewReader(body), int64(len(body)))
		if err != nil {
			writeError(w, http.StatusBadGateway, "unavailable", err.Error())
			return
		}
		defer rc.Close()
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		io.Copy(w, rc)
	})
}
