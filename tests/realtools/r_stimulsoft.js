// Builds one deck described by r_stimulsoft.py as a Stimulsoft Reports.JS report (stimulsoft-reports-js, run in
// Node), renders it with the report engine and exports it with the engine's own PDF export, as a web back-office
// exports a report:
//     node r_stimulsoft.js job.json      (writes job.out, job.report and, if asked, the template job.mrt)
// job: {modules, out, report, mrt, font: {file, name}, furniture: [page], table: {...}, closing: page, footer,
// watermark}.  Lengths in the job are PDF points; the report's unit is hundredths of an inch (1 = 0.72 pt).
// Furniture pages are StiPages with StiText/StiShape components placed on them; the table is one StiPage of bands
// over a DataSet read from JSON: a GroupHeaderBand per slide (or per theme) holding the title and the column heads,
// an optional nested GroupHeaderBand per perspective (band rows), a DataBand of StiText cells (CanGrow,
// GrowToHeight, WordWrap, borders, ProcessingDuplicates=Merge for merged labels, Angle for turned ones) and a
// PageFooterBand with the page number.  Afterwards every rendered StiText (page, bounds, text) goes to job.report.
'use strict';

const fs = require('fs');
const path = require('path');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const log = console.log;
console.log = (...a) => { // the library prints its trial notice on stdout: keep it for the report
	report_.notices.push(a.join(' '));
};
const report_ = { notices: [], texts: [], pages: 0 };
const S = require(path.join(job.modules, 'stimulsoft-reports-js'));
const R = S.Report;
const C = S.Report.Components;
const Dr = S.System.Drawing;
const B = S.Base.Drawing;

S.Base.StiFontCollection.addOpentypeFontFile(job.font.file, job.font.name);

const u = pt => pt / 0.72; // points -> hundredths of an inch
const colour = (c, a) => Dr.Color.fromArgb(a === undefined ? 255 : Math.round(a * 255),
	Math.round(c[0] * 255), Math.round(c[1] * 255), Math.round(c[2] * 255));
const font = (pt, bold) => new Dr.Font(job.font.name, pt, bold ? Dr.FontStyle.Bold : Dr.FontStyle.Regular);
const HALIGN = { left: B.StiTextHorAlignment.Left, center: B.StiTextHorAlignment.Center, right: B.StiTextHorAlignment.Right };
const VALIGN = { top: B.StiVertAlignment.Top, middle: B.StiVertAlignment.Center, bottom: B.StiVertAlignment.Bottom };
const SIDES = { all: B.StiBorderSides.All, bottom: B.StiBorderSides.Bottom, none: B.StiBorderSides.None,
	topbottom: B.StiBorderSides.Top | B.StiBorderSides.Bottom };

const report = R.StiReport.createNewReport();
report.reportUnit = R.StiReportUnitType.HundredthsOfInch;
report.reportName = job.name;
report.reportAlias = job.name;

// a StiText: {x, y, w, h, s, size, bold, color, align, valign, border: {sides, color, w}, fill, angle, merge, grow, pad}
function text(parent, o) {
	const t = new C.StiText();
	parent.components.add(t); // added first: a StiText not yet on a page fails at render time
	t.clientRectangle = new Dr.Rectangle(u(o.x), u(o.y || 0), u(o.w), u(o.h));
	t.text = o.s;
	if (o.name) {
		t.name = o.name;
	}
	t.font = font(o.size, o.bold);
	t.textBrush = new B.StiSolidBrush(colour(o.color || [0, 0, 0]));
	t.horAlignment = HALIGN[o.align || 'left'];
	t.vertAlignment = VALIGN[o.valign || 'top'];
	t.wordWrap = o.wrap !== false;
	if (o.grow) {
		t.canGrow = true;
		t.growToHeight = true;
	}
	if (o.to_height) { // a turned label: CanGrow would widen it by its text's length, over the next column
		t.growToHeight = true;
	}
	if (o.border) {
		t.border = new B.StiBorder(SIDES[o.border.sides], colour(o.border.color), o.border.w, B.StiPenStyle.Solid);
	}
	if (o.fill) {
		t.brush = new B.StiSolidBrush(colour(o.fill));
	}
	if (o.angle) {
		t.angle = o.angle;
	}
	if (o.merge) {
		t.processingDuplicates = C.StiProcessingDuplicatesType.Merge;
	}
	if (o.pad !== undefined) {
		t.margins = new C.StiMargins(u(o.pad[0]), u(o.pad[0]), u(o.pad[1]), u(o.pad[1]));
	}
	if (o.lineSpacing) {
		t.lineSpacing = o.lineSpacing;
	}
	return t;
}

function shape(parent, o) {
	const s = new C.StiShape();
	parent.components.add(s);
	s.clientRectangle = new Dr.Rectangle(u(o.x), u(o.y), u(o.w), u(o.h));
	s.brush = o.fill ? new B.StiSolidBrush(colour(o.fill)) : new B.StiEmptyBrush();
	s.borderColor = colour(o.stroke || o.fill || [0, 0, 0]);
	s.size = o.stroke ? (o.lw || 1) : 0;
	return s;
}

let firstUsed = false;
function newPage(spec) {
	let p;
	if (!firstUsed) { // createNewReport comes with one empty page
		p = report.pages.getByIndex(0);
		firstUsed = true;
	} else {
		p = new C.StiPage(report);
		report.pages.add(p);
	}
	p.name = spec.name;
	p.orientation = spec.w > spec.h ? C.StiPageOrientation.Landscape : C.StiPageOrientation.Portrait;
	p.pageWidth = u(spec.w);
	p.pageHeight = u(spec.h);
	const m = spec.margins;
	p.margins = new C.StiMargins(u(m[0]), u(m[1]), u(m[2]), u(m[3]));
	if (job.watermark) {
		const w = job.watermark;
		p.watermark = new C.StiWatermark(new B.StiSolidBrush(colour(w.color, w.alpha)), w.text, w.angle, font(w.size),
			w.behind, true);
	}
	return p;
}

function footer(p, spec) {
	const f = job.footer;
	if (!f || spec.no_footer) {
		return;
	}
	const band = new C.StiPageFooterBand();
	p.components.add(band);
	band.height = u(f.h);
	const w = (spec.w - spec.margins[0] - spec.margins[1]);
	if (f.rule) {
		text(band, { x: 0, y: 0, w, h: 1, s: '', size: 2, border: { sides: 'bottom', color: [0.6, 0.6, 0.6], w: 0.5 } });
	}
	if (f.left) {
		text(band, { x: 0, y: 3, w: w * 0.7, h: f.h - 3, s: f.left, size: f.size, color: [0.4, 0.4, 0.4] });
	}
	text(band, { x: 0, y: 3, w, h: f.h - 3, s: f.text, size: f.size, color: [0.4, 0.4, 0.4], align: f.align });
}

function staticPage(spec) {
	const p = newPage(spec);
	for (const o of spec.ops) {
		if (o.t === 'text') {
			text(p, o);
		} else {
			shape(p, o);
		}
	}
	footer(p, spec);
}

// the table page: bands over the DataSet 'deck' (table 'rows')
function tablePage(spec) {
	const ds = new S.System.Data.DataSet('deck');
	ds.readJson({ rows: spec.rows });
	report.regData('deck', 'deck', ds);
	report.dictionary.synchronize();
	const p = newPage(spec);
	footer(p, spec);
	const g = new C.StiGroupHeaderBand();
	p.components.add(g);
	g.name = 'GroupSlide';
	g.condition = '{rows.g}';
	g.sortDirection = C.StiGroupSortDirection.None;
	g.newPageBefore = spec.group.new_page;
	g.printOnAllPages = spec.group.repeat;
	g.keepGroupTogether = false;
	g.height = u(spec.group.h);
	if (spec.group.gap) {
		g.breakIfLessThan = spec.group.break_if_less;
	}
	for (const o of spec.group.ops) {
		text(g, o);
	}
	if (spec.band) {
		const gb = new C.StiGroupHeaderBand();
		p.components.add(gb);
		gb.name = 'GroupPersp';
		gb.condition = '{rows.band}';
		gb.sortDirection = C.StiGroupSortDirection.None;
		gb.height = u(spec.band.h);
		text(gb, { ...spec.band.cell, s: '{rows.band}' });
	}
	const d = new C.StiDataBand();
	p.components.add(d);
	d.name = 'DataRows';
	d.dataSourceName = 'rows';
	d.height = u(spec.data.h);
	d.canBreak = spec.data.can_break;
	for (const c of spec.data.cells) {
		text(d, { ...c, s: `{rows.${c.field}}` });
	}
	if (spec.data.zebra) {
		const st = new S.Report.Styles.StiStyle('Zebra');
		st.brush = new B.StiSolidBrush(colour(spec.data.zebra));
		st.allowUseBrush = true;
		st.allowUseFont = false;
		st.allowUseTextBrush = false;
		st.allowUseBorderSides = false;
		st.allowUseBorderFormatting = false;
		st.allowUseHorAlignment = false;
		st.allowUseVertAlignment = false;
		report.styles.add(st);
		d.evenStyle = 'Zebra';
	}
}

for (const spec of job.furniture) {
	staticPage(spec);
}
tablePage(job.table);
if (job.closing) {
	staticPage(job.closing);
}

function collect() {
	const pages = report.renderedPages;
	report_.pages = pages.count;
	for (let i = 0; i < pages.count; i++) {
		const pg = pages.getByIndex(i);
		const walk = comps => {
			for (let k = 0; k < comps.count; k++) {
				const c = comps.getByIndex(k);
				if (c instanceof C.StiText) {
					const r = c.clientRectangle;
					report_.texts.push({ page: i + 1, box: [r.left * 0.72, r.top * 0.72, r.width * 0.72, r.height * 0.72],
						text: c.text == null ? '' : String(c.text), angle: c.angle || 0, name: c.name });
				}
				if (c.components && c.components.count) {
					walk(c.components);
				}
			}
		};
		walk(pg.components);
	}
}

if (job.mrt) {
	report.saveFile(job.mrt);
}
report.renderAsync(() => {
	collect();
	if (job.dry) {
		fs.writeFileSync(job.report, JSON.stringify(report_));
		return;
	}
	report.exportDocumentAsync(pdf => {
		fs.writeFileSync(job.out, Buffer.from(pdf));
		fs.writeFileSync(job.report, JSON.stringify(report_));
	}, R.StiExportFormat.Pdf);
});
process.on('uncaughtException', err => {
	log(String(err && err.stack || err));
	process.exit(1);
});
