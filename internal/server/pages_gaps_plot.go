package server

import (
	"math"
	"strconv"
	"strings"

	"github.com/belong-directory/belong/internal/gaps"
)

// plotView is the SVG line plot of the combinations most often left unmet,
// week by week, drawn on the server: no script, no third party. The table
// beside it says the same in words.
type plotView struct {
	Width, Height            int
	Left, Right, Top, Bottom float64
	YTicks, XTicks           []plotTick
	Series                   []plotSeries
	// Rows are the plot as a table: a week a row, a combination a column.
	Rows []plotRow
	// Hidden says, in the public report, that a missing point held fewer
	// searches than may be shown.
	Hidden string
}

type plotRow struct {
	Week   string
	Values []string
}

type plotTick struct {
	At    float64
	Label string
}

// plotSeries is one combination: lines between the weeks with a count (a week
// without one breaks the line), a dot on each, and its values for the table.
type plotSeries struct {
	Label        string
	Colour, Dash string
	Lines        []string
	Dots         []plotPoint
	Values       []string
}

type plotPoint struct{ X, Y float64 }

// plotStyles tell the lines apart by colour and by dash, for people who do not
// see the colours; each colour has at least 3:1 contrast on the page.
var plotStyles = []struct{ colour, dash string }{
	{"#1a5a85", ""}, {"#a23c00", "8 4"}, {"#1d6b3a", "2 4"}, {"#6a2c91", "10 4 2 4"}, {"#5c4b00", "4 2"},
}

func (s *Server) plot(lang string, r gaps.Report, label func([]string) []string) *plotView {
	if len(r.Trend) == 0 {
		return nil
	}
	t := s.View.I18n
	v := &plotView{Width: 720, Height: 280, Left: 48, Right: 670, Top: 16, Bottom: 250}
	var most int64
	for _, se := range r.Trend {
		for _, n := range se.Points {
			most = max(most, n)
		}
	}
	step := niceStep(most)
	top := max(step, int64(math.Ceil(float64(most)/float64(step)))*step)
	y := func(n int64) float64 { return round1(v.Bottom - float64(n)/float64(top)*(v.Bottom-v.Top)) }
	for n := int64(0); n <= top; n += step {
		v.YTicks = append(v.YTicks, plotTick{At: y(n), Label: strconv.FormatInt(n, 10)})
	}
	weeks := len(r.Mondays)
	x := func(i int) float64 {
		if weeks == 1 {
			return (v.Left + v.Right) / 2
		}
		return round1(v.Left + float64(i)/float64(weeks-1)*(v.Right-v.Left))
	}
	// About six week labels, whatever the window, evenly spaced back from the
	// latest week, which always has one.
	every := max(1, (weeks+5)/6)
	for i, m := range r.Mondays {
		if (weeks-1-i)%every == 0 {
			v.XTicks = append(v.XTicks, plotTick{At: x(i), Label: gaps.WeekLabel(m)})
		}
	}
	hidden := t.T(lang, "gaps.hidden", gaps.PublicMinimum)
	if r.Staff {
		hidden = "0"
	} else {
		v.Hidden = t.T(lang, "gaps.plot.hidden", gaps.PublicMinimum)
	}
	for i, se := range r.Trend {
		st := plotStyles[i%len(plotStyles)]
		ps := plotSeries{Label: strings.Join(label(se.Needs), " + ") + " · " + s.placeLabel(lang, se.Place),
			Colour: st.colour, Dash: st.dash}
		var line []string
		for w, n := range se.Points {
			if n < 0 && !r.Staff {
				ps.Values = append(ps.Values, hidden)
				if len(line) > 1 {
					ps.Lines = append(ps.Lines, strings.Join(line, " "))
				}
				line = nil
				continue
			}
			n = max(n, 0)
			ps.Values = append(ps.Values, strconv.FormatInt(n, 10))
			p := plotPoint{X: x(w), Y: y(n)}
			ps.Dots = append(ps.Dots, p)
			line = append(line, ftoa(p.X)+","+ftoa(p.Y))
		}
		if len(line) > 1 {
			ps.Lines = append(ps.Lines, strings.Join(line, " "))
		}
		v.Series = append(v.Series, ps)
	}
	for i, m := range r.Mondays {
		row := plotRow{Week: gaps.WeekLabel(m)}
		for _, se := range v.Series {
			row.Values = append(row.Values, se.Values[i])
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// niceStep is a step of 1, 2 or 5 times a power of ten that cuts 0…most into
// at most five parts.
func niceStep(most int64) int64 {
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if most <= m*p*5 {
				return m * p
			}
		}
	}
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
