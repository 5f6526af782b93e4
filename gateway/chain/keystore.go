package chain

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
)

// PassphraseEnv is the environment variable Passphrase reads when it is given
// no file.
const PassphraseEnv = "HEARTH_CHAIN_PASSPHRASE"

// NewKeyFile makes a new secp256k1 key and writes it to path as a go-ethereum
// v3 keystore file (the format geth and most wallets import), mode 0600. It
// refuses to overwrite an existing file: the key may hold funds.
//
// light selects scrypt parameters that need 4 MB of memory instead of 256 MB,
// for 512 MB boards; the file is then cheaper to brute-force, so the
// passphrase must be stronger.
func NewKeyFile(path string, passphrase []byte, light bool) (common.Address, error) {
	if len(passphrase) == 0 {
		return common.Address{}, fmt.Errorf("new key %s: %w", path, ErrNoPassphrase)
	}
	priv, err := crypto.GenerateKey()
	if err != nil {
		return common.Address{}, fmt.Errorf("generate key: %w", err)
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return common.Address{}, fmt.Errorf("generate key id: %w", err)
	}
	key := &keystore.Key{Id: id, Address: crypto.PubkeyToAddress(priv.PublicKey), PrivateKey: priv}
	n, p := keystore.StandardScryptN, keystore.StandardScryptP
	if light {
		n, p = keystore.LightScryptN, keystore.LightScryptP
	}
	blob, err := keystore.EncryptKey(key, string(passphrase), n, p)
	if err != nil {
		return common.Address{}, fmt.Errorf("encrypt key: %w", err)
	}
	if err := writeNewFile(path, blob); err != nil {
		return common.Address{}, err
	}
	return key.Address, nil
}

// writeNewFile writes blob to a new file at path, durably, failing when path
// exists. A failed write leaves no file behind, so a retry is not refused.
func writeNewFile(path string, blob []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create key dir: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("key file %s exists; refusing to overwrite it: %w", path, err)
	}
	if err != nil {
		return fmt.Errorf("create key file: %w", err)
	}
	_, err = f.Write(blob)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write key file %s: %w", path, err)
	}
	return nil
}

// LoadKey decrypts the keystore file at path. A wrong passphrase gives
// ErrWrongPassphrase.
func LoadKey(path string, passphrase []byte) (*ecdsa.PrivateKey, common.Address, error) {
	blob, err := os.ReadFile(path)
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("read key file: %w", err)
	}
	key, err := keystore.DecryptKey(blob, string(passphrase))
	if errors.Is(err, keystore.ErrDecrypt) {
		return nil, common.Address{}, fmt.Errorf("decrypt key file %s: %w", path, ErrWrongPassphrase)
	}
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("decrypt key file %s: %w", path, err)
	}
	return key.PrivateKey, key.Address, nil
}

// Passphrase returns the chain key's passphrase: the content of file when
// file is not empty (less one trailing newline), else the value of
// HEARTH_CHAIN_PASSPHRASE. A file that its group or others may access is
// refused with ErrInsecureFile, and an empty passphrase with ErrNoPassphrase.
func Passphrase(file string) ([]byte, error) {
	if file == "" {
		v, ok := os.LookupEnv(PassphraseEnv)
		if !ok || v == "" {
			return nil, fmt.Errorf("%w: give a passphrase file or set %s", ErrNoPassphrase, PassphraseEnv)
		}
		return []byte(v), nil
	}
	st, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("passphrase file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s has mode %v: %w; run chmod 600 %s", file, st.Mode().Perm(), ErrInsecureFile, file)
	}
	blob, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("passphrase file: %w", err)
	}
	s := string(blob)
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s, _ = strings.CutSuffix(t, "\r")
	}
	if s == "" {
		return nil, fmt.Errorf("%w: %s is empty", ErrNoPassphrase, file)
	}
	return []byte(s), nil
}
