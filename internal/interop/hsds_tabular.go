package interop

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/belong-directory/belong/internal/interop/hsds"
)

// tabularColumns are the columns of each CSV file of the HSDS 3.0 Tabular Data
// Package, in the order of the specification's example files
// (openreferral/specification, branch 3.0, examples/csv). belong's own x_
// fields follow them.
var tabularColumns = map[string][]string{
	"organizations": {"id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
		"year_incorporated", "legal_status", "logo", "uri", "parent_organization_id"},
	"services": {"id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email",
		"status", "interpretation_services", "application_process", "fees_description", "wait_time", "fees",
		"accreditations", "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email",
		"licenses", "alert", "last_modified"},
	"locations": {"id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
		"transportation", "latitude", "longitude", "external_identifier", "external_identifier_type"},
	"service_at_locations": {"id", "service_id", "location_id", "description"},
	"addresses": {"id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
		"postal_code", "country", "address_type"},
	"phones": {"id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id", "number",
		"extension", "type", "description"},
	"schedules": {"id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
		"timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday",
		"description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes"},
	"languages":      {"id", "service_id", "location_id", "phone_id", "name", "code", "note"},
	"accessibility":  {"id", "location_id", "description", "details", "url"},
	"cost_options":   {"id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"},
	"attributes":     {"id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "label"},
	"taxonomies":     {"id", "name", "description", "uri", "version"},
	"taxonomy_terms": {"id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri"},
}

// WriteCSV writes the dataset as an HSDS 3.0 Tabular Data Package into dir:
// one NAME.csv per kind of record, through the one escaping CSV writer, and a
// datapackage.json describing them. It returns the paths written.
func (d Dataset) WriteCSV(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	var paths []string
	var resources []map[string]any
	for _, f := range d.Files() {
		rows, err := recordMaps(f.Records)
		if err != nil {
			return paths, fmt.Errorf("export %s: %w", f.Name, err)
		}
		cols := tabularHeader(f.Name, rows)
		var buf bytes.Buffer
		w := NewCSVWriter(&buf)
		if err := w.Write(cols); err != nil {
			return paths, err
		}
		for _, r := range rows {
			cells := make([]string, len(cols))
			for i, c := range cols {
				cells[i] = csvValue(r[c])
			}
			if err := w.Write(cells); err != nil {
				return paths, err
			}
		}
		if err := w.Flush(); err != nil {
			return paths, err
		}
		path := filepath.Join(dir, f.Name+".csv")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return paths, fmt.Errorf("export %s: %w", f.Name, err)
		}
		paths = append(paths, path)
		resources = append(resources, tabularResource(f.Name, cols, rows))
	}
	pkg := map[string]any{"name": "belong", "title": "belong: peer-support groups and inclusive spaces",
		"profile": "tabular-data-package", "version": hsds.Version, "resources": resources}
	b, err := json.MarshalIndent(pkg, "", "  ")
	if err != nil {
		return paths, err
	}
	path := filepath.Join(dir, "datapackage.json")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return paths, fmt.Errorf("export datapackage: %w", err)
	}
	return append(paths, path), nil
}

// recordMaps is each record as its JSON fields.
func recordMaps(records any) ([]map[string]any, error) {
	b, err := json.Marshal(records)
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return rows, dec.Decode(&rows)
}

// tabularHeader is the specification's columns for the file, then every x_
// field any record has, sorted.
func tabularHeader(name string, rows []map[string]any) []string {
	cols := slices.Clone(tabularColumns[name])
	var extra []string
	for _, r := range rows {
		for k := range r {
			if !slices.Contains(cols, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	return append(cols, extra...)
}

// csvValue is one JSON value as a cell: text as it is, numbers as JSON writes
// them, true or false, and a list of text (x_skip_dates) joined with commas.
func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = csvValue(p)
		}
		return strings.Join(parts, ",")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// tabularResource describes one CSV file in datapackage.json.
func tabularResource(name string, cols []string, rows []map[string]any) map[string]any {
	fields := make([]map[string]any, len(cols))
	for i, c := range cols {
		fields[i] = map[string]any{"name": c, "type": columnType(c, rows)}
	}
	return map[string]any{"name": name, "path": name + ".csv", "format": "csv",
		"mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
		"schema": map[string]any{"fields": fields, "primaryKey": "id"}}
}

// columnType is the Table Schema type of a column, from the values it holds.
func columnType(col string, rows []map[string]any) string {
	for _, r := range rows {
		switch r[col].(type) {
		case json.Number:
			return "number"
		case bool:
			return "boolean"
		}
	}
	return "string"
}

// Columns the tabular package holds as numbers, true/false or lists; every
// other column is text.
var (
	numberColumns = []string{"latitude", "longitude", "interval", "timezone", "amount", "bymonthday", "count",
		"minimum_age", "maximum_age"}
	boolColumns = []string{"x_discreet"}
	listColumns = []string{"x_skip_dates"}
)

// csvRecords reads one CSV file of a tabular package as a JSON array of
// records, for the same reading as the JSON files. A cell the export wrote
// with a leading apostrophe (SafeCell) is read back without it.
func csvRecords(b []byte, kind string, p *Plan) []byte {
	rows, err := readCSVRows(b)
	if err != nil || len(rows) == 0 {
		if err != nil {
			p.Problems = append(p.Problems, Problem{Item: kind + "s", Key: keyUnreadable,
				Message: "is not CSV that can be read here: " + err.Error()})
		}
		return []byte("[]")
	}
	header := rows[0]
	out := make([]map[string]any, 0, len(rows)-1)
	for _, row := range rows[1:] {
		rec := map[string]any{}
		for i, cell := range row {
			if i >= len(header) || cell == "" {
				continue
			}
			col := strings.TrimSpace(header[i])
			cell = unescapeCell(cell)
			switch {
			case slices.Contains(numberColumns, col):
				if f, err := strconv.ParseFloat(cell, 64); err == nil {
					rec[col] = f
					continue
				}
				rec[col] = cell // the record's reading says what is wrong
			case slices.Contains(boolColumns, col):
				rec[col] = cell == "true"
			case slices.Contains(listColumns, col):
				rec[col] = strings.Split(cell, ",")
			default:
				rec[col] = cell
			}
		}
		out = append(out, rec)
	}
	j, err := json.Marshal(out)
	if err != nil {
		return []byte("[]")
	}
	return j
}

func readCSVRows(b []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

// unescapeCell undoes SafeCell.
func unescapeCell(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(cell[1])) {
		return cell[1:]
	}
	return cell
}
