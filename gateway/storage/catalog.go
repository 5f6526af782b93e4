package storage

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	bolt "go.etcd.io/bbolt"
)

// Catalogs: the gateway's metadata (where every shard is, and the users)
// is copied to every device that keeps shards, so that a gateway whose
// disk is lost can be rebuilt from the devices (Recover). A catalog is the
// metadata database and the users (names, quotas, salted password
// hashes), gzipped, followed by an HMAC-SHA256 under a key derived from
// the owner's admin token (CatalogLabel): whoever holds the owner's
// credentials file can check it, and a device cannot forge one (which
// would let it add a user of its own). It holds no file's content: that
// is in restic's encrypted files, which the devices hold as shards.

// CatalogLabel derives the catalogs' key from the owner's admin token
// (api.OwnerKey).
const CatalogLabel = api.StorageCatalogLabel

// catalogPrefix starts a catalog's name on the devices; then its
// sequence number in 16 hex digits, '-', and its SHA-256.
const catalogPrefix = "catalog-"

// catalogEvery is how often the gateway looks whether a device lacks the
// latest catalog.
const catalogEvery = 10 * time.Second

type catalog struct {
	Version int       `json:"version"`
	Seq     uint64    `json:"seq"`
	Written time.Time `json:"written"`
	DB      []byte    `json:"db"`
	Users   []byte    `json:"users"`
}

// pushCatalogs sends the latest catalog to every live device that lacks
// it, making one when the metadata changed since the last, and deletes
// the one before from each device that took the new one.
func (s *Sharded) pushCatalogs(ctx context.Context) {
	if s.CatalogKey == nil {
		return
	}
	s.cmu.Lock()
	defer s.cmu.Unlock()
	users, err := s.usersRaw()
	if err != nil {
		s.Logger.Warn("backup storage: catalog", "err", err)
		return
	}
	if s.dirty.Swap(false) || s.catName == "" || !bytes.Equal(users, s.catUsers) {
		blob, name, err := s.makeCatalog(users)
		if err != nil {
			s.dirty.Store(true)
			s.Logger.Warn("backup storage: catalog", "err", err)
			return
		}
		s.catBlob, s.catName, s.catUsers = blob, name, users
	}
	sum := sha256.Sum256(s.catBlob)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	for _, d := range s.Devices.Live() {
		had := s.catOn[d.Node]
		if had == s.catName {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, shardTimeout)
		err := s.Devices.Put(cctx, d.Node, s.catName, digest, s.catBlob)
		if err == nil && had != "" {
			s.Devices.Delete(cctx, d.Node, had)
		}
		cancel()
		if err != nil {
			s.Logger.Warn("backup storage: a device did not take the catalog", "node", short(d.Node), "err", err)
			continue
		}
		s.catOn[d.Node] = s.catName
	}
}

func (s *Sharded) usersRaw() ([]byte, error) {
	if s.Users == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(s.Users.List()) // hashes included
}

func (s *Sharded) makeCatalog(users []byte) (blob []byte, name string, err error) {
	var db bytes.Buffer
	if err := s.db.View(func(tx *bolt.Tx) error { _, err := tx.WriteTo(&db); return err }); err != nil {
		return nil, "", err
	}
	s.catSeq = max(s.catSeq+1, uint64(time.Now().UnixNano()))
	raw, err := json.Marshal(catalog{Version: 1, Seq: s.catSeq, Written: time.Now().UTC(), DB: db.Bytes(), Users: users})
	if err != nil {
		return nil, "", err
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	mac := hmac.New(sha256.New, s.CatalogKey)
	mac.Write(out.Bytes())
	out.Write(mac.Sum(nil))
	sum := sha256.Sum256(out.Bytes())
	return out.Bytes(), fmt.Sprintf("%s%016x-%x", catalogPrefix, s.catSeq, sum), nil
}

// openCatalog checks a catalog's HMAC under key and decodes it.
func openCatalog(blob, key []byte) (catalog, error) {
	var c catalog
	if len(blob) < sha256.Size {
		return c, errors.New("too short")
	}
	body, tag := blob[:len(blob)-sha256.Size], blob[len(blob)-sha256.Size:]
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), tag) {
		return c, errors.New("not signed with this owner's key (another pool's, or forged)")
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return c, err
	}
	raw, err := io.ReadAll(io.LimitReader(zr, 1<<30))
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, err
	}
	if c.Version != 1 {
		return c, fmt.Errorf("catalog version %d: a newer gateway's", c.Version)
	}
	return c, nil
}

// ErrNotEmpty: Recover only fills a gateway that keeps no backups yet.
var ErrNotEmpty = errors.New("this gateway keeps backups already")

// Recover rebuilds the metadata of a gateway whose own was lost from the
// newest catalog on the live devices that key (derived from the old
// owner's admin token) signed, users included. It refuses a gateway that
// has files already. The devices must have paired with this gateway
// (with its join token) first.
func (s *Sharded) Recover(ctx context.Context, key []byte) (api.StorageRecovery, error) {
	var out api.StorageRecovery
	if st, err := s.Status(); err != nil {
		return out, err
	} else if st.Files > 0 {
		return out, fmt.Errorf("%w (%d files): recovering would hide them", ErrNotEmpty, st.Files)
	}
	type found struct {
		name string
		seq  uint64
		node string
	}
	var all []found
	live := s.Devices.Live()
	for _, d := range live {
		lctx, cancel := context.WithTimeout(ctx, shardTimeout)
		names, err := s.Devices.Names(lctx, d.Node, catalogPrefix)
		cancel()
		if err != nil {
			s.Logger.Warn("backup storage: recover: a device did not list its catalogs", "node", short(d.Node), "err", err)
			continue
		}
		out.Devices++
		for _, n := range names {
			hexSeq, _, ok := strings.Cut(strings.TrimPrefix(n, catalogPrefix), "-")
			seq, err := strconv.ParseUint(hexSeq, 16, 64)
			if ok && err == nil {
				all = append(all, found{n, seq, d.Node})
			}
		}
	}
	if len(all) == 0 {
		return out, fmt.Errorf("no catalog on the %d connected devices: start the agents that kept shards (with their --storage-dir) and pair them with this gateway first", len(live))
	}
	slices.SortFunc(all, func(a, b found) int { return cmp.Compare(b.seq, a.seq) })
	var c catalog
	var why []string
	for _, f := range all {
		gctx, cancel := context.WithTimeout(ctx, shardTimeout)
		blob, err := s.Devices.Get(gctx, f.node, f.name)
		cancel()
		if err == nil {
			if sum := sha256.Sum256(blob); !strings.HasSuffix(f.name, hex.EncodeToString(sum[:])) {
				err = errors.New("damaged")
			}
		}
		if err == nil {
			c, err = openCatalog(blob, key)
		}
		if err != nil {
			why = append(why, fmt.Sprintf("%s on %s: %v", f.name[:len(catalogPrefix)+16], short(f.node), err))
			continue
		}
		out.Catalog, out.Written = f.name, c.Written
		break
	}
	if out.Catalog == "" {
		return out, fmt.Errorf("no catalog could be used (is it the old gateway's owner credentials file?): %s", strings.Join(why, "; "))
	}
	if err := s.replaceDB(c.DB); err != nil {
		return out, err
	}
	if s.Users != nil {
		var users []User
		if err := json.Unmarshal(c.Users, &users); err != nil {
			return out, fmt.Errorf("the catalog's users: %w", err)
		}
		if err := s.Users.replace(users); err != nil {
			return out, err
		}
		out.Users = len(users)
	}
	st, err := s.Status()
	out.Files, out.Bytes = st.Files, st.Bytes
	s.dirty.Store(true)
	s.Logger.Info("backup storage: recovered from the devices", "catalog", out.Catalog, "written", out.Written, "files", out.Files, "users", out.Users)
	return out, err
}

// replaceDB copies the buckets of the database raw into the metadata
// database, in one transaction: the handle stays, and a crash leaves the
// old state or the new.
func (s *Sharded) replaceDB(raw []byte) error {
	tmp := s.db.Path() + ".recover"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return err
	}
	defer os.Remove(tmp)
	src, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: 5 * time.Second, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("the catalog's database: %w", err)
	}
	defer src.Close()
	usage := map[string]int64{}
	err = src.View(func(from *bolt.Tx) error {
		return s.db.Update(func(to *bolt.Tx) error {
			for _, name := range [][]byte{bucketRepos, bucketFiles, bucketTrash} {
				if err := to.DeleteBucket(name); err != nil {
					return err
				}
				dst, err := to.CreateBucket(name)
				if err != nil {
					return err
				}
				b := from.Bucket(name)
				if b == nil {
					return fmt.Errorf("the catalog's database has no %s bucket", name)
				}
				err = b.ForEach(func(k, v []byte) error {
					if string(name) == string(bucketFiles) {
						var m fileMeta
						if err := json.Unmarshal(v, &m); err != nil {
							return err
						}
						user, _, _ := strings.Cut(string(k), "\x00")
						usage[user] += m.Size
					}
					return dst.Put(k, v)
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.usage = usage
	s.mu.Unlock()
	return nil
}
