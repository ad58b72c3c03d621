package db

import "testing"

func TestOrderBy(t *testing.T) {
	cols := map[string]string{"gap": "p.gap", "deadline": NotNull("t.deadline"), "title": NotNull("t.title")}
	tests := []struct {
		key  string
		desc bool
		want string
	}{
		{"", false, " ORDER BY t.deadline, t.id"},
		{"unknown", false, " ORDER BY t.deadline, t.id"},
		{"gap", false, " ORDER BY (p.gap) IS NULL, p.gap ASC, t.deadline, t.id"},
		{"gap", true, " ORDER BY (p.gap) IS NULL, p.gap DESC, t.deadline, t.id"},
		// The natural order's own column: the natural order, which an index
		// in that order serves.
		{"deadline", false, " ORDER BY t.deadline, t.id"},
		{"deadline", true, " ORDER BY t.deadline DESC, t.id"},
		{"title", false, " ORDER BY t.title ASC, t.deadline, t.id"},
		{"title", true, " ORDER BY t.title DESC, t.deadline, t.id"},
	}
	for _, tt := range tests {
		if got := OrderBy(cols, tt.key, tt.desc, "t.deadline", "t.id"); got != tt.want {
			t.Errorf("OrderBy(%q, desc %v) = %q, want %q", tt.key, tt.desc, got, tt.want)
		}
	}
}
