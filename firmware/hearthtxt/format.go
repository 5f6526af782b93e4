package hearthtxt

import (
	"bytes"
	"strings"
)

const header = `# hearth.txt: this device's settings, read at every start.
# Write one setting per line as  key = value  and remove the # in front of
# the ones you use. Lines starting with # are notes and are ignored.
# The token and the Wi-Fi password move off this card at the first start;
# their lines then read "(stored)". Write a new value there to change them.
# More: https://github.com/hearth-home/hearth/blob/main/docs/firmware.md
`

// Format writes c as a hearth.txt: a short explanation, then every key with
// a one-line note, set if c sets it and otherwise commented out with an
// example. Lines end in CRLF so that Notepad shows them. Format(Config{})
// is the template that images carry.
func Format(c Config) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	for _, k := range keys {
		b.WriteString("\n# " + k.help + "\n")
		if v := k.get(c); v != "" {
			b.WriteString(k.name + " = " + quote(v) + "\n")
		} else {
			b.WriteString("# " + k.name + " = " + k.example + "\n")
		}
	}
	return bytes.ReplaceAll(b.Bytes(), []byte("\n"), []byte("\r\n"))
}

// quote puts v in double quotes when reading it back would change it
// otherwise: surrounding spaces, or quotes at either end.
func quote(v string) string {
	if strings.TrimSpace(v) != v || strings.HasPrefix(v, `"`) || strings.HasSuffix(v, `"`) {
		return `"` + v + `"`
	}
	return v
}
