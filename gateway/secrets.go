package gateway

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"path/filepath"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// CredentialsFile is the admin credentials' name inside the data dir.
const CredentialsFile = "credentials.json"

// loadSecrets reads the join and admin tokens, creating them on first start.
func (g *Gateway) loadSecrets() error {
	return g.db.Update(func(tx *store.Tx) error {
		if raw := tx.Get(bucketMeta, "join_token"); raw != nil {
			tok, err := api.ParseJoinToken(string(raw))
			if err != nil {
				return err
			}
			g.joinToken = tok
		} else {
			tok, err := api.NewJoinToken(g.id.ID)
			if err != nil {
				return err
			}
			g.joinToken = tok
			if err := tx.Put(bucketMeta, "join_token", []byte(tok.String())); err != nil {
				return err
			}
		}
		if raw := tx.Get(bucketMeta, "admin_token"); raw != nil {
			g.adminToken = string(raw)
			return nil
		}
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		g.adminToken = base64.RawURLEncoding.EncodeToString(b)
		return tx.Put(bucketMeta, "admin_token", []byte(g.adminToken))
	})
}

// Credentials are what the CLI needs to administer this gateway.
func (g *Gateway) Credentials() api.Credentials {
	addr := g.cfg.Advertise
	if addr == "" {
		listen := g.cfg.Listen
		if g.ln != nil {
			listen = g.ln.Addr().String()
		}
		_, port, _ := net.SplitHostPort(listen)
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	return api.Credentials{Gateway: addr, GatewayID: g.id.ID.String(), Token: g.adminToken}
}

// WriteCredentials saves Credentials with mode 0600 in the data dir and
// returns the file's path.
func (g *Gateway) WriteCredentials() (string, error) {
	path := filepath.Join(g.cfg.DataDir, CredentialsFile)
	return path, g.Credentials().Save(path)
}

func (g *Gateway) adminOK(header string) bool {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(tok), []byte(g.adminToken)) == 1
}
