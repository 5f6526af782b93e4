package sshd

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/sshd/sshdtest"

	gossh "golang.org/x/crypto/ssh"
)

type user = sshdtest.Key

func newUser(t *testing.T) user { return sshdtest.NewKey(t) }

// serve starts a server for owner's key with /bin/sh as its shell.
func serve(t *testing.T, owner user, hostKeyFile string) (*Server, string) {
	t.Helper()
	s, err := New(Config{AuthorizedKey: owner.Line + " owner@laptop", HostKeyFile: hostKeyFile,
		Shell: []string{"/bin/sh"}, Env: []string{"PATH=/usr/bin:/bin"}, Dir: t.TempDir(), MaxSessions: 2})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return s, l.Addr().String()
}

func dial(addr string, u user, host gossh.PublicKey) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "root", Auth: []gossh.AuthMethod{gossh.PublicKeys(u.Signer)},
		HostKeyCallback: gossh.FixedHostKey(host), Timeout: 10 * time.Second})
}

func TestOwnerRunsCommandsAndShells(t *testing.T) {
	owner := newUser(t)
	s, addr := serve(t, owner, filepath.Join(t.TempDir(), "host_key"))
	c, err := dial(addr, owner, s.HostKey())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// A command: its output, and its exit status back.
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("echo hello from $PWD; exit 3")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 3 {
		t.Errorf("exit: %v, want status 3", err)
	}
	if !strings.HasPrefix(string(out), "hello from /") {
		t.Errorf("output %q", out)
	}

	// Standard input reaches the command.
	sess, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stdin = strings.NewReader("piped\n")
	if out, err := sess.Output("cat"); err != nil || string(out) != "piped\n" {
		t.Errorf("cat: %q, %v", out, err)
	}

	// With a terminal: the shell runs on a pty of the asked size.
	sess, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 33, 101, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out, err = sess.CombinedOutput("tty; stty size; echo $TERM")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if o := strings.ReplaceAll(string(out), "\r", ""); !strings.HasPrefix(o, "/dev/pts/") || !strings.Contains(o, "33 101\nxterm\n") {
		t.Errorf("with a pty: %q", out)
	}

	// No sftp (nor any subsystem).
	sess, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestSubsystem("sftp"); err == nil {
		err = sess.Wait()
		if !errors.As(err, &exit) || exit.ExitStatus() == 0 {
			t.Errorf("sftp: %v, want refused", err)
		}
	}
}

// Any key but hearth.txt's is refused; so is a fourth connection while
// the server's limit is taken.
func TestOthersAreRefused(t *testing.T) {
	owner := newUser(t)
	s, addr := serve(t, owner, filepath.Join(t.TempDir(), "host_key"))
	if c, err := dial(addr, newUser(t), s.HostKey()); err == nil {
		c.Close()
		t.Fatal("a stranger's key logged in")
	}
	var open []*gossh.Client
	for range 2 {
		c, err := dial(addr, owner, s.HostKey())
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
	}
	if c, err := dial(addr, owner, s.HostKey()); err == nil {
		c.Close()
		t.Error("a connection beyond MaxSessions was let in")
	}
	for _, c := range open {
		c.Close()
	}
	// Once they are closed, the owner gets in again.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := dial(addr, owner, s.HostKey())
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the others closed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The host key is made once and kept: clients see the same host at every
// start. A damaged one is an error that says what to do.
func TestHostKeyKept(t *testing.T) {
	owner := newUser(t)
	file := filepath.Join(t.TempDir(), "hearth", "host_key")
	a, _ := serve(t, owner, file)
	b, _ := serve(t, owner, file)
	if string(a.HostKey().Marshal()) != string(b.HostKey().Marshal()) {
		t.Error("a second start made a new host key")
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("host key file: %v, %v; want mode 0600", st, err)
	}
	if err := os.WriteFile(file, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(Config{AuthorizedKey: owner.Line, HostKeyFile: file, Shell: []string{"/bin/sh"}})
	if err == nil || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("a damaged host key: %v", err)
	}
}

// What hearth.txt's ssh_key may hold: one public key line, nothing else.
func TestParseKey(t *testing.T) {
	owner := newUser(t)
	for _, bad := range []string{"", "ssh-ed25519", "ssh-ed25519 AAAA", "-----BEGIN OPENSSH PRIVATE KEY-----", owner.Line + "\n" + owner.Line} {
		if _, err := ParseKey(bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseKey(%.40q): %v, want ErrBadKey", bad, err)
		}
	}
	if _, err := ParseKey(owner.Line + " me@laptop"); err != nil {
		t.Errorf("a key with a comment: %v", err)
	}
}
