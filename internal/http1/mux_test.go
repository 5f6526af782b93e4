package http1

import (
	"context"
	"testing"
)

func TestHandleMistakes(t *testing.T) {
	ok := func(context.Context, *ServerRequest) (int, any) { return 200, nil }
	for name, register := range map[string]func(m *Mux){
		"bad method":   func(m *Mux) { m.Handle("GE T", "/a", ok) },
		"empty method": func(m *Mux) { m.Handle("", "/a", ok) },
		"HEAD":         func(m *Mux) { m.Handle("HEAD", "/a", ok) },
		"relative":     func(m *Mux) { m.Handle("GET", "a", ok) },
		"nil handler":  func(m *Mux) { m.Handle("GET", "/a", nil) },
		"twice":        func(m *Mux) { m.Handle("GET", "/a", ok); m.Handle("GET", "/a", ok) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Handle did not panic", name)
				}
			}()
			register(new(Mux))
		}()
	}
}
