package interop

import (
	"io"

	"github.com/belong-directory/belong/internal/directory"
)

// CSVTemplate writes the spreadsheet template: the header, with one column per
// barrier tag after the plain columns, and one example row.
func (im *Importer) CSVTemplate(w io.Writer) error {
	var header, example []string
	for _, c := range csvColumns {
		header = append(header, c.Name)
		example = append(example, c.Example)
	}
	for _, cat := range im.dir.Taxonomy(exportLang) {
		for _, t := range cat.Tags {
			header = append(header, t.Slug)
			example = append(example, tagExamples[t.Slug])
		}
	}
	cw := NewCSVWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.Write(example); err != nil {
		return err
	}
	return cw.Flush()
}

// TagColumns are the barrier tags' columns, by category, labelled in ui, for
// the column guide.
func (im *Importer) TagColumns(ui string) []directory.Category { return im.dir.Taxonomy(ui) }
