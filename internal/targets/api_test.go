package targets_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// apiServer serves the demo and returns its URL and a bearer token per login.
func apiServer(t *testing.T, d *db.DB) (string, func(login string) string) {
	t.Helper()
	loadDemo(t, d)
	a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: &clock.Fixed{T: demoNow}}, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL, func(login string) string {
		u, err := (&auth.Store{DB: d}).UserByLogin(context.Background(), login)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := (&auth.Store{DB: d}).CreateToken(context.Background(), u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
}

func call(t *testing.T, method, url, token, body string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func TestTargetsAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		base, token := apiServer(t, d)
		stat := token("tongji")
		var list struct {
			Targets []targets.TargetJSON `json:"targets"`
			Total   int                  `json:"total"`
		}
		if code := call(t, "GET", base+"/api/v1/targets?light=red", stat, "", &list); code != 200 {
			t.Fatalf("GET targets?light=red: %d", code)
		}
		if list.Total == 0 {
			t.Fatal("no red targets in the demo")
		}
		for _, x := range list.Targets {
			if x.Light == nil || *x.Light != targets.Red {
				t.Errorf("light filter red returned %s with light %v", x.Indicator, x.Light)
			}
		}
		var tax targets.TargetJSON
		call(t, "GET", base+"/api/v1/targets?limit=1000", stat, "", &list)
		for _, x := range list.Targets {
			if x.Indicator == "入库税收" && x.Unit == "XX镇" {
				tax = x
			}
		}
		if tax.ID == 0 || tax.Measure != "cumulative" || tax.Kind != "value" || tax.Direction != "higher" || tax.Period == nil {
			t.Fatalf("入库税收 as JSON = %+v", tax)
		}
		figures := base + "/api/v1/targets/" + itoa(tax.ID) + "/figures"
		tests := []struct {
			name  string
			token string
			body  string
			want  int
		}{
			{"good figure", stat, `{"period":"2026-10","value":40100,"last_year_value":37000,"reason":"统计局反馈"}`, 201},
			{"future month", stat, `{"period":"2026-12","value":1}`, 422},
			{"negative", stat, `{"period":"2026-10","value":-1}`, 422},
			{"text for a number", stat, `{"period":"2026-10","value":"四万"}`, 422},
			{"unknown field", stat, `{"period":"2026-10","value":1,"valeu":2}`, 422},
			{"not json", stat, `period=2026-10`, 422},
			{"viewer may not enter figures", token("guest"), `{"period":"2026-10","value":1}`, 403},
			{"another village's reporter", token("donghu"), `{"period":"2026-10","value":1}`, 404},
			{"no token", "", `{"period":"2026-10","value":1}`, 401},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var body map[string]any
				if got := call(t, "POST", figures, tt.token, tt.body, &body); got != tt.want {
					t.Errorf("POST figures %s: status %d, want %d (%v)", tt.body, got, tt.want, body)
				}
			})
		}
		var one targets.TargetJSON
		call(t, "GET", base+"/api/v1/targets/"+itoa(tax.ID), stat, "", &one)
		if one.Actual == nil || *one.Actual != 40100 {
			t.Errorf("after the good figure, actual = %v, want 40100", one.Actual)
		}
		var created targets.TargetJSON
		body := `{"indicator_id":` + itoa(tax.IndicatorID) + `,"unit_id":` + itoa(tax.UnitID) + `,"year":2027,"kind":"value","target_value":56000}`
		if code := call(t, "POST", base+"/api/v1/targets", stat, body, &created); code != 201 || created.TargetValue != 56000 || created.Year != 2027 {
			t.Errorf("POST targets: %d %+v", code, created)
		}
		if code := call(t, "POST", base+"/api/v1/targets", stat, body, nil); code != 409 {
			t.Errorf("POST the same target again: %d, want 409", code)
		}
	})
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
