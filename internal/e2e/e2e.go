// Package e2e holds guatu's end-to-end tests: each starts the whole app on
// 127.0.0.1:0 over a fresh database with the demo township loaded, and drives
// it as a person would, through a real headless Chromium (chromedp), or
// through plain HTTP where no browser is needed. The package has no code of
// its own; its helpers (startServer, newBrowser, login, …) live in
// helpers_test.go so every room can add tests for its pages here.
//
// Browser tests skip when no Chromium is found, unless GUATU_E2E=1, which
// turns a missing browser into a failure (CI sets it). GUATU_CHROME names
// the browser binary; GUATU_E2E_SHOTS is where screenshots of failed tests
// go. With GUATU_TEST_POSTGRES set, each test runs on PostgreSQL too.
package e2e
