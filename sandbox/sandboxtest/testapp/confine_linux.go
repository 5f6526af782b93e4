//go:build linux

package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// whoami prints the ids and capabilities the process runs with:
// "uid=U euid=E gid=G capeff=HEX caps_bnd=HEX nnp=N".
func whoami() {
	status, _ := os.ReadFile("/proc/self/status")
	field := func(name string) string {
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, name+":"); ok {
				return strings.TrimSpace(v)
			}
		}
		return "?"
	}
	fmt.Printf("uid=%d euid=%d gid=%d capeff=%s capbnd=%s nnp=%s\n",
		os.Getuid(), os.Geteuid(), os.Getgid(), field("CapEff"), field("CapBnd"), field("NoNewPrivs"))
}

// forkbomb starts copies of itself that sleep, until starting fails or n
// are running; it prints "started K" and the error, kills them and exits 0.
func forkbomb(n int) {
	self, err := os.Executable()
	if err != nil {
		self = "/proc/self/exe"
	}
	var kids []*exec.Cmd
	var last error
	for len(kids) < n {
		c := exec.Command(self, "sleep")
		if last = c.Start(); last != nil {
			break
		}
		kids = append(kids, c)
	}
	fmt.Printf("started %d\n", len(kids))
	if last != nil {
		fmt.Printf("error %v\n", last)
	}
	for _, c := range kids {
		c.Process.Kill()
		c.Wait()
	}
}

// escape tries what a contained process must not be able to do and prints
// "NAME ok" or "NAME refused: ERR" for each.
func escape() {
	try := func(name string, err error) {
		if err == nil {
			fmt.Printf("%s ok\n", name)
		} else {
			fmt.Printf("%s refused: %v\n", name, err)
		}
	}
	try("write-root", os.WriteFile("/hearth-escape", []byte("x"), 0o644))
	try("mount", syscall.Mount("none", "/tmp", "tmpfs", 0, ""))
	try("unshare-user", syscall.Unshare(syscall.CLONE_NEWUSER))
	try("unshare-mount", syscall.Unshare(syscall.CLONE_NEWNS))
	try("setuid-0", syscall.Setuid(0))
	try("chroot", syscall.Chroot("/tmp"))
	try("raw-socket", rawSocket())
	ifaces, err := net.Interfaces()
	if err == nil {
		var names []string
		for _, i := range ifaces {
			up := "down"
			if i.Flags&net.FlagUp != 0 {
				up = "up"
			}
			names = append(names, i.Name+":"+up)
		}
		fmt.Printf("interfaces %s\n", strings.Join(names, ","))
	}
	c, err := net.DialTimeout("tcp", "127.0.0.1:1", time.Second)
	if err == nil {
		c.Close()
	}
	try("dial-loopback", err)
}

func rawSocket() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_RAW, syscall.IPPROTO_ICMP)
	if err == nil {
		syscall.Close(fd)
	}
	return err
}
