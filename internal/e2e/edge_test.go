package e2e

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guatu/internal/app"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
)

// Text that is not UTF-8 or holds a NUL is refused before any handler reads
// it, with 422 and a message, on both engines alike (PostgreSQL would answer
// such text with an error, SQLite would store it); nothing is written.
func TestBadTextIsRefusedAtTheEdge(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		base, a := startServer(t, engine)
		c := newClient(t)
		httpLogin(t, c, base, "admin")
		tok := csrfOf(t, c, base+"/units")

		for _, tt := range []struct{ name, value string }{
			{"invalid UTF-8", "坏\xff村"},
			{"NUL", "坏\x00村"},
			{"lone surrogate half", "坏\xed\xa0\x80村"},
		} {
			t.Run("form "+tt.name, func(t *testing.T) {
				resp, body := send(t, c, "POST", base+"/units", "application/x-www-form-urlencoded",
					url.Values{"csrf": {tok}, "name": {tt.value}, "kind": {"village"}, "parent_id": {"1"}}.Encode())
				if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "无法识别的字符") {
					t.Errorf("status %d, want 422 with the message; body %.300s", resp.StatusCode, body)
				}
			})
		}
		var n int
		if err := a.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM units WHERE name LIKE '坏%'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("units stored from refused forms: %d (%v), want 0", n, err)
		}

		for _, u := range []string{
			"/targets?q=%00",
			"/targets?q=%FF",
			"/users?q=%C0%80", // an overlong NUL
			"/units/%FF",
			"/api/v1/targets?q=%00",
		} {
			resp, body := send(t, c, "GET", base+u, "", "")
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("GET %s: status %d, want 422; body %.200s", u, resp.StatusCode, body)
			}
		}

		apiTok := apiToken(t, a, "tongji")
		for _, body := range []string{
			`{"indicator_id":1,"unit_id":2,"year":2026,"plan":1,"note":"a\u0000b"}`,
			"{\"indicator_id\":1,\"unit_id\":2,\"year\":2026,\"plan\":1,\"note\":\"a\xffb\"}",
		} {
			req, _ := http.NewRequest("POST", base+"/api/v1/targets", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+apiTok)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"invalid"`) {
				t.Errorf("POST /api/v1/targets %q: %d %s, want 422 invalid", body, resp.StatusCode, b)
			}
		}
		// An escaped backslash before "u0000" is text, not a NUL: the body
		// passes the edge (and the handler judges the rest).
		req, _ := http.NewRequest("POST", base+"/api/v1/targets", strings.NewReader(`{"note":"a\\u0000b"}`))
		req.Header.Set("Authorization", "Bearer "+apiTok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "无法识别的字符") || strings.Contains(string(b), "not text") {
			t.Errorf("an escaped backslash was taken for a NUL: %s", b)
		}
	})
}

// Page numbers are bounded: an absurd one is a 422, never a 500.
func TestHugePageNumbers(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		base, _ := startServer(t, engine)
		c := newClient(t)
		httpLogin(t, c, base, "admin")
		for _, u := range []string{
			"/audit?page=9223372036854775807",
			"/audit?page=99999999999999999999999",
			"/targets?page=9223372036854775807",
			"/users?page=-1",
			"/api/v1/targets?offset=9223372036854775807",
			"/api/v1/targets?limit=9223372036854775807",
		} {
			if resp, body := send(t, c, "GET", base+u, "", ""); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("GET %s: status %d, want 422; body %.200s", u, resp.StatusCode, body)
			}
		}
	})
}

// Bodies beyond their limit answer 413 with a message, and nothing is
// written.
func TestBodyLimits(t *testing.T) {
	base, a := startServer(t, db.SQLite)
	c := newClient(t)
	httpLogin(t, c, base, "admin")
	tok := csrfOf(t, c, base+"/units")

	form := url.Values{"csrf": {tok}, "name": {"大村"}, "kind": {"village"}, "parent_id": {"1"}, "note": {strings.Repeat("长", 1<<19)}}
	resp, body := send(t, c, "POST", base+"/units", "application/x-www-form-urlencoded", form.Encode())
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "超过上限") {
		t.Errorf("a 1.5 MB form: status %d, want 413 with the message; body %.300s", resp.StatusCode, body)
	}
	var n int
	if err := a.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM units WHERE name = '大村'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("units stored from a refused form: %d (%v)", n, err)
	}

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	mw.WriteField("csrf", csrfOf(t, c, base+"/targets/import"))
	fw, _ := mw.CreateFormFile("file", "big.xlsx")
	fw.Write(bytes.Repeat([]byte("x"), web.MaxUploadBytes+1))
	mw.Close()
	resp, body = send(t, c, "POST", base+"/targets/import", mw.FormDataContentType(), mp.String())
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "超过上限") {
		t.Errorf("a 32 MB upload: status %d, want 413 with the message; body %.300s", resp.StatusCode, body)
	}

	apiTok := apiToken(t, a, "tongji")
	req, _ := http.NewRequest("POST", base+"/api/v1/targets", strings.NewReader(`{"note":"`+strings.Repeat("x", 2<<20)+`"}`))
	req.Header.Set("Authorization", "Bearer "+apiTok)
	req.Header.Set("Content-Type", "application/json")
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MB JSON body: status %d, want 413", r2.StatusCode)
	}
}

// send makes one request with c and returns the response and its body.
func send(t *testing.T, c *http.Client, method, u, contentType, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// apiToken issues an API token for login.
func apiToken(t *testing.T, a *app.App, login string) string {
	t.Helper()
	ctx := context.Background()
	u, err := a.Auth.UserByLogin(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.Auth.CreateToken(ctx, u.ID, "edge")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
