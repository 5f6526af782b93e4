package storage

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/hearth-home/hearth/gateway/api"
)

// Service is the backup cloud of a gateway: its users, where their files
// live, and the REST listener's port and certificate, which the owner's
// calls (hearth storage ...) report.
type Service struct {
	Users *Users
	Store Keeper
	// Port, CertPEM and Fingerprint describe the storage listener.
	Port        int
	CertPEM     string
	Fingerprint string
}

// Keeper is a Store that counts what each user keeps.
type Keeper interface {
	Store
	Usage(user string) (int64, error)
}

// REST is the restic REST handler for s's users.
func (s *Service) REST(maxFile int64, h *Handler) *Handler {
	h.Store, h.Auth, h.MaxFile = s.Store, s.Users.Check, maxFile
	h.AppendOnly = func(user string) bool { u, _ := s.Users.Get(user); return u.AppendOnly }
	return h
}

// AdminRoutes are the owner's calls, under /v1/storage/: the caller
// checks the owner's token.
func (s *Service) AdminRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/storage/users", func(w http.ResponseWriter, r *http.Request) {
		var req api.StorageUserRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			writeErr(w, http.StatusBadRequest, "bad_request", "storage user: "+err.Error())
			return
		}
		pass, err := s.Users.Add(req.Name, req.Quota, req.AppendOnly)
		if err != nil {
			writeErr(w, statusOf(err), "bad_request", err.Error())
			return
		}
		u, _ := s.Users.Get(req.Name)
		out := s.view(u)
		out.Password, out.CertPEM = pass, s.CertPEM
		writeJSON(w, out)
	})
	mux.HandleFunc("GET /v1/storage/users", func(w http.ResponseWriter, r *http.Request) {
		out := []api.StorageUser{}
		for _, u := range s.Users.List() {
			out = append(out, s.view(u))
		}
		writeJSON(w, out)
	})
	mux.HandleFunc("GET /v1/storage/status", func(w http.ResponseWriter, r *http.Request) {
		if st, ok := s.Store.(interface {
			Status() (api.StorageStatus, error)
		}); ok {
			out, err := st.Status()
			if err != nil {
				writeErr(w, http.StatusInternalServerError, "internal", err.Error())
				return
			}
			writeJSON(w, out)
			return
		}
		out := api.StorageStatus{On: "gateway"}
		for _, u := range s.Users.List() {
			used, _ := s.Store.Usage(u.Name)
			out.Bytes += used
		}
		out.Stored = out.Bytes
		writeJSON(w, out)
	})
	mux.HandleFunc("POST /v1/storage/repair", func(w http.ResponseWriter, r *http.Request) {
		var req api.StorageRepairRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			writeErr(w, http.StatusBadRequest, "bad_request", "storage repair: "+err.Error())
			return
		}
		sh, ok := s.Store.(*Sharded)
		if !ok {
			writeErr(w, http.StatusConflict, "conflict", "the backups are on the gateway's own disk: there is nothing to repair (hearth-gateway --storage-on devices spreads them)")
			return
		}
		n := sh.RequestRepair(RepairOptions{Scrub: req.Scrub, Now: req.Now})
		writeJSON(w, api.StorageRepair{Pass: n, Running: true, Scrub: req.Scrub, Now: req.Now})
	})
	mux.HandleFunc("POST /v1/storage/recover", func(w http.ResponseWriter, r *http.Request) {
		var req api.StorageRecoverRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			writeErr(w, http.StatusBadRequest, "bad_request", "storage recover: "+err.Error())
			return
		}
		key, err := hex.DecodeString(req.Key)
		if err != nil || len(key) != 32 {
			writeErr(w, http.StatusBadRequest, "bad_request", "storage recover: the key is 64 hex digits (hearth storage recover derives it from the old credentials)")
			return
		}
		sh, ok := s.Store.(*Sharded)
		if !ok {
			writeErr(w, http.StatusConflict, "conflict", "the backups are on the gateway's own disk here: start it with --storage-on devices to recover them from the devices")
			return
		}
		out, err := sh.Recover(r.Context(), key)
		if err != nil {
			status := http.StatusConflict
			if !errors.Is(err, ErrNotEmpty) && out.Devices == 0 {
				status = http.StatusServiceUnavailable
			}
			writeErr(w, status, "conflict", err.Error())
			return
		}
		writeJSON(w, out)
	})
	mux.HandleFunc("DELETE /v1/storage/users/{name}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.Users.Remove(r.PathValue("name")); err != nil {
			writeErr(w, statusOf(err), "not_found", err.Error())
			return
		}
		writeJSON(w, map[string]string{})
	})
	return mux
}

func (s *Service) view(u User) api.StorageUser {
	used, _ := s.Store.Usage(u.Name)
	return api.StorageUser{Name: u.Name, Quota: u.Quota, AppendOnly: u.AppendOnly, Created: u.Created, Used: used,
		Port: s.Port, Fingerprint: s.Fingerprint}
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrBadUser):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// writeErr answers as the gateway's API does (api.Error).
func writeErr(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"code": code, "error": msg})
}
