package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
	"github.com/hearth-home/hearth/firmware/image"
)

func firmwareCmd() *command {
	return &command{
		name:    "firmware",
		summary: "Hearth OS: set up a card's image, import and follow signed updates",
		help: `Set up a Hearth OS image (hearth-<board>-<version>.img, from make image or a
release) or a card it was written to, without mounting it: its boot partition
holds hearth.txt, which the device reads when it starts (configure, show). And
hand your gateway a signed release for its devices, then follow it from one
device to all (import, status; docs/firmware.md).`,
		example: `hearth firmware configure hearth-rpi-arm64-0.4.0.img --token hearth1.ABC... --name kitchen-pi
hearth firmware show /dev/sdb
hearth firmware import hearth-os-0.5.0.tar
hearth firmware status`,
		subs: []*command{firmwareConfigureCmd(), firmwareShowCmd(), firmwareImportCmd(), firmwareStatusCmd()},
	}
}

// configureFlags are the flags of firmware configure, each a key of
// hearth.txt.
var configureFlags = []struct{ flag, key, usage string }{
	{"role", "role", "agent (runs work) or gateway (coordinates the home)"},
	{"token", "token", "the join token that hearth-gateway init printed"},
	{"join", "join", "the gateway's host[:port], where mDNS does not reach it"},
	{"name", "name", "the device's name in hearth pool ls"},
	{"wifi-ssid", "wifi_ssid", "the Wi-Fi network's name"},
	{"wifi-psk", "wifi_psk", "the Wi-Fi password"},
	{"wifi-country", "wifi_country", "the Wi-Fi country, two letters, e.g. DE"},
	{"ssh-key", "ssh_key", "a public key (ssh-ed25519 AAAA... you@host) that may log in"},
	{"power-budget", "power_budget", "the device's power budget in watts, e.g. 4.5"},
	{"timezone", "timezone", "the time zone, e.g. Europe/Berlin"},
	{"ip", "ip", "a fixed address with its prefix, e.g. 192.168.1.50/24 (default: DHCP)"},
	{"router", "router", "the router's address, with --ip"},
	{"dns", "dns", "name servers, comma-separated, with --ip"},
	{"ntp", "ntp", "time servers, comma-separated (default pool.ntp.org), or off"},
	{"trial-timeout", "trial_timeout", "how long a new release may take to pair again before the device goes back, e.g. 120s"},
}

func firmwareConfigureCmd() *command {
	return &command{
		name:    "configure",
		args:    "IMAGE",
		nargs:   1,
		summary: "write the device's settings (hearth.txt) into an image or card",
		help: `Set the settings of the device that IMAGE will start, in the hearth.txt of its
boot partition: the settings given here replace those the file has, the
others are kept (--reset drops them). IMAGE is a raw image (.img; decompress
an .img.xz first) or a card it was written to, e.g. /dev/sdb (as root). The
file is rewritten with a note on every setting, and can still be edited by
hand afterwards. The token and the Wi-Fi password leave the card for the
device's data partition when it first starts.`,
		example: `hearth firmware configure hearth-generic-arm64-0.4.0.img --token-file token.txt --name study-pi
hearth firmware configure /dev/sdb --role gateway --name hearth-gw --timezone Europe/Berlin`,
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			vals := make([]*string, len(configureFlags))
			for i, f := range configureFlags {
				vals[i] = fs.String(f.flag, "", f.usage)
			}
			tokenFile := fs.String("token-file", "", "read the join token from `FILE` (keeps it out of the shell's history)")
			sshKeyFile := fs.String("ssh-key-file", "", "read the public key from `FILE`, e.g. ~/.ssh/id_ed25519.pub")
			reset := fs.Bool("reset", false, "start from an empty hearth.txt instead of the image's")
			return func(_ context.Context, args []string) error {
				set := map[string]string{}
				for i, f := range configureFlags {
					if *vals[i] != "" {
						set[f.key] = *vals[i]
					}
				}
				for key, file := range map[string]string{"token": *tokenFile, "ssh_key": *sshKeyFile} {
					if file == "" {
						continue
					}
					if set[key] != "" {
						return usageErrorf("give the %s once: as a value or as a file", strings.ReplaceAll(key, "_", " "))
					}
					b, err := os.ReadFile(file)
					if err != nil {
						return err
					}
					set[key] = strings.TrimSpace(string(b))
				}
				return c.firmwareConfigure(args[0], set, *reset)
			}
		},
	}
}

func (c *cli) firmwareConfigure(img string, set map[string]string, reset bool) error {
	var cfg hearthtxt.Config
	if !reset {
		old, err := image.ReadBootFile(img, "hearth.txt")
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return err
		default:
			if cfg, err = hearthtxt.Parse(old); err != nil {
				return fmt.Errorf("the hearth.txt in %s has mistakes; fix them with the flags, or start afresh with --reset:\n%w", img, err)
			}
		}
	}
	for _, f := range configureFlags { // in the file's order, for the messages
		if v, ok := set[f.key]; ok {
			if err := hearthtxt.Set(&cfg, f.key, v); err != nil {
				if inner := errors.Unwrap(err); inner != nil {
					err = inner // Set names the key; the flag is named here
				}
				return usageErrorf("--%s: %v", f.flag, err)
			}
		}
	}
	if err := cfg.Validate(); err != nil {
		return usageErrorf("%v", err)
	}
	if err := image.WriteBootFile(img, "hearth.txt", hearthtxt.Format(cfg)); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "wrote hearth.txt to %s\n", img)
	return c.writeHearthTxt(cfg)
}

func firmwareShowCmd() *command {
	return &command{
		name:    "show",
		args:    "IMAGE",
		nargs:   1,
		summary: "show the settings an image or card will start with",
		help: `Print the settings in the hearth.txt of IMAGE (an image or a card), the token
and Wi-Fi password masked, and any mistakes in the file, by line.`,
		example: "hearth firmware show hearth-generic-arm64-0.4.0.img",
		offline: true,
		bind: func(c *cli, fs *flag.FlagSet) action {
			return func(_ context.Context, args []string) error {
				b, err := image.ReadBootFile(args[0], "hearth.txt")
				if err != nil {
					return err
				}
				cfg, perr := hearthtxt.Parse(b)
				if err := c.writeHearthTxt(cfg); err != nil {
					return err
				}
				if perr != nil {
					return fmt.Errorf("hearth.txt has mistakes:\n%w", perr)
				}
				return nil
			}
		},
	}
}

// writeHearthTxt prints the settings that are set, secrets masked.
func (c *cli) writeHearthTxt(cfg hearthtxt.Config) error {
	mask := func(v string) string {
		if v == "" || v == hearthtxt.Stored {
			return v
		}
		return "(set)"
	}
	role := cfg.EffectiveRole()
	fmt.Fprintf(c.stdout, "  %-13s %s\n", "role", role)
	rows := [][2]string{
		{"token", mask(cfg.Token)}, {"join", cfg.JoinAddr()}, {"name", cfg.Name},
		{"wifi_ssid", cfg.WifiSSID}, {"wifi_psk", mask(cfg.WifiPSK)}, {"wifi_country", cfg.WifiCountry},
		{"timezone", cfg.Timezone},
	}
	if cfg.SSHKey != "" {
		rows = append(rows, [2]string{"ssh_key", "(set)"})
	}
	if cfg.PowerBudget > 0 {
		rows = append(rows, [2]string{"power_budget", fmt.Sprintf("%g W", cfg.PowerBudget)})
	}
	if cfg.IP.IsValid() {
		rows = append(rows, [2]string{"ip", cfg.IP.String()})
	}
	for _, r := range rows {
		if r[1] != "" {
			fmt.Fprintf(c.stdout, "  %-13s %s\n", r[0], r[1])
		}
	}
	if role == hearthtxt.RoleAgent && cfg.Token == "" {
		fmt.Fprintln(c.stdout, "no token: the device will wait until you approve it (hearth pool approve ID)")
	}
	return nil
}
