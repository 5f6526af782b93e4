package hearthinit

import (
	"bufio"
	"context"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// supplicantConfig is wpa_supplicant's configuration for one network.
// The SSID is written in hex (no quoting to get wrong) and the password
// only as the PMK derived from it (IEEE 802.11i: PBKDF2-SHA1, the SSID as
// salt, 4096 rounds): the passphrase itself never leaves hearth-init.
func supplicantConfig(ssid, psk, country string) (string, error) {
	var b strings.Builder
	b.WriteString("# written by hearth-init at each start\n")
	if country != "" {
		b.WriteString("country=" + country + "\n")
	}
	// No Wi-Fi Direct: its extra interface (p2p-dev-wlan0) only scans
	// beside the connection, and a scan of it cut short by a restart
	// kept the radio's scans busy under mac80211_hwsim.
	b.WriteString("p2p_disabled=1\nap_scan=1\nnetwork={\n\tssid=" + hex.EncodeToString([]byte(ssid)) + "\n\tscan_ssid=1\n")
	if psk == "" {
		b.WriteString("\tkey_mgmt=NONE\n")
	} else {
		pmk, err := wpaPMK(ssid, psk)
		if err != nil {
			return "", err
		}
		b.WriteString("\tkey_mgmt=WPA-PSK WPA-PSK-SHA256\n\tpsk=" + hex.EncodeToString(pmk) + "\n")
	}
	b.WriteString("}\n")
	return b.String(), nil
}

// wpaPMK derives WPA2's pairwise master key from the passphrase.
func wpaPMK(ssid, psk string) ([]byte, error) {
	return pbkdf2.Key(sha1.New, psk, []byte(ssid), 4096, 32)
}

// runSupplicant runs wpa_supplicant on the interface and starts it again
// when it exits; it connects, and reconnects, by itself. Its output says
// how the connection goes (at its default level it never prints keys).
func (w *Wifi) runSupplicant(ctx context.Context, path string, seen bool) error {
	name := w.Link.Attrs().Name
	conf, err := supplicantConfig(w.SSID, w.PSK, w.Country)
	if err != nil {
		return err
	}
	dir := w.RunDir
	if dir == "" {
		dir = "/run/hearth"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	confPath := filepath.Join(dir, "wpa_supplicant-"+name+".conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		return err
	}
	start := w.Start
	if start == nil {
		start = execStart
	}
	backoff := time.Second
	for ctx.Err() == nil {
		began := time.Now()
		cmd := exec.Command(path, "-i", name, "-D", "nl80211", "-c", confPath)
		cmd.Env = append(os.Environ(), w.SupplicantEnv...)
		pr, pw := io.Pipe()
		p, err := start(cmd, pw)
		if err != nil {
			pw.Close()
			pr.Close()
			w.log.Error("starting wpa_supplicant", "path", path, "err", err)
		} else {
			read := make(chan struct{})
			go func() {
				defer close(read)
				w.readSupplicant(ctx, pr, seen)
			}()
			exited := make(chan error, 1)
			go func() { exited <- p.Wait() }()
			select {
			case err = <-exited:
			case <-ctx.Done():
				p.Signal(syscall.SIGTERM)
				select {
				case err = <-exited:
				case <-time.After(5 * time.Second):
					p.Signal(syscall.SIGKILL)
					err = <-exited
				}
			}
			pw.Close()
			<-read
			pr.Close()
			if ctx.Err() != nil {
				break
			}
		}
		if time.Since(began) > time.Minute {
			backoff = time.Second
		}
		w.log.Warn("wpa_supplicant stopped; starting it again", "err", err, "in", backoff)
		if !sleep(ctx, backoff) {
			break
		}
		backoff = min(2*backoff, 30*time.Second)
	}
	return nil
}

// readSupplicant follows wpa_supplicant's output: connections, drops and
// the failures worth telling the owner, in hearth.txt's words.
func (w *Wifi) readSupplicant(ctx context.Context, r io.Reader, seen bool) {
	sc := bufio.NewScanner(r)
	up := false
	for sc.Scan() {
		line := sc.Text()
		w.log.Debug("wpa_supplicant", "line", line)
		switch parseSupplicantLine(line) {
		case supConnected:
			if !up {
				up = true
				w.connected(handshakeSupplicant)
			}
		case supDisconnected:
			if up && ctx.Err() == nil {
				up = false
				w.log.Warn("Wi-Fi connection lost; wpa_supplicant connects again", "ssid", w.SSID)
			}
		case supWrongPSK:
			w.fail(ErrWrongPSK)
		case supNotFound:
			w.fail(ErrSSIDNotFound)
		case supRejected:
			if !seen {
				w.fail(ErrSSIDNotFound)
			} else {
				w.fail(fmt.Errorf("%w: the access point refused the association: %s", ErrConnectFailed, eventText(line)))
			}
		}
	}
}

// eventText is a wpa_supplicant line from its event name on.
func eventText(line string) string {
	if i := strings.Index(line, "CTRL-EVENT-"); i >= 0 {
		return line[i:]
	}
	return line
}
