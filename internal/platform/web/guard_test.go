package web

import "testing"

func TestJSONHasNUL(t *testing.T) {
	for _, tt := range []struct {
		json string
		want bool
	}{
		{`{"a":"b"}`, false},
		{`{"a":"\u0000"}`, true},
		{`{"a":"x\u0000y"}`, true},
		{`{"a":"\\u0000"}`, false}, // an escaped backslash, then text
		{`{"a":"\\\u0000"}`, true}, // an escaped backslash, then a NUL
		{`{"a":"\u00000"}`, true},  // NUL followed by "0"
		{`{"a":"\u0001"}`, false},  // another control character is JSON's to judge
		{"{\"a\":\"\x00\"}", true}, // a raw NUL byte
		{`{"a":"\"u0000"}`, false}, // an escaped quote, then text
		{`{"a":"tail\`, false},     // cut short: the decoder will say so
		{`{"a":"\u000`, false},     // cut short inside an escape
	} {
		if got := jsonHasNUL([]byte(tt.json)); got != tt.want {
			t.Errorf("jsonHasNUL(%q) = %v, want %v", tt.json, got, tt.want)
		}
	}
}

func TestCheckText(t *testing.T) {
	for _, tt := range []struct {
		s  string
		ok bool
	}{
		{"双塘村", true},
		{"", true},
		{"tab\tand\nnewline", true},
		{"\x00", false},
		{"a\xffb", false},
		{"\xc0\x80", false},     // an overlong NUL
		{"\xed\xa0\x80", false}, // a UTF-16 surrogate half
		{"\xf4\x90\x80\x80", false},
	} {
		if err := checkText("name", tt.s); (err == nil) != tt.ok {
			t.Errorf("checkText(%q) = %v, want ok %v", tt.s, err, tt.ok)
		}
	}
}
