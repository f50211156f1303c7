package reports

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/decode-attend/attend/internal/store"
)

// Charts are drawn on the server as SVG: no script, readable when printed,
// and each has a table beside it with the same numbers.

// Bar is one labelled value of a bar chart.
type Bar struct {
	Label string
	Value int
	Class string // CSS class of the bar
}

// HBars draws horizontal bars, one per row, with the value at the end.
func HBars(title string, bars []Bar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const labelW, barW, rowH, valW = 170.0, 420.0, 22.0, 50.0
	maxV := 1
	for _, b := range bars {
		maxV = max(maxV, b.Value)
	}
	w, h := labelW+barW+valW, rowH*float64(len(bars))+8
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart hbars" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`,
		w, h, html.EscapeString(title), html.EscapeString(title))
	for i, b := range bars {
		y := 4 + float64(i)*rowH
		bw := barW * float64(b.Value) / float64(maxV)
		cls := b.Class
		if cls == "" {
			cls = "bar"
		}
		fmt.Fprintf(&sb, `<text class="label" x="%.0f" y="%.1f" text-anchor="end">%s</text>`, labelW-8, y+15, html.EscapeString(b.Label))
		fmt.Fprintf(&sb, `<rect class="%s" x="%.0f" y="%.1f" width="%.1f" height="%.0f"></rect>`, cls, labelW, y+3, bw, rowH-6)
		fmt.Fprintf(&sb, `<text class="value" x="%.1f" y="%.1f">%d</text>`, labelW+bw+6, y+15, b.Value)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// Histogram draws an event day's arrivals per quarter hour, from the first
// to the last hour with an arrival.
func Histogram(title string, slots []store.ArrivalSlot) template.HTML {
	if len(slots) == 0 {
		return ""
	}
	first, last, maxV := 96, 0, 1
	counts := map[int]int{}
	for _, s := range slots {
		counts[s.Slot] += s.N
		first, last = min(first, s.Slot), max(last, s.Slot)
		maxV = max(maxV, counts[s.Slot])
	}
	first -= first % 4
	last += 4 - last%4
	n := last - first
	const left, bottom, top, plotH = 36.0, 24.0, 8.0, 150.0
	colW := 660.0 / float64(n)
	w, h := left+colW*float64(n)+8, top+plotH+bottom
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart histogram" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`,
		w, h, html.EscapeString(title), html.EscapeString(title))
	fmt.Fprintf(&sb, `<line class="axis" x1="%.0f" y1="%.0f" x2="%.1f" y2="%.0f"></line>`, left, top+plotH, w-8, top+plotH)
	fmt.Fprintf(&sb, `<text class="tick" x="%.0f" y="%.0f" text-anchor="end">%d</text>`, left-4, top+8, maxV)
	fmt.Fprintf(&sb, `<text class="tick" x="%.0f" y="%.0f" text-anchor="end">0</text>`, left-4, top+plotH)
	for i := 0; i < n; i++ {
		slot := first + i
		x := left + float64(i)*colW
		if v := counts[slot]; v > 0 {
			bh := plotH * float64(v) / float64(maxV)
			fmt.Fprintf(&sb, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%02d:%02d %d</title></rect>`,
				x+1, top+plotH-bh, colW-2, bh, slot/4, slot%4*15, v)
		}
		if slot%4 == 0 {
			fmt.Fprintf(&sb, `<text class="tick" x="%.1f" y="%.0f">%02d:00</text>`, x, top+plotH+16, slot/4)
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// Stack is one column of a stacked bar chart.
type Stack struct {
	Label string
	Parts []Bar
}

// Stacks draws vertical stacked columns (the events side by side).
func Stacks(title string, cols []Stack) template.HTML {
	if len(cols) == 0 {
		return ""
	}
	maxV := 1
	for _, c := range cols {
		t := 0
		for _, p := range c.Parts {
			t += p.Value
		}
		maxV = max(maxV, t)
	}
	const left, top, plotH, bottom, colW = 40.0, 16.0, 180.0, 30.0, 96.0
	w, h := left+colW*float64(len(cols))+8, top+plotH+bottom
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart stacks" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`,
		w, h, html.EscapeString(title), html.EscapeString(title))
	fmt.Fprintf(&sb, `<line class="axis" x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f"></line>`, left, top+plotH, w-8, top+plotH)
	for i, c := range cols {
		x := left + float64(i)*colW + 14
		y := top + plotH
		total := 0
		for _, p := range c.Parts {
			bh := plotH * float64(p.Value) / float64(maxV)
			y -= bh
			total += p.Value
			if p.Value > 0 {
				fmt.Fprintf(&sb, `<rect class="%s" x="%.1f" y="%.1f" width="%.0f" height="%.1f"><title>%s %d</title></rect>`,
					p.Class, x, y, colW-28, bh, html.EscapeString(p.Label), p.Value)
			}
		}
		fmt.Fprintf(&sb, `<text class="value" x="%.1f" y="%.1f" text-anchor="middle">%d</text>`, x+(colW-28)/2, y-4, total)
		fmt.Fprintf(&sb, `<text class="tick" x="%.1f" y="%.0f" text-anchor="middle">%s</text>`, x+(colW-28)/2, top+plotH+16,
			html.EscapeString(c.Label))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
