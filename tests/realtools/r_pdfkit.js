// Draws one deck with PDFKit used directly, as Node back-ends draw reports: the table laid out here, by hand,
// with PDFKit's own line wrapping (LineWrapper, UAX #14 breaks by the `linebreak` package) measured by
// doc.heightOfString, rows placed by the author, pages added by the author:
//     node r_pdfkit.js job.json          (draws job.out; writes job.report)
// job: {modules, page: {size, layout, w, h, margins}, fonts: {cjk: [file, family?], bold: [file, family?] | null},
// compress, info, pt, line_gap, pad, rules, rule_width, rule_color, hdr_fill, zebra_fill, halign, valign, persp_mode,
// bold, header, footer, footer_pass, footer_guard, watermark, flow, bottom, sections, out, report}.
// sections: cover, profile, map, theme {letter, titles: [k/n template], cols, parts: [[row]]}, end.
// A row: {kind: kpi|band, persp, obj, cells}.  The report gives {too_tall: [...], pages}.
'use strict';

const fs = require('fs');
const path = require('path');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// resolved from the install folder as `require('pdfkit')` would be (the package has `exports`, no `main`)
const PDFDocument = require(require.resolve('pdfkit', { paths: [job.modules] }));
const report = { too_tall: [], pages: 0, added: 0 };
const P = job.page;
const W = P.w;
const H = P.h;
const pt = job.pt;
const pad = job.pad;
const NAVY = '#1f3b69';
const ACCENT = job.accent;

const doc = new PDFDocument({
	autoFirstPage: false,
	bufferPages: job.buffer,
	compress: job.compress,
	info: job.info || undefined,
	pdfVersion: job.pdf_version,
});
doc.pipe(fs.createWriteStream(job.out));
const reg = (name, spec) => (spec[1] ? doc.registerFont(name, spec[0], spec[1]) : doc.registerFont(name, spec[0]));
reg('cjk', job.fonts.cjk);
if (job.fonts.bold) {
	reg('bold', job.fonts.bold);
}
const boldFont = job.fonts.bold ? 'bold' : 'cjk';

// text options of a cell: PDFKit's own wrapping in `width`, line gap, alignment
const cellOpts = (width, align) => ({ width, align, lineGap: job.line_gap });
const setFont = (bold, size) => {
	doc.font(bold && job.bold === 'face' ? boldFont : 'cjk').fontSize(size);
};
const boldText = bold => (bold && job.bold === 'stroke' ? { stroke: true, fill: true } : {});

// --- furniture ---------------------------------------------------------------------------------------------

function runningHeader() {
	const [x, y] = [doc.x, doc.y];
	setFont(false, 8);
	doc.fillColor(NAVY).text(job.org, 30, 14, { lineBreak: false });
	const s = '策略地圖與平衡計分卡';
	doc.text(s, W - 30 - doc.widthOfString(s), 14, { lineBreak: false });
	doc.moveTo(30, 25).lineTo(W - 30, 25).lineWidth(0.5).strokeColor(NAVY).stroke();
	doc.fillColor('black');
	[doc.x, doc.y] = [x, y];
}

function watermark() {
	const wm = job.watermark;
	const [x, y] = [doc.x, doc.y];
	doc.save();
	setFont(false, 60);
	const w = doc.widthOfString(wm.text);
	const [cx, cy] = [W / 2, H / 2];
	doc.rotate(-wm.angle, { origin: [cx, cy] });
	if (wm.opacity) {
		doc.fillColor('#808080').opacity(wm.opacity);
	} else {
		doc.fillColor('#c8c8c8');
	}
	doc.text(wm.text, cx - w / 2, cy - 30, { lineBreak: false });
	doc.restore();
	doc.fillColor('black').opacity(1);
	[doc.x, doc.y] = [x, y];
}

function footer(n, total) {
	const f = job.footer;
	const [x, y] = [doc.x, doc.y];
	// text below the bottom margin makes LineWrapper add a page: the margin set to 0 around the footer, or the
	// text placed by hand with no width (`lineBreak: false` alone does not help: any `width` makes PDFKit wrap,
	// and the wrapper starts a new page when the first line would pass page.maxY())
	const bottom = doc.page.margins.bottom;
	doc.moveTo(30, H - 28).lineTo(W - 30, H - 28).lineWidth(0.5).strokeColor('#999999').stroke();
	setFont(false, 7);
	doc.fillColor('#666666');
	const s = f.format.replace('{n}', String(n)).replace('{N}', String(total));
	if (job.footer_guard === 'margin') {
		doc.page.margins.bottom = 0;
		doc.text(`${job.org}｜策略地圖與平衡計分卡`, 30, H - 22);
		if (f.align === 'right') {
			doc.text(s, 30, H - 22, { width: W - 60, align: 'right' });
		} else {
			doc.text(s, 0, H - 22, { width: W, align: 'center' });
		}
	} else {
		doc.text(`${job.org}｜策略地圖與平衡計分卡`, 30, H - 22, { lineBreak: false });
		const w = doc.widthOfString(s);
		doc.text(s, f.align === 'right' ? W - 30 - w : (W - w) / 2, H - 22, { lineBreak: false });
	}
	doc.page.margins.bottom = bottom;
	doc.fillColor('black');
	[doc.x, doc.y] = [x, y];
}

const footed = new Set(); // pages (1-based) that get a footer
const marked = new Set(); // table pages, which get the watermark
let tablePage = false;
let pageNo = 0;
doc.on('pageAdded', () => {
	pageNo += 1;
	if (job.header && pageNo > 1) {
		runningHeader();
	}
	if (tablePage && job.watermark) {
		marked.add(pageNo);
		if (job.watermark.layer === 'under') {
			watermark();
		}
	}
});

function newPage() {
	report.added += 1;
	doc.addPage({ size: P.size, layout: P.layout, margins: P.margins });
}

function endPage(foot) {
	if (foot) {
		footed.add(pageNo);
		if (job.footer && job.footer_pass === 'page') {
			footer(pageNo, 0);
		}
	}
	if (job.watermark && job.watermark.layer === 'over' && marked.has(pageNo)) {
		watermark();
	}
}

// --- plain pages -------------------------------------------------------------------------------------------

function centred(s, y, size, color) {
	setFont(true, size);
	while (size > 12 && doc.widthOfString(s) > W - 60) {
		size -= 2;
		setFont(true, size);
	}
	doc.fillColor(color || 'black').text(s, 30, y, { width: W - 60, align: 'center', ...boldText(true) });
	doc.fillColor('black');
}

function cover(sec) {
	newPage();
	doc.rect(0, 0, W, 18).fill(ACCENT);
	centred(sec.org, H * 0.38 - 30, 30);
	centred('策略地圖與平衡計分卡', H * 0.38 + 24, 26);
	endPage(false);
}

function profile(sec) {
	newPage();
	setFont(true, 20);
	doc.fillColor(ACCENT).text(sec.title, 40, 44, boldText(true));
	setFont(false, 14);
	doc.fillColor('black');
	sec.lines.forEach((line, i) => doc.text(line, 60, 96 + i * 32, { width: W - 120 }));
	endPage(true);
}

function strategyMap(sec) {
	newPage();
	setFont(true, 20);
	doc.fillColor(ACCENT).text(sec.title, 40, 34, boldText(true));
	setFont(false, 14);
	doc.fillColor('black').text(sec.date, W - 140, 38, { width: 100, align: 'right' });
	let size = 9;
	const top = 74;
	const bottom = H - 44;
	const need = s => {
		setFont(false, s);
		let h = doc.heightOfString(sec.vision, { width: W - 80 }) + 10;
		for (const p of sec.persps) {
			h += Math.max(doc.heightOfString(p.objs, { width: W - 170 }), s * 2) + 14;
		}
		return h;
	};
	while (size > 6 && need(size) > bottom - top) {
		size -= 0.5;
	}
	setFont(false, size);
	doc.text(sec.vision, 40, top, { width: W - 80 });
	let y = doc.y + 10;
	for (const p of sec.persps) {
		const h = Math.max(doc.heightOfString(p.objs, { width: W - 170 }), size * 2) + 6;
		doc.rect(40, y, 80, h).fill(ACCENT);
		doc.fillColor('white').text(p.label, 40, y + (h - size * 1.2) / 2, { width: 80, align: 'center' });
		doc.rect(125, y, W - 165, h).lineWidth(0.6).stroke(ACCENT);
		doc.fillColor('black').text(p.objs, 130, y + 3, { width: W - 170 });
		y += h + 8;
	}
	endPage(true);
}

function ending(sec) {
	newPage();
	centred(sec.text, H * 0.45 - 18, 36);
	endPage(false);
}

// --- tables ------------------------------------------------------------------------------------------------

function columnsX(cols) {
	const total = cols.reduce((a, c) => a + c.weight, 0);
	const xs = [30];
	for (const c of cols) {
		xs.push(xs[xs.length - 1] + (c.weight * (W - 60)) / total);
	}
	return xs;
}

function textHeight(s, width, bold) {
	setFont(bold, pt);
	return s ? doc.heightOfString(s, cellOpts(width, 'left')) : 0;
}

function headHeight(cols, xs) {
	let h = 0;
	for (let j = 0; j < cols.length; j++) {
		const c = cols[j];
		const w = xs[j + 1] - xs[j] - 2 * pad;
		if (c.group) {
			const k = cols.filter(x => x.group === c.group).length;
			const gw = xs[j + k] - xs[j] - 2 * pad;
			h = Math.max(h, 2 * Math.max(textHeight(c.group, gw, true), textHeight(c.sub, w, true)) + 4 * pad);
		} else {
			h = Math.max(h, textHeight(c.label, w, true) + 2 * pad);
		}
	}
	return h;
}

const labelled = key => key === 'persp' && job.persp_mode !== 'h';

function rowHeight(r, cols, xs) {
	if (r.kind === 'band') {
		return textHeight(r.cells.band, xs[xs.length - 1] - xs[0] - 2 * pad, true) + 2 * pad;
	}
	let h = pt + 2 * pad;
	cols.forEach((c, j) => {
		if (!labelled(c.id)) {
			h = Math.max(h, textHeight(r.cells[c.id] || '', xs[j + 1] - xs[j] - 2 * pad, false) + 2 * pad);
		}
	});
	return h;
}

// runs of consecutive KPI rows with the same perspective or objective on one page: [start, n]
function runs(rows, key) {
	const out = [];
	let prev = null;
	rows.forEach((r, i) => {
		const cur = r.kind === 'kpi' ? r[key] : null;
		if (cur !== null && cur === prev) {
			out[out.length - 1][1] += 1;
		} else if (cur !== null) {
			out.push([i, 1]);
		}
		prev = cur;
	});
	return out;
}

// a turned or stacked 構面 label needs its run to be as tall as the label
function labelNeed(text, width) {
	setFont(false, pt);
	if (job.persp_mode === 'rot') {
		return doc.widthOfString(text) + 2 * pad + 4;
	}
	// measured in the cell's own width: in a column narrower than two characters LineWrapper counts the
	// newline's width too and gives every stacked character a second, empty line
	return doc.heightOfString([...text].join('\n'), cellOpts(width - 2 * pad, 'center')) + 2 * pad + 4;
}

function heights(rows, cols, xs) {
	const hs = rows.map(r => rowHeight(r, cols, xs));
	if (cols.some(c => labelled(c.id))) {
		for (const [s, n] of runs(rows, 'persp')) {
			const have = hs.slice(s, s + n).reduce((a, b) => a + b, 0);
			const j = cols.findIndex(c => c.id === 'persp');
			const need = labelNeed(rows[s].cells.persp, xs[j + 1] - xs[j]);
			if (need > have) {
				hs[s + n - 1] += need - have;
			}
		}
	}
	return hs;
}

// cut a slide part or a theme (flow) into pages by row heights; a band row never ends a page
function paginate(rows, cols, xs, avail) {
	const pages = [[]];
	let used = 0;
	for (const r of rows) {
		const cur = pages[pages.length - 1];
		const h = heights([...cur, r], cols, xs).reduce((a, b) => a + b, 0) - used;
		if (cur.some(x => x.kind === 'kpi') && used + h > avail) {
			const carry = [];
			while (cur.length && cur[cur.length - 1].kind === 'band') {
				carry.unshift(cur.pop());
			}
			pages.push([...carry, r]);
			used = heights(pages[pages.length - 1], cols, xs).reduce((a, b) => a + b, 0);
		} else {
			cur.push(r);
			used += h;
		}
	}
	for (const pg of pages) {
		const total = heights(pg, cols, xs).reduce((a, b) => a + b, 0);
		if (total > avail + 0.01) {
			report.too_tall.push({ rows: pg.length, total, avail });
		}
	}
	return pages;
}

function rule(x0, y0, x1, y1) {
	doc.moveTo(x0, y0).lineTo(x1, y1).lineWidth(job.rule_width).strokeColor(job.rule_color).stroke();
}

function cellText(s, x0, y0, x1, y1, opts) {
	if (!s) {
		return;
	}
	const w = x1 - x0 - 2 * pad;
	const bold = !!opts.bold;
	setFont(bold, pt);
	const align = opts.center ? 'center' : job.halign;
	const h = doc.heightOfString(s, cellOpts(w, align));
	const middle = opts.center || job.valign === 'middle';
	const y = y0 + pad + (middle ? Math.max(0, (y1 - y0 - 2 * pad - h) / 2) : 0);
	doc.fillColor('black').text(s, x0 + pad, y, { ...cellOpts(w, align), ...boldText(bold) });
}

function turnedLabel(s, x0, y0, x1, y1) {
	setFont(false, pt);
	const w = doc.widthOfString(s);
	const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
	doc.save();
	doc.rotate(-90, { origin: [cx, cy] });
	doc.fillColor('black').text(s, cx - w / 2, cy - doc.currentLineHeight() / 2, { lineBreak: false });
	doc.restore();
}

function drawTable(rows, prev, cols, xs, top) {
	const hh = headHeight(cols, xs);
	const hs = heights(rows, cols, xs);
	const x0 = xs[0];
	const x1 = xs[xs.length - 1];
	const boxes = [];
	// head boxes
	for (let j = 0; j < cols.length; ) {
		const c = cols[j];
		if (c.group) {
			let k = j;
			while (k + 1 < cols.length && cols[k + 1].group === c.group) {
				k += 1;
			}
			boxes.push({ x0: xs[j], y0: top, x1: xs[k + 1], y1: top + hh / 2, text: c.group, head: true });
			for (let m = j; m <= k; m++) {
				boxes.push({ x0: xs[m], y0: top + hh / 2, x1: xs[m + 1], y1: top + hh, text: cols[m].sub, head: true });
			}
			j = k + 1;
		} else {
			boxes.push({ x0: xs[j], y0: top, x1: xs[j + 1], y1: top + hh, text: c.label, head: true });
			j += 1;
		}
	}
	const ys = [];
	let y = top + hh;
	for (const h of hs) {
		ys.push([y, y + h]);
		y += h;
	}
	rows.forEach((r, i) => {
		const [a, b] = ys[i];
		if (r.kind === 'band') {
			boxes.push({ x0, y0: a, x1, y1: b, text: r.cells.band, head: true, band: true });
			return;
		}
		cols.forEach((c, j) => {
			if (c.id !== 'persp' && c.id !== 'obj') {
				boxes.push({ x0: xs[j], y0: a, x1: xs[j + 1], y1: b, text: r.cells[c.id] || '', row: i });
			}
		});
	});
	const ids = cols.map(c => c.id);
	for (const key of ['persp', 'obj']) {
		const j = ids.indexOf(key);
		if (j < 0) {
			continue;
		}
		for (const [s, n] of runs(rows, key)) {
			const r = rows[s];
			const last = [...prev].reverse().find(x => x.kind === 'kpi');
			const cont = s === 0 && last && last[key] === r[key];
			const text = cont && job.blank_cont ? '' : r.cells[key];
			const mode = key === 'persp' ? job.persp_mode : 'h';
			boxes.push({ x0: xs[j], y0: ys[s][0], x1: xs[j + 1], y1: ys[s + n - 1][1], text, mode, run: true });
		}
	}
	// fills: zebra rows, then head fills
	if (job.rules === 'zebra') {
		rows.forEach((r, i) => {
			if (r.kind === 'kpi' && i % 2 === 1) {
				doc.rect(x0, ys[i][0], x1 - x0, ys[i][1] - ys[i][0]).fill(job.zebra_fill);
			}
		});
	}
	if (job.hdr_fill && job.rules !== 'none') {
		for (const b of boxes.filter(b => b.head)) {
			doc.rect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0).fill(job.hdr_fill);
		}
	}
	// rules
	if (job.rules === 'grid') {
		if (job.grid_as === 'rect') {
			for (const b of boxes) {
				doc.rect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0).lineWidth(job.rule_width).stroke(job.rule_color);
			}
		} else {
			for (const b of boxes) {
				rule(b.x0, b.y0, b.x1, b.y0);
				rule(b.x0, b.y1, b.x1, b.y1);
				rule(b.x0, b.y0, b.x0, b.y1);
				rule(b.x1, b.y0, b.x1, b.y1);
			}
		}
	} else if (job.rules === 'hrules' || job.rules === 'zebra') {
		rule(x0, top, x1, top);
		rule(x0, top + hh, x1, top + hh);
		if (job.rules === 'hrules') {
			for (const [, b] of ys) {
				rule(x0, b, x1, b);
			}
		} else if (ys.length) {
			rule(x0, ys[ys.length - 1][1], x1, ys[ys.length - 1][1]);
		}
	}
	// text
	for (const b of boxes) {
		if (b.mode === 'rot') {
			if (b.text) {
				turnedLabel(b.text, b.x0, b.y0, b.x1, b.y1);
			}
		} else if (b.mode === 'stack') {
			cellText([...b.text].join('\n'), b.x0, b.y0, b.x1, b.y1, { center: true });
		} else {
			cellText(b.text, b.x0, b.y0, b.x1, b.y1, { bold: b.head, center: b.head && !b.band });
		}
	}
}

function theme(sec) {
	const cols = sec.cols;
	const xs = columnsX(cols);
	const top = job.header ? 66 : 60;
	const hh = headHeight(cols, xs);
	const avail = job.bottom - top - hh;
	const pages = [];
	for (const part of sec.parts) {
		pages.push(...paginate(part, cols, xs, avail));
	}
	pages.forEach((rows, i) => {
		tablePage = true;
		newPage();
		tablePage = false;
		const title = pages.length > 1 && job.cont_marker ? `${sec.title}--${i + 1}/${pages.length}` : sec.title;
		let size = 16;
		setFont(true, size);
		while (size > 10 && doc.widthOfString(title) > W - 60 - (job.logo ? 120 : 0)) {
			size -= 1;
			setFont(true, size);
		}
		doc.fillColor(ACCENT).text(title, 30, top - 30, { lineBreak: false, ...boldText(true) });
		if (job.logo) {
			setFont(false, 12);
			const w = doc.widthOfString(job.short);
			doc.fillColor(ACCENT).text(job.short, W - 40 - w, top - 28, { lineBreak: false });
			if (job.logo_badge) {
				doc.rect(W - 48 - w, top - 33, w + 16, 22).lineWidth(0.8).stroke(ACCENT);
			}
		}
		doc.fillColor('black');
		drawTable(rows, i ? pages[i - 1] : [], cols, xs, top);
		endPage(true);
	});
}

for (const sec of job.sections) {
	({ cover, profile, map: strategyMap, theme, end: ending })[sec.t](sec);
}

// footers with the total, and watermarks over everything, in a loop over the buffered pages
if (job.buffer) {
	const range = doc.bufferedPageRange();
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i);
		if (job.footer && job.footer_pass === 'end' && footed.has(i + 1)) {
			footer(i + 1, range.count);
		}
		if (job.watermark && job.watermark.layer === 'end' && marked.has(i + 1)) {
			watermark();
		}
	}
	doc.flushPages();
}
report.pages = pageNo;
doc.end();
doc.on('end', () => {});
fs.writeFileSync(job.report, JSON.stringify(report));
