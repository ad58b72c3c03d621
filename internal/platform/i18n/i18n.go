// Package i18n holds guatu's user-facing text. Every string a person reads comes
// from a catalogue keyed by a dotted name, with a Chinese (zh-CN, the default)
// and an English text side by side, so a key cannot exist in one language only
// without a test noticing.
package i18n

import (
	"fmt"
	"sort"
	"strings"
)

// Lang is a supported locale.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Default is the language of a visitor who has not chosen one.
const Default = ZH

// Parse returns the supported language named by s, or Default.
func Parse(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(s, "en") {
		return EN
	}
	return ZH
}

// Message is one text in both languages. Args are applied with fmt verbs.
type Message struct {
	ZH string
	EN string
}

// Catalog is a room's messages. Each capability declares its own and the
// server merges them with New.
type Catalog map[string]Message

// Bundle is the merged catalogue of every room.
type Bundle struct {
	msgs map[string]Message
}

// New merges catalogues. A key declared twice is a programming error and panics
// at start-up rather than showing the wrong text later.
func New(cats ...Catalog) *Bundle {
	b := &Bundle{msgs: map[string]Message{}}
	for _, c := range cats {
		for k, m := range c {
			if _, dup := b.msgs[k]; dup {
				panic("i18n: duplicate key " + k)
			}
			b.msgs[k] = m
		}
	}
	return b
}

// Has reports whether key is in the bundle.
func (b *Bundle) Has(key string) bool { _, ok := b.msgs[key]; return ok }

// Keys lists every key, sorted.
func (b *Bundle) Keys() []string {
	keys := make([]string, 0, len(b.msgs))
	for k := range b.msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Missing lists "lang:key" for every message with an empty text in a language.
func (b *Bundle) Missing() []string {
	var out []string
	for _, k := range b.Keys() {
		m := b.msgs[k]
		if strings.TrimSpace(m.ZH) == "" {
			out = append(out, string(ZH)+":"+k)
		}
		if strings.TrimSpace(m.EN) == "" {
			out = append(out, string(EN)+":"+k)
		}
	}
	return out
}

// T returns the text of key in lang with args applied (Span and Month
// arguments print in lang, with %s). An unknown key renders
// as the key itself in brackets so that it is visible on the page and caught by
// the catalogue tests, instead of failing a request.
func (b *Bundle) T(lang Lang, key string, args ...any) string {
	m, ok := b.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	s := m.ZH
	if lang == EN {
		s = m.EN
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, localize(lang, args)...)
	}
	return s
}
