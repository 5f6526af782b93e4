// Package sshd is Hearth OS's way in for the device's owner: an SSH server
// that accepts one public key (hearth.txt's ssh_key) and gives a shell
// (the slot's busybox) or runs one command, with a terminal when the
// client asks for one. It runs only when hearth.txt sets a key; nothing
// else listens on the device but the agent's own ports (docs/security.md).
//
// No passwords, no forwarding of ports or agents, no subsystems (sftp):
// a way to look at logs, files and processes, and to reboot.
package sshd

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
	"github.com/gliderlabs/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/hearth-home/hearth/internal/atomicfile"
)

// Config is what the server needs.
type Config struct {
	// AuthorizedKey is the one key that may log in, in authorized_keys
	// form: "ssh-ed25519 AAAA... comment".
	AuthorizedKey string
	// HostKeyFile keeps the server's ed25519 key (made at the first
	// start, mode 0600), so that clients see the same host every time.
	HostKeyFile string
	// Shell runs sessions: with no arguments for a shell, with -c and
	// the command for an exec request. Its first element is the program
	// (e.g. /slot/bin/busybox sh).
	Shell []string
	// Env is the sessions' environment (PATH, HOME, TZ).
	Env []string
	// Dir is the sessions' working directory.
	Dir string
	// MaxSessions bounds the connections at a time (default 4).
	MaxSessions int
	Log         *slog.Logger
}

// ErrBadKey is returned for an ssh_key that is not one public key.
var ErrBadKey = errors.New("ssh_key is not a public key: copy the whole line of your id_ed25519.pub (ssh-ed25519 AAAA... you@host)")

// ParseKey parses an authorized_keys line.
func ParseKey(line string) (ssh.PublicKey, error) {
	key, _, _, rest, err := gossh.ParseAuthorizedKey([]byte(line))
	if err != nil || len(strings.TrimSpace(string(rest))) > 0 {
		return nil, ErrBadKey
	}
	return key, nil
}

// Server is a running SSH server.
type Server struct {
	srv        *ssh.Server
	cfg        Config
	active     atomic.Int32
	hostKey    gossh.Signer
	authorized ssh.PublicKey
}

// New makes a server from cfg: the key is parsed and the host key read
// or made.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 4
	}
	if len(cfg.Shell) == 0 {
		return nil, errors.New("sshd: no shell")
	}
	authorized, err := ParseKey(cfg.AuthorizedKey)
	if err != nil {
		return nil, err
	}
	signer, err := hostKey(cfg.HostKeyFile)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, hostKey: signer, authorized: authorized}
	s.srv = &ssh.Server{
		Handler: s.session,
		PublicKeyHandler: func(ctx ssh.Context, key ssh.PublicKey) bool {
			ok := ssh.KeysEqual(key, authorized)
			if !ok {
				cfg.Log.Warn("ssh: a key that is not hearth.txt's was refused", "from", ctx.RemoteAddr().String(), "key", gossh.FingerprintSHA256(key))
			}
			return ok
		},
		// A slow or silent client does not hold a connection for ever.
		IdleTimeout: 30 * time.Minute,
		ConnectionFailedCallback: func(conn net.Conn, err error) {
			cfg.Log.Debug("ssh: connection failed", "from", conn.RemoteAddr().String(), "err", err)
		},
		ConnCallback: func(ctx ssh.Context, conn net.Conn) net.Conn {
			if int(s.active.Add(1)) > cfg.MaxSessions {
				s.active.Add(-1)
				cfg.Log.Warn("ssh: too many connections; one refused", "from", conn.RemoteAddr().String(), "max", cfg.MaxSessions)
				conn.Close()
				return conn
			}
			go func() { <-ctx.Done(); s.active.Add(-1) }()
			// The key exchange and login must finish within 20 s.
			conn.SetDeadline(time.Now().Add(20 * time.Second))
			return &clearDeadline{Conn: conn}
		},
	}
	s.srv.AddHostKey(signer)
	return s, nil
}

// HostKey is the server's public host key.
func (s *Server) HostKey() ssh.PublicKey { return s.hostKey.PublicKey() }

// Serve accepts connections on l until Close.
func (s *Server) Serve(l net.Listener) error {
	s.cfg.Log.Info("ssh: listening", "addr", l.Addr().String(), "host_key", gossh.FingerprintSHA256(s.hostKey.PublicKey()),
		"key", gossh.FingerprintSHA256(s.authorized))
	err := s.srv.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the server and its connections.
func (s *Server) Close() error { return s.srv.Close() }

// clearDeadline is a connection whose login deadline the first session
// lifts (the client is in by then).
type clearDeadline struct {
	net.Conn
	cleared atomic.Bool
}

// session runs one session: a shell, or the command the client sent.
func (s *Server) session(sess ssh.Session) {
	if c, ok := sessConn(sess); ok && c.cleared.CompareAndSwap(false, true) {
		c.Conn.SetDeadline(time.Time{})
	}
	log := s.cfg.Log.With("from", sess.RemoteAddr().String(), "user", sess.User())
	args := append([]string(nil), s.cfg.Shell...)
	if raw := sess.RawCommand(); raw != "" {
		args = append(args, "-c", raw)
	}
	if sess.Subsystem() != "" {
		fmt.Fprintf(sess.Stderr(), "hearth: no %s here; use ssh with a command or a shell\n", sess.Subsystem())
		sess.Exit(1)
		return
	}
	cmd := exec.CommandContext(sess.Context(), args[0], args[1:]...)
	cmd.Env = append(append([]string(nil), s.cfg.Env...), "SSH_CONNECTION="+sess.RemoteAddr().String())
	cmd.Dir = s.cfg.Dir
	ptyReq, winCh, isPty := sess.Pty()
	log.Info("ssh: session", "command", sess.RawCommand(), "pty", isPty)
	var err error
	if isPty {
		cmd.Env = append(cmd.Env, "TERM="+ptyReq.Term)
		err = s.runPty(sess, cmd, ptyReq.Window, winCh)
	} else {
		err = s.runPipes(sess, cmd)
	}
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
		if code < 0 {
			code = 128 + int(exit.Sys().(syscall.WaitStatus).Signal())
		}
	case err != nil:
		log.Warn("ssh: session", "err", err)
		fmt.Fprintf(sess.Stderr(), "hearth: %v\n", err)
		code = 127
	}
	sess.Exit(code)
}

func (s *Server) runPipes(sess ssh.Session, cmd *exec.Cmd) error {
	cmd.Stdout = sess
	cmd.Stderr = sess.Stderr()
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { io.Copy(in, sess); in.Close() }()
	return cmd.Wait()
}

func (s *Server) runPty(sess ssh.Session, cmd *exec.Cmd, win ssh.Window, winCh <-chan ssh.Window) error {
	f, err := pty.StartWithSize(cmd, size(win))
	if err != nil {
		return err
	}
	var mu sync.Mutex // the terminal is not resized as it is closed
	closed := false
	defer func() {
		mu.Lock()
		closed = true
		f.Close()
		mu.Unlock()
	}()
	go func() {
		for w := range winCh {
			mu.Lock()
			if !closed {
				pty.Setsize(f, size(w))
			}
			mu.Unlock()
		}
	}()
	go io.Copy(f, sess)
	io.Copy(sess, f) // until the shell's side closes: EIO
	return cmd.Wait()
}

func size(w ssh.Window) *pty.Winsize {
	return &pty.Winsize{Rows: uint16(w.Height), Cols: uint16(w.Width)}
}

// sessConn finds the connection under a session, to lift its deadline.
func sessConn(sess ssh.Session) (*clearDeadline, bool) {
	c, ok := sess.Context().Value(ssh.ContextKeyConn).(*clearDeadline)
	return c, ok
}

// hostKey reads the host key from file, or makes one and keeps it there.
func hostKey(file string) (gossh.Signer, error) {
	if file == "" {
		return nil, errors.New("sshd: no host key file")
	}
	data, err := os.ReadFile(file)
	if err == nil {
		signer, err := gossh.ParsePrivateKey(data)
		if err != nil {
			return nil, fmt.Errorf("the SSH host key %s: %w (delete it to make a new one; clients will warn that the host changed)", file, err)
		}
		return signer, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "hearth host key")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	return gossh.NewSignerFromKey(priv)
}

// ListenAndServe listens on addr and serves until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() { <-ctx.Done(); s.Close() }()
	return s.Serve(l)
}
