package auth_test

import (
	"errors"
	"strings"
	"testing"

	"carecost/admin/auth"
	"carecost/domain"
)

const goodPassword = "correct horse battery"

func TestHashPassword(t *testing.T) {
	h, err := auth.HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || len(strings.Split(h, "$")) != 6 || strings.Contains(h, goodPassword) {
		t.Fatalf("hash %q is not a PHC argon2id string with the documented parameters", h)
	}
	again, _ := auth.HashPassword(goodPassword)
	if again == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{{goodPassword, true}, {goodPassword + " ", false}, {"Correct horse battery", false}, {"", false}} {
		ok, err := auth.CheckPassword(h, c.pw)
		if err != nil || ok != c.want {
			t.Errorf("check %q = %v, %v; want %v", c.pw, ok, err, c.want)
		}
	}
	if auth.NeedsRehash(h) {
		t.Error("a new hash needs rehashing")
	}
}

// A hash keeps its parameters: one made with others still checks, and
// asks to be rehashed. The hash is a test vector of the reference
// implementation (phc-winner-argon2, as golang.org/x/crypto/argon2 tests
// it): argon2id, m=64, t=2, p=2, password "password", salt "somesalt".
func TestCheckPasswordReadsParameters(t *testing.T) {
	const ref = "$argon2id$v=19$m=64,t=2,p=2$c29tZXNhbHQ$NQrDciL0Nsy1wJcvHr079rlYvyBxhBNi"
	ok, err := auth.CheckPassword(ref, "password")
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Error("the reference hash does not check")
	}
	if !auth.NeedsRehash(ref) {
		t.Error("a hash with weaker parameters does not ask to be rehashed")
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	for _, h := range []string{
		"plain",
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$short",
		"$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		if ok, err := auth.CheckPassword(h, goodPassword); ok || !errors.Is(err, auth.ErrHashFormat) || !strings.HasPrefix(err.Error(), "auth: ") {
			t.Errorf("%q: %v, %v", h, ok, err)
		}
	}
	// No hash: false, no error, after the same work.
	if ok, err := auth.CheckPassword("", goodPassword); ok || err != nil {
		t.Errorf("empty hash: %v, %v", ok, err)
	}
}

func TestPasswordPolicy(t *testing.T) {
	for _, c := range []struct {
		pw, want string
	}{
		{"qwzx", "too short"},
		{"elevenchars", "too short"},
		{"twelve chars", ""},
		{"äöåäöåäöåäöå", ""}, // characters, not bytes
		{strings.Repeat("x", 256), ""},
		{strings.Repeat("x", 257), "too long"},
		{strings.Repeat(" ", 14), "white space"},
		{"\t\n  \t\n  \t\n  ", "white space"},
		{"bad utf-8 \xff\xfe!", "UTF-8"},
	} {
		err := auth.CheckPasswordPolicy(c.pw)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || domain.ErrorField(err) != "password") {
			t.Errorf("%q: %v, want %q", c.pw, err, c.want)
		}
		if err != nil && len(c.pw) > 3 && strings.Contains(err.Error(), c.pw) {
			t.Errorf("the message repeats the password: %v", err)
		}
		if _, herr := auth.HashPassword(c.pw); (herr == nil) != (err == nil) {
			t.Errorf("HashPassword(%q) = %v, policy %v", c.pw, herr, err)
		}
	}
}

// BenchmarkCheckPassword measures one sign-in's hashing cost.
func BenchmarkCheckPassword(b *testing.B) {
	h, err := auth.HashPassword(goodPassword)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		auth.CheckPassword(h, goodPassword)
	}
}
