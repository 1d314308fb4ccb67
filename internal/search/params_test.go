package search

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
)

var testVocab = NewTerms(
	[]string{"cost.free", "access.step-free", "care.childcare", "lang.es"},
	[]string{"en", "es", "ase"},
	[]string{"Chicago", "San José", "Ciudad de México", "chicago"},
)

func parse(t *testing.T, raw string) (Query, *directory.ValidationError) {
	t.Helper()
	q, err := ParseQuery(raw, testVocab, 20)
	if err == nil {
		return q, nil
	}
	var ve *directory.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%q: error is not a ValidationError: %v", raw, err)
	}
	return q, ve
}

func TestParseParamsDefaults(t *testing.T) {
	for _, raw := range []string{"", "ui=es", "q=&need=&city=+&page=", "utm_source=x"} {
		q, ve := parse(t, raw)
		if ve != nil {
			t.Fatalf("%q: %v", raw, ve)
		}
		want := Query{Sort: ByRelevance, Page: 1, PerPage: 20}
		if !reflect.DeepEqual(q, want) {
			t.Fatalf("%q: got %+v", raw, q)
		}
		if enc := q.Values().Encode(); enc != "per_page=20" {
			t.Fatalf("%q: canonical %q", raw, enc)
		}
	}
}

func TestParseParamsEverything(t *testing.T) {
	raw := "q=+grief%09support++&need=care.childcare&need=COST.FREE&need=care.childcare&lang=es&lang=ase" +
		"&mode=online&mode=in_person&day=sun&day=tue&time=evening&time=morning&near=41.881832,-87.623177" +
		"&radius_km=5.5&city=CHICAGO&sort=distance&include=partly&page=3&per_page=50&ui=es"
	q, ve := parse(t, raw)
	if ve != nil {
		t.Fatal(ve)
	}
	want := Query{
		Text: "grief support", Needs: []string{"care.childcare", "cost.free"}, Languages: []string{"ase", "es"},
		Modes: []directory.Mode{directory.InPerson, directory.Online}, Days: []string{"tue", "sun"},
		Times: []string{"morning", "evening"}, Near: &Point{41.881832, -87.623177}, RadiusKm: 5.5,
		City: "Chicago", Sort: ByDistance, IncludePartly: true, Page: 3, PerPage: 50,
	}
	if !reflect.DeepEqual(q, want) {
		t.Fatalf("got  %+v\nwant %+v", q, want)
	}
	const canonical = "city=Chicago&day=tue&day=sun&include=partly&lang=ase&lang=es&mode=in_person&mode=online" +
		"&near=41.881832%2C-87.623177&need=care.childcare&need=cost.free&page=3&per_page=50&q=grief+support" +
		"&radius_km=5.5&sort=distance&time=morning&time=evening"
	if enc := q.Values().Encode(); enc != canonical {
		t.Fatalf("canonical:\n got %s\nwant %s", enc, canonical)
	}
	again, ve := parse(t, canonical)
	if ve != nil || !reflect.DeepEqual(again, q) {
		t.Fatalf("canonical form reads back differently: %+v %v", again, ve)
	}
}

func TestParseParamsOrderDoesNotMatter(t *testing.T) {
	a, _ := parse(t, "need=cost.free&need=care.childcare&day=sun&day=mon&mode=phone&mode=hybrid")
	b, _ := parse(t, "mode=hybrid&day=mon&need=care.childcare&mode=phone&day=sun&need=cost.free&need=cost.free")
	if a.Values().Encode() != b.Values().Encode() {
		t.Fatalf("%s != %s", a.Values().Encode(), b.Values().Encode())
	}
}

func TestParseParamsText(t *testing.T) {
	for raw, want := range map[string]string{
		"q=%00grief%0Asupport%7F":       "grief support",
		"q=caf%C3%A9+%E2%80%8D":         "café \u200d", // joiners stay: some scripts need them
		"q=%FF%FEsalud":                 "salud",
		"q=" + strings.Repeat("a", 200): strings.Repeat("a", 200),
		"q=" + strings.Repeat("ñ", 200): strings.Repeat("ñ", 200),
		"q=" + strings.Repeat("+", 500): "",
	} {
		q, ve := parse(t, raw)
		if ve != nil || q.Text != want {
			t.Errorf("%.40q: got %q %v", raw, q.Text, ve)
		}
	}
}

func TestParseParamsNearAndRadius(t *testing.T) {
	q, _ := parse(t, "near=+41.9+,+-87.6+")
	if q.Near == nil || *q.Near != (Point{41.9, -87.6}) || q.RadiusKm != DefaultRadiusKm {
		t.Fatalf("default radius: %+v", q)
	}
	q, _ = parse(t, "near=41.12345678,-87.00000001&radius_km=200")
	if *q.Near != (Point{41.123457, -87}) || q.RadiusKm != 200 {
		t.Fatalf("rounding: %+v", q.Near)
	}
	if q, _ := parse(t, "near=-0,0"); q.Values().Get("near") != "0,0" {
		t.Fatalf("negative zero: %s", q.Values().Get("near"))
	}
}

func TestParseParamsCity(t *testing.T) {
	for _, raw := range []string{"city=san+jos%C3%A9", "city=SAN++JOS%C3%89+", "city=San%20Jos%C3%A9"} {
		if q, ve := parse(t, raw); ve != nil || q.City != "San José" {
			t.Errorf("%s: %q %v", raw, q.City, ve)
		}
	}
}

// Every bad parameter is refused with an error naming it, never ignored.
func TestParseParamsRefusesBadInput(t *testing.T) {
	var many []string
	for range MaxNeeds + 1 {
		many = append(many, "need=x")
	}
	cases := []struct {
		raw, field, key, mention string
	}{
		{"q=" + strings.Repeat("a", 201), "q", "search.error.q_too_long", "201"},
		{"q=a&q=b", "q", "search.error.repeated", "once"},
		{"need=cost.free&need=nope", "need", "search.error.need_unknown", `"nope"`},
		{"need=a&need=b&need=c&need=d&need=e&need=f&need=g", "need", "search.error.need_unknown", "2 more"},
		{strings.Join(many, "&"), "need", "search.error.need_unknown", `"x"`},
		{"lang=klingon", "lang", "search.error.lang_unknown", `"klingon"`},
		{"mode=teleport", "mode", "search.error.mode_unknown", "in_person, online, hybrid, phone"},
		{"day=someday", "day", "search.error.day_unknown", "mon, tue"},
		{"day=monday", "day", "search.error.day_unknown", `"monday"`},
		{"time=noon", "time", "search.error.time_unknown", "morning, afternoon, evening, night"},
		{"near=41.9", "near", "search.error.near_invalid", "41.9"},
		{"near=a,b", "near", "search.error.near_invalid", "latitude,longitude"},
		{"near=NaN,0", "near", "search.error.near_invalid", "NaN"},
		{"near=Inf,0", "near", "search.error.near_invalid", "Inf"},
		{"near=1,2,3", "near", "search.error.near_invalid", "1,2,3"},
		{"near=91,0", "near", "search.error.near_invalid", "not on Earth"},
		{"near=0,-180.5", "near", "search.error.near_invalid", "not on Earth"},
		{"near=1,1&near=2,2", "near", "search.error.repeated", "once"},
		{"radius_km=5", "radius_km", "search.error.radius_without_near", "needs near"},
		{"near=1,1&radius_km=0", "radius_km", "search.error.radius_invalid", "200"},
		{"near=1,1&radius_km=-3", "radius_km", "search.error.radius_invalid", `"-3"`},
		{"near=1,1&radius_km=200.1", "radius_km", "search.error.radius_invalid", `"200.1"`},
		{"near=1,1&radius_km=0.0001", "radius_km", "search.error.radius_invalid", "above 0"},
		{"near=1,1&radius_km=far", "radius_km", "search.error.radius_invalid", `"far"`},
		{"near=1,1&radius_km=Inf", "radius_km", "search.error.radius_invalid", `"Inf"`},
		{"city=Atlantis", "city", "search.error.city_unknown", `"Atlantis"`},
		{"sort=price", "sort", "search.error.sort_unknown", "relevance, distance, soonest, recently-confirmed"},
		{"sort=distance", "sort", "search.error.sort_needs_near", "near"},
		{"include=everything", "include", "search.error.include_unknown", "partly"},
		{"page=0", "page", "search.error.page_invalid", "1 to 500"},
		{"page=501", "page", "search.error.page_invalid", `"501"`},
		{"page=two", "page", "search.error.page_invalid", `"two"`},
		{"page=1.5", "page", "search.error.page_invalid", `"1.5"`},
		{"page=99999999999999999999999", "page", "search.error.page_invalid", "1 to 500"},
		{"per_page=0", "per_page", "search.error.per_page_invalid", "1 to 100"},
		{"per_page=101", "per_page", "search.error.per_page_invalid", `"101"`},
		{"per_page=-1", "per_page", "search.error.per_page_invalid", `"-1"`},
		{"q=%zz", "query", "search.error.query_malformed", "%zz"},
		{"q=a;b", "query", "search.error.query_malformed", "semicolon"},
	}
	for _, c := range cases {
		_, ve := parse(t, c.raw)
		if ve == nil {
			t.Errorf("%.60s: accepted", c.raw)
			continue
		}
		if len(ve.Fields) != 1 {
			t.Errorf("%.60s: want one error, got %+v", c.raw, ve.Fields)
			continue
		}
		f := ve.Fields[0]
		if f.Field != c.field || f.Key != c.key || !strings.Contains(f.Message, c.mention) {
			t.Errorf("%.60s: got %+v; want field %s, key %s, message mentioning %s", c.raw, f, c.field, c.key, c.mention)
		}
	}
}

func TestParseParamsTooManyNeeds(t *testing.T) {
	needs := make([]string, 0, MaxNeeds+1)
	for i := range MaxNeeds + 1 {
		needs = append(needs, "n"+strings.Repeat("x", i))
	}
	vocab := NewTerms(needs, nil, nil)
	v := url.Values{"need": needs}
	_, err := ParseParams(v, vocab, 20)
	var ve *directory.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Key != "search.error.need_too_many" {
		t.Fatalf("got %v", err)
	}
	v["need"] = needs[:MaxNeeds]
	if q, err := ParseParams(v, vocab, 20); err != nil || len(q.Needs) != MaxNeeds {
		t.Fatalf("%d needs should pass: %v", MaxNeeds, err)
	}
}

func TestParseParamsReportsEveryBadParameterOnce(t *testing.T) {
	_, ve := parse(t, "need=nope&need=nada&lang=xx&day=x&per_page=1000&sort=distance&radius_km=3&city=Atlantis")
	if ve == nil {
		t.Fatal("accepted")
	}
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	want := []string{"need", "lang", "day", "radius_km", "city", "sort", "per_page"}
	if !reflect.DeepEqual(fields, want) {
		t.Fatalf("got %v, want %v", fields, want)
	}
}

// A bad near is reported once, not again through radius_km or sort=distance.
func TestParseParamsBadNearIsOneError(t *testing.T) {
	_, ve := parse(t, "near=somewhere&radius_km=5&sort=distance")
	if ve == nil || len(ve.Fields) != 1 || ve.Fields[0].Field != "near" {
		t.Fatalf("got %+v", ve)
	}
}

func TestParseParamsEchoesNoHugeValue(t *testing.T) {
	_, ve := parse(t, "city="+strings.Repeat("x", 10000))
	if ve == nil || len(ve.Fields[0].Message) > 200 {
		t.Fatalf("message too long or missing: %+v", ve)
	}
}

func TestValuesDoesNotTouchTheQuery(t *testing.T) {
	q := Query{Needs: []string{"b", "a"}, Days: []string{"sun", "mon"}, Page: 1, PerPage: 10}
	if got := q.Values().Encode(); got != "day=mon&day=sun&need=a&need=b&per_page=10" {
		t.Fatal(got)
	}
	if q.Needs[0] != "b" || q.Days[0] != "sun" {
		t.Fatal("Values sorted the caller's slices")
	}
}

func FuzzParseParams(f *testing.F) {
	for _, seed := range []string{
		"", "q=grief", "need=cost.free&need=care.childcare&lang=es", "near=41.9,-87.6&radius_km=3&sort=distance",
		"city=chicago&day=mon&time=evening&mode=online&include=partly&page=2&per_page=5",
		"q=%00%FF%zz", "near=1e-320,-0", "q=a;b", "radius_km=0.0005&near=0,0", "sort=SOONEST&day=MON",
		"need=%20cost.free%20&city=%20san%20jos%C3%A9", "near=0x1p-2,1_0",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := ParseQuery(raw, testVocab, 20)
		if err != nil {
			var ve *directory.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("%q: not a validation error: %v", raw, err)
			}
			seen := map[string]bool{}
			for _, fe := range ve.Fields {
				if fe.Field == "" || fe.Key == "" || fe.Message == "" || seen[fe.Field] {
					t.Fatalf("%q: bad field error %+v", raw, ve.Fields)
				}
				seen[fe.Field] = true
			}
			return
		}
		canonical := q.Values().Encode()
		again, err := ParseQuery(canonical, testVocab, 20)
		if err != nil {
			t.Fatalf("%q: canonical %q refused: %v", raw, canonical, err)
		}
		if !reflect.DeepEqual(q, again) {
			t.Fatalf("%q: canonical %q reads back as %+v, not %+v", raw, canonical, again, q)
		}
		if again.Values().Encode() != canonical {
			t.Fatalf("%q: canonical form is not stable", raw)
		}
	})
}

// The API document says duplicates count once: a need given 21 times is one need.
func TestParseParamsRepeatedValuesCountOnce(t *testing.T) {
	raw := strings.Repeat("need=cost.free&", MaxNeeds+1) + "lang=es&lang=ES&day=mon&day=mon"
	q, ve := parse(t, raw)
	if ve != nil {
		t.Fatalf("a need repeated %d times was refused: %v", MaxNeeds+1, ve)
	}
	if !reflect.DeepEqual(q.Needs, []string{"cost.free"}) || !reflect.DeepEqual(q.Languages, []string{"es"}) ||
		!reflect.DeepEqual(q.Days, []string{"mon"}) {
		t.Fatalf("got %+v", q)
	}
}

// Numbers are plain decimals: Go's other spellings are refused, not read.
func TestParseParamsNumbersAreDecimalOnly(t *testing.T) {
	for _, raw := range []string{
		"near=0x1p-2,10", "near=1_0,10", "near=1e1,10", "near=10,0x10", "near=.,1", "near=1,-",
		"near=1,1&radius_km=0x5", "near=1,1&radius_km=1_0", "near=1,1&radius_km=5e0",
		"page=0x2", "page=%2B2", "page=1_0", "per_page=0b11", "per_page= 2 0",
	} {
		if _, ve := parse(t, raw); ve == nil {
			t.Errorf("%s: accepted", raw)
		}
	}
	for raw, want := range map[string]Point{
		"near=41.5,-87": {41.5, -87}, "near=%2B41.,-.5": {41, -0.5}, "near=-0,0": {0, 0},
	} {
		q, ve := parse(t, raw)
		if ve != nil || q.Near == nil || *q.Near != want {
			t.Errorf("%s: got %+v %v", raw, q.Near, ve)
		}
	}
}

func TestLastPage(t *testing.T) {
	q := Query{PerPage: 20}
	for total, want := range map[int]int{0: 1, 1: 1, 20: 1, 21: 2, 140: 7, 1_000_000: MaxPage} {
		if got := q.LastPage(total); got != want {
			t.Errorf("%d results: last page %d, want %d", total, got, want)
		}
	}
}

// ReadQuery keeps what it could read and says that something was not readable.
func TestReadQueryKeepsTheReadableParts(t *testing.T) {
	v, err := ReadQuery("need=cost.free&q=%&day=mon")
	var ve *directory.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "query" || ve.Fields[0].Key != "search.error.query_malformed" {
		t.Fatalf("got %v", err)
	}
	if v.Get("need") != "cost.free" || v.Get("day") != "mon" || v.Has("q") {
		t.Fatalf("readable parts: %v", v)
	}
}
