// Draws one deck described by r_syncfusion.py with Syncfusion's JavaScript PDF library (@syncfusion/ej2-pdf-export,
// the writer behind the Grid and Chart components' "PDF export"), the way a Node back-end or a web app builds a
// report with it:
//     node r_syncfusion.js job.json      (writes job.out and job.report)
// job: {modules, out, report, font: {file}, page: {size: [w, h] | 'a4' | 'letter', landscape, margins},
// template: {top, bottom} (running header / footer as PdfPageTemplateElements of the document), loop_footer,
// watermark, items}.  items: {t: 'page', ops} (a furniture page drawn with drawString/drawRectangle/drawLine) or
// {t: 'table', new_page, title, grid} (a theme: the title by drawString, then a PdfGrid drawn by PdfGrid.draw and
// paginated by the library).  Coordinates are in points from the top left of the page's client area (inside the
// margins and the templates), as Syncfusion's graphics take them.
'use strict';

globalThis.navigator = globalThis.navigator || {}; // ej2-file-utils reads navigator.msSaveBlob when saving
const fs = require('fs');
const path = require('path');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const sf = require(path.join(job.modules, '@syncfusion', 'ej2-pdf-export'));
const {
	PdfDocument, PdfTrueTypeFont, PdfSolidBrush, PdfColor, PdfPen, PdfStringFormat, PdfTextAlignment,
	PdfVerticalAlignment, PdfGrid, PdfGridLayoutFormat, PdfLayoutType, PdfLayoutBreakType, PointF, RectangleF, SizeF,
	PdfPaddings, PdfPageTemplateElement, PdfPageNumberField, PdfPageCountField, PdfCompositeField, PdfPageSize,
	PdfPageOrientation, PdfDashStyle,
} = sf;
const report = { tables: [], furniture: [], pages: 0 };

const b64 = fs.readFileSync(job.font.file).toString('base64');
const fonts = new Map();
// one PdfTrueTypeFont per size as users create them; each is a font (and subset) of its own in the file.  No bold:
// decks drawn with PdfFontStyle.Bold hung in drawString (34.2.8; perhaps the loop r_syncfusion.py's docstring names)
function font(size) {
	const key = String(size);
	if (!fonts.has(key)) {
		fonts.set(key, new PdfTrueTypeFont(b64, size));
	}
	return fonts.get(key);
}
const colour = c => new PdfColor(Math.round(c[0] * 255), Math.round(c[1] * 255), Math.round(c[2] * 255));
const brush = c => new PdfSolidBrush(colour(c));
const pen = (c, w, dash) => {
	const p = new PdfPen(colour(c), w);
	if (dash) {
		p.dashStyle = PdfDashStyle.Dash;
	}
	return p;
};
const ALIGN = { left: PdfTextAlignment.Left, center: PdfTextAlignment.Center, right: PdfTextAlignment.Right };
const VALIGN = { top: PdfVerticalAlignment.Top, middle: PdfVerticalAlignment.Middle, bottom: PdfVerticalAlignment.Bottom };
const format = (a, v) => new PdfStringFormat(ALIGN[a || 'left'], VALIGN[v || 'top']);

const doc = new PdfDocument();
const ps = doc.pageSettings;
if (job.page.size === 'a4' || job.page.size === 'letter') {
	ps.size = job.page.size === 'a4' ? PdfPageSize.a4 : PdfPageSize.letter;
	ps.orientation = job.page.landscape ? PdfPageOrientation.Landscape : PdfPageOrientation.Portrait;
} else {
	// a custom size is turned portrait by the default orientation: landscape slides need the orientation too
	ps.size = new SizeF(job.page.size[0], job.page.size[1]);
	ps.orientation = job.page.landscape ? PdfPageOrientation.Landscape : PdfPageOrientation.Portrait;
}
ps.margins.all = job.page.margins;

// page furniture as the document's templates: drawn on every page by the library when it saves
function templates() {
	const t = job.template;
	const w = job.page.client[0];
	if (t.top) {
		const top = new PdfPageTemplateElement(new RectangleF(0, 0, w, t.top.h));
		const g = top.graphics;
		g.drawString(t.top.left, font(t.top.size), null, brush(t.top.color), 0, 2, w, t.top.h, format('left'));
		g.drawString(t.top.right, font(t.top.size), null, brush(t.top.color), 0, 2, w, t.top.h, format('right'));
		g.drawLine(pen(t.top.color, 0.5), 0, t.top.h - 3, w, t.top.h - 3);
		doc.template.top = top;
	}
	if (t.bottom) {
		const b = t.bottom;
		const bottom = new PdfPageTemplateElement(new RectangleF(0, 0, w, b.h));
		const g = bottom.graphics;
		g.drawLine(pen([0.6, 0.6, 0.6], 0.5), 0, 3, w, 3);
		if (b.left) {
			g.drawString(b.left, font(b.size), null, brush(b.color), 0, 6, w, b.h - 6, format('left'));
		}
		// '{0} / {1}' or '- {0} -': the page number (and count) fields the library fills in on every page
		const num = new PdfPageNumberField(font(b.size), brush(b.color));
		const fields = b.text.includes('{1}') ? [num, new PdfPageCountField(font(b.size), brush(b.color))] : [num];
		const field = new PdfCompositeField(font(b.size), brush(b.color), b.text, ...fields);
		field.bounds = new RectangleF(0, 6, w, b.h - 6);
		field.stringFormat = format(b.align);
		field.draw(g, new PointF(0, 6));
		doc.template.bottom = bottom;
	}
}

function op(g, o) {
	if (o.t === 'text') {
		const f = font(o.size);
		const fmt = format(o.align || 'left', o.valign);
		if (o.angle) {
			g.save();
			g.translateTransform(o.x, o.y);
			g.rotateTransform(-o.angle);
			if (o.alpha) {
				g.setTransparency(o.alpha);
			}
			g.drawString(o.s, f, null, brush(o.color), 0, 0, fmt);
			g.restore();
		} else if (o.w) {
			g.drawString(o.s, f, null, brush(o.color), o.x, o.y, o.w, o.h, fmt);
		} else {
			g.drawString(o.s, f, null, brush(o.color), o.x, o.y, fmt);
		}
	} else if (o.t === 'rect') {
		if (o.stroke && o.fill) {
			g.drawRectangle(pen(o.stroke, o.lw || 1), brush(o.fill), o.x, o.y, o.w, o.h);
		} else if (o.stroke) {
			g.drawRectangle(pen(o.stroke, o.lw || 1), o.x, o.y, o.w, o.h);
		} else {
			g.drawRectangle(brush(o.fill), o.x, o.y, o.w, o.h);
		}
	} else if (o.t === 'line') {
		g.drawLine(pen(o.color, o.w), o.x0, o.y0, o.x1, o.y1);
	}
}

function watermark(page) {
	const w = job.watermark;
	if (!w) {
		return;
	}
	const g = page.graphics;
	g.save();
	if (w.alpha) {
		g.setTransparency(w.alpha);
	}
	g.translateTransform(w.x, w.y);
	g.rotateTransform(-w.angle);
	g.drawString(w.text, font(w.size), null, brush(w.color), 0, 0, format('left'));
	g.restore();
}

// a theme's table as a PdfGrid: columns of fixed widths, header rows (spans for a two-row head), body rows with
// rowSpan labels and columnSpan band rows, borders and fills per cell
function buildGrid(spec) {
	const grid = new PdfGrid();
	const st = spec.style;
	grid.columns.add(spec.widths.length);
	spec.widths.forEach((w, i) => {
		grid.columns.getColumn(i).width = w;
	});
	grid.style.font = font(st.pt);
	// grid-wide padding: PdfGrid then measures a cell's lines without its border widths and draws them with, so
	// a line that just fits at measure time wraps once more when drawn and is dropped; with vertical rules the
	// padding goes on every cell instead, where the measure counts the borders
	const cellPad = st.rules === 'grid';
	if (!cellPad) {
		grid.style.cellPadding = new PdfPaddings(st.pad, st.pad, st.pad_v, st.pad_v);
	}
	grid.repeatHeader = st.repeat_header;
	grid.allowRowBreakAcrossPages = st.row_break;
	const noPen = pen([1, 1, 1], 0);
	const rule = pen(st.rule_color, st.rule_w, st.dash);
	const borders = (cell, kind, row, last) => {
		const b = cell.style.borders;
		if (st.rules === 'grid') {
			b.all = rule;
			return;
		}
		b.all = noPen;
		if (st.rules === 'hrules') {
			b.bottom = rule;
			if (kind === 'head' && row === 0) {
				b.top = rule;
			}
		} else if (st.rules === 'zebra' && kind === 'head' && last) {
			b.bottom = rule;
		}
	};
	const fill = (cell, c) => {
		if (c) {
			cell.style.backgroundBrush = brush(c);
		}
	};
	const tall = []; // [row, column, height] of labels that may be taller than the rows they span
	const labels = new Map(); // turned labels: drawn by the endCellDraw handler, the cell itself left empty
	const keys = new Map(); // each cell's style object -> 'head/row/column' or 'body/row/column', for the report
	const put = (row, spec, kind, i, last, bodyIndex) => {
		spec.cells.forEach((c, j) => {
			const cell = row.cells.getCell(j);
			borders(cell, kind, i, last);
			keys.set(cell.style, `${kind}/${i}/${j}`);
			if (cellPad) {
				cell.style.cellPadding = new PdfPaddings(st.pad, st.pad, st.pad_v, st.pad_v);
			}
			if (!c) {
				cell.value = '';
				return;
			}
			if (c.stack && (c.rowSpan || 1) > 1) {
				tall.push([bodyIndex, j, c.text.split('\n').length * st.pt * 1.3 + 2 * st.pad_v + 4]);
			}
			if (c.turn) {
				labels.set(`${bodyIndex}/${j}`, c.text);
				tall.push([bodyIndex, j, c.text.length * st.pt * 1.1 + 8]);
				cell.value = '';
			} else {
				cell.value = c.text;
			}
			if (c.rowSpan > 1) {
				cell.rowSpan = c.rowSpan;
			}
			if (c.colSpan > 1) {
				cell.columnSpan = c.colSpan;
			}
			cell.stringFormat = format(c.align, c.valign);
			if (kind === 'head') {
				fill(cell, st.head_fill);
				if (st.head_bold) {
					cell.style.font = font(st.pt + 0.5);
				}
			} else if (c.fill) {
				fill(cell, c.fill);
			}
		});
	};
	grid.headers.add(spec.head.length);
	spec.head.forEach((h, i) => put(grid.headers.getHeader(i), { cells: h }, 'head', i, i === spec.head.length - 1));
	spec.rows.forEach((r, i) => {
		const row = grid.rows.addRow();
		put(row, r, 'body', i, false, i);
		if (r.fill) {
			row.style.setBackgroundBrush(brush(r.fill));
		}
	});
	// taller rows, as the author who finds a line missing from the printout sets them: each row's measured
	// height plus `extra` points (the layouter measures a cell without its borders and draws it with them)
	if (st.extra) {
		for (let i = 0; i < grid.headers.count; i++) {
			const h = grid.headers.getHeader(i);
			h.height = h.height + st.extra;
		}
		for (let i = 0; i < grid.rows.count; i++) {
			const r = grid.rows.getRow(i);
			r.height = r.height + st.extra;
		}
	}
	// a stacked or turned label needs its rows as tall as the label is long: the last row's height set
	for (const [ri, ci, need] of tall) {
		const n = spec.rows[ri].cells[ci].rowSpan || 1;
		let have = 0;
		for (let k = ri; k < ri + n; k++) {
			have += grid.rows.getRow(k).height;
		}
		if (have < need) {
			const lastRow = grid.rows.getRow(ri + n - 1);
			lastRow.height = lastRow.height + (need - have);
		}
	}
	// every cell the layouter draws is reported (page, bounds, text), so that r_syncfusion.py can check that each
	// cell's text is on the page inside the cell; turned labels are drawn here, in the cell left empty
	const drawn = [];
	grid.endCellDraw = (sender, args) => {
		const key = keys.get(args.style);
		const bd = args.bounds;
		const cell = { key, g: args.graphics, box: [bd.x, bd.y, bd.width, bd.height], text: args.value };
		const text = key && key.startsWith('body/') && args.value === '' ? labels.get(`${args.rowIndex}/${args.cellIndex}`) : null;
		if (text) {
			const g = args.graphics;
			const f = font(st.pt);
			const w = f.measureString(text).width;
			// the layouter gives a rowSpan cell its first row's height: the label centred on the span's rows
			let h = bd.height;
			const n = spec.rows[args.rowIndex].cells[args.cellIndex].rowSpan || 1;
			if (n > 1) {
				h = 0;
				for (let k = args.rowIndex; k < args.rowIndex + n; k++) {
					h += grid.rows.getRow(k).height;
				}
			}
			g.save();
			g.translateTransform(bd.x + bd.width / 2 - st.pt * 0.6, bd.y + h / 2 + w / 2);
			g.rotateTransform(-90);
			g.drawString(text, f, null, brush([0, 0, 0]), 0, 0, format('left'));
			g.restore();
			cell.text = text;
			cell.turned = true;
		}
		if (key) {
			drawn.push(cell);
		}
	};
	grid.drawnCells = drawn;
	return grid;
}

function drawTitle(page, y, t) {
	const g = page.graphics;
	g.drawString(t.text, font(t.size), null, brush(t.color), t.x, y, format('left'));
	return y + t.size * 1.6;
}

(async () => {
	templates();
	let page = null;
	let y = 0;
	const client = job.page.client;
	for (const it of job.items) {
		if (it.t === 'page') {
			page = doc.pages.add();
			report.furniture.push(doc.pages.indexOf(page) + 1);
			for (const o of it.ops) {
				op(page.graphics, o);
			}
			if (it.watermark) {
				watermark(page);
			}
			y = client[1];
			continue;
		}
		if (it.new_page || !page || y + it.min_room > client[1]) {
			page = doc.pages.add();
			y = 0;
		} else {
			y += it.gap;
		}
		const first = doc.pages.indexOf(page);
		if (it.watermark === 'under') {
			watermark(page);
		}
		y = drawTitle(page, y, it.title);
		const grid = buildGrid(it.grid);
		const fmt = new PdfGridLayoutFormat();
		fmt.layout = PdfLayoutType.Paginate;
		fmt.break = PdfLayoutBreakType.FitPage;
		let res;
		if (it.reserve) {
			// page numbers drawn later at the foot of the client area: the grid kept above them on every page
			const w = client[0] - 2 * (it.x || 0);
			fmt.paginateBounds = new RectangleF(it.x || 0, 0, w, client[1] - it.reserve);
			res = grid.draw(page, new RectangleF(it.x || 0, y, w, client[1] - it.reserve - y), fmt);
		} else {
			res = grid.draw(page, new PointF(it.x || 0, y), fmt);
		}
		const last = doc.pages.indexOf(res.page);
		const pageOf = new Map();
		for (let i = first; i <= last; i++) {
			pageOf.set(doc.pages.getPageByIndex(i).graphics, i + 1);
		}
		const cells = grid.drawnCells.map(c => ({ key: c.key, page: pageOf.get(c.g) || 0, box: c.box, text: c.text,
			turned: c.turned || false }));
		report.tables.push({ first: first + 1, last: last + 1, bottom: res.bounds.y + res.bounds.height, cells });
		if (it.watermark === 'over') {
			for (let i = first; i <= last; i++) {
				watermark(doc.pages.getPageByIndex(i));
			}
		}
		page = res.page;
		y = res.bounds.y + res.bounds.height;
	}
	const n = doc.pages.count;
	report.pages = n;
	const cs = doc.pages.getPageByIndex(0).getClientSize();
	report.client = [cs.width, cs.height];
	if (job.loop_footer) {
		// page numbers drawn by the author in a loop over the finished pages
		const f = job.loop_footer;
		for (let i = 0; i < n; i++) {
			const g = doc.pages.getPageByIndex(i).graphics;
			const s = f.text.replace('{0}', String(i + 1)).replace('{1}', String(n));
			g.drawString(s, font(f.size), null, brush(f.color), 0, client[1] - f.size * 1.5, client[0], f.size * 1.5,
				format(f.align));
		}
	}
	if (job.dry) {
		// a layout probe: saving (subsetting every font object, slow for Noto's CFF) is left out
		fs.writeFileSync(job.report, JSON.stringify(report));
		return;
	}
	const r = await doc.save();
	fs.writeFileSync(job.out, Buffer.from(await r.blobData.arrayBuffer()));
	doc.destroy();
	fs.writeFileSync(job.report, JSON.stringify(report));
})().catch(e => {
	process.stderr.write(`${e.stack}\n`);
	process.exit(1);
});
