package storage

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/internal/atomicfile"
)

// Users are the backup's users: each has a password of its own (not the
// owner's token: a laptop's restic holds it) and one repository, /NAME/.
// They are kept in a JSON file of the gateway's data directory (0600),
// with each password's salted SHA-256: a password is 192 random bits, so
// a slow hash would add nothing but cost on a Pi.
type Users struct {
	path   string
	mu     sync.Mutex
	byName map[string]*User
}

// User is one user's record. Hash and Salt never leave the gateway.
type User struct {
	Name string `json:"name"`
	// Quota is the repository's room in bytes; 0: the disk's.
	Quota int64 `json:"quota,omitempty"`
	// AppendOnly: deletes (but of locks) and overwrites are refused.
	AppendOnly bool      `json:"append_only,omitempty"`
	Created    time.Time `json:"created"`
	Salt       string    `json:"salt"`
	Hash       string    `json:"hash"`
}

// ErrBadUser is a name or setting refused.
var ErrBadUser = errors.New("bad storage user")

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// LoadUsers reads the users file at path (none yet is no users).
func LoadUsers(path string) (*Users, error) {
	u := &Users{path: path, byName: map[string]*User{}}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return u, nil
	}
	if err != nil {
		return nil, err
	}
	var list []*User
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("storage users %s: %w", path, err)
	}
	for _, x := range list {
		u.byName[x.Name] = x
	}
	return u, nil
}

// Add makes a user and returns its password, shown this once.
func (u *Users) Add(name string, quota int64, appendOnly bool) (string, error) {
	if !nameRE.MatchString(name) {
		return "", fmt.Errorf("%w: name %q: want 1 to 32 of a-z, 0-9, _ and -, starting with a letter or digit", ErrBadUser, name)
	}
	if quota < 0 {
		return "", fmt.Errorf("%w: quota %d", ErrBadUser, quota)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.byName[name] != nil {
		return "", fmt.Errorf("%w: %s exists already (hearth storage user rm %s, then add it again for a new password)", ErrBadUser, name, name)
	}
	pass, salt := random(24), random(16)
	u.byName[name] = &User{Name: name, Quota: quota, AppendOnly: appendOnly, Created: time.Now().UTC(), Salt: salt, Hash: digest(salt, pass)}
	if err := u.saveLocked(); err != nil {
		delete(u.byName, name)
		return "", err
	}
	return pass, nil
}

// Remove deletes a user's credentials (its repository stays on disk).
func (u *Users) Remove(name string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	x := u.byName[name]
	if x == nil {
		return fmt.Errorf("%w: no user %s", ErrNotFound, name)
	}
	delete(u.byName, name)
	if err := u.saveLocked(); err != nil {
		u.byName[name] = x
		return err
	}
	return nil
}

// Get is a user's record.
func (u *Users) Get(name string) (User, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	x := u.byName[name]
	if x == nil {
		return User{}, false
	}
	return *x, true
}

// List is the users by name.
func (u *Users) List() []User {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make([]User, 0, len(u.byName))
	for _, x := range u.byName {
		out = append(out, *x)
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Check says whether pass is name's password (in constant time).
func (u *Users) Check(name, pass string) bool {
	x, ok := u.Get(name)
	if !ok {
		digest("", pass) // as long as a wrong password
		return false
	}
	a, b := digest(x.Salt, pass), x.Hash
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func (u *Users) saveLocked() error {
	list := make([]*User, 0, len(u.byName))
	for _, x := range u.byName {
		list = append(list, x)
	}
	slices.SortFunc(list, func(a, b *User) int { return strings.Compare(a.Name, b.Name) })
	raw, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(u.path, raw, 0o600)
}

func random(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func digest(salt, pass string) string {
	s := sha256.Sum256([]byte(salt + "\x00" + pass))
	return hex.EncodeToString(s[:])
}

// replace puts users in place of every user (Recover), and saves them.
func (u *Users) replace(users []User) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	byName := map[string]*User{}
	for _, x := range users {
		if !nameRE.MatchString(x.Name) || x.Salt == "" || x.Hash == "" {
			return fmt.Errorf("%w: the catalog's user %q", ErrBadUser, x.Name)
		}
		byName[x.Name] = &x
	}
	old := u.byName
	u.byName = byName
	if err := u.saveLocked(); err != nil {
		u.byName = old
		return err
	}
	return nil
}
