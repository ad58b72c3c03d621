package targets_test

import (
	"fmt"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestAPIMeasureUnit: a figure and a target may be given in any unit of the
// indicator's family (measure_unit) and are converted exactly, as the import
// converts them; a unit of another family is refused naming both.
func TestAPIMeasureUnit(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		base, token := apiServer(t, d)
		stat := token("tongji")
		s := store(d)
		ctx := as(t, d, "tongji")
		rows, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
		tax := findRow(t, rows, "入库税收", "XX镇") // 万元
		oct := current(t, s, ctx, tax.ID, "2026-10")
		figures := base + "/api/v1/targets/" + itoa(tax.ID) + "/figures"

		// October again, given in 亿元: the same figure, to the 万元.
		yi := oct.Value / 10000
		body := fmt.Sprintf(`{"period":"2026-10","value":%v,"last_year_value":%v,"measure_unit":"亿元","reason":"按亿元报送"}`, yi, *oct.LastYear/10000)
		var out struct{ Value float64 }
		if got := call(t, "POST", figures, stat, body, &out); got != 201 {
			t.Fatalf("POST in 亿元: %d", got)
		}
		got := current(t, s, ctx, tax.ID, "2026-10")
		if got.Value != oct.Value || got.LastYear == nil || *got.LastYear != *oct.LastYear {
			t.Errorf("kept %v / %v, want %v / %v 万元", got.Value, got.LastYear, oct.Value, *oct.LastYear)
		}

		var refused struct{ Error, Field string }
		if got := call(t, "POST", figures, stat, `{"period":"2026-10","value":5,"measure_unit":"户","reason":"x"}`, &refused); got != 422 || refused.Field != "measure_unit" {
			t.Errorf("POST in 户: %d %+v, want 422 on measure_unit", got, refused)
		}

		// A target of 5.2 亿元 for a village's 入库税收 is 52,000 万元.
		village := findRow(t, rows, "入库税收", "东湖村")
		req := fmt.Sprintf(`{"indicator_id":%d,"unit_id":%d,"year":2027,"kind":"value","target_value":5.2,"measure_unit":"亿元"}`, village.IndicatorID, village.UnitID)
		var created struct {
			ID          int64   `json:"id"`
			TargetValue float64 `json:"target_value"`
		}
		if got := call(t, "POST", base+"/api/v1/targets", stat, req, &created); got != 201 || created.TargetValue != 52000 {
			t.Errorf("POST target in 亿元: %d %+v, want 201 with 52,000 万元", got, created)
		}
	})
}
