package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/sshd/sshdtest"

	gossh "golang.org/x/crypto/ssh"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

// owner is the key a test writes into hearth.txt's ssh_key.
type owner = sshdtest.Key

func newOwner(t *testing.T) owner { return sshdtest.NewKey(t) }

// sshRun logs in to the VM as the owner, from the gateway's namespace,
// and runs cmd in the device's shell (the slot's busybox), retrying while
// the device starts; it returns the output. A device whose key is not
// the owner's, or that has no SSH server, fails the test.
func sshRun(t *testing.T, h *home.Home, v *vm, o owner, cmd string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var last error
	for ctx.Err() == nil {
		out, err := sshOnce(ctx, h.Gateway.NS, v.ip+":22", o.Signer, cmd)
		if err == nil {
			return out
		}
		last = err
		time.Sleep(time.Second)
	}
	t.Fatalf("ssh %s %q: %v", v.ip, cmd, last)
	return ""
}

func sshOnce(ctx context.Context, ns, addr string, signer gossh.Signer, cmd string) (string, error) {
	conn, err := netnstest.DialContext(ctx, ns, "tcp4", addr)
	if err != nil {
		return "", err
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	// The host key is made on the device at its first start: trust on
	// first use, as a person would.
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, &gossh.ClientConfig{User: "root",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		conn.Close()
		return "", err
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return "", err
	}
	defer sess.Close()
	out, err := sess.CombinedOutput(cmd)
	return string(out), err
}
