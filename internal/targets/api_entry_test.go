package targets_test

import (
	"fmt"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// The API refuses what the form refuses, with a code a client can act on,
// and a correction that leaves a field out keeps the kept value.
func TestFigureAPIEntryRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		base, token := apiServer(t, d)
		stat := token("tongji")
		s := store(d)
		ctx := as(t, d, "tongji")
		rows, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
		tax := findRow(t, rows, "入库税收", "XX镇")
		sep, oct := current(t, s, ctx, tax.ID, "2026-09"), current(t, s, ctx, tax.ID, "2026-10")
		figures := base + "/api/v1/targets/" + itoa(tax.ID) + "/figures"
		tests := []struct {
			name, body string
			status     int
			code       string
		}{
			{"a decrease", fmt.Sprintf(`{"period":"2026-10","value":%v,"reason":"更正"}`, sep.Value-1), 422, targets.DetailDecrease},
			{"亿元 for 万元", fmt.Sprintf(`{"period":"2026-10","value":%v,"reason":"更正"}`, oct.Value*10000), 422, targets.DetailUnitSuspect},
			{"a correction without a reason", fmt.Sprintf(`{"period":"2026-10","last_year_value":%v}`, *oct.LastYear+1), 422, targets.DetailReasonRequired},
			{"亿元 for 万元, confirmed", fmt.Sprintf(`{"period":"2026-10","value":%v,"reason":"核实","confirm":true}`, oct.Value*10000), 201, ""},
			{"the value corrected back, 去年同期 left out", fmt.Sprintf(`{"period":"2026-10","value":%v,"reason":"多录四位"}`, oct.Value), 201, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var body struct {
					Error, Code, Field string
				}
				if got := call(t, "POST", figures, stat, tt.body, &body); got != tt.status || body.Code != tt.code {
					t.Errorf("POST %s: %d code %q, want %d code %q (%+v)", tt.body, got, body.Code, tt.status, tt.code, body)
				}
			})
		}
		got := current(t, s, ctx, tax.ID, "2026-10")
		if got.Value != oct.Value || got.Reason != "多录四位" || got.LastYear == nil || *got.LastYear != *oct.LastYear {
			t.Errorf("October %+v, want %v with the kept 去年同期 %v and the reason", got, oct.Value, *oct.LastYear)
		}

		// 去年同期 sent as a string is refused naming the field; sent as null
		// in a correction it is cleared, where left out it was kept.
		var bad struct{ Error, Code, Field, Message string }
		if code := call(t, "POST", figures, stat, `{"period":"2026-10","last_year_value":"abc","reason":"更正"}`, &bad); code != 422 || !strings.Contains(bad.Message, "last_year_value") {
			t.Errorf("去年同期 as a string: %d %+v, want 422 naming last_year_value", code, bad)
		}
		if code := call(t, "POST", figures, stat, `{"period":"2026-10","last_year_value":null,"reason":"去年同期口径不可比"}`, nil); code != 201 {
			t.Fatalf("clearing 去年同期: %d, want 201", code)
		}
		got = current(t, s, ctx, tax.ID, "2026-10")
		if got.Value != oct.Value || got.LastYear != nil || got.Reason != "去年同期口径不可比" {
			t.Errorf("October after clearing 去年同期 %+v, want %v without 去年同期", got, oct.Value)
		}
	})
}
