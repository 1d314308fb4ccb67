package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestSessionCookieIsSecureOnHTTPS(t *testing.T) {
	for base, secure := range map[string]bool{"https://belong.example": true, "http://localhost:8080": false} {
		cfg := testConfig(t)
		cfg.BaseURL = base
		s := newSessions(nil, cfg)
		rec := httptest.NewRecorder()
		s.writeCookie(echo.New().NewContext(httptest.NewRequest(http.MethodPost, "/", nil), rec), "tok")
		raw := rec.Header().Get("Set-Cookie")
		if strings.Contains(raw, "; Secure") != secure || !strings.Contains(raw, "HttpOnly") ||
			!strings.Contains(raw, "SameSite=Lax") {
			t.Errorf("BASE_URL %s: cookie %q", base, raw)
		}
	}
}

func TestSignInTokensStayOutOfTheLog(t *testing.T) {
	srv, logs := testServer(t)
	token := strings.Repeat("Q", 43)
	do(srv, http.MethodGet, "/sign-in/"+token, nil)
	do(srv, http.MethodPost, "/sign-in/"+token, nil)
	if out := logs.String(); strings.Contains(out, token) || !strings.Contains(out, `"route":"/sign-in/:token"`) {
		t.Fatalf("log: %s", out)
	}
}
