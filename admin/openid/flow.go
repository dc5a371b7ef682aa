package openid

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"carecost/domain"
)

// PendingTTL bounds the time from sending a person to the provider to
// their coming back.
const PendingTTL = 10 * time.Minute

// Pending is what a sign-in must remember between sending the person to
// the provider and their coming back: the state, the nonce and the PKCE
// verifier (all secret, single use) and when it began. Keep it server
// side, in the person's session.
type Pending struct {
	State, Nonce, Verifier string
	Started                time.Time
}

// The reasons a sign-in is refused. Every error Finish returns wraps one.
var (
	// ErrState: the answer does not belong to a sign-in this session began
	// (a wrong or missing state), or the sign-in began too long ago.
	ErrState = errors.New("openid: the answer does not match a sign-in begun here")
	// ErrProvider: the provider refused, or could not be asked.
	ErrProvider = errors.New("openid: the provider did not sign the user in")
	// ErrToken: the ID token is not valid (signature, issuer, audience,
	// expiry or nonce).
	ErrToken = errors.New("openid: the ID token is not valid")
	// ErrUser: the token names no usable user, or one without any role in
	// carecost.
	ErrUser = errors.New("openid: the user cannot sign in to carecost")
)

// User is who the provider signed in, in carecost's terms.
type User struct {
	// Subject is the provider's stable id of the person.
	Subject string
	// Name is the carecost login name (LoginName of the name claim).
	Name        string
	DisplayName string
	Groups      []string
	Roles       []domain.Role
	Team        string
}

// Begin starts a sign-in: it returns the provider's URL to send the
// person to and what to remember until they come back.
func (p *Provider) Begin(ctx context.Context) (string, Pending, error) {
	oc, _, err := p.discover(ctx)
	if err != nil {
		return "", Pending{}, errors.Join(ErrProvider, err)
	}
	pd := Pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Started: p.cfg.Now()}
	url := oc.AuthCodeURL(pd.State, oidc.Nonce(pd.Nonce), oauth2.S256ChallengeOption(pd.Verifier))
	return url, pd, nil
}

// Finish completes a sign-in with the state and code the provider sent
// back: the state must be pd's, the code is exchanged (with the PKCE
// verifier) for an ID token, which must be signed by the provider's keys,
// issued by the issuer, for this client, unexpired, and carry pd's nonce.
func (p *Provider) Finish(ctx context.Context, pd Pending, state, code string) (User, error) {
	if pd.State == "" || subtle.ConstantTimeCompare([]byte(state), []byte(pd.State)) != 1 {
		return User{}, ErrState
	}
	if p.cfg.Now().Sub(pd.Started) > PendingTTL {
		return User{}, fmt.Errorf("%w: it began more than %s ago", ErrState, PendingTTL)
	}
	oc, verifier, err := p.discover(ctx)
	if err != nil {
		return User{}, errors.Join(ErrProvider, err)
	}
	tok, err := oc.Exchange(oidc.ClientContext(ctx, p.cfg.HTTPClient), code, oauth2.VerifierOption(pd.Verifier))
	if err != nil {
		return User{}, fmt.Errorf("%w: %s", ErrProvider, exchangeFailure(err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return User{}, fmt.Errorf("%w: the token endpoint sent no ID token", ErrToken)
	}
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return User{}, fmt.Errorf("%w: %v", ErrToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pd.Nonce)) != 1 {
		return User{}, fmt.Errorf("%w: the nonce is not the one this sign-in sent", ErrToken)
	}
	return p.user(idt)
}

// exchangeFailure describes a failed code exchange without the provider's
// answer, which may echo the code.
func exchangeFailure(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		return fmt.Sprintf("the token endpoint answered %d %s", re.Response.StatusCode, re.ErrorCode)
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		return "the token endpoint could not be reached"
	}
	return "the code exchange failed"
}

// random returns 32 random bytes, base64url.
func random() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}
