package hearthinit

import "golang.org/x/sys/unix"

// Listening is a gateway's Ready: something accepts connections on the
// loopback port. A bare connect(2): the net package's dialer would cost
// hearth-init a quarter of a megabyte.
func Listening(port int) func() bool {
	return func() bool {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return false
		}
		defer unix.Close(fd)
		return unix.Connect(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}) == nil
	}
}
