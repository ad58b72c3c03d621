package work

import (
	"testing"
	"time"
)

func TestAnswer(t *testing.T) {
	at := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return at.Add(time.Duration(n) * time.Hour) }
	for _, c := range []struct {
		name    string
		reports []reportAt
		want    *time.Time
	}{
		{"no report", nil, nil},
		{"a report before only", []reportAt{{h(-1), 3}}, nil},
		{"the same instant is not after", []reportAt{{h(0), 3}}, nil},
		{"the lead unit after", []reportAt{{h(-1), 3}, {h(2), 3}, {h(5), 3}}, ptr(h(2))},
		{"another unit after does not answer", []reportAt{{h(1), 4}}, nil},
		{"the system for the unit", []reportAt{{h(1), 0}}, ptr(h(1))},
	} {
		t.Run(c.name, func(t *testing.T) {
			rems := []Reminder{{UnitID: 3, At: at}}
			answer(rems, c.reports)
			got := rems[0].AnsweredAt
			if (got == nil) != (c.want == nil) || (got != nil && !got.Equal(*c.want)) {
				t.Errorf("answered at %v, want %v", got, c.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
