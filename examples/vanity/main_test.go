package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSearchFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "-prefix is required"},
		{[]string{"-prefix", "xyz"}, "non-hex"},
		{[]string{"-prefix", "0x"}, "empty"},
		{[]string{"-prefix", "ab", "-shard", "8", "-shards", "8"}, "shard 8 is not below shards 8"},
		{[]string{"-prefix", "ab", "-shards", "0"}, "-shards must be at least 1"},
		{[]string{"-prefix", "ab", "-tries", "0"}, "tries must be at least 1"},
		{[]string{"-prefix", "ab", "-shard", "-1"}, "invalid value"},
		{[]string{"-prefix", "ab", "-tries", "lots"}, "invalid value"},
		{[]string{"-prefix", "ab", "extra"}, `unexpected argument "extra"`},
		{[]string{"-nope"}, "flag provided but not defined"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, strings.NewReader(""), &stdout, &stderr)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d", tc.args, code, exitUsage)
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: stderr lacks %q:\n%s", tc.args, tc.want, &stderr)
		}
		if stdout.Len() != 0 {
			t.Errorf("%q: wrote stdout: %s", tc.args, &stdout)
		}
	}
}

func TestSearchCommandWritesOutDir(t *testing.T) {
	out := t.TempDir()
	args := []string{"-prefix", "0xAB", "-seed", "hearth", "-shard", "0", "-shards", "2", "-tries", "200", "-out", out}
	var stdout, stderr bytes.Buffer
	if code := run(args, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, &stderr)
	}
	want := `{"found":true,"prefix":"ab","address":"0xAB6A995f6A521bE379adBA5AcF94bE7Dd16c8666","private_key":"0xd9b9dc72dd31dfaabe054c644930c629f33bf0159b27adb9921b455950821387","shard":0,"tried":123}` + "\n"
	if stdout.String() != want {
		t.Errorf("stdout = %s, want %s", &stdout, want)
	}
	file, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(file) != want {
		t.Errorf("result.json = %s, want %s", file, want)
	}
}

func TestSearchCommandNotFound(t *testing.T) {
	// No out dir: the search still succeeds, and not finding is not an error.
	args := []string{"-prefix", "ab", "-seed", "hearth", "-shard", "1", "-shards", "3", "-tries", "61", "-out", filepath.Join(t.TempDir(), "absent")}
	var stdout, stderr bytes.Buffer
	if code := run(args, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, &stderr)
	}
	if want := `{"found":false,"prefix":"ab","shard":1,"tried":61}` + "\n"; stdout.String() != want {
		t.Errorf("stdout = %s, want %s", &stdout, want)
	}
}
