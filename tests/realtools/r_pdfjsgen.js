// Renders one deck job written by r_pdfjsgen.py with pdfjs (rkusa/pdfjs, the Node PDF generation library, not
// Mozilla's pdf.js), the way a Node back-end builds a report with its document model:
//     node r_pdfjsgen.js job.json
// job: {modules, page: {w, h, pad}, fonts: {body, bold}, sections, ..., out, report}.
// Two passes in one process: a measuring pass on pages as wide as the real ones and very tall, where an
// `op` callback at the start and end of every cell records the cursor's y (row heights, slide heights); then
// the real document, every table row given `minHeight` = its measured height so that pdfjs moves a row that
// does not fit to the next page whole (pdfjs 2.5.4 splits a row at the page foot and loses the text of the
// lines it moves).  The report tells the heights, which slides spill and which rows are taller than a page.
'use strict';

const fs = require('fs');
const path = require('path');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const pdf = require(path.join(job.modules, 'pdfjs'));

const body = new pdf.Font(fs.readFileSync(job.fonts.body));
const bold = job.fonts.bold ? new pdf.Font(fs.readFileSync(job.fonts.bold)) : body;
const template = job.template ? new pdf.ExternalDocument(fs.readFileSync(job.template)) : null;
const PT = job.pt;

function build(measure, minHeights) {
	const H = measure ? 14000 : job.page.h;
	const pad = job.page.pad;
	const doc = new pdf.Document({
		font: body,
		fontSize: PT,
		lineHeight: job.line_height,
		width: job.page.w,
		height: H,
		paddingTop: pad.top,
		paddingBottom: pad.bottom,
		paddingLeft: pad.left,
		paddingRight: pad.right,
		properties: job.info || undefined,
	});
	if (template && !measure) {
		doc.setTemplate(template);
	}
	const rec = {rows: {}, slides: {}};
	const mark = (ctx, key, field) => {
		if (measure) {
			ctx.op((x, y) => {
				(rec[field][key] = rec[field][key] || []).push(y);
				return [];
			});
		}
	};
	const setHeader = title => {
		if (!job.header) {
			return;
		}
		const h = doc.header();
		const t = h.table({
			widths: [null, null],
			borderHorizontalWidths: i => (job.header.rule && i === 1 ? 0.6 : 0),
			borderHorizontalColor: job.accent,
			paddingBottom: 3,
		});
		const r = t.row();
		r.cell(job.org, {fontSize: PT, color: 0x444444});
		r.cell(title || job.header.right, {fontSize: title ? PT + 1 : PT, color: title ? job.accent : 0x444444,
			textAlign: 'right', font: title ? bold : body});
		// the body starts a little below the header
		h.cell({paddingTop: 4});
	};
	setHeader(null);
	if (job.footer) {
		const f = doc.footer();
		const fmt = job.footer.format;
		f.pageNumber((n, N) => fmt.replace('{n}', String(n)).replace('{N}', String(N)),
			{textAlign: job.footer.align, fontSize: PT - 1, color: 0x555555});
	}

	let first = true;
	const newPage = () => {
		if (!first) {
			doc.pageBreak();
		}
		first = false;
	};
	const title = (text, size) => {
		doc.text(text, {font: bold, fontSize: size, color: job.accent});
		doc.cell({paddingBottom: 6});
	};

	for (const sec of job.sections) {
		if (sec.t === 'cover') {
			newPage();
			doc.cell({paddingTop: job.slides ? H / 4 : 120});
			doc.text(sec.org, {font: bold, fontSize: 26, textAlign: 'center', color: job.accent});
			doc.cell({paddingTop: 14});
			doc.text('策略地圖與平衡計分卡', {fontSize: 20, textAlign: 'center'});
			doc.cell({paddingTop: 10});
			doc.text(sec.date, {fontSize: 14, textAlign: 'center', color: 0x555555});
		} else if (sec.t === 'profile') {
			newPage();
			title(sec.title, 18);
			for (const line of sec.lines) {
				doc.text(line, {fontSize: 13, lineHeight: 1.6});
			}
		} else if (sec.t === 'map') {
			newPage();
			title(sec.title, 18);
			doc.text(sec.vision, {fontSize: 12});
			doc.cell({paddingBottom: 8});
			const t = doc.table({widths: [110, null], borderWidth: 0.8, borderColor: job.accent, padding: 6});
			for (const p of sec.persps) {
				const r = t.row();
				r.cell(p.label, {font: bold, fontSize: 12, backgroundColor: job.head_fill || 0xffffff});
				r.cell(p.objs, {fontSize: 11});
			}
		} else if (sec.t === 'theme') {
			sec.parts.forEach((part, pi) => {
				const key = `${sec.letter}${pi}`;
				if (job.slides || pi === 0) {
					if (job.title_in === 'running' && pi === 0) {
						// pdfjs: changing the header ends the page; the next content starts a new one
						setHeader(sec.title);
						first = false;
					} else if (job.slides || job.theme_break) {
						newPage();
					}
				}
				if (job.slides) {
					mark(doc, key, 'slides');
				}
				if (job.title_in === 'content' || (job.title_in === 'running' && job.slides)) {
					if (job.logo) {
						const lt = doc.table({widths: [null, 90]});
						const r = lt.row();
						r.cell(part.title, {font: bold, fontSize: job.title_pt, color: job.accent});
						const c = r.cell({padding: 3, backgroundColor: 0xeef3fa});
						c.text(job.short, {textAlign: 'center', fontSize: 9, color: job.accent});
						c.text('績效管理', {textAlign: 'center', fontSize: 8, color: job.accent});
						doc.cell({paddingBottom: 5});
					} else {
						title(part.title, job.title_pt);
					}
				}
				table(doc, sec, part, key, measure, minHeights, mark);
				if (job.slides) {
					mark(doc, key, 'slides');
				} else {
					doc.cell({paddingBottom: 14});
				}
			});
		} else if (sec.t === 'end') {
			newPage();
			doc.cell({paddingTop: job.slides ? H / 3 : 160});
			doc.text(sec.text, {font: bold, fontSize: 28, textAlign: 'center', color: job.accent});
		}
	}
	return {doc, rec};
}

function table(doc, sec, part, key, measure, minHeights, mark) {
	const cols = sec.cols;
	const n = cols.length;
	const nh = sec.head.length + (job.title_in === 'header_row' ? 1 : 0);
	const nrows = nh + part.rows.length;
	const rw = job.rule_width;
	const opts = {widths: sec.widths, padding: job.pad, paddingTop: job.pad_top, paddingBottom: job.pad_top,
		borderColor: job.rule_color};
	if (job.rules === 'grid') {
		opts.borderWidth = rw;
	} else if (job.rules === 'hrules' || job.rules === 'zebra_lines') {
		const head = job.title_in === 'header_row' ? 1 : 0;
		opts.borderHorizontalWidths = i => (i === head || i === nh || i === nrows ? rw * 2 : i > nh ? rw : 0);
	} else if (job.rules === 'head_only') {
		opts.borderHorizontalWidths = i => (i === nh ? rw * 2 : 0);
	}
	const t = doc.table(opts);
	const align = id => (job.value_align && /^(a\d|t|w)$/.test(id) ? job.value_align : job.halign);
	if (job.title_in === 'header_row') {
		const h = t.header();
		h.cell(part.title, {colspan: n, font: bold, fontSize: job.title_pt, color: job.accent, padding: 2,
			paddingBottom: 6});
	}
	for (const hrow of sec.head) {
		const h = t.header({backgroundColor: job.head_fill || undefined});
		for (const c of hrow) {
			h.cell(c.text, {colspan: c.span, font: bold, textAlign: 'center', color: job.head_color});
		}
	}
	part.rows.forEach((row, ri) => {
		const rk = `${key}.${ri}`;
		const ropts = {};
		if (job.zebra && ri % 2 === 1) {
			ropts.backgroundColor = job.zebra;
		}
		if (!measure && minHeights[rk]) {
			ropts.minHeight = minHeights[rk];
		}
		if (row.kind === 'band') {
			ropts.backgroundColor = job.band_fill;
		}
		const r = t.row(ropts);
		if (row.kind === 'band') {
			const c = r.cell({colspan: n, font: bold});
			mark(c, rk, 'rows');
			c.text(row.band, {font: bold});
			mark(c, rk, 'rows');
			return;
		}
		cols.forEach(col => {
			const c = r.cell({});
			mark(c, rk, 'rows');
			const s = row.cells[col] || '';
			if (s) {
				c.text(s, {textAlign: col === 'persp' && job.persp_center ? 'center' : align(col)});
			}
			mark(c, rk, 'rows');
		});
	});
}

(async () => {
	const report = {rows: {}, slides: {}, too_tall: [], spill: []};
	const m = build(true, {});
	await m.doc.asBuffer();
	// row height: from the first cell's start (its top padding included) to the lowest cell end
	const avail = job.page.h - job.page.pad.top - job.page.pad.bottom - job.furniture;
	const minHeights = {};
	for (const [k, ys] of Object.entries(m.rec.rows)) {
		const top = Math.max(...ys) + job.pad_top;
		const bottom = Math.min(...ys) - job.pad_top;
		const hgt = Math.ceil((top - bottom + 0.5) * 10) / 10;
		report.rows[k] = hgt;
		minHeights[k] = hgt;
		if (hgt > avail * 0.75) {
			report.too_tall.push(k);
		}
	}
	for (const [k, ys] of Object.entries(m.rec.slides)) {
		const used = Math.max(...ys) - Math.min(...ys);
		report.slides[k] = used;
		if (used > avail - 4) {
			report.spill.push(k);
		}
	}
	if (report.too_tall.length || report.spill.length) {
		fs.writeFileSync(job.report, JSON.stringify(report));
		return;
	}
	const {doc} = build(false, job.keep_rows ? minHeights : {});
	doc.pipe(fs.createWriteStream(job.out));
	await doc.end();
	fs.writeFileSync(job.report, JSON.stringify(report));
})().catch(err => {
	console.error(err && err.stack || err);
	process.exit(1);
});
