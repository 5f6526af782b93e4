package dashboard

import (
	"io"
	"net/http"

	"github.com/hearth-home/hearth/gateway/api"
)

// Forward is the gateway's API for a Server on the owner's own computer
// (hearth dashboard): every call goes to the gateway over a's pinned
// channel with the admin token, which stays in the CLI.
func Forward(a *api.Admin) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body io.Reader
		if r.ContentLength > 0 {
			body = r.Body
		}
		status, ctype, rc, err := a.Call(r.Context(), r.Method, r.URL.RequestURI(), r.Header.Get("Content-Type"), body, r.ContentLength)
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
