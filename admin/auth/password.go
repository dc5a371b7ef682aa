// Package auth holds the secrets of carecost's local accounts and API
// tokens: hashing and checking passwords (argon2id), the password policy,
// and making, parsing and hashing API tokens. It never stores, logs or
// returns a password or a token secret; callers keep only the hashes
// (docs/security.md).
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"runtime"

	"golang.org/x/crypto/argon2"
)

// The argon2id parameters of new password hashes: the first of OWASP's
// recommended settings (Password Storage Cheat Sheet), 19 MiB of memory, 2
// passes, 1 lane. One hash takes some tens of milliseconds on one core, and
// the memory bounds what guessing on graphics cards gains. Hashes keep their
// parameters, so these can be raised later (NeedsRehash) and old hashes
// still check.
const (
	Memory  = 19 * 1024 // KiB
	Time    = 2
	Threads = 1
	SaltLen = 16 // bytes
	KeyLen  = 32 // bytes
)

// current are the parameters HashPassword writes.
var current = params{memory: Memory, time: Time, threads: Threads, keyLen: KeyLen}

// slots bounds the argon2id runs at once to the processors: each takes
// Memory, so a burst of sign-ins waits instead of taking the machine's
// memory.
var slots = make(chan struct{}, runtime.GOMAXPROCS(0))

// HashPassword checks pw against the password policy (CheckPasswordPolicy)
// and returns its argon2id hash in PHC string format,
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, with a random 16-byte salt.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	salt := make([]byte, SaltLen)
	rand.Read(salt) // never fails (crypto/rand)
	return current.encode(salt, derive(pw, salt, current)), nil
}

// CheckPassword reports whether pw is the password of hash, comparing in
// constant time with the parameters the hash was made with. A hash that is
// not an argon2id PHC string is an error (ErrHashFormat). An empty hash (an
// unknown user, or one without a local password) is false after the same
// work as a real check, so the answer's time does not tell which it was.
func CheckPassword(hash, pw string) (ok bool, err error) {
	if hash == "" {
		derive(pw, dummySalt, current)
		return false, nil
	}
	p, salt, key, err := parse(hash)
	if err != nil {
		return false, err
	}
	got := derive(pw, salt, p)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than
// HashPassword uses now (or cannot be read): after a successful sign-in,
// the password can then be hashed again.
func NeedsRehash(hash string) bool {
	p, salt, _, err := parse(hash)
	return err != nil || p != current || len(salt) != SaltLen
}

var dummySalt = make([]byte, SaltLen)

// derive runs argon2id, waiting for a free slot.
func derive(pw string, salt []byte, p params) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	return argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, p.keyLen)
}
