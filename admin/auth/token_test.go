package auth_test

import (
	"regexp"
	"strings"
	"testing"

	"carecost/admin/auth"
	"carecost/domain"
)

func TestNewToken(t *testing.T) {
	id, secret, display := auth.NewToken()
	if display != "cct_"+id+"_"+secret || len(id) != 16 || len(secret) != 43 {
		t.Fatalf("token %q (id %q, secret %q)", display, id, secret)
	}
	if err := domain.ValidSlug("id", id); err != nil {
		t.Errorf("the id is not a slug: %v", err)
	}
	gotID, gotSecret, ok := auth.ParseToken(display)
	if !ok || gotID != id || gotSecret != secret {
		t.Errorf("parse: %q %q %v", gotID, gotSecret, ok)
	}
	id2, secret2, _ := auth.NewToken()
	if id2 == id || secret2 == secret {
		t.Error("two tokens share a part")
	}
}

// A secret may hold '_' and '-' (base64url): only the first '_' after the
// id splits.
func TestParseToken(t *testing.T) {
	secret := "ab_cd-efghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"[:43]
	if id, s, ok := auth.ParseToken("cct_abc123_" + secret); !ok || id != "abc123" || s != secret {
		t.Errorf("%q %q %v", id, s, ok)
	}
	for _, bad := range []string{"", "cct_", "cct_abc", "xct_abc_" + secret, "cct_ABC_" + secret, "cct__" + secret,
		"cct_abc_" + secret[:42], "cct_abc_" + secret + "A", "cct_abc_" + secret[:42] + "=", "Bearer cct_abc_" + secret} {
		if _, _, ok := auth.ParseToken(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestHashSecret(t *testing.T) {
	// SHA-256 of "test", in hex.
	h := auth.HashSecret("test")
	if h != "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" {
		t.Errorf("hash %s", h)
	}
	if !auth.CheckSecret(h, "test") || auth.CheckSecret(h, "test ") || auth.CheckSecret(h, "") || auth.CheckSecret("", "test") {
		t.Error("CheckSecret")
	}
}

func TestGeneratePassword(t *testing.T) {
	pw := auth.GeneratePassword()
	if !regexp.MustCompile(`^[a-z2-7]{4}(-[a-z2-7]{4}){5}$`).MatchString(pw) {
		t.Errorf("password %q", pw)
	}
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		t.Error(err)
	}
	if auth.GeneratePassword() == pw || strings.Contains(pw, "_") {
		t.Error("two generated passwords are equal")
	}
}
