package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"carecost/admin/openid/openidtest"
)

// chromiumPath is Debian's chromium, which make test installs (.ci/setup).
const chromiumPath = "/usr/bin/chromium"

// A person signs in through the OpenID Connect provider in a real
// browser: the sign-in page (screenshots in Finnish and English), "sign
// in with the provider", the provider's sign-in, back to carecost signed
// in with the role of a group claim; the browser opens an estimate
// through the API with the session and its CSRF token, and the estimate's
// events name the user; signing out ends the session, which is refused
// after.
func TestBrowserSignInThroughProvider(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser test needs %s (make deps installs it): %v", chromiumPath, err)
	}
	if _, err := exec.LookPath(chromiumPath); err != nil {
		t.Fatalf("%s is not runnable: %v", chromiumPath, err)
	}
	idp := openidtest.Start(t)
	idp.QueueUser("Maija.Meikalainen@county.example", "carecost-case-managers-north")
	dir := t.TempDir()
	addr := freeAddr(t)
	base := "http://" + addr
	secret, mapping := filepath.Join(dir, "client-secret"), filepath.Join(dir, "oidc-mapping.json")
	must(t, os.WriteFile(secret, []byte(idp.ClientSecret+"\n"), 0o600))
	must(t, os.WriteFile(mapping, []byte(`{"roles": {"carecost-case-managers-north": ["case_manager"]},
		"teams": {"carecost-case-managers-north": "north"}}`), 0o600))
	srv := startTestServerWith(t, config{data: filepath.Join(dir, "data"), addr: addr, logFormat: "json", demo: true,
		waitTimeout: 5 * time.Second, signIn: signInConfig{insecureCookies: true, issuer: idp.Issuer(), clientID: idp.ClientID,
			secretFile: secret, redirect: base + "/login/oidc/callback", groupsClaim: "groups", nameClaim: "preferred_username",
			displayNameClaim: "name", scopes: "openid profile email groups", mappingFile: mapping, label: "Test IdP"}})
	caseJSON, err := os.ReadFile("../../docs/examples/case.json")
	must(t, err)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1024, 768))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx)
	defer cancelCtx()
	ctx, cancel := context.WithTimeout(ctx, 25*time.Second)
	defer cancel()

	for _, lang := range []string{"fi", "en"} {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/login?lang="+lang), chromedp.WaitVisible(chromedp.ID("sign-in-provider"))))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(t, err)
		path := filepath.Join(dir, "login-"+lang+".png")
		must(t, os.WriteFile(path, png, 0o644))
		t.Logf("screenshot of the sign-in page (%s): %s", lang, path)
	}
	label, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("sign-in-provider")))
	must(t, err)
	if label != "Sign in with Test IdP" {
		t.Errorf("the provider's button says %q", label)
	}

	// Through the provider and back, signed in.
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("sign-in-provider")),
		chromedp.WaitVisible(chromedp.CSS("main h1"))))
	where, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	if where != base+"/" {
		t.Fatalf("after signing in the browser is at %s", where)
	}
	var who struct {
		Status int
		Body   struct {
			User  string   `json:"user"`
			Roles []string `json:"roles"`
			Team  string   `json:"team"`
			CSRF  string   `json:"csrf_token"`
		}
	}
	evaluate(t, ctx, `fetch("/api/v1/session").then(async r => ({status: r.status, body: await r.json()}))`, &who)
	if who.Status != 200 || who.Body.User != "maija.meikalainen_county.example" || strings.Join(who.Body.Roles, ",") != "case_manager" ||
		who.Body.Team != "north" || who.Body.CSRF == "" {
		t.Fatalf("the session: %+v", who)
	}

	// An estimate opened by the browser's session, with the CSRF token.
	var opened struct {
		Status int
		Body   struct {
			ID string `json:"id"`
		}
	}
	evaluate(t, ctx, `fetch("/api/v1/session").then(r => r.json()).then(s => fetch("/api/v1/estimates", {method: "POST",
		headers: {"Content-Type": "application/json", "X-Csrf-Token": s.csrf_token}, body: JSON.stringify(`+string(caseJSON)+`)}))
		.then(async r => ({status: r.status, body: await r.json()}))`, &opened)
	if opened.Status != 201 || opened.Body.ID == "" {
		t.Fatalf("opening an estimate: %+v", opened)
	}
	var events []struct {
		Metadata struct {
			ActorID   string `json:"actor_id"`
			ActorRole string `json:"actor_role"`
		} `json:"metadata"`
	}
	srv.client(t).do("GET", "/api/v1/estimates/"+opened.Body.ID+"/events", nil).want(t, 200).into(t, &events)
	if len(events) == 0 || events[0].Metadata.ActorID != "maija.meikalainen_county.example" || events[0].Metadata.ActorRole != "case_manager" {
		t.Fatalf("the estimate's events: %+v", events)
	}

	// Sign out with the button; the session is refused after.
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.Click(chromedp.ID("sign-out")),
		chromedp.WaitVisible(chromedp.ID("sign-in"))))
	var after struct{ Status int }
	evaluate(t, ctx, `fetch("/api/v1/session").then(r => ({status: r.status}))`, &after)
	if after.Status != 401 {
		t.Fatalf("after signing out the session answered %d", after.Status)
	}
	evaluate(t, ctx, `fetch("/api/v1/estimates", {method: "POST", headers: {"Content-Type": "application/json",
		"X-Csrf-Token": "`+who.Body.CSRF+`"}, body: JSON.stringify(`+string(caseJSON)+`)}).then(r => ({status: r.status}))`, &after)
	if after.Status != 401 {
		t.Fatalf("after signing out a change answered %d", after.Status)
	}
}

// evaluate runs a JavaScript expression (a promise) in the page and
// decodes its value into v.
func evaluate(t *testing.T, ctx context.Context, expr string, v any) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	must(t, err)
	must(t, json.Unmarshal(raw, v))
}

// freeAddr returns a free address on 127.0.0.1.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
