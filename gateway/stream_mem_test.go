package gateway

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// memKV keeps keys in order whatever order they come in, scans by prefix,
// and deletes from the front (commits), the middle (windows) and what is
// not there (nothing happens).
func TestMemKV(t *testing.T) {
	m := newMemKV()
	keys := func(bucket, prefix string) []string {
		var ks []string
		if err := m.Scan(bucket, prefix, func(k string, v []byte) error {
			if string(v) != "v"+k {
				return fmt.Errorf("%s holds %q", k, v)
			}
			ks = append(ks, k)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return ks
	}
	for _, k := range []string{"a/0003", "a/0001", "b/0001", "a/0002", "a/0004", "ab/0001"} {
		m.Put("log", k, []byte("v"+k))
	}
	m.Put("out", "a/0001", []byte("va/0001"))
	if got, want := keys("log", "a/"), []string{"a/0001", "a/0002", "a/0003", "a/0004"}; !slices.Equal(got, want) {
		t.Fatalf("scan a/: %v, want %v", got, want)
	}
	if got := keys("out", ""); !slices.Equal(got, []string{"a/0001"}) {
		t.Fatalf("buckets mixed: out holds %v", got)
	}
	m.Delete("log", "a/0001") // the front of a/
	m.Delete("log", "a/0003") // the middle
	m.Delete("log", "a/0009") // not there
	if got, want := keys("log", ""), []string{"a/0002", "a/0004", "ab/0001", "b/0001"}; !slices.Equal(got, want) {
		t.Fatalf("after deletes: %v, want %v", got, want)
	}
	m.Put("log", "a/0002", []byte("va/0002")) // again: replaced, not doubled
	if got := keys("log", "a/"); !slices.Equal(got, []string{"a/0002", "a/0004"}) {
		t.Fatalf("after a second put: %v", got)
	}
	if v := m.Get("log", "a/0004"); string(v) != "va/0004" {
		t.Fatalf("get a/0004: %q", v)
	}
	if v := m.Get("log", "a/0003"); v != nil {
		t.Fatalf("get of a deleted key: %q", v)
	}
	stop := errors.New("stop")
	n := 0
	err := m.Scan("log", "", func(string, []byte) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("a scan whose fn fails: %v after %d calls; want that error after 1", err, n)
	}
	// Partitions' messages interleave; each partition's log is its own
	// run, appended to, and scans see each in order.
	for i := range 100 {
		m.Put("p", fmt.Sprintf("s/%04d/%016x", i%3, i), []byte(fmt.Sprintf("vs/%04d/%016x", i%3, i)))
	}
	if runs := len(m.buckets["p"]); runs != 3 {
		t.Fatalf("%d runs for 3 partitions", runs)
	}
	if got := keys("p", "s/0001/"); len(got) != 33 || !slices.IsSorted(got) || got[0] != fmt.Sprintf("s/0001/%016x", 1) {
		t.Fatalf("partition 1: %d keys from %q", len(got), got[0])
	}
	if got := keys("p", "s/"); len(got) != 100 || !slices.IsSorted(got) {
		t.Fatalf("all partitions: %d keys, sorted %v", len(got), slices.IsSorted(got))
	}
	for i := range 1000 { // a long log drained from its front
		m.Put("big", fmt.Sprintf("%08d", i), []byte("v"+fmt.Sprintf("%08d", i)))
	}
	for i := range 990 {
		m.Delete("big", fmt.Sprintf("%08d", i))
	}
	if got := keys("big", ""); len(got) != 10 || got[0] != "00000990" {
		t.Fatalf("after draining: %v", got)
	}
}
