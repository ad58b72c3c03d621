package auth

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"guatu/internal/platform"
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// MaxPasswordLen bounds the work a login request can cause.
const MaxPasswordLen = 128

// MinPasswordClasses is how many of the four character classes (upper case,
// lower case, digits, symbols) a password mixes: GB/T 22239-2019 level 3
// asks for complexity, and three of four is the usual reading.
const MinPasswordClasses = 3

//go:embed common_passwords.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// CheckPolicy reports whether pw may become login's password: at least
// MinPasswordLen characters and at most MaxPasswordLen bytes, three of the
// four character classes, not the login nor containing it (a login of three
// characters or more), and not on the
// embedded list of common passwords (in any case). The error is Invalid on
// the field "password". It applies to every password a person sets; the
// demo's seeded accounts are the one exception (see org.AccountInput.Seed).
func CheckPolicy(login, pw string) error {
	lower := strings.ToLower(pw)
	login = strings.ToLower(strings.TrimSpace(login))
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return platform.FieldError("password", "auth.err.password_short", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return platform.FieldError("password", "form.err.too_long", MaxPasswordLen)
	case login != "" && (lower == login || (len(login) >= 3 && strings.Contains(lower, login))):
		return platform.FieldError("password", "auth.err.password_login")
	case common[lower]:
		return platform.FieldError("password", "auth.err.password_common")
	case Classes(pw) < MinPasswordClasses:
		return platform.FieldError("password", "auth.err.password_classes", MinPasswordLen, MinPasswordClasses)
	}
	return nil
}

// Classes counts the character classes pw draws on: upper case, lower case,
// digits and everything else (symbols, spaces, Chinese characters).
func Classes(pw string) int {
	var upper, lower, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			n++
		}
	}
	return n
}
