package server

import (
	"net/url"
	"slices"
	"strings"

	"github.com/belong-directory/belong/internal/referrals"
)

// The search and group pages carry the list being built in their own
// address (list=id,id,…), so "Add to list" works without a cookie or
// JavaScript and every link on the page keeps what is on it.

// readList takes the list out of a search's parameters; what cannot be read
// of it is dropped rather than refusing the search.
func readList(form url.Values) []string {
	raw := form.Get("list")
	form.Del("list")
	ids, _ := referrals.ParseIDs(raw)
	return ids
}

// carryList adds the list to every link of a search page and gives each
// card its "Add to list" link.
func carryList(p *searchPage, list []string, form url.Values, lang string) {
	p.List, p.ListIDs = list, strings.Join(list, ",")
	here := url.Values{}
	for k, vs := range form {
		here[k] = vs
	}
	here.Set("ui", lang)
	back := "/?" + here.Encode()
	if len(list) > 0 {
		p.ListHref = listDraft{IDs: list, Lang: lang, Days: referrals.DefaultDays, Back: safeBack(back)}.href(lang) + "#list"
	}
	carry := func(h *string) {
		if *h != "" {
			*h = withList(*h, list)
		}
	}
	for i := range p.Where {
		carry(&p.Where[i].Href)
	}
	for _, w := range []*wayOn{p.Drop, p.WithoutText} {
		if w != nil {
			carry(&w.Href)
		}
	}
	for i := range p.Similar {
		carry(&p.Similar[i].Href)
	}
	carry(&p.Pager.Prev)
	carry(&p.Pager.Next)
	cards := func(hs []hitView) {
		for i := range hs {
			cardLinks(&hs[i], list, back, lang)
		}
	}
	cards(p.Hits)
	cards(p.Close)
	for _, places := range [][]placeView{p.Places, p.CloseByPlace} {
		for i := range places {
			carry(&places[i].More)
			cards(places[i].Hits)
		}
	}
}

// cardLinks gives one card its links: to the group page, and to add it.
func cardLinks(h *hitView, list []string, back, lang string) {
	h.GroupHref = withList("/groups/"+h.Slug+"?ui="+lang, list)
	h.OnList = slices.Contains(list, h.ID)
	if h.OnList || len(list) >= referrals.MaxGroups {
		return
	}
	v := url.Values{"add": {h.ID}, "lang": {lang}, "ui": {lang}}
	if len(list) > 0 {
		v.Set("ids", strings.Join(list, ","))
	}
	if b := safeBack(back); b != "" {
		v.Set("back", b)
	}
	h.AddHref = "/list?" + v.Encode()
}

// groupListLinks are a group page's links for the list being built: back to
// the search, add this group, or see the list it is on.
func groupListLinks(id, raw, lang string) (search, add, open string, onList bool) {
	list, _ := referrals.ParseIDs(raw) // what cannot be read is dropped
	search = withList("/?ui="+lang, list)
	d := listDraft{IDs: list, Lang: lang, Days: referrals.DefaultDays}
	open = d.href(lang) + "#list"
	if slices.Contains(list, id) {
		return search, "", open, true
	}
	v := d.values(lang)
	v.Set("add", id)
	return search, "/list?" + v.Encode(), open, false
}
