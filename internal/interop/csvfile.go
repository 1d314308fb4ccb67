package interop

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// CSVWriter is the one CSV writer every export uses. A cell that a
// spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a
// carriage return) is written with a leading apostrophe, as OWASP advises
// against CSV injection: a listing named =HYPERLINK("http://evil.example")
// stays text when an export is opened in a spreadsheet. A cell that is a plain
// number (-87.6775) is not a formula and is written as it is.
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter writes RFC 4180 CSV, CRLF line ends, to w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &CSVWriter{w: cw}
}

// Write writes one row, each cell made safe to open in a spreadsheet.
func (c *CSVWriter) Write(row []string) error {
	safe := make([]string, len(row))
	for i, cell := range row {
		safe[i] = SafeCell(cell)
	}
	return c.w.Write(safe)
}

// Flush writes what is buffered and returns any error of any write.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// SafeCell is cell as a spreadsheet will show it, never run it.
func SafeCell(cell string) string {
	if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return cell
	}
	if _, err := strconv.ParseFloat(cell, 64); err == nil {
		return cell
	}
	return "'" + cell
}
