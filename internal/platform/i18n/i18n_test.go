package i18n

import (
	"reflect"
	"testing"
)

func TestBundle(t *testing.T) {
	b := New(Catalog{"a.hello": {ZH: "你好，%s", EN: "Hello, %s"}}, Catalog{"b.only_zh": {ZH: "只有中文"}})
	tests := []struct {
		name string
		lang Lang
		key  string
		args []any
		want string
	}{
		{"chinese", ZH, "a.hello", []any{"张三"}, "你好，张三"},
		{"english", EN, "a.hello", []any{"Zhang"}, "Hello, Zhang"},
		{"unknown key is visible", ZH, "a.nope", nil, "[a.nope]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.T(tt.lang, tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
			}
		})
	}
	if got, want := b.Missing(), []string{"en:b.only_zh"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Missing() = %v, want %v", got, want)
	}
}

func TestDuplicateKeyPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a key declared in two catalogues did not panic")
		}
	}()
	New(Catalog{"x": {ZH: "一", EN: "one"}}, Catalog{"x": {ZH: "二", EN: "two"}})
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"en": EN, "en-US": EN, "EN": EN, "zh-CN": ZH, "": ZH, "fr": ZH} {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %s, want %s", in, got, want)
		}
	}
}
