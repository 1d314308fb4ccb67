package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/interop/hsds"
)

// MaxHSDSFileBytes caps each file an HSDS import reads.
const MaxHSDSFileBytes = 64 << 20

// CheckHSDS reads an HSDS 3.0 dataset and returns what importing it would do.
// path is a directory of one NAME.json file per kind of record (what `belong
// export hsds` writes), or one JSON file of services, nested as GET
// /hsds/services/{id} answers (an array, one service, or a Page of them).
// Every service becomes a listing; what does not fit is a note or, when the
// listing cannot be made without it, a problem, each naming its record. The
// error is only for a path that cannot be read or a database not answering.
func (im *Importer) CheckHSDS(ctx context.Context, path string) (Plan, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Plan{}, err
	}
	var ds rawDataset
	var p Plan
	if info.IsDir() {
		ds, err = readHSDSDir(path, &p)
	} else {
		var b []byte
		b, err = readCapped(path)
		if err == nil {
			ds = parseNested(b, &p)
		}
	}
	if err != nil {
		return Plan{}, err
	}
	im.planHSDS(ctx, ds, &p)
	if len(p.Listings) == 0 && len(p.Problems) == 0 {
		p.Problems = append(p.Problems, Problem{Key: keyEmpty, Message: "the dataset has no services"})
	}
	if err := im.resolveOrganizations(ctx, &p); err != nil {
		return Plan{}, err
	}
	if err := im.markUpdates(ctx, &p); err != nil {
		return Plan{}, err
	}
	return p, nil
}

func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxHSDSFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxHSDSFileBytes {
		return nil, fmt.Errorf("%s is larger than %d MB", path, MaxHSDSFileBytes>>20)
	}
	return b, nil
}

// rawDataset is an HSDS dataset as read, flat: each kind of record in a list,
// pointing at the records it belongs to by id.
type rawDataset struct {
	Organizations      []hsds.Organization
	Services           []hsds.Service
	Phones             []hsds.Phone
	Schedules          []hsds.Schedule
	ServiceAtLocations []hsds.ServiceAtLocation
	Locations          []hsds.Location
	Addresses          []hsds.Address
	Languages          []hsds.Language
	CostOptions        []hsds.CostOption
	Attributes         []hsds.Attribute
	TaxonomyTerms      []hsds.TaxonomyTerm
}

// readHSDSDir reads NAME.json for each kind of record it knows; a missing
// file is an empty list. Files it does not read are noted.
func readHSDSDir(dir string, p *Plan) (rawDataset, error) {
	var ds rawDataset
	kinds := []struct {
		name string
		into func([]byte)
	}{
		{"organizations", func(b []byte) { ds.Organizations = records[hsds.Organization](b, "organization", p) }},
		{"services", func(b []byte) { ds.Services = records[hsds.Service](b, "service", p) }},
		{"phones", func(b []byte) { ds.Phones = records[hsds.Phone](b, "phone", p) }},
		{"schedules", func(b []byte) { ds.Schedules = records[hsds.Schedule](b, "schedule", p) }},
		{"service_at_locations", func(b []byte) {
			ds.ServiceAtLocations = records[hsds.ServiceAtLocation](b, "service_at_location", p)
		}},
		{"locations", func(b []byte) { ds.Locations = records[hsds.Location](b, "location", p) }},
		{"addresses", func(b []byte) { ds.Addresses = records[hsds.Address](b, "address", p) }},
		{"languages", func(b []byte) { ds.Languages = records[hsds.Language](b, "language", p) }},
		{"cost_options", func(b []byte) { ds.CostOptions = records[hsds.CostOption](b, "cost_option", p) }},
		{"attributes", func(b []byte) { ds.Attributes = records[hsds.Attribute](b, "attribute", p) }},
		{"taxonomy_terms", func(b []byte) { ds.TaxonomyTerms = records[hsds.TaxonomyTerm](b, "taxonomy_term", p) }},
	}
	known := map[string]bool{"taxonomies.json": true, "accessibility.json": true, "datapackage.json": true}
	for _, k := range kinds {
		known[k.name+".json"] = true
		b, err := readCapped(filepath.Join(dir, k.name+".json"))
		if errors.Is(err, os.ErrNotExist) {
			// The Tabular Data Package: NAME.csv instead.
			b, err = readCapped(filepath.Join(dir, k.name+".csv"))
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err == nil {
				b = csvRecords(b, strings.TrimSuffix(k.name, "s"), p)
			}
		}
		if err != nil {
			return ds, err
		}
		k.into(b)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ds, err
	}
	for _, e := range entries {
		name := strings.TrimSuffix(strings.TrimSuffix(e.Name(), ".csv"), ".json") + ".json"
		if name != e.Name() && !strings.HasSuffix(e.Name(), ".csv") {
			continue
		}
		if !known[name] {
			p.Notes = append(p.Notes, Problem{Item: e.Name(), Key: "import.note.file",
				Message: "this file is not read: belong keeps nothing of this kind"})
		}
	}
	return ds, nil
}

// records decodes a JSON array of one kind of record, each on its own: a
// record that cannot be read is a problem naming it, and the others are kept.
// Fields belong does not keep are noted once per field and kind.
func records[T any](b []byte, kind string, p *Plan) []T {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		p.Problems = append(p.Problems, Problem{Item: kind + "s", Key: keyUnreadable,
			Message: "is not a JSON array of records: " + err.Error()})
		return nil
	}
	known := jsonFields(reflect.TypeFor[T]())
	unknown := map[string]string{}
	var out []T
	for i, r := range raw {
		var fields map[string]json.RawMessage
		var rec T
		if err := json.Unmarshal(r, &fields); err != nil {
			p.Problems = append(p.Problems, Problem{Item: fmt.Sprintf("%s #%d", kind, i+1), Key: keyUnreadable,
				Message: "is not a JSON object"})
			continue
		}
		id := recordID(fields)
		if err := json.Unmarshal(r, &rec); err != nil {
			p.Problems = append(p.Problems, Problem{Item: kind + " " + id, Key: keyUnreadable,
				Message: "cannot be read: " + err.Error()})
			continue
		}
		for name, v := range fields {
			if !known[name] && !emptyJSON(v) {
				if _, seen := unknown[name]; !seen {
					unknown[name] = id
				}
			}
		}
		out = append(out, rec)
	}
	names := make([]string, 0, len(unknown))
	for n := range unknown {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		p.Notes = append(p.Notes, Problem{Item: kind + " " + unknown[n], Column: n, Key: "import.note.field",
			Message: "belong does not keep this field of a " + kind + "; it is left out (first seen here)"})
	}
	return out
}

func recordID(fields map[string]json.RawMessage) string {
	var id string
	if err := json.Unmarshal(fields["id"], &id); err != nil || id == "" {
		return "(no id)"
	}
	return shorten(id)
}

func emptyJSON(v json.RawMessage) bool {
	switch string(bytes.TrimSpace(v)) {
	case "null", `""`, "[]", "{}", "false", "0":
		return true
	}
	return false
}

// jsonFields are the JSON names of a struct's fields, embedded ones included.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			for k := range jsonFields(f.Type) {
				out[k] = true
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// parseNested reads one JSON file of nested services (an array, a Page, or a
// single service) and flattens it into a dataset.
func parseNested(b []byte, p *Plan) rawDataset {
	var ds rawDataset
	trimmed := bytes.TrimSpace(b)
	var list []byte
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[':
		list = trimmed
	case len(trimmed) > 0 && trimmed[0] == '{':
		var page struct {
			Contents json.RawMessage `json:"contents"`
		}
		if err := json.Unmarshal(trimmed, &page); err == nil && len(page.Contents) > 0 {
			list = page.Contents
		} else {
			list = append(append([]byte{'['}, trimmed...), ']')
		}
	default:
		p.Problems = append(p.Problems, Problem{Item: "services", Key: keyUnreadable,
			Message: "the file is not HSDS JSON: want services as an array, a page or one service"})
		return ds
	}
	for _, sv := range records[hsds.Service](list, "service", p) {
		if o := sv.Organization; o != nil {
			for _, ph := range o.Phones {
				ph.OrganizationID = o.ID
				ds.Phones = append(ds.Phones, ph)
			}
			if sv.OrganizationID == "" {
				sv.OrganizationID = o.ID
			}
			ds.Organizations = append(ds.Organizations, *o)
		}
		for _, ph := range sv.Phones {
			ph.ServiceID = sv.ID
			ds.Phones = append(ds.Phones, ph)
		}
		for _, sc := range sv.Schedules {
			sc.ServiceID = sv.ID
			ds.Schedules = append(ds.Schedules, sc)
		}
		for _, sal := range sv.ServiceAtLocations {
			sal.ServiceID = sv.ID
			if loc := sal.Location; loc != nil {
				if sal.LocationID == "" {
					sal.LocationID = loc.ID
				}
				for _, a := range loc.Addresses {
					a.LocationID = loc.ID
					ds.Addresses = append(ds.Addresses, a)
				}
				ds.Locations = append(ds.Locations, *loc)
			}
			ds.ServiceAtLocations = append(ds.ServiceAtLocations, sal)
		}
		for _, l := range sv.Languages {
			l.ServiceID = sv.ID
			ds.Languages = append(ds.Languages, l)
		}
		for _, c := range sv.CostOptions {
			c.ServiceID = sv.ID
			ds.CostOptions = append(ds.CostOptions, c)
		}
		for _, a := range sv.Attributes {
			if a.LinkID == "" {
				a.LinkID, a.LinkEntity = sv.ID, "service"
			}
			if a.TaxonomyTerm != nil {
				ds.TaxonomyTerms = append(ds.TaxonomyTerms, *a.TaxonomyTerm)
			}
			ds.Attributes = append(ds.Attributes, a)
		}
		sv.Organization, sv.Phones, sv.Schedules, sv.ServiceAtLocations = nil, nil, nil, nil
		sv.Languages, sv.CostOptions, sv.Attributes = nil, nil, nil
		ds.Services = append(ds.Services, sv)
	}
	return ds
}

// hsdsTime reads an HSDS time ("18:30" or "18:30:00") as HH:MM.
func hsdsTime(s string) string {
	if len(s) == 8 && s[2] == ':' && s[5] == ':' {
		return s[:5]
	}
	return s
}

// zoneFromOffset is the fixed-offset IANA zone for a whole-hour UTC offset:
// Etc/GMT+5 is five hours behind UTC (the sign is POSIX's, reversed).
func zoneFromOffset(hours float64) (string, bool) {
	if hours != float64(int(hours)) || hours < -12 || hours > 14 {
		return "", false
	}
	switch h := int(hours); {
	case h == 0:
		return "Etc/UTC", true
	case h > 0:
		return fmt.Sprintf("Etc/GMT-%d", h), true
	default:
		return fmt.Sprintf("Etc/GMT+%d", -h), true
	}
}

// assuredTime reads the service's assured_date as the time it was confirmed.
func assuredTime(s string, fallback time.Time) time.Time {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	return fallback
}
