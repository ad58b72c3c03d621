package web

import (
	"net/http/httptest"
	"testing"

	"guatu/internal/platform/auth"
	"guatu/internal/platform/i18n"
)

// One entry of the navigation is active: the one whose path matches the
// page longest, so a page under a room's path marks its own entry alone.
func TestNavMarksTheLongestMatch(t *testing.T) {
	rd := &Renderer{Bundle: i18n.New(), Nav: []NavItem{{Key: "board", Href: "/"}, {Key: "targets", Href: "/targets"}, {Key: "review", Href: "/targets/review"}}}
	tests := []struct{ path, want string }{
		{"/", "board"},
		{"/targets", "targets"},
		{"/targets/12", "targets"},
		{"/targets/review", "review"},
		{"/units", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		r = r.WithContext(auth.WithUser(r.Context(), &auth.User{Role: auth.Admin}))
		var got []string
		for _, n := range rd.Base(r, "").Nav {
			if n.Active {
				got = append(got, n.Key)
			}
		}
		want := []string{}
		if tt.want != "" {
			want = []string{tt.want}
		}
		if len(got) != len(want) || (len(got) == 1 && got[0] != want[0]) {
			t.Errorf("%s: active %v, want %v", tt.path, got, want)
		}
	}
}
