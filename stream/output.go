package stream

import (
	"errors"
	"fmt"
	"strings"
)

// The placeholders of an output topic template.
const (
	placeStream = "{stream}" // the stream's name
	placeTopic  = "{topic}"  // the input message's topic
	placeKey    = "{key}"    // the input message's key
)

// OutputTopic renders an output topic template: {stream}, {topic} and
// {key} are replaced by the values given, as they are. So a topic adds
// its levels, and a key holding '/' adds levels too, while one holding
// '+', '#' or NUL makes the result an invalid topic: check the result
// with ValidTopic and Allowed before publishing it. Any other brace is
// kept (Validate refuses templates that have one).
func OutputTopic(template, stream, topic, key string) string {
	if strings.IndexByte(template, '{') < 0 {
		return template
	}
	var b strings.Builder
	b.Grow(len(template) + len(topic) + len(key) + len(stream))
	for {
		i := strings.IndexByte(template, '{')
		if i < 0 {
			break
		}
		b.WriteString(template[:i])
		template = template[i:]
		switch {
		case strings.HasPrefix(template, placeStream):
			b.WriteString(stream)
			template = template[len(placeStream):]
		case strings.HasPrefix(template, placeTopic):
			b.WriteString(topic)
			template = template[len(placeTopic):]
		case strings.HasPrefix(template, placeKey):
			b.WriteString(key)
			template = template[len(placeKey):]
		default:
			b.WriteByte('{')
			template = template[1:]
		}
	}
	b.WriteString(template)
	return b.String()
}

// checkTemplate refuses braces that are not one of the placeholders.
func checkTemplate(template string) error {
	for rest := template; rest != ""; {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			break
		}
		rest = rest[i:]
		if rest[0] == '}' {
			return errors.New("a '}' that closes no placeholder (the placeholders are {stream}, {topic} and {key})")
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return fmt.Errorf("%s opens a placeholder that is not closed (the placeholders are {stream}, {topic} and {key})", quote(rest))
		}
		switch p := rest[:end+1]; p {
		case placeStream, placeTopic, placeKey:
		default:
			return fmt.Errorf("unknown placeholder %s (the placeholders are {stream}, {topic} and {key})", quote(p))
		}
		rest = rest[end+1:]
	}
	return nil
}

// DefaultAllow returns the filter that output.allow defaults to: the
// template's fixed prefix, up to its last '/' before the first
// placeholder, followed by "#" ("hearth/{stream}/{topic}" gives
// "hearth/#", "out/x{key}" "out/#", "{topic}/x" "#"). A template without
// placeholders gives itself: the one topic it renders. Validate calls it
// with {stream} already replaced by the stream's name, which it knows,
// so that the default above gives "hearth/<name>/#".
func DefaultAllow(template string) string {
	i := strings.IndexByte(template, '{')
	if i < 0 {
		return template
	}
	return template[:strings.LastIndexByte(template[:i], '/')+1] + "#"
}

// Allowed reports whether one of the filters in allow matches topic. Like
// Match, a filter starting with a wildcard does not allow a topic
// starting with '$'.
func Allowed(allow []string, topic string) bool {
	for _, f := range allow {
		if Match(f, topic) {
			return true
		}
	}
	return false
}

// feedsBack returns the first input filter that may match a topic the
// template renders, and whether there is one. The rule is by the
// template's fixed prefix, the text before its first placeholder (all of
// it when it has none), with {stream} replaced first: a template without
// placeholders feeds back when an input matches it; another one when an
// input matches some topic that starts with its prefix, whatever the
// placeholders become. This errs on the side of a loop: "{topic}/out"
// with the input "tele/+/SENSOR" is refused though "tele/x/SENSOR/out" has
// a level too many for it, since "{topic}" alone could be anything.
func feedsBack(template string, inputs []string) (string, bool) {
	prefix, _, open := strings.Cut(template, "{")
	for _, f := range inputs {
		if open && matchesPrefix(f, prefix) || !open && Match(f, prefix) {
			return f, true
		}
	}
	return "", false
}
