package auth_test

import (
	"strings"
	"testing"

	"guatu/internal/platform/auth"
)

func TestPasswordHash(t *testing.T) {
	const pw = "guatu2026"
	h, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, pw) {
		t.Errorf("hash %q: want an argon2id PHC string without the password", h)
	}
	h2, _ := auth.HashPassword(pw)
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"right", pw, true},
		{"wrong", "guatu2025", false},
		{"empty", "", false},
		{"case differs", "GUATU2026", false},
		{"trailing space", pw + " ", false},
		{"chinese", "挂图作战2026", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.CheckPassword(h, tt.pw)
			if err != nil || got != tt.want {
				t.Errorf("CheckPassword(%q) = %v, %v; want %v", tt.pw, got, err, tt.want)
			}
		})
	}
	t.Run("unicode round trip", func(t *testing.T) {
		h, _ := auth.HashPassword("挂图作战2026")
		if ok, err := auth.CheckPassword(h, "挂图作战2026"); !ok || err != nil {
			t.Errorf("got %v, %v", ok, err)
		}
	})
}

func TestCheckPasswordMalformed(t *testing.T) {
	for _, h := range []string{
		"",
		"plain",
		"$2a$10$bcryptbcryptbcryptbcrypt",
		"$argon2id$v=19$m=x,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$a2V5",
	} {
		if ok, err := auth.CheckPassword(h, "x"); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want false and an error", h, ok, err)
		}
	}
}
