// Driver of r_gofpdf.py: draws a scorecard deck with gofpdf (github.com/jung-kurt/gofpdf 2.17.2) from a JSON
// job, the way Go back-end services draw report tables: SplitText-style wrapping measured with the font's own
// widths, row heights from the tallest cell, Rect + CellFormat (or MultiCell) per cell, pages broken by hand
// with the title and head again, header and footer functions, AliasNbPages, a rotated watermark.
//
// Usage: r_gofpdf JOB.json   (prints a JSON report on stdout)
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/jung-kurt/gofpdf"
)

type Col struct {
	ID     string  `json:"id"`
	Label  string  `json:"label"`
	Group  string  `json:"group"`
	Sub    string  `json:"sub"`
	Weight float64 `json:"weight"`
}

type Row struct {
	Kind    string            `json:"kind"`
	Persp   string            `json:"persp"`
	Obj     string            `json:"obj"`
	Cells   map[string]string `json:"cells"`
	Persp2  string            `json:"persp_label"`
	BandTxt string            `json:"band"`
}

type Theme struct {
	Title  string  `json:"title"`
	Chunks [][]int `json:"chunks"`
	Cols   []Col   `json:"cols"`
	Rows   []Row   `json:"rows"`
}

type MapRow struct {
	Label string   `json:"label"`
	Objs  []string `json:"objs"`
}

type Job struct {
	Out        string     `json:"out"`
	FontFile   string     `json:"font_file"`
	BoldFile   string     `json:"bold_file"`
	Latin      bool       `json:"latin"`
	W          float64    `json:"w"`
	H          float64    `json:"h"`
	Init       string     `json:"init"` // "A4" (New with a named size), "custom" (NewCustom), "addformat"
	Compress   bool       `json:"compress"`
	Info       [][]string `json:"info"`
	CellMargin float64    `json:"cell_margin"`
	Pad        float64    `json:"pad"`
	Pt         float64    `json:"font_pt"`
	Leading    float64    `json:"leading"`
	Rules      string     `json:"rules"`
	RuleW      float64    `json:"rule_w"`
	RuleColor  []int      `json:"rule_color"`
	HeadFill   []int      `json:"head_fill"`
	ZebraFill  []int      `json:"zebra_fill"`
	BandFill   []int      `json:"band_fill"`
	Accent     []int      `json:"accent"`
	Valign     string     `json:"valign"`
	Halign     string     `json:"halign"`
	ValAlign   string     `json:"values_align"`
	PerspMode  string     `json:"persp_mode"`
	Draw       string     `json:"draw"`
	Wrap       string     `json:"wrap"`
	HeadCF     bool       `json:"head_cellformat"`
	RepeatHead bool       `json:"repeat_head"`
	BlankCont  bool       `json:"blank_cont"`
	ContMarker bool       `json:"cont_marker"`
	Header     bool       `json:"header"`
	Footer     string     `json:"footer"`
	FooterAl   string     `json:"footer_align"`
	Watermark  bool       `json:"watermark"`
	WmLayer    string     `json:"watermark_layer"`
	WmAlpha    float64    `json:"watermark_alpha"`
	WmAngle    float64    `json:"watermark_angle"`
	WmText     string     `json:"watermark_text"`
	Logo       bool       `json:"logo"`
	Org        string     `json:"org"`
	Short      string     `json:"short"`
	Profile    []string   `json:"profile"`
	MapDate    string     `json:"map_date"`
	Vision     string     `json:"vision"`
	Map        []MapRow   `json:"map"`
	Themes     []Theme    `json:"themes"`
	Bottom     float64    `json:"bottom"`
	ThemeBreak bool       `json:"theme_break"`
}

var (
	pdf      *gofpdf.Fpdf
	job      Job
	boldSt   string
	tooTall  []string
	wmPages  = map[int]bool{}
	numbered = map[int]bool{}
	lastY    = -1.0 // bottom of the last table on the current page
)

func body()           { pdf.SetFont("cjk", "", job.Pt) }
func bold(pt float64) { pdf.SetFont("cjk", boldSt, pt) }

func isASCII(s string) bool {
	for _, r := range s {
		if r > 126 || r < 32 {
			return false
		}
	}
	return s != ""
}

// isChinese is gofpdf's own test for a break opportunity (util.go): U+4E00-U+9FA5 only.
func isChinese(r rune) bool { return r >= 0x4e00 && r <= 0x9fa5 }

// splitText is gofpdf's SplitText with the fix Go developers paste in (go-pdf/fpdf#80, #81): gofpdf 2.17.2 drops
// the ideograph it breaks at (the line ends before it and the next starts after it); here the next line starts
// with it.  Widths in thousandths of the size as gofpdf sums them; breaks at spaces (dropped) and before an
// ideograph; a run without either is cut where it overflows.
func splitText(txt string, w float64) []string {
	size, _ := pdf.GetFontSize()
	wmax := int(math.Ceil((w - 2*job.CellMargin) * 1000 / size))
	s := []rune(txt)
	nb := len(s)
	for nb > 0 && s[nb-1] == '\n' {
		nb--
	}
	s = s[:nb]
	var lines []string
	sep, i, j, l := -1, 0, 0, 0
	for i < nb {
		c := s[i]
		l += int(math.Round(pdf.GetStringWidth(string(c)) * 1000 / size))
		if unicode.IsSpace(c) || isChinese(c) {
			sep = i
		}
		if c == '\n' || l > wmax {
			if sep == -1 || sep == j {
				if i == j {
					i++
				}
				sep = i
			} else if isChinese(s[sep]) {
				i = sep
			} else {
				i = sep + 1
			}
			lines = append(lines, string(s[j:sep]))
			sep, j, l = -1, i, 0
		} else {
			i++
		}
	}
	if i != j {
		lines = append(lines, string(s[j:i]))
	}
	return lines
}

// runeWrap is the other helper seen in Go code: add runes while GetStringWidth still fits.
func runeWrap(txt string, w float64) []string {
	var out []string
	for _, para := range strings.Split(txt, "\n") {
		line := ""
		for _, r := range para {
			if line != "" && pdf.GetStringWidth(line+string(r)) > w-2*job.CellMargin {
				out = append(out, line)
				line = string(r)
			} else {
				line += string(r)
			}
		}
		out = append(out, line)
	}
	return out
}

func wrap(txt string, w float64) []string {
	if txt == "" {
		return nil
	}
	if job.Wrap == "runes" {
		return runeWrap(txt, w)
	}
	var out []string
	for _, para := range strings.Split(txt, "\n") {
		ls := splitText(para, w)
		if len(ls) == 0 {
			ls = []string{""}
		}
		out = append(out, ls...)
	}
	return out
}

func lh() float64 { return job.Pt * job.Leading }

// cellFont sets the font a cell is drawn in: Helvetica (cp1252 core font) for ASCII values with `latin`.
func cellFont(id, txt string, head bool) {
	switch {
	case head:
		bold(job.Pt)
	case job.Latin && isASCII(txt) && !strings.Contains(txt, "\n") && (id == "t" || strings.HasPrefix(id, "a") || id == "w"):
		pdf.SetFont("Helvetica", "", job.Pt)
	default:
		body()
	}
}

func color(c []int, set func(int, int, int)) {
	if len(c) == 3 {
		set(c[0], c[1], c[2])
	}
}

// drawLines writes a cell's lines at (x, y) in a cell of width w, one CellFormat per line (gofpdf's
// SplitLines_tables example) or one MultiCell of the lines joined by newlines.
func drawLines(lines []string, x, y, w float64, align string) {
	if len(lines) == 0 {
		return
	}
	if job.Draw == "multicell" {
		pdf.SetXY(x, y)
		pdf.MultiCell(w, lh(), strings.Join(lines, "\n"), "", align, false)
		return
	}
	for _, ln := range lines {
		pdf.SetXY(x, y)
		pdf.CellFormat(w, lh(), ln, "", 0, align, false, 0, "")
		y += lh()
	}
}

type box struct {
	x, y, w, h float64
	txt, id    string
	head, band bool
	mode       string
}

func (b box) lines() []string {
	if b.mode == "stack" {
		var out []string
		for _, r := range b.txt {
			out = append(out, string(r))
		}
		return out
	}
	return wrap(b.txt, b.w)
}

func drawBox(b box) {
	if b.txt == "" {
		return
	}
	cellFont(b.id, b.txt, b.head || b.band)
	pdf.SetTextColor(0, 0, 0)
	if b.mode == "rot" {
		tw := pdf.GetStringWidth(b.txt)
		cx, cy := b.x+b.w/2, b.y+b.h/2
		pdf.TransformBegin()
		pdf.TransformRotate(90, cx, cy)
		pdf.Text(cx-tw/2, cy+job.Pt*0.35, b.txt)
		pdf.TransformEnd()
		return
	}
	lines := b.lines()
	align := "L"
	if b.head || b.mode == "stack" || job.Halign == "center" {
		align = "C"
	}
	if !b.head && b.id != "" && (b.id == "t" || strings.HasPrefix(b.id, "a")) {
		align = map[string]string{"left": "L", "center": "C", "right": "R"}[job.ValAlign]
	}
	if b.band {
		align = "L"
	}
	total := float64(len(lines)) * lh()
	y := b.y + job.Pad
	if job.Valign == "middle" || b.head || b.band || b.mode == "stack" {
		y = b.y + math.Max(job.Pad, (b.h-total)/2)
	}
	if b.head && job.HeadCF && len(lines) == 1 {
		// a one-line head cell as the gofpdf examples write it: CellFormat(w, h, label, border, 0, "CM", fill)
		pdf.SetXY(b.x, b.y)
		pdf.CellFormat(b.w, b.h, lines[0], "", 0, "CM", false, 0, "")
		return
	}
	drawLines(lines, b.x, y, b.w, align)
}

func headHeight(cols []Col, xs []float64) (float64, float64) {
	bold(job.Pt)
	need := func(s string, w float64) float64 {
		n := len(wrap(s, w))
		if n < 1 {
			n = 1
		}
		return float64(n)*lh() + 2*job.Pad
	}
	grp, sub, single := 0.0, 0.0, 0.0
	for j, c := range cols {
		w := xs[j+1] - xs[j]
		if c.Group != "" {
			gw := 0.0
			for k, d := range cols {
				if d.Group == c.Group {
					gw += xs[k+1] - xs[k]
				}
			}
			grp = math.Max(grp, need(c.Group, gw))
			sub = math.Max(sub, need(c.Sub, w))
		} else {
			single = math.Max(single, need(c.Label, w))
		}
	}
	if grp > 0 {
		if single > grp+sub {
			sub = single - grp
		}
		return grp + sub, grp
	}
	return single, 0
}

func rowHeight(r Row, cols []Col, xs []float64) float64 {
	if r.Kind == "band" {
		bold(job.Pt)
		return float64(max(1, len(wrap(r.BandTxt, xs[len(xs)-1]-xs[0]))))*lh() + 2*job.Pad
	}
	n := 1
	for j, c := range cols {
		if c.ID == "persp" && job.PerspMode != "column" {
			continue
		}
		txt := r.Cells[c.ID]
		cellFont(c.ID, txt, false)
		n = max(n, len(wrap(txt, xs[j+1]-xs[j])))
	}
	return float64(n)*lh() + 2*job.Pad
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

type span struct{ start, n int }

func runsOf(rows []Row, key string) []span {
	var out []span
	prev := "\x00"
	for i, r := range rows {
		cur := r.Persp
		if key == "obj" {
			cur = r.Obj
		}
		if r.Kind == "kpi" && cur == prev {
			out[len(out)-1].n++
		} else if r.Kind == "kpi" {
			out = append(out, span{i, 1})
		}
		if r.Kind == "kpi" {
			prev = cur
		} else {
			prev = "\x00"
		}
	}
	return out
}

// layoutPage gives each row its top and bottom, a turned or stacked 構面 label's block grown to hold it.
func layoutPage(rows []Row, cols []Col, xs []float64, top float64) [][2]float64 {
	ys := make([][2]float64, len(rows))
	y := top
	for i, r := range rows {
		h := rowHeight(r, cols, xs)
		ys[i] = [2]float64{y, y + h}
		y += h
	}
	if job.PerspMode != "rotated" && job.PerspMode != "stacked" {
		return ys
	}
	body()
	for _, sp := range runsOf(rows, "persp") {
		label := rows[sp.start].Cells["persp"]
		need := float64(len([]rune(label)))*lh() + 2*job.Pad
		if job.PerspMode == "rotated" {
			need = pdf.GetStringWidth(label) + 2*job.Pad + 4
		}
		last := sp.start + sp.n - 1
		if extra := need - (ys[last][1] - ys[sp.start][0]); extra > 0 {
			ys[last][1] += extra
			for i := last + 1; i < len(ys); i++ {
				ys[i][0] += extra
				ys[i][1] += extra
			}
		}
	}
	return ys
}

func title(s string, y float64) {
	bold(16)
	avail := job.W - 60
	logoW := 0.0
	if job.Logo {
		bold(12)
		logoW = pdf.GetStringWidth(job.Short) + 30
		avail -= logoW
	}
	size := 16.0
	bold(size)
	for size > 10 && pdf.GetStringWidth(s)+2*job.CellMargin > avail {
		size--
		bold(size)
	}
	color(job.Accent, pdf.SetTextColor)
	pdf.SetXY(30, y)
	pdf.CellFormat(avail, 22, s, "", 0, "LM", false, 0, "")
	if job.Logo {
		bold(12)
		w := pdf.GetStringWidth(job.Short) + 2*job.CellMargin
		x := job.W - 30 - w - 6
		color(job.Accent, pdf.SetDrawColor)
		pdf.SetLineWidth(0.8)
		pdf.SetXY(x, y+1)
		pdf.CellFormat(w+6, 20, job.Short, "1", 0, "CM", false, 0, "")
	}
	pdf.SetTextColor(0, 0, 0)
}

// newPage adds a page in the document's default size, or (addformat) in the deck's size given to every page, as
// code that starts from New("P", "pt", "A4", dir) and calls AddPageFormat does.
func newPage() {
	lastY = -1
	if job.Init == "addformat" {
		orient := "P"
		if job.W > job.H {
			orient = "L"
		}
		pdf.AddPageFormat(orient, gofpdf.SizeType{Wd: math.Min(job.W, job.H), Ht: math.Max(job.W, job.H)})
		return
	}
	pdf.AddPage()
}

func rule(x0, y0, x1, y1 float64) { pdf.Line(x0, y0, x1, y1) }

func drawTable(rows []Row, prev []Row, cols []Col, xs []float64, top, headH, grpH float64, withHead bool) {
	var boxes []box
	y := top
	if withHead {
		for j := 0; j < len(cols); {
			c := cols[j]
			if c.Group != "" {
				k := j
				for k+1 < len(cols) && cols[k+1].Group == c.Group {
					k++
				}
				boxes = append(boxes, box{x: xs[j], y: y, w: xs[k+1] - xs[j], h: grpH, txt: c.Group, head: true})
				for m := j; m <= k; m++ {
					boxes = append(boxes, box{x: xs[m], y: y + grpH, w: xs[m+1] - xs[m], h: headH - grpH, txt: cols[m].Sub, head: true})
				}
				j = k + 1
				continue
			}
			boxes = append(boxes, box{x: xs[j], y: y, w: xs[j+1] - xs[j], h: headH, txt: c.Label, head: true})
			j++
		}
		y += headH
	}
	ys := layoutPage(rows, cols, xs, y)
	x0, x1 := xs[0], xs[len(xs)-1]
	for i, r := range rows {
		if r.Kind == "band" {
			boxes = append(boxes, box{x: x0, y: ys[i][0], w: x1 - x0, h: ys[i][1] - ys[i][0], txt: r.BandTxt, band: true})
			continue
		}
		for j, c := range cols {
			if c.ID == "persp" || c.ID == "obj" {
				continue
			}
			boxes = append(boxes, box{x: xs[j], y: ys[i][0], w: xs[j+1] - xs[j], h: ys[i][1] - ys[i][0], txt: r.Cells[c.ID], id: c.ID})
		}
	}
	for _, key := range []string{"persp", "obj"} {
		jj := -1
		for j, c := range cols {
			if c.ID == key {
				jj = j
			}
		}
		if jj < 0 {
			continue
		}
		for _, sp := range runsOf(rows, key) {
			r := rows[sp.start]
			txt := r.Cells[key]
			if sp.start == 0 && job.BlankCont && continues(prev, r, key) {
				txt = ""
			}
			mode := "h"
			if key == "persp" {
				mode = map[string]string{"rotated": "rot", "stacked": "stack"}[job.PerspMode]
				if mode == "" {
					mode = "h"
				}
			}
			last := sp.start + sp.n - 1
			boxes = append(boxes, box{x: xs[jj], y: ys[sp.start][0], w: xs[jj+1] - xs[jj], h: ys[last][1] - ys[sp.start][0], txt: txt, id: key, mode: mode})
		}
	}
	// fills, then rules, then text: the order the usual gofpdf table code draws in
	if job.Rules == "zebra" {
		color(job.ZebraFill, pdf.SetFillColor)
		k := 0
		for i, r := range rows {
			if r.Kind != "kpi" {
				continue
			}
			if k%2 == 1 {
				pdf.Rect(x0, ys[i][0], x1-x0, ys[i][1]-ys[i][0], "F")
			}
			k++
		}
	}
	for _, b := range boxes {
		if b.head && len(job.HeadFill) == 3 {
			color(job.HeadFill, pdf.SetFillColor)
			pdf.Rect(b.x, b.y, b.w, b.h, "F")
		}
		if b.band && len(job.BandFill) == 3 {
			color(job.BandFill, pdf.SetFillColor)
			pdf.Rect(b.x, b.y, b.w, b.h, "F")
		}
	}
	pdf.SetLineWidth(job.RuleW)
	color(job.RuleColor, pdf.SetDrawColor)
	for _, b := range boxes {
		switch job.Rules {
		case "grid":
			pdf.Rect(b.x, b.y, b.w, b.h, "D")
		case "hrules":
			rule(b.x, b.y+b.h, b.x+b.w, b.y+b.h)
		case "zebra":
			if b.head {
				rule(b.x, b.y+b.h, b.x+b.w, b.y+b.h)
			}
		}
	}
	if job.Rules == "hrules" && withHead {
		rule(x0, top, x1, top)
	}
	for _, b := range boxes {
		drawBox(b)
	}
}

func continues(prev []Row, r Row, key string) bool {
	for i := len(prev) - 1; i >= 0; i-- {
		if prev[i].Kind == "kpi" {
			if key == "persp" {
				return prev[i].Persp == r.Persp
			}
			return prev[i].Obj == r.Obj
		}
	}
	return false
}

const tableTop = 70.0

func theme(t Theme) {
	var total float64
	for _, c := range t.Cols {
		total += c.Weight
	}
	xs := []float64{30}
	for _, c := range t.Cols {
		xs = append(xs, xs[len(xs)-1]+c.Weight*(job.W-60)/total)
	}
	headH, grpH := headHeight(t.Cols, xs)
	bottom := job.H - job.Bottom
	// pages: each chunk (a slide's row budget, or the whole theme) cut again where the rows run past the bottom
	// a document may go on below the theme before when the title, head and first row fit there
	firstTop, follow := tableTop, false
	if !job.ThemeBreak && lastY > 0 && len(t.Chunks) > 0 && len(t.Chunks[0]) > 0 {
		cand := lastY + 24 + (tableTop - 30)
		ys := layoutPage([]Row{t.Rows[t.Chunks[0][0]]}, t.Cols, xs, cand+headH)
		if ys[0][1] <= bottom {
			firstTop, follow = cand, true
		}
	}
	var pages [][]Row
	for _, ch := range t.Chunks {
		var cur []Row
		for _, idx := range ch {
			r := t.Rows[idx]
			try := append(append([]Row{}, cur...), r)
			top := tableTop
			if len(pages) == 0 {
				top = firstTop
			}
			if job.RepeatHead || len(pages) == 0 {
				top += headH
			}
			ys := layoutPage(try, t.Cols, xs, top)
			if ys[len(ys)-1][1] > bottom && len(cur) > 0 {
				// a band row is kept with the row after it
				var carry []Row
				for len(cur) > 0 && cur[len(cur)-1].Kind == "band" {
					carry = append([]Row{cur[len(cur)-1]}, carry...)
					cur = cur[:len(cur)-1]
				}
				if len(cur) > 0 {
					pages = append(pages, cur)
				}
				cur = append(carry, r)
			} else {
				cur = try
			}
		}
		if len(cur) > 0 {
			pages = append(pages, cur)
		}
	}
	for i, rows := range pages {
		top := tableTop
		if i == 0 && follow {
			top = firstTop
		} else {
			newPage()
		}
		s := t.Title
		if len(pages) > 1 && job.ContMarker {
			s += fmt.Sprintf("--%d/%d", i+1, len(pages))
		}
		title(s, top-(tableTop-30))
		var prev []Row
		if i > 0 {
			prev = pages[i-1]
		}
		withHead := job.RepeatHead || i == 0
		drawTable(rows, prev, t.Cols, xs, top, headH, grpH, withHead)
		if withHead {
			top += headH
		}
		ys := layoutPage(rows, t.Cols, xs, top)
		lastY = ys[len(ys)-1][1]
		if ys[len(ys)-1][1] > bottom+0.5 {
			tooTall = append(tooTall, fmt.Sprintf("%s p%d", t.Title, pdf.PageNo()))
		}
		if job.Watermark && !wmPages[pdf.PageNo()] {
			wmPages[pdf.PageNo()] = true
			if job.WmLayer == "page" {
				watermark()
			}
		}
		numbered[pdf.PageNo()] = true
	}
}

func watermark() {
	bold(60)
	if job.WmAlpha > 0 {
		pdf.SetAlpha(job.WmAlpha, "Normal")
		pdf.SetTextColor(128, 128, 128)
	} else {
		pdf.SetTextColor(224, 204, 204)
	}
	x, y := job.W*0.3, job.H*0.72
	pdf.TransformBegin()
	pdf.TransformRotate(job.WmAngle, x, y)
	pdf.Text(x, y, job.WmText)
	pdf.TransformEnd()
	if job.WmAlpha > 0 {
		pdf.SetAlpha(1, "Normal")
	}
	pdf.SetTextColor(0, 0, 0)
}

func centre(s string, y, size float64) {
	bold(size)
	for size > 12 && pdf.GetStringWidth(s) > job.W-60 {
		size -= 2
		bold(size)
	}
	pdf.SetXY(30, y-size)
	pdf.CellFormat(job.W-60, size*1.4, s, "", 0, "CM", false, 0, "")
}

func front() {
	newPage()
	color(job.Accent, pdf.SetFillColor)
	pdf.Rect(0, 0, job.W, 18, "F")
	centre(job.Org, job.H*0.38, 30)
	centre("策略地圖與平衡計分卡", job.H*0.38+50, 26)

	newPage()
	numbered[pdf.PageNo()] = true
	bold(20)
	color(job.Accent, pdf.SetTextColor)
	pdf.Text(40, 60, job.Org+"轄區概況")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("cjk", "", 14)
	for i, ln := range job.Profile {
		pdf.Text(60, 110+float64(i)*32, ln)
	}

	newPage()
	numbered[pdf.PageNo()] = true
	bold(20)
	color(job.Accent, pdf.SetTextColor)
	pdf.Text(40, 50, job.Org+"策略地圖")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("cjk", "", 14)
	pdf.Text(job.W-30-pdf.GetStringWidth(job.MapDate), 50, job.MapDate)
	pdf.SetFont("cjk", "", 9)
	vision := job.Vision
	for vision != "" && pdf.GetStringWidth(vision) > job.W-80 {
		vision = string([]rune(vision)[:len([]rune(vision))-1])
	}
	pdf.Text(40, 92, vision)
	y := 110.0
	band := (job.H - y - 60) / float64(max(1, len(job.Map)))
	for _, m := range job.Map {
		color(job.Accent, pdf.SetFillColor)
		pdf.Rect(40, y, 80, band-10, "F")
		pdf.SetTextColor(255, 255, 255)
		bold(10)
		pdf.SetXY(40, y)
		pdf.CellFormat(80, band-10, m.Label, "", 0, "CM", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		pdf.SetFont("cjk", "", 8)
		x := 130.0
		for _, o := range m.Objs {
			w := math.Min(150, pdf.GetStringWidth(o)+16)
			if x+w > job.W-30 {
				break
			}
			color(job.Accent, pdf.SetDrawColor)
			pdf.SetLineWidth(0.8)
			pdf.SetFillColor(255, 255, 255)
			pdf.Rect(x, y+8, w, band-26, "FD")
			lines := runeWrap(o, w-4)
			ly := y + 8 + math.Max(2, (band-26-float64(len(lines))*10)/2)
			for _, ln := range lines {
				if ly+10 > y+band-18 {
					break
				}
				pdf.SetXY(x+2, ly)
				pdf.CellFormat(w-4, 10, ln, "", 0, "C", false, 0, "")
				ly += 10
			}
			x += w + 10
		}
		y += band
	}
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(raw, &job); err != nil {
		panic(err)
	}
	size := gofpdf.SizeType{Wd: job.W, Ht: job.H}
	orient := "P"
	if job.W > job.H {
		orient = "L"
	}
	switch job.Init {
	case "A4":
		pdf = gofpdf.New(orient, "pt", "A4", filepath.Dir(job.FontFile))
	case "addformat":
		pdf = gofpdf.New("P", "pt", "A4", filepath.Dir(job.FontFile))
	default:
		pdf = gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "pt", Size: size, FontDirStr: filepath.Dir(job.FontFile)})
	}
	if job.Init == "A4" {
		job.W, job.H = pdf.GetPageSize()
	}
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(job.Compress)
	pdf.SetCellMargin(job.CellMargin)
	for _, kv := range job.Info {
		switch kv[0] {
		case "Title":
			pdf.SetTitle(kv[1], true)
		case "Author":
			pdf.SetAuthor(kv[1], true)
		case "Creator":
			pdf.SetCreator(kv[1], true)
		case "Producer":
			pdf.SetProducer(kv[1], true)
		}
	}
	pdf.AddUTF8Font("cjk", "", filepath.Base(job.FontFile))
	if job.BoldFile != "" {
		pdf.AddUTF8Font("cjk", "B", filepath.Base(job.BoldFile))
		boldSt = "B"
	}
	if job.Footer == "of" || job.Footer == "zh" {
		pdf.AliasNbPages("{nb}")
	}
	if job.Header {
		pdf.SetHeaderFunc(func() {
			if pdf.PageNo() == 1 {
				return
			}
			pdf.SetFont("cjk", "", 8)
			color(job.Accent, pdf.SetTextColor)
			color(job.Accent, pdf.SetDrawColor)
			pdf.Text(30, 20, job.Org)
			pdf.Text(job.W-30-pdf.GetStringWidth("策略地圖與平衡計分卡"), 20, "策略地圖與平衡計分卡")
			pdf.SetLineWidth(0.5)
			pdf.Line(30, 25, job.W-30, 25)
			pdf.SetTextColor(0, 0, 0)
		})
	}
	pdf.SetFooterFuncLpi(func(last bool) {
		n := pdf.PageNo()
		if job.Watermark && job.WmLayer == "footer" && wmPages[n] {
			watermark()
		}
		if job.Footer == "" || !numbered[n] {
			return
		}
		pdf.SetDrawColor(153, 153, 153)
		pdf.SetLineWidth(0.5)
		pdf.Line(30, job.H-28, job.W-30, job.H-28)
		pdf.SetTextColor(102, 102, 102)
		pdf.SetFont("cjk", "", 7)
		pdf.Text(30, job.H-16, job.Org+"｜策略地圖與平衡計分卡")
		s := map[string]string{"dash": "- %d -", "of": "%d / {nb}", "zh": "第 %d 頁，共 {nb} 頁"}[job.Footer]
		s = fmt.Sprintf(s, n)
		if job.Latin && isASCII(s) {
			pdf.SetFont("Helvetica", "", 7)
		}
		pdf.SetXY(30, job.H-24)
		al := map[string]string{"right": "RM", "center": "CM"}[job.FooterAl]
		pdf.CellFormat(job.W-60, 12, s, "", 0, al, false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	front()
	for _, t := range job.Themes {
		theme(t)
	}
	newPage()
	centre("敬請指教", job.H*0.45, 36)
	if err := pdf.OutputFileAndClose(job.Out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rep, _ := json.Marshal(map[string]interface{}{"pages": pdf.PageNo(), "too_tall": tooTall})
	fmt.Println(string(rep))
}
