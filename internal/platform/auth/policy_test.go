package auth_test

import (
	"strings"
	"testing"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
)

func TestCheckPolicy(t *testing.T) {
	tests := []struct {
		name, login, pw string
		key             string // "" accepted
	}{
		{"three classes", "li", "Spring-rain7", ""},
		{"lower, digit, symbol", "li", "secret-123", ""},
		{"upper, lower, digit", "li", "Tongji2026x", ""},
		{"chinese counts as a symbol", "li", "挂图作战ab12", ""},
		{"eight digits", "li", "12345678", "auth.err.password_common"},
		{"eight spaces", "li", "        ", "auth.err.password_classes"},
		{"two classes", "li", "abcdefgh12", "auth.err.password_classes"},
		{"only letters", "li", "AbcdefghXyz", "auth.err.password_classes"},
		{"seven characters", "li", "Ab1-xyz", "auth.err.password_short"},
		{"too long", "li", "Ab1-" + strings.Repeat("x", auth.MaxPasswordLen), "form.err.too_long"},
		{"the login", "Wang.Fang-1", "wang.fang-1", "auth.err.password_login"},
		{"contains the login", "tongji", "Tongji-2026", "auth.err.password_login"},
		{"a short login inside is fine", "li", "Climb-2026", ""},
		{"common: password", "li", "password", "auth.err.password_common"},
		{"common: qwerty", "li", "qwerty123", "auth.err.password_common"},
		{"common: 88888888", "li", "88888888", "auth.err.password_common"},
		{"common: woaini1314", "li", "woaini1314", "auth.err.password_common"},
		{"common: admin123", "li", "admin123", "auth.err.password_common"},
		{"common, dressed up", "li", "P@ssw0rd", "auth.err.password_common"},
		{"common in capitals", "li", "ADMIN@123", "auth.err.password_common"},
		{"the demo's password is not for real accounts", "li", "guatu2026", "auth.err.password_common"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := auth.CheckPolicy(tt.login, tt.pw)
			if tt.key == "" {
				if err != nil {
					t.Errorf("CheckPolicy(%q, %q) = %v, want accepted", tt.login, tt.pw, err)
				}
				return
			}
			pe := platform.AsError(err)
			if err == nil || pe.Key != tt.key || pe.Field != "password" || pe.Code != platform.Invalid {
				t.Errorf("CheckPolicy(%q, %q) = %v, want %s on password", tt.login, tt.pw, err, tt.key)
			}
		})
	}
}

func TestParseLifetime(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30d", 30 * 24 * time.Hour, true},
		{"720h", 720 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"0", 0, true},
		{"-1d", 0, false},
		{"-5h", 0, false},
		{"d", 0, false},
		{"1w", 0, false},
		{"", 0, false},
	} {
		got, err := auth.ParseLifetime(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseLifetime(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
