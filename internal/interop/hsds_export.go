package interop

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/belong-directory/belong/internal/interop/hsds"
)

// Dataset is the whole directory in HSDS records, one list per kind of record,
// each record with the ids of the ones it belongs to and nothing nested: the
// shape of an HSDS data package.
type Dataset struct {
	Organizations      []hsds.Organization
	Services           []hsds.Service
	Phones             []hsds.Phone
	Schedules          []hsds.Schedule
	ServiceAtLocations []hsds.ServiceAtLocation
	Locations          []hsds.Location
	Addresses          []hsds.Address
	Accessibility      []hsds.Accessibility
	Languages          []hsds.Language
	CostOptions        []hsds.CostOption
	Attributes         []hsds.Attribute
	Taxonomies         []hsds.Taxonomy
	TaxonomyTerms      []hsds.TaxonomyTerm
}

// HSDSDataset builds the dataset from every published listing.
func (s *Service) HSDSDataset(ctx context.Context) (Dataset, error) {
	all, err := s.services(ctx)
	if err != nil {
		return Dataset{}, err
	}
	d := Dataset{Taxonomies: taxonomies(), TaxonomyTerms: s.vocab().terms.all}
	orgs := map[string]bool{}
	for _, sv := range all {
		if o := *sv.Organization; !orgs[o.ID] {
			orgs[o.ID] = true
			d.Phones = append(d.Phones, o.Phones...)
			o.Phones = nil
			d.Organizations = append(d.Organizations, o)
		}
		d.Services = append(d.Services, oneToOne(sv.ServiceFields))
		d.Phones = append(d.Phones, sv.Phones...)
		d.Schedules = append(d.Schedules, sv.Schedules...)
		d.Languages = append(d.Languages, sv.Languages...)
		d.CostOptions = append(d.CostOptions, sv.CostOptions...)
		d.Attributes = append(d.Attributes, flatAttributes(sv.Attributes)...)
		for _, sal := range sv.ServiceAtLocations {
			loc := *sal.Location
			sal.Location = nil
			d.ServiceAtLocations = append(d.ServiceAtLocations, sal)
			d.Addresses = append(d.Addresses, loc.Addresses...)
			for _, a := range loc.Accessibility {
				d.Attributes = append(d.Attributes, flatAttributes(a.Attributes)...)
				a.Attributes = nil
				d.Accessibility = append(d.Accessibility, a)
			}
			loc.Addresses, loc.Accessibility = nil, nil
			d.Locations = append(d.Locations, loc)
		}
	}
	return d, nil
}

func flatAttributes(in []hsds.Attribute) []hsds.Attribute {
	out := make([]hsds.Attribute, len(in))
	for i, a := range in {
		a.TaxonomyTerm = nil
		out[i] = a
	}
	return out
}

// Files names each list of the dataset after its HSDS table, in the order a
// reader loads them (what others point at first).
func (d Dataset) Files() []DatasetFile {
	return []DatasetFile{
		file("taxonomies", d.Taxonomies), file("taxonomy_terms", d.TaxonomyTerms),
		file("organizations", d.Organizations), file("services", d.Services), file("locations", d.Locations),
		file("service_at_locations", d.ServiceAtLocations), file("addresses", d.Addresses), file("phones", d.Phones),
		file("schedules", d.Schedules), file("languages", d.Languages), file("accessibility", d.Accessibility),
		file("cost_options", d.CostOptions), file("attributes", d.Attributes),
	}
}

// DatasetFile is one kind of record: its table name, its records and how many.
type DatasetFile struct {
	Name    string
	Records any
	Count   int
}

func file[T any](name string, records []T) DatasetFile {
	if records == nil {
		records = []T{}
	}
	return DatasetFile{Name: name, Records: records, Count: len(records)}
}

// WriteJSON writes one NAME.json file per kind of record into dir, each a JSON
// array (empty rather than null), and returns the paths written.
func (d Dataset) WriteJSON(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	var paths []string
	for _, f := range d.Files() {
		b, err := json.MarshalIndent(f.Records, "", "  ")
		if err != nil {
			return paths, fmt.Errorf("export %s: %w", f.Name, err)
		}
		path := filepath.Join(dir, f.Name+".json")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			return paths, fmt.Errorf("export %s: %w", f.Name, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
