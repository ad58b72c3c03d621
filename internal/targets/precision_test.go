package targets

import "testing"

func TestDecimalsOf(t *testing.T) {
	tests := []struct {
		unit string
		want int
	}{
		{"亿元", 2}, {"（亿元）", 2}, {"万元", 0}, {"万美元", 0}, {"人", 0}, {"户", 0},
		{"个", 0}, {"起", 0}, {"%", 1}, {"％", 1}, {"万千瓦时", 1}, {"吨标准煤", 0},
		{"", 2}, {"光年", 2},
	}
	for _, tt := range tests {
		if got := DecimalsOf(tt.unit); got != tt.want {
			t.Errorf("DecimalsOf(%q) = %d, want %d", tt.unit, got, tt.want)
		}
	}
	if got := (Indicator{MeasureUnit: "亿元"}).Decimals(); got != 2 {
		t.Errorf("an indicator in 亿元 shows %d decimals, want 2", got)
	}
	for _, own := range []int{0, 1, 4} {
		if got := (Indicator{MeasureUnit: "万元", Precision: &own}).Decimals(); got != own {
			t.Errorf("an indicator in 万元 set to %d decimals shows %d", own, got)
		}
	}
}
