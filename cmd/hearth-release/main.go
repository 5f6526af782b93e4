// Command hearth-release signs Hearth's update repository (TUF metadata over slot images and
// binaries) on the release side: it makes keys, creates the repository, adds images, publishes
// them and re-signs the timestamp, and writes the offline bundle that `hearth firmware import`
// takes. docs/firmware-updates.md describes the keys and the ceremony.
package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/release"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage: hearth-release <command> [flags]

  keys new FILE...      make Ed25519 keys: FILE (private, 0600) and FILE.pub (public, hex)
  init      -repo DIR -root K1,K2,K3 -threshold 2 -targets K -snapshot K -timestamp K
                        create the repository; root keys given as private files sign it,
                        .pub files only name the others
  add       -repo DIR -key TARGETS_KEY -board B -version V [-min-from V] [-program P | -gateway] FILE
                        add a slot image (hearth-os/B/V/slot.img.zst), with -gateway the slot
                        of gateway-role appliances (hearth-os-gateway/B/V/slot.img.zst, the
                        image's .gateway-slot.img.zst), or with -program a binary (P/B/V,
                        B = linux-<arch>)
  publish   -repo DIR -snapshot KEY -timestamp KEY    make added images visible
  timestamp -repo DIR -key KEY                         re-sign the timestamp (daily)
  bundle    -repo DIR -o FILE                          write the offline bundle (a tar)
`

// run is the program minus the process.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	fs := flag.NewFlagSet("hearth-release "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	repo := fs.String("repo", "", "repository directory")
	var err error
	switch args[0] {
	case "keys":
		if len(args) < 3 || args[1] != "new" {
			fmt.Fprint(stderr, usage)
			return 2
		}
		err = keysNew(args[2:], stdout)
	case "init":
		root := fs.String("root", "", "root keys, comma-separated")
		threshold := fs.Int("threshold", 2, "root keys needed to sign root.json")
		targets := fs.String("targets", "", "release (targets) key")
		snapshot := fs.String("snapshot", "", "snapshot key")
		timestamp := fs.String("timestamp", "", "timestamp key")
		if fs.Parse(args[1:]) != nil {
			return 2
		}
		err = initRepo(*repo, strings.Split(*root, ","), *threshold, *targets, *snapshot, *timestamp)
	case "add":
		key := fs.String("key", "", "release (targets) key")
		board := fs.String("board", "", "board, or linux-<arch> with -program")
		version := fs.String("version", "", "release version")
		minFrom := fs.String("min-from", "", "oldest version that may update to this one")
		program := fs.String("program", "", "a binary's program (hearth-agent); empty for a slot image")
		gateway := fs.Bool("gateway", false, "the slot image of gateway-role appliances (with the gateway)")
		if fs.Parse(args[1:]) != nil || fs.NArg() != 1 {
			fmt.Fprintln(stderr, "add takes one FILE")
			return 2
		}
		if *gateway && *program != "" {
			fmt.Fprintln(stderr, "add: -gateway is for a slot image, -program for a binary: not both")
			return 2
		}
		err = add(*repo, *key, *board, *version, *minFrom, *program, *gateway, fs.Arg(0))
	case "publish":
		snapshot := fs.String("snapshot", "", "snapshot key")
		timestamp := fs.String("timestamp", "", "timestamp key")
		if fs.Parse(args[1:]) != nil {
			return 2
		}
		err = withKeys(func(k ...ed25519.PrivateKey) error {
			return (&release.Repository{Dir: *repo}).Publish(k[0], k[1])
		}, *snapshot, *timestamp)
	case "timestamp":
		key := fs.String("key", "", "timestamp key")
		if fs.Parse(args[1:]) != nil {
			return 2
		}
		err = withKeys(func(k ...ed25519.PrivateKey) error {
			return (&release.Repository{Dir: *repo}).Timestamp(k[0])
		}, *key)
	case "bundle":
		out := fs.String("o", "", "bundle file to write")
		if fs.Parse(args[1:]) != nil || *out == "" {
			return 2
		}
		err = bundle(*repo, *out)
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "hearth-release:", err)
		return 1
	}
	return 0
}

func keysNew(files []string, stdout io.Writer) error {
	for _, f := range files {
		pub, err := release.NewKeyFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(f+".pub", []byte(hex.EncodeToString(pub)+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s ed25519 %x\n", f, pub)
	}
	return nil
}

// loadKey reads a private key file, or a .pub file (hex) for a key that is not here to sign.
func loadKey(path string) (ed25519.PublicKey, ed25519.PrivateKey, error) {
	if path == "" {
		return nil, nil, errors.New("a key file is missing")
	}
	if strings.HasSuffix(path, ".pub") {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		pub, err := hex.DecodeString(strings.TrimSpace(string(data)))
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return nil, nil, fmt.Errorf("%s: not a hex Ed25519 public key", path)
		}
		return pub, nil, nil
	}
	priv, err := release.LoadKeyFile(path)
	if err != nil {
		return nil, nil, err
	}
	return priv.Public().(ed25519.PublicKey), priv, nil
}

func initRepo(dir string, rootFiles []string, threshold int, targets, snapshot, timestamp string) error {
	roles := release.Roles{RootThreshold: threshold}
	var signers []ed25519.PrivateKey
	for _, f := range rootFiles {
		pub, priv, err := loadKey(f)
		if err != nil {
			return err
		}
		roles.Root = append(roles.Root, pub)
		if priv != nil {
			signers = append(signers, priv)
		}
	}
	for _, k := range []struct {
		file string
		pub  *ed25519.PublicKey
	}{{targets, &roles.Targets}, {snapshot, &roles.Snapshot}, {timestamp, &roles.Timestamp}} {
		pub, _, err := loadKey(k.file)
		if err != nil {
			return err
		}
		*k.pub = pub
	}
	return (&release.Repository{Dir: dir}).Init(roles, signers...)
}

func add(dir, key, board, version, minFrom, program string, gateway bool, file string) error {
	c := ota.Custom{Board: board, Version: version, MinFrom: minFrom, Kind: ota.KindSlot}
	name := ota.SlotTarget(board, version)
	switch {
	case program != "":
		c.Kind, name = ota.KindBinary, ota.BinaryTarget(program, board, version)
	case gateway:
		name = ota.GatewaySlotTarget(board, version)
	}
	return withKeys(func(k ...ed25519.PrivateKey) error {
		return (&release.Repository{Dir: dir}).AddTarget(name, file, c, k[0])
	}, key)
}

func withKeys(f func(...ed25519.PrivateKey) error, files ...string) error {
	var keys []ed25519.PrivateKey
	for _, file := range files {
		_, priv, err := loadKey(file)
		if err != nil {
			return err
		}
		if priv == nil {
			return fmt.Errorf("%s: a public key cannot sign", file)
		}
		keys = append(keys, priv)
	}
	return f(keys...)
}

func bundle(dir, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := release.WriteBundle(f, dir); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
