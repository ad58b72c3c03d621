package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1
// lane). Memory-hard, so a stolen database is expensive to attack on GPUs.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash of pw in the PHC string
// form. It waits for a hashing slot as long as it takes: its callers are
// administrators and the command line, not strangers.
func HashPassword(pw string) (string, error) {
	release, err := hashing.acquire(context.Background(), false, 0)
	if err != nil {
		return "", err
	}
	defer release()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the encoded hash, reading the
// parameters from the hash so they can be raised later without breaking old
// ones. It waits for a hashing slot as long as it takes; sign-ins use
// checkPassword, which does not.
func CheckPassword(encoded, pw string) (bool, error) {
	release, err := hashing.acquire(context.Background(), false, 0)
	if err != nil {
		return false, err
	}
	defer release()
	return verify(encoded, pw)
}

// checkPassword is CheckPassword for a sign-in: it waits at most
// MaxHashWait for a slot (ErrBusy after), a stranger for a stranger's slot.
func checkPassword(ctx context.Context, encoded, pw string, stranger bool) (bool, error) {
	release, err := hashing.acquire(ctx, stranger, MaxHashWait)
	if err != nil {
		return false, err
	}
	defer release()
	return verify(encoded, pw)
}

// Limits on the parameters read from a stored hash, so a corrupt or planted
// hash cannot make one check take gigabytes.
const (
	maxArgonMemory = 256 * 1024
	maxArgonTime   = 16
)

func verify(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("auth: unknown password hash format")
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, fmt.Errorf("auth: hash parameters: %w", err)
	}
	if mem == 0 || mem > maxArgonMemory || t == 0 || t > maxArgonTime || p == 0 || p > 16 {
		return false, errors.New("auth: hash parameters out of range")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	if len(want) == 0 || len(want) > 64 {
		return false, errors.New("auth: hash length out of range")
	}
	got := argon2.IDKey([]byte(pw), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against for an unknown or locked login, so that
// every refusal costs one argon2id run.
var dummyHash, _ = HashPassword("guatu-timing-equaliser")
