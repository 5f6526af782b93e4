package hearthinit

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
)

// extFeatures is an nl80211 extended-feature bitmap with the given bits.
func extFeatures(bits ...int) []byte {
	b := make([]byte, 9) // 6.1 reports 9 bytes
	for _, n := range bits {
		b[n/8] |= 1 << (n % 8)
	}
	return b
}

// TestHandshakeDecision: the driver does the handshake where its radio
// has 4WAY_HANDSHAKE_STA_PSK (brcmfmac), wpa_supplicant where it lacks it
// (mac80211 drivers), and nothing does it without either.
func TestHandshakeDecision(t *testing.T) {
	const offloadBit = unix.NL80211_EXT_FEATURE_4WAY_HANDSHAKE_STA_PSK
	// brcmfmac on a Pi 3B+ reports, among others, 4WAY_HANDSHAKE_STA_PSK
	// and 4WAY_HANDSHAKE_STA_1X (16); mac80211_hwsim reports neither.
	brcmfmac := extFeatures(unix.NL80211_EXT_FEATURE_CQM_RSSI_LIST, offloadBit, unix.NL80211_EXT_FEATURE_4WAY_HANDSHAKE_STA_1X)
	hwsim := extFeatures(unix.NL80211_EXT_FEATURE_VHT_IBSS, unix.NL80211_EXT_FEATURE_RRM, unix.NL80211_EXT_FEATURE_CQM_RSSI_LIST,
		unix.NL80211_EXT_FEATURE_CONTROL_PORT_OVER_NL80211)
	for _, tc := range []struct {
		name       string
		features   []byte
		psk        string
		supplicant string
		want       handshake
		err        error
	}{
		{"brcmfmac", brcmfmac, "secret-password", "", handshakeOffload, nil},
		{"brcmfmac, a supplicant too", brcmfmac, "secret-password", "/usr/sbin/wpa_supplicant", handshakeOffload, nil},
		{"mac80211 with a supplicant", hwsim, "secret-password", "/slot/sbin/wpa_supplicant", handshakeSupplicant, nil},
		{"mac80211 without a supplicant", hwsim, "secret-password", "", "", ErrNoSupplicant},
		{"no feature bitmap at all", nil, "secret-password", "", "", ErrNoSupplicant},
		{"open network", hwsim, "", "", handshakeOpen, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := chooseHandshake(tc.psk, hasExtFeature(tc.features, offloadBit), tc.supplicant)
			if got != tc.want || !errors.Is(err, tc.err) {
				t.Errorf("chooseHandshake = %q, %v; want %q, %v", got, err, tc.want, tc.err)
			}
		})
	}
	if hasExtFeature(extFeatures(offloadBit+1), offloadBit) || hasExtFeature(extFeatures(offloadBit-1), offloadBit) ||
		!hasExtFeature(extFeatures(offloadBit), offloadBit) || hasExtFeature([]byte{0xff}, 8) || hasExtFeature([]byte{0xff}, -1) {
		t.Error("hasExtFeature reads the wrong bit")
	}
}

// TestSupplicantConfig: the network's name in hex and the password only
// as its PMK, which is IEEE 802.11i's test vector (passphrase
// "password", SSID "IEEE").
func TestSupplicantConfig(t *testing.T) {
	conf, err := supplicantConfig("IEEE", "password", "DE")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"country=DE\n", "p2p_disabled=1\n", "ssid=" + hex.EncodeToString([]byte("IEEE")) + "\n",
		"psk=f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e\n", "key_mgmt=WPA-PSK"} {
		if !strings.Contains(conf, want) {
			t.Errorf("config lacks %q:\n%s", want, conf)
		}
	}
	if strings.Contains(conf, "password") {
		t.Errorf("the passphrase is in the config:\n%s", conf)
	}
	open, _ := supplicantConfig("Café \"net\"", "", "")
	if !strings.Contains(open, "key_mgmt=NONE") || strings.Contains(open, "country=") || !strings.Contains(open, hex.EncodeToString([]byte("Café \"net\""))) {
		t.Errorf("open network's config:\n%s", open)
	}
}

func TestParseSupplicantLine(t *testing.T) {
	for line, want := range map[string]supplicantEvent{
		"wlan1: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed [id=0 id_str=]":                 supConnected,
		"wlan1: CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:00:00 reason=3 locally_generated=1":                    supDisconnected,
		"wlan1: WPA: 4-Way Handshake failed - pre-shared key may be incorrect":                                   supWrongPSK,
		"wlan1: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"hearth\" auth_failures=1 duration=10 reason=WRONG_KEY": supWrongPSK,
		"wlan1: CTRL-EVENT-NETWORK-NOT-FOUND":                                                                    supNotFound,
		"wlan1: CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:00:00 status_code=17":                                  supRejected,
		"wlan1: SME: Trying to authenticate with 02:00:00:00:00:00 (SSID='hearth' freq=2412 MHz)":                supNothing,
		"Successfully initialized wpa_supplicant":                                                                supNothing,
	} {
		if got := parseSupplicantLine(line); got != want {
			t.Errorf("parseSupplicantLine(%q) = %d, want %d", line, got, want)
		}
	}
}

// TestParseMLME reads connect and disconnect events as the kernel sends
// them, and passes over the group's other messages.
func TestParseMLME(t *testing.T) {
	msg := func(cmd uint8, attrs ...netlink.Attribute) genetlink.Message {
		b, err := netlink.MarshalAttributes(attrs)
		if err != nil {
			t.Fatal(err)
		}
		return genetlink.Message{Header: genetlink.Header{Command: cmd}, Data: b}
	}
	u32 := func(typ uint16, v uint32) netlink.Attribute {
		return netlink.Attribute{Type: typ, Data: binary.NativeEndian.AppendUint32(nil, v)}
	}
	u16 := func(typ uint16, v uint16) netlink.Attribute {
		return netlink.Attribute{Type: typ, Data: binary.NativeEndian.AppendUint16(nil, v)}
	}
	mac := netlink.Attribute{Type: unix.NL80211_ATTR_MAC, Data: []byte{2, 0, 0, 0, 1, 0}}

	ev, ok := parseMLME(msg(unix.NL80211_CMD_CONNECT, u32(unix.NL80211_ATTR_IFINDEX, 7), mac, u16(unix.NL80211_ATTR_STATUS_CODE, 0)))
	if !ok || ev.ifindex != 7 || ev.status != 0 || !ev.hasBSSID {
		t.Errorf("connect success: %+v %v", ev, ok)
	}
	ev, _ = parseMLME(msg(unix.NL80211_CMD_CONNECT, u32(unix.NL80211_ATTR_IFINDEX, 7), u16(unix.NL80211_ATTR_STATUS_CODE, 1),
		netlink.Attribute{Type: unix.NL80211_ATTR_TIMED_OUT}, u32(unix.NL80211_ATTR_TIMEOUT_REASON, timeoutScan)))
	if ev.status != 1 || ev.hasBSSID || !errors.Is(connectError(ev, handshakeOffload, true), ErrSSIDNotFound) {
		t.Errorf("connect to a network not found: %+v", ev)
	}
	ev, _ = parseMLME(msg(unix.NL80211_CMD_CONNECT, u32(unix.NL80211_ATTR_IFINDEX, 7), mac, u16(unix.NL80211_ATTR_STATUS_CODE, 16)))
	if err := connectError(ev, handshakeOffload, true); !errors.Is(err, ErrWrongPSK) {
		t.Errorf("a failed handshake in the driver: %v", err)
	}
	if err := connectError(ev, handshakeOpen, true); !errors.Is(err, ErrConnectFailed) {
		t.Errorf("a refused open connection: %v", err)
	}
	ev, ok = parseMLME(msg(unix.NL80211_CMD_DISCONNECT, u32(unix.NL80211_ATTR_IFINDEX, 7), u16(unix.NL80211_ATTR_REASON_CODE, 3)))
	if !ok || ev.cmd != unix.NL80211_CMD_DISCONNECT || ev.reason != 3 {
		t.Errorf("disconnect: %+v %v", ev, ok)
	}
	if _, ok := parseMLME(msg(unix.NL80211_CMD_AUTHENTICATE, u32(unix.NL80211_ATTR_IFINDEX, 7))); ok {
		t.Error("an authenticate event was taken for a connection event")
	}
}

func TestWifiPassword(t *testing.T) {
	dir := t.TempDir()
	if psk, err := WifiPassword(hearthtxt.Config{WifiPSK: "fresh password"}, dir); psk != "fresh password" || err != nil {
		t.Errorf("fresh: %q %v", psk, err)
	}
	if _, err := WifiPassword(hearthtxt.Config{WifiPSK: hearthtxt.Stored}, dir); !errors.Is(err, ErrPSKLost) {
		t.Errorf("stored but lost: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, WifiPSKFile), []byte(" spaced password \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if psk, err := WifiPassword(hearthtxt.Config{WifiPSK: hearthtxt.Stored}, dir); psk != " spaced password " || err != nil {
		t.Errorf("stored: %q %v", psk, err)
	}
}
