package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goodResult is the first "ab" match of seed "hearth".
func goodResult() Result {
	return Result{
		Found:      true,
		Prefix:     "ab",
		Address:    "0xAB6A995f6A521bE379adBA5AcF94bE7Dd16c8666",
		PrivateKey: "0xd9b9dc72dd31dfaabe054c644930c629f33bf0159b27adb9921b455950821387",
		Shard:      0,
		Tried:      123,
	}
}

func TestVerify(t *testing.T) {
	ok := map[string]func(*Result){
		"as found":          func(*Result) {},
		"lowercase address": func(r *Result) { r.Address = strings.ToLower(r.Address) },
		"prefix with 0x":    func(r *Result) { r.Prefix = "0xAB" },
		"not found":         func(r *Result) { *r = Result{Prefix: "ab", Tried: 10} },
	}
	bad := map[string]func(*Result){
		"tampered key": func(r *Result) {
			r.PrivateKey = r.PrivateKey[:len(r.PrivateKey)-1] + "8"
		},
		"key of another address": func(r *Result) {
			r.PrivateKey = "0x0000000000000000000000000000000000000000000000000000000000000001"
		},
		"wrong prefix":        func(r *Result) { r.Prefix = "ac" },
		"empty prefix":        func(r *Result) { r.Prefix = "" },
		"bad checksum":        func(r *Result) { r.Address = "0xab6A995f6A521bE379adBA5AcF94bE7Dd16c8666" },
		"zero key":            func(r *Result) { r.PrivateKey = "0x" + strings.Repeat("0", 64) },
		"short key":           func(r *Result) { r.PrivateKey = "0x01" },
		"no address":          func(r *Result) { r.Address = "" },
		"not found with key":  func(r *Result) { r.Found = false },
		"found without a key": func(r *Result) { r.PrivateKey = "" },
	}
	for name, edit := range ok {
		r := goodResult()
		edit(&r)
		if err := Verify(&r); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, edit := range bad {
		r := goodResult()
		edit(&r)
		if err := Verify(&r); !errors.Is(err, ErrBadResult) {
			t.Errorf("%s: err = %v, want ErrBadResult", name, err)
		}
	}
}

func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := `{"found":true,"prefix":"ab","address":"0xAB6A995f6A521bE379adBA5AcF94bE7Dd16c8666","private_key":"0xd9b9dc72dd31dfaabe054c644930c629f33bf0159b27adb9921b455950821387","shard":0,"tried":123}` + "\n"
	notFound := `{"found":false,"prefix":"ab","shard":1,"tried":5}` + "\n"
	tampered := strings.Replace(good, "387\"", "388\"", 1)
	wrongPrefix := strings.Replace(good, `"prefix":"ab"`, `"prefix":"abc"`, 1)

	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"files", []string{write("a.json", good), write("b.json", notFound)}, "", exitOK, "all 2 results verified, 1 with a key"},
		{"stdin", nil, good + notFound, exitOK, "all 2 results verified"},
		{"dash", []string{"-"}, good, exitOK, "all 1 results verified"},
		{"tampered", []string{write("c.json", good), write("d.json", tampered)}, "", exitFail, "does not verify"},
		{"wrong prefix", []string{write("e.json", wrongPrefix)}, "", exitFail, "does not start with prefix abc"},
		{"garbage", []string{write("f.json", "hello")}, "", exitFail, "not a result"},
		{"empty", []string{write("g.json", "")}, "", exitFail, "no result in input"},
		{"missing", []string{filepath.Join(dir, "nope.json")}, "", exitFail, "nope.json"},
		{"bad flag", []string{"-x"}, "", exitUsage, "flag provided but not defined"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"verify"}, tc.args...), strings.NewReader(tc.stdin), &stdout, &stderr)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", tc.name, code, tc.code, &stdout, &stderr)
		}
		if out := stdout.String() + stderr.String(); !strings.Contains(out, tc.want) {
			t.Errorf("%s: output lacks %q:\n%s", tc.name, tc.want, out)
		}
	}
}
