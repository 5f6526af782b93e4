package main

import (
	"context"

	"encoding/json"
	"flag"
	"fmt"
	"github.com/hearth-home/hearth/gateway/api"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"
)

// format is the -o flag: how listings and gets are printed.
type format string

const (
	formatTable format = "table"
	formatJSON  format = "json"
)

func (f *format) String() string { return string(*f) }

func (f *format) Set(s string) error {
	switch format(s) {
	case formatTable, formatJSON:
		*f = format(s)
		return nil
	}
	return fmt.Errorf("want table or json, got %q", s)
}

// outputFlag defines -o on fs.
func outputFlag(fs *flag.FlagSet) *format {
	f := formatTable
	fs.Var(&f, "o", "print as `FORMAT`: table or json")
	return &f
}

// writeJSON prints v indented, as the wire types marshal it.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// table prints rows under a header in aligned columns. Cells are cleaned
// of control characters, so that a task's stdout cannot break the layout
// or drive the terminal.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range append([][]string{t.header}, t.rows...) {
		clean := make([]string, len(row))
		for i, c := range row {
			clean[i] = cleanCell(c)
		}
		fmt.Fprintln(tw, strings.Join(clean, "\t"))
	}
	return tw.Flush()
}

// writeAligned prints two-column help text.
func writeAligned(w io.Writer, indent string, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s%s\n", indent, strings.Join(r, "\t"))
	}
	tw.Flush()
}

// cleanCell replaces control characters (tabs, newlines, escapes) with
// spaces or drops them; an empty cell shows as "-".
func cleanCell(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
			return -1
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return s
}

// show is the shape of every read-only command: call the gateway, then
// print what came back as JSON (-o json) or for people.
func show[T any](c *cli, out *format, fetch func(context.Context, *api.Admin, []string) (T, error), human func(*api.Admin, T) error) action {
	return func(ctx context.Context, args []string) error {
		cl, err := c.client()
		if err != nil {
			return err
		}
		defer cl.Close()
		v, err := fetch(ctx, cl, args)
		if err != nil {
			return err
		}
		if *out == formatJSON {
			return writeJSON(c.stdout, v)
		}
		return human(cl, v)
	}
}
