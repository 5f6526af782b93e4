package bytesize

import "testing"

func TestParse(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "0": 0, "512": 512, "500M": 500 << 20, "200G": 200 << 30, "1T": 1 << 40,
		"1.5G": 3 << 29, "2Gi": 2 << 30, "2GiB": 2 << 30, "10k": 10 << 10, " 3G ": 3 << 30} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	// Bad sizes are an error, never a guess.
	for _, in := range []string{"-1G", "G", "1X", "12e99T", "abc"} {
		if got, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %d, want an error", in, got)
		}
	}
}
