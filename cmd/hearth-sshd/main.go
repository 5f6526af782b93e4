// hearth-sshd lets a Hearth OS device's owner in over SSH with the one key
// that hearth.txt's ssh_key names (docs/firmware-init.md). hearth-init
// starts it only when that key is set.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hearth-home/hearth/firmware/sshd"
)

const usage = `hearth-sshd lets this device's owner in over SSH: one public key, a shell
(the slot's busybox) or one command, with a terminal when asked. No passwords,
no port forwarding, no sftp. Hearth OS's init starts it when hearth.txt sets
ssh_key; run by hand it does the same.

Usage:
  hearth-sshd --authorized-key "ssh-ed25519 AAAA... you@host" [flags]

Log in from your computer:
  ssh root@DEVICE            (any user name: the key decides)

Flags:
`

func main() {
	fs := flag.NewFlagSet("hearth-sshd", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	key := fs.String("authorized-key", "", "the public key that may log in, as in authorized_keys (required)")
	listen := fs.String("listen", ":22", "the address to listen on")
	hostKey := fs.String("host-key", "/data/hearth/ssh_host_ed25519_key", "the server's own key, made at the first start")
	shell := fs.String("shell", "/slot/bin/busybox sh", "the shell, and its arguments; a command runs as SHELL -c COMMAND")
	applets := fs.String("applets", "/run/hearth/bin", "when the shell is busybox, link its commands (ls, cat, ...) here and put them on PATH; empty: no")
	dir := fs.String("dir", "/data", "the sessions' working directory")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(2)
	}
	if *key == "" {
		fmt.Fprintln(os.Stderr, "hearth-sshd: say which key may log in with --authorized-key")
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	args := strings.Fields(*shell)
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "hearth-sshd: --shell is empty")
		os.Exit(2)
	}
	path := os.Getenv("PATH")
	if *applets != "" && filepath.Base(args[0]) == "busybox" {
		if err := linkApplets(args[0], *applets); err != nil {
			log.Warn("ssh: busybox's commands are not linked; call them as busybox ls", "err", err)
		} else {
			path = *applets + ":" + path
		}
	}
	env := []string{"PATH=" + path, "HOME=" + *dir, "SHELL=" + args[0], "USER=root", "LOGNAME=root"}
	if tz := os.Getenv("TZ"); tz != "" {
		env = append(env, "TZ="+tz)
	}
	srv, err := sshd.New(sshd.Config{AuthorizedKey: *key, HostKeyFile: *hostKey, Shell: args, Env: env, Dir: *dir, Log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth-sshd:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(ctx, *listen); err != nil {
		fmt.Fprintln(os.Stderr, "hearth-sshd:", err)
		os.Exit(1)
	}
}

// linkApplets makes dir hold a link to busybox for each of its commands.
func linkApplets(busybox, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	out, err := exec.Command(busybox, "--install", "-s", dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s --install: %v: %s", busybox, err, out)
	}
	return nil
}
