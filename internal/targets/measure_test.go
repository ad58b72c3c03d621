package targets

import "testing"

func TestConvertMeasure(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		from, to string
		want     float64
		ok       bool
	}{
		{"亿元 to 万元", 1.2345, "亿元", "万元", 12345, true},
		{"万元 to 亿元", 12345, "万元", "亿元", 1.2345, true},
		{"元 to 万元", 56789, "元", "万元", 5.6789, true},
		{"万元 to 元", 0.1, "万元", "元", 1000, true},
		{"亿元 to 元", 3, "亿元", "元", 3e8, true},
		{"千元 to 万元", 1234, "千元", "万元", 123.4, true},
		{"万元 to 万元", 7.77, "万元", "万元", 7.77, true},
		{"万美元 to 亿美元", 2500, "万美元", "亿美元", 0.25, true},
		{"亿美元 to 万美元", 0.25, "亿美元", "万美元", 2500, true},
		{"美元 to 万美元", 15000, "美元", "万美元", 1.5, true},
		{"吨 to 万吨", 35000, "吨", "万吨", 3.5, true},
		{"万千瓦时 to 千瓦时", 1.5, "万千瓦时", "千瓦时", 15000, true},
		{"个 to 个", 12, "个", "个", 12, true},
		{"户 to 户", 30, "户", "户", 30, true},
		{"个 to 家", 5, "个", "家", 5, true},
		{"家 to 个", 5, "家", "个", 5, true},
		{"% to %", 8.5, "%", "%", 8.5, true},
		{"full-width ％ to %", 8.5, "％", "%", 8.5, true},
		{"bracketed and spaced", 2, "（亿 元）", "万元", 20000, true},
		{"negative", -1.5, "亿元", "万元", -15000, true},
		{"zero", 0, "元", "亿元", 0, true},
		{"unknown unit to itself", 4, "平方米", "平方米", 4, true},
		{"empty to empty", 4, "", "", 4, true},
		{"万元 vs 户", 1, "万元", "户", 0, false},
		{"户 vs 人", 1, "户", "人", 0, false},
		{"个 vs 户", 1, "个", "户", 0, false},
		{"件 vs 项", 1, "件", "项", 0, false},
		{"万元 vs 万美元", 1, "万元", "万美元", 0, false},
		{"% vs 万元", 1, "%", "万元", 0, false},
		{"吨 vs 千瓦时", 1, "吨", "千瓦时", 0, false},
		{"empty vs 万元", 1, "", "万元", 0, false},
		{"万元 vs empty", 1, "万元", "", 0, false},
		{"unknown vs 万元", 1, "平方米", "万元", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ConvertMeasure(tt.v, tt.from, tt.to)
			if ok != tt.ok || got != tt.want {
				t.Errorf("ConvertMeasure(%v, %q, %q) = %v, %v; want %v, %v", tt.v, tt.from, tt.to, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNormalizeMeasure(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "万元", "万元"},
		{"full-width brackets", "（万元）", "万元"},
		{"half-width brackets", "(万元)", "万元"},
		{"square brackets", "【亿元】", "亿元"},
		{"inner space", "万 元", "万元"},
		{"ideographic space", "\u3000万\u3000元\u3000", "万元"},
		{"outer space and newline", " 亿元\n", "亿元"},
		{"full-width percent", "％", "%"},
		{"bracketed percent", "（％）", "%"},
		{"empty", "", ""},
		{"only space", "  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeMeasure(tt.in); got != tt.want {
				t.Errorf("NormalizeMeasure(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}
