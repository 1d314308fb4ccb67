// Package view owns how pages look: templates parsed once at start-up from web/,
// rendered with a typed page struct, and static files served under content-hash
// URLs so they can be cached for a year.
package view

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/web"
)

// Page is what every template receives.
type Page struct {
	Lang  string
	Title string
	// Path is the current path and query, for the language switcher and links back.
	Path string
	Data any
}

// Scoped carries the UI language into a partial template along with its value.
type Scoped struct {
	Lang string
	V    any
}

// Renderer renders the embedded templates.
type Renderer struct {
	pages  map[string]*template.Template
	assets map[string]Asset // by plain name, e.g. "belong.css"
	byPath map[string]Asset // by hashed URL path
	I18n   *i18n.Catalogs
}

// Asset is one static file with its content-hash URL.
type Asset struct {
	Name string
	URL  string
	Type string
	Body []byte
}

// New parses every page template with the layout; a template that fails to parse
// stops start-up.
func New(catalogs *i18n.Catalogs, extra template.FuncMap) (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, I18n: catalogs}
	if err := r.loadAssets(); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"t":      catalogs.T,
		"n":      catalogs.N,
		"asset":  r.AssetURL,
		"withUI": WithUI,
		"withLang": func(lang string, v any) Scoped {
			return Scoped{Lang: lang, V: v}
		},
		"formHas": func(f url.Values, key, value string) bool { return slices.Contains(f[key], value) },
		"fieldID": FieldID,
		"field":   NewField,
		"add1":    func(i int) int { return i + 1 },
		"label":   LabelKey,
		"list":    func(v ...string) []string { return v },
	}
	for k, v := range extra {
		funcs[k] = v
	}
	files, err := fs.Glob(web.Templates, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		partials, _ := fs.Glob(web.Templates, "templates/_*.html")
		t, err := template.New(name).Funcs(funcs).ParseFS(web.Templates,
			append([]string{"templates/layout.html", f}, partials...)...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", f, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

func (r *Renderer) loadAssets() error {
	r.assets, r.byPath = map[string]Asset{}, map[string]Asset{}
	return fs.WalkDir(web.Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(web.Static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		a := Asset{
			Name: name,
			URL:  "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext,
			Type: contentType(ext),
			Body: body,
		}
		r.assets[name], r.byPath[a.URL] = a, a
		return nil
	})
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}

// AssetURL is the content-hash URL of a static file; templates call it as `asset`.
func (r *Renderer) AssetURL(name string) (string, error) {
	a, ok := r.assets[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return a.URL, nil
}

// Asset finds a static file by its hashed URL path.
func (r *Renderer) Asset(urlPath string) (Asset, bool) {
	a, ok := r.byPath[urlPath]
	return a, ok
}

// maxLinkedQuery is the longest query string the language switcher carries over.
// Every search the form can make fits well inside it; a longer one has been
// refused already, and is not echoed back a second and third time in links.
const maxLinkedQuery = 4096

// WithUI returns the path and query with the interface language set to lang, for
// the language switcher: the choice travels in the URL, never in a cookie. The
// result is always a path on this site: "///evil.example/x" or "/\\evil.example"
// would otherwise be links a browser follows to another host.
func WithUI(pathAndQuery, lang string) string {
	u, err := url.Parse(pathAndQuery)
	if err != nil {
		return "/?ui=" + url.QueryEscape(lang)
	}
	q := url.Values{}
	if len(u.RawQuery) <= maxLinkedQuery {
		q = u.Query()
	}
	q.Set("ui", lang)
	// EscapedPath writes a backslash as %5C; leading slashes collapse into one.
	return "/" + strings.TrimLeft(u.EscapedPath(), "/") + "?" + q.Encode()
}

// Render writes a page; it renders into a buffer first so a template error never
// sends half a page.
func (r *Renderer) Render(w io.Writer, name string, p Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// FieldID is the id of a form field's input from its name: "schedules[0].opens"
// becomes "f-schedules-0-opens", so error summaries can link to it.
func FieldID(name string) string {
	var b strings.Builder
	b.WriteString("f-")
	dash := false
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Field is one labelled input of a form, as the "field" template draws it.
type Field struct {
	Lang, Name, Type, Value, Error, Autocomplete string
	Max                                          int
	Required, Long                               bool
}

// NewField describes the input name of a form with its value and error; kind is
// an input type, or "textarea", optionally followed by ":" and an autocomplete
// token ("email:email").
func NewField(lang string, form url.Values, errs map[string]string, name, kind string, max int, required bool) Field {
	kind, auto, _ := strings.Cut(kind, ":")
	return Field{Lang: lang, Name: name, Type: kind, Value: form.Get(name), Error: errs[name], Autocomplete: auto,
		Max: max, Required: required, Long: kind == "textarea"}
}

var rowIndex = regexp.MustCompile(`\[[0-9]+\]`)

// LabelKey is the catalog name of a form field's words: the same for every row
// of a repeated group ("schedules[2].opens" is "schedules.opens").
func LabelKey(name string) string { return rowIndex.ReplaceAllString(name, "") }
