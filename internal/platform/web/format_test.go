package web

import (
	"math"
	"testing"
)

func ptr(f float64) *float64 { return &f }

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"zero", 0.0, "0"},
		{"small", 7.0, "7"},
		{"hundreds", 999.0, "999"},
		{"thousand", 1000.0, "1,000"},
		{"decimal", 12345.6, "12,345.6"},
		{"two decimals", 1234567.89, "1,234,567.89"},
		{"rounded to two decimals", 3.14159, "3.14"},
		{"trailing zeros trimmed", 2.50, "2.5"},
		{"rounds up to a whole", 9.999, "10"},
		{"million", 1e6, "1,000,000"},
		{"negative", -1234.5, "-1,234.5"},
		{"negative small", -12.0, "-12"},
		{"tiny negative is zero", -0.001, "0"},
		{"negative zero", math.Copysign(0, -1), "0"},
		{"int", 123456, "123,456"},
		{"int64", int64(-9876543), "-9,876,543"},
		{"pointer", ptr(4321.5), "4,321.5"},
		{"nil pointer", (*float64)(nil), "—"},
		{"nil", nil, "—"},
		{"NaN", math.NaN(), "—"},
		{"infinity", math.Inf(1), "—"},
		{"other types print as is", "x", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatNumber(tt.in); got != tt.want {
				t.Errorf("FormatNumber(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"zero", 0.0, "0.0%"},
		{"fraction", 0.8234, "82.3%"},
		{"whole", 1.0, "100.0%"},
		{"over", 1.5, "150.0%"},
		{"rounds", 0.99996, "100.0%"},
		{"small", 0.001, "0.1%"},
		{"negative", -0.05, "-5.0%"},
		{"pointer", ptr(0.5), "50.0%"},
		{"nil pointer", (*float64)(nil), "—"},
		{"nil", nil, "—"},
		{"NaN", math.NaN(), "—"},
		{"infinity", math.Inf(-1), "—"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatPercent(tt.in); got != tt.want {
				t.Errorf("FormatPercent(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatFixed(t *testing.T) {
	tests := []struct {
		name     string
		in       any
		decimals int
		want     string
	}{
		{"亿元 keeps two decimals", 23.3, 2, "23.30"},
		{"people are whole", 1494.1, 0, "1,494"},
		{"rounds half away", 1508.5, 0, "1,509"},
		{"one decimal", 15.84, 1, "15.8"},
		{"thousands with decimals", 1234567.891, 2, "1,234,567.89"},
		{"negative", -1234.5, 1, "-1,234.5"},
		{"negative that rounds to zero", -0.001, 2, "0.00"},
		{"whole number in two decimals", 18.0, 2, "18.00"},
		{"int", 1700, 0, "1,700"},
		{"pointer", ptr(4.0), 2, "4.00"},
		{"nil pointer", (*float64)(nil), 2, "—"},
		{"nil", nil, 0, "—"},
		{"NaN", math.NaN(), 2, "—"},
		{"decimals clamped below", 3.6, -1, "4"},
		{"a typed half rounds up despite binary", 1.005, 2, "1.01"},
		{"carry through nines", 999.995, 2, "1,000.00"},
		{"carry into a new digit", 9.5, 0, "10"},
		{"below half stays", 2.344, 2, "2.34"},
		{"decimals clamped above", 1.0, 9, "1.000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatFixed(tt.in, tt.decimals); got != tt.want {
				t.Errorf("FormatFixed(%v, %d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
			}
		})
	}
}
