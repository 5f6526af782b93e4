package agent

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// The pipe between a feeder and its instance: what is written is read in
// order, a reader waits for data, a writer for room, the writer's close is
// EOF after the data and the reader's close fails both sides; each end
// says truly when its call would block.
func TestPipe(t *testing.T) {
	p := newPipe()
	r, w := readEnd{p}, writeEnd{p}
	if r.WillNotBlock(10) {
		t.Fatal("an empty pipe's reader says it will not block")
	}
	if !w.WillNotBlock(10) {
		t.Fatal("an empty pipe's writer says it would block")
	}
	got := make(chan []byte)
	go func() {
		b := make([]byte, 4)
		n, err := p.Read(b)
		if err != nil {
			t.Error(err)
		}
		got <- b[:n]
	}()
	time.Sleep(10 * time.Millisecond)
	p.Write([]byte("hello"))
	if b := <-got; string(b) != "hell" {
		t.Fatalf("first read %q, want %q", b, "hell")
	}
	if !r.WillNotBlock(1) {
		t.Fatal("a reader with data buffered says it would block")
	}

	// Full: a write waits until a read makes room.
	p.Write(bytes.Repeat([]byte("x"), pipeBuffer-1)) // "o" and this fill it
	if w.WillNotBlock(1) {
		t.Fatal("a full pipe's writer says it will not block")
	}
	wrote := make(chan error)
	go func() { _, err := p.Write([]byte("yz")); wrote <- err }()
	select {
	case err := <-wrote:
		t.Fatalf("a write into a full pipe returned at once (%v)", err)
	case <-time.After(20 * time.Millisecond):
	}
	all, err := io.ReadAll(io.LimitReader(p, pipeBuffer))
	if err != nil || len(all) != pipeBuffer || all[0] != 'o' {
		t.Fatalf("read %d bytes (%v), want %d starting with 'o'", len(all), err, pipeBuffer)
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}

	// The writer's close: the rest, then EOF; writes fail.
	p.CloseWrite()
	if rest, err := io.ReadAll(p); err != nil || string(rest) != "yz" {
		t.Fatalf("after CloseWrite read %q, %v; want the rest, then EOF", rest, err)
	}
	if _, err := p.Write([]byte("a")); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("a write after CloseWrite: %v", err)
	}

	// The reader's close: a waiting writer and later reads fail with its
	// error.
	q := newPipe()
	q.Write(bytes.Repeat([]byte("x"), pipeBuffer))
	go func() { _, err := q.Write([]byte("more")); wrote <- err }()
	time.Sleep(10 * time.Millisecond)
	q.CloseRead(io.ErrClosedPipe)
	if err := <-wrote; !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("a waiting write after CloseRead: %v", err)
	}
	if _, err := q.Read(make([]byte, 1)); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("a read after CloseRead: %v", err)
	}
	if !(readEnd{q}).WillNotBlock(1) || !(writeEnd{q}).WillNotBlock(1) {
		t.Fatal("a closed pipe's ends say they would block")
	}
}
