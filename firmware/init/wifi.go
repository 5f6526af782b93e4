package hearthinit

import (
	"errors"
	"strings"
)

// Errors of the Wi-Fi connection. Each message says what to change, as
// the owner reads it on the console or in init.log.
var (
	// ErrNoWifi is returned when hearth.txt asks for Wi-Fi but the
	// device has no Wi-Fi interface.
	ErrNoWifi = errors.New("no Wi-Fi hardware found: this image's Wi-Fi works on the Raspberry Pi 3, 3+, 4 and 400 " +
		"(not yet on the Zero 2 W); plug in a network cable, or remove wifi_ssid from hearth.txt")
	// ErrSSIDNotFound is returned when no network of that name answers.
	ErrSSIDNotFound = errors.New("Wi-Fi network not found: check wifi_ssid in hearth.txt (upper and lower case count) " +
		"and that the device is within reach of the access point (a Pi 3 B sees 2.4 GHz networks only)")
	// ErrWrongPSK is returned when the access point refused the
	// password.
	ErrWrongPSK = errors.New("the Wi-Fi network refused the password: write the right wifi_psk over (stored) in hearth.txt")
	// ErrConnectFailed is returned when a connection failed for another
	// reason the access point or driver gave.
	ErrConnectFailed = errors.New("the Wi-Fi connection failed")
	// ErrNoSupplicant is returned when the adapter cannot do the WPA
	// handshake itself and there is no wpa_supplicant to do it.
	ErrNoSupplicant = errors.New("this Wi-Fi adapter cannot do the WPA2 handshake itself and this image has no wpa_supplicant: " +
		"use the built-in Wi-Fi of a Raspberry Pi 3, 4 or 400 (whose driver, brcmfmac, does it), a network cable, " +
		"or a slot with wpa_supplicant (Debian's wpasupplicant) in /slot/sbin")
)

// handshake is how a connection's keys are agreed.
type handshake string

const (
	// handshakeOpen: an open network (no wifi_psk), connected through
	// nl80211 alone.
	handshakeOpen handshake = "none (open network)"
	// handshakeOffload: the driver does the WPA2 4-way handshake from the
	// PMK (nl80211's 4WAY_HANDSHAKE_STA_PSK), as brcmfmac on every Wi-Fi
	// Raspberry Pi does.
	handshakeOffload handshake = "driver"
	// handshakeSupplicant: wpa_supplicant does it, for adapters whose
	// driver cannot (mac80211 ones: most USB dongles).
	handshakeSupplicant handshake = "wpa_supplicant"
)

// chooseHandshake decides how to connect: open networks and adapters
// whose driver does the handshake (offload) need nothing but nl80211;
// the others need wpa_supplicant, at supplicant ("" when there is none:
// ErrNoSupplicant).
func chooseHandshake(psk string, offload bool, supplicant string) (handshake, error) {
	switch {
	case psk == "":
		return handshakeOpen, nil
	case offload:
		return handshakeOffload, nil
	case supplicant != "":
		return handshakeSupplicant, nil
	}
	return "", ErrNoSupplicant
}

// hasExtFeature reports whether an nl80211 extended-feature bitmap
// (NL80211_ATTR_EXT_FEATURES: bit n is byte n/8, bit n%8) has feature n.
func hasExtFeature(bitmap []byte, n int) bool {
	return n >= 0 && n/8 < len(bitmap) && bitmap[n/8]&(1<<(n%8)) != 0
}

// supplicantEvent is what a line of wpa_supplicant's output says about
// the connection.
type supplicantEvent int

const (
	supNothing supplicantEvent = iota
	supConnected
	supDisconnected
	supWrongPSK
	supNotFound
	supRejected
)

// parseSupplicantLine reads one line of wpa_supplicant's output (at its
// default level: its control events, such as
// "wlan0: CTRL-EVENT-CONNECTED - Connection to ... completed").
func parseSupplicantLine(line string) supplicantEvent {
	switch {
	case strings.Contains(line, "CTRL-EVENT-CONNECTED"):
		return supConnected
	case strings.Contains(line, "reason=WRONG_KEY"), strings.Contains(line, "pre-shared key may be incorrect"):
		return supWrongPSK
	case strings.Contains(line, "CTRL-EVENT-NETWORK-NOT-FOUND"):
		return supNotFound
	case strings.Contains(line, "CTRL-EVENT-ASSOC-REJECT"), strings.Contains(line, "CTRL-EVENT-AUTH-REJECT"):
		return supRejected
	case strings.Contains(line, "CTRL-EVENT-DISCONNECTED"):
		return supDisconnected
	}
	return supNothing
}
