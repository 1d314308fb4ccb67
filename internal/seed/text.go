package seed

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// text is one piece of listing text in English and Spanish.
type text struct{ en, es string }

func (t text) in(lang string) string {
	if lang == "es" {
		return t.es
	}
	return t.en
}

// bilingual picks one side of "English|Spanish"; text without a bar is the same in both.
func bilingual(s, lang string) string {
	en, es, both := strings.Cut(s, "|")
	if !both || lang != "es" {
		return en
	}
	return es
}

// signPhrases name each country's signed language in running text; ASL elsewhere.
var signPhrases = map[string]text{
	"ES": {"Spanish Sign Language (LSE)", "lengua de signos española (LSE)"},
	"MX": {"Mexican Sign Language (LSM)", "lengua de señas mexicana (LSM)"},
	"GB": {"BSL", "lengua de signos británica (BSL)"},
}

func signPhrase(country, lang string) string {
	if p, ok := signPhrases[country]; ok {
		return p.in(lang)
	}
	return text{"ASL", "lengua de señas americana (ASL)"}.in(lang)
}

// spanishHoods are neighbourhoods Spanish speakers name with an article or as a colonia.
var spanishHoods = map[string]string{
	"Condesa":          "la Condesa",
	"Centro Histórico": "el Centro Histórico",
	"Del Valle":        "la colonia Del Valle",
	"Doctores":         "la colonia Doctores",
	"Narvarte":         "la Narvarte",
}

// placeName fills a kind's name pattern with a neighbourhood, as a Spanish
// speaker would say it: "Comida comunitaria del Centro Histórico".
func placeName(pattern, hood, lang string) string {
	if lang != "es" {
		return fmt.Sprintf(pattern, hood)
	}
	if h, ok := spanishHoods[hood]; ok {
		hood = h
	}
	return strings.ReplaceAll(fmt.Sprintf(pattern, hood), " de el ", " del ")
}

// hash gives each demo listing its own stable variation.
func hash(s string) uint64 {
	f := fnv.New64a()
	f.Write([]byte(s))
	return f.Sum64()
}

var unaccent = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n",
	"Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u", "Ñ", "n")

// slugify turns a name into the readable part of a slug: "Santa María la Ribera"
// becomes "santa-maria-la-ribera".
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(unaccent.Replace(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
