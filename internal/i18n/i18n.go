// Package i18n owns the UI's words: flat catalogs per language with an English
// fallback, plural rules, and choosing a language from a request.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Fallback is the language every key must exist in.
const Fallback = "en"

// Catalogs holds every loaded language.
type Catalogs struct {
	langs    []string
	messages map[string]map[string]string
	// matcher chooses among matched: langs with English first.
	matcher language.Matcher
	matched []string
}

// Load reads every i18n/<lang>.json in fsys. English must be present.
func Load(fsys fs.FS, dir string) (*Catalogs, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	c := &Catalogs{messages: map[string]map[string]string{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("translations %s: %w", f, err)
		}
		lang := strings.TrimSuffix(path.Base(f), ".json")
		c.messages[lang] = m
		c.langs = append(c.langs, lang)
	}
	if _, ok := c.messages[Fallback]; !ok {
		return nil, fmt.Errorf("translations: %s.json is missing", Fallback)
	}
	slices.Sort(c.langs)
	// The matcher's first language is its answer when nothing matches.
	c.matched = append([]string{Fallback}, slices.DeleteFunc(slices.Clone(c.langs), func(l string) bool { return l == Fallback })...)
	tags := make([]language.Tag, len(c.matched))
	for i, l := range c.matched {
		if tags[i], err = language.Parse(l); err != nil {
			return nil, fmt.Errorf("translations %s.json: %q is not a BCP 47 language tag", l, l)
		}
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// Languages lists the UI languages, sorted.
func (c *Catalogs) Languages() []string { return slices.Clone(c.langs) }

// Supported reports whether lang is a UI language.
func (c *Catalogs) Supported(lang string) bool {
	_, ok := c.messages[lang]
	return ok
}

// Missing lists the keys English has and lang lacks.
func (c *Catalogs) Missing(lang string) []string {
	var out []string
	for k := range c.messages[Fallback] {
		if _, ok := c.messages[lang][k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// T returns the message for key in lang, falling back to English, formatted with
// args in fmt style. An unknown key returns the key itself, so a gap shows plainly.
func (c *Catalogs) T(lang, key string, args ...any) string {
	msg, ok := c.messages[lang][key]
	if !ok {
		msg, ok = c.messages[Fallback][key]
	}
	if !ok {
		return key
	}
	// A message with nothing to fill in ignores args: an email's subject is
	// given its body's arguments, and fmt would append them to it.
	if len(args) > 0 && strings.Contains(msg, "%") {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// N returns the plural form of key for count n: key.one or key.other, chosen by
// the language's rule, formatted with n and then args.
func (c *Catalogs) N(lang, key string, n int, args ...any) string {
	return c.T(lang, key+"."+pluralForm(lang, n), append([]any{n}, args...)...)
}

// pluralForm follows CLDR's cardinal rules for the UI languages: English and
// Spanish both use "one" for exactly 1 and "other" otherwise for whole numbers.
func pluralForm(lang string, n int) string {
	switch lang {
	default:
		if n == 1 {
			return "one"
		}
		return "other"
	}
}

// maxAcceptLanguage is as much of an Accept-Language header as Choose reads: a
// browser sends a few dozen bytes, and nothing past the first choices changes
// the answer between two UI languages.
const maxAcceptLanguage = 256

// Choose picks the UI language: an explicit choice (from the URL) when supported,
// then the best match for an Accept-Language header, then English. Languages the
// header weighs at q=0 are ones the person does not want, never a match.
func (c *Catalogs) Choose(explicit, acceptLanguage string) string {
	if c.Supported(explicit) {
		return explicit
	}
	if len(acceptLanguage) > maxAcceptLanguage {
		acceptLanguage = acceptLanguage[:maxAcceptLanguage]
		if i := strings.LastIndexByte(acceptLanguage, ','); i >= 0 {
			acceptLanguage = acceptLanguage[:i] // never half a language tag
		}
	}
	tags, weights, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return Fallback
	}
	wanted := tags[:0]
	for i, t := range tags {
		if weights[i] > 0 {
			wanted = append(wanted, t)
		}
	}
	_, i, confidence := c.matcher.Match(wanted...)
	if confidence == language.No {
		return Fallback
	}
	return c.matched[i]
}
