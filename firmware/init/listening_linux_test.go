package hearthinit

import (
	"net"
	"testing"
)

func TestListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if !Listening(port)() {
		t.Error("a listening port is not ready")
	}
	ln.Close()
	if Listening(port)() {
		t.Error("a closed port is ready")
	}
}
