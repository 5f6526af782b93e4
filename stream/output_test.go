package stream

import (
	"strings"
	"testing"
)

func TestOutputTopic(t *testing.T) {
	for _, c := range []struct {
		template, want string
	}{
		{"hearth/{stream}/{topic}", "hearth/energy/zigbee2mqtt/plug1"},
		{"out/{key}", "out/plug-1"},
		{"{stream}{stream}/{key}/{topic}", "energyenergy/plug-1/zigbee2mqtt/plug1"},
		{"fixed/topic", "fixed/topic"},
		{"a/{unknown}/{key", "a/{unknown}/{key"},
		{"{{key}}", "{plug-1}"},
		{"", ""},
	} {
		if got := OutputTopic(c.template, "energy", "zigbee2mqtt/plug1", "plug-1"); got != c.want {
			t.Errorf("OutputTopic(%q) = %q, want %q", c.template, got, c.want)
		}
	}
}

func TestCheckTemplate(t *testing.T) {
	for _, c := range []struct {
		template, want string
	}{
		{"hearth/{stream}/{topic}", ""},
		{"{key}", ""},
		{"plain", ""},
		{"a/{Key}", `unknown placeholder "{Key}"`},
		{"a/{}", `unknown placeholder "{}"`},
		{"a/{{key}}", `unknown placeholder "{{key}"`},
		{"a/{key", "not closed"},
		{"a/key}", "closes no placeholder"},
		{"a/{key}}", "closes no placeholder"},
	} {
		err := checkTemplate(c.template)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("checkTemplate(%q) = %v, want nil", c.template, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("checkTemplate(%q) = %v, want an error saying %s", c.template, err, c.want)
		}
	}
}

func TestDefaultAllow(t *testing.T) {
	for _, c := range []struct {
		template, want string
	}{
		{"hearth/{stream}/{topic}", "hearth/#"},
		{"hearth/energy/{topic}", "hearth/energy/#"},
		{"out/x{key}", "out/#"},
		{"out/x/{key}/y", "out/x/#"},
		{"{topic}/x", "#"},
		{"x{key}", "#"},
		{"fixed/topic", "fixed/topic"},
		{"a//{key}", "a//#"},
	} {
		got := DefaultAllow(c.template)
		if got != c.want {
			t.Errorf("DefaultAllow(%q) = %q, want %q", c.template, got, c.want)
		}
		if err := ValidFilter(got); err != nil {
			t.Errorf("DefaultAllow(%q) = %q: %v", c.template, got, err)
		}
		// It allows whatever the template renders without '/' in values.
		if out := OutputTopic(c.template, "s", "t", "k"); !Match(got, out) {
			t.Errorf("DefaultAllow(%q) = %q does not allow %q", c.template, got, out)
		}
	}
}

func TestAllowed(t *testing.T) {
	allow := []string{"hearth/energy/#", "homeassistant/sensor/+/config"}
	for _, c := range []struct {
		topic string
		want  bool
	}{
		{"hearth/energy/zigbee2mqtt/plug1", true},
		{"hearth/energy", true},
		{"hearth/other/x", false},
		{"homeassistant/sensor/plug1/config", true},
		{"homeassistant/sensor/plug1/state", false},
		{"$SYS/x", false},
		{"hearth/energy/+", false}, // not a topic
	} {
		if got := Allowed(allow, c.topic); got != c.want {
			t.Errorf("Allowed(%q) = %v, want %v", c.topic, got, c.want)
		}
	}
	if Allowed(nil, "a") || !Allowed([]string{"#"}, "a") || Allowed([]string{"#"}, "$SYS/a") {
		t.Error("Allowed: nil allows something, or \"#\" is not every topic but $ ones")
	}
}

func TestFeedsBack(t *testing.T) {
	for _, c := range []struct {
		template string // {stream} already replaced
		inputs   []string
		want     string // the filter found, "" for none
	}{
		{"hearth/energy/{topic}", []string{"zigbee2mqtt/+", "tele/+/SENSOR"}, ""},
		{"hearth/energy/{topic}", []string{"zigbee2mqtt/+", "hearth/#"}, "hearth/#"},
		{"hearth/energy/{topic}", []string{"hearth/+/+"}, "hearth/+/+"},
		{"hearth/energy/{topic}", []string{"hearth/+"}, ""}, // outputs have three levels or more
		{"hearth/energy/{topic}", []string{"hearth/other/#"}, ""},
		{"hearth/energy/{topic}", []string{"#"}, "#"},
		{"hearth/energy/{topic}", []string{"+/energy/#"}, "+/energy/#"},
		{"hearth/energy{key}", []string{"hearth/energy-x/+"}, "hearth/energy-x/+"}, // {key} may be "-x/y"
		{"{topic}/out", []string{"tele/+/SENSOR"}, "tele/+/SENSOR"},                // errs on the loop's side
		{"$hearth/{topic}", []string{"#", "+/x"}, ""},
		{"fixed/out", []string{"fixed/+"}, "fixed/+"},
		{"fixed/out", []string{"fixed/out/+"}, ""}, // no placeholder: only that topic
		{"fixed/out", []string{"fixed/out/#"}, "fixed/out/#"},
	} {
		got, ok := feedsBack(c.template, c.inputs)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("feedsBack(%q, %q) = %q, %v; want %q", c.template, c.inputs, got, ok, c.want)
		}
	}
}
