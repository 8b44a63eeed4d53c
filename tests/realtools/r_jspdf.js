// Draws one deck written by r_jspdf.py with jsPDF and the jspdf-autotable plugin, the way a web app exports
// its tables to PDF:
//     node r_jspdf.js job.json
// job: {modules, doc, fonts, font, ops, furniture, titles, out, report}.  `ops` is the drawing in order: new
// pages, text, rectangles and autoTable calls whose options are plain JSON; what autotable wants as functions
// (didParseCell, didDrawCell, willDrawPage, didDrawPage) is built here from the job's data.  Afterwards the
// pages every tagged body cell was drawn on (`_rt`, a row key) and the pages each table started and ended on go
// to `report`: a row autotable splits over two pages shows on both.
'use strict';

const fs = require('fs');
const path = require('path');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { jsPDF } = require(path.join(job.modules, 'jspdf'));
const { autoTable } = require(path.join(job.modules, 'jspdf-autotable'));

const doc = new jsPDF(job.doc.options);
doc.setProperties(job.doc.properties);
if (job.doc.lineHeight) {
	doc.setLineHeightFactor(job.doc.lineHeight);
}
for (const f of job.fonts) {
	doc.addFileToVFS(f.vfs, fs.readFileSync(f.file).toString('base64'));
	for (const style of f.styles) {
		doc.addFont(f.vfs, f.name, style);
	}
}
doc.setFont(job.font, 'normal');

const page = () => doc.getCurrentPageInfo().pageNumber;
const pageW = () => doc.internal.pageSize.getWidth();
const pageH = () => doc.internal.pageSize.getHeight();

const setColor = (kind, c) => {
	const rgb = Array.isArray(c) ? c : [c, c, c];
	if (kind === 'fill') {
		doc.setFillColor(...rgb);
	} else if (kind === 'draw') {
		doc.setDrawColor(...rgb);
	} else {
		doc.setTextColor(...rgb);
	}
};

// text: {s, x, y, size, color, align, angle, style, baseline}
const text = t => {
	doc.setFont(job.font, t.style || 'normal');
	doc.setFontSize(t.size);
	setColor('text', t.color ?? 0);
	const opt = {};
	for (const k of ['align', 'angle', 'baseline', 'maxWidth']) {
		if (t[k] !== undefined) {
			opt[k] = t[k];
		}
	}
	doc.text(t.s, t.x, t.y, opt);
};

const rect = r => {
	if (r.fill !== undefined) {
		setColor('fill', r.fill);
	}
	if (r.stroke !== undefined) {
		setColor('draw', r.stroke);
		doc.setLineWidth(r.lw);
	}
	doc.rect(r.x, r.y, r.w, r.h, r.mode);
};

// furniture: running title (titles: page -> [text ops]), footer, watermark
const furn = job.furniture || {};
const watermark = () => {
	const w = furn.watermark;
	doc.saveGraphicsState();
	doc.setGState(new doc.GState({ opacity: w.opacity }));
	text({ s: w.s, x: pageW() / 2, y: pageH() / 2, size: w.size, color: w.color, align: 'center', angle: w.angle });
	doc.restoreGraphicsState();
};
const footer = n => {
	const f = furn.footer;
	let num = f.format.replace('{n}', String(n));
	if (f.total) {
		num = num.replace('{N}', f.total === true ? String(doc.getNumberOfPages()) : f.total);
	}
	if (f.rule) {
		setColor('draw', f.rule.color);
		doc.setLineWidth(f.rule.lw);
		doc.line(f.rule.x0, f.rule.y, f.rule.x1, f.rule.y);
	}
	text({ ...f.left, s: f.left.s });
	text({ ...f.right, s: num });
};
const draw = op => (op.t === 'rect' ? rect(op) : text(op));
const running = n => {
	for (const t of (job.titles || {})[String(n)] || []) {
		draw(t);
	}
};
const didDrawPage = () => {
	const n = page();
	running(n);
	if (furn.footer && furn.footer.mode === 'hook' && !furn.footer.skip.includes(n)) {
		footer(n);
	}
	if (furn.watermark && furn.watermark.mode === 'over') {
		watermark();
	}
	doc.setFont(job.font, 'normal');
};
const willDrawPage = () => {
	if (furn.watermark && furn.watermark.mode === 'under') {
		watermark();
	}
};

const report = { rows: {}, tables: [] };
let lastY = null;

// table: {key, options, rotated: {col, size, color}, follow: {gap, guard, top}, title: [text and rect ops]}
const table = t => {
	const o = t.options;
	if (t.follow) {
		// a table after the one before on the same page, unless too little room is left (then a new page)
		let y = lastY === null ? t.follow.top : lastY + t.follow.gap;
		if (y > pageH() - t.follow.guard) {
			doc.addPage();
			y = t.follow.top;
		}
		for (const x of t.title || []) {
			draw({ ...x, y: y + x.y });
		}
		o.startY = y + (t.titleHeight || 0);
	} else {
		for (const x of t.title || []) {
			draw(x);
		}
	}
	const rot = t.rotated;
	o.didParseCell = data => {
		if (rot && data.section === 'body' && data.column.index === rot.col && data.cell.raw && data.cell.raw._rot) {
			// turned labels are drawn by didDrawCell; the cell keeps room for them
			doc.setFont(job.font, 'normal');
			doc.setFontSize(rot.size);
			const w = doc.getTextWidth(data.cell.raw.content);
			data.cell.text = [''];
			data.cell.styles.minCellHeight = w + data.cell.padding('vertical');
		}
	};
	o.didDrawCell = data => {
		const raw = data.cell.raw;
		if (data.section !== 'body' || !raw || typeof raw !== 'object') {
			return;
		}
		if (raw._rt) {
			const pages = report.rows[raw._rt] || (report.rows[raw._rt] = []);
			if (!pages.includes(page())) {
				pages.push(page());
			}
		}
		if (rot && raw._rot && data.column.index === rot.col) {
			doc.setFont(job.font, 'normal');
			doc.setFontSize(rot.size);
			setColor('text', rot.color);
			const c = data.cell;
			const w = doc.getTextWidth(raw.content);
			const x = c.x + c.width / 2 + rot.size * 0.35;
			const y = c.y + c.height / 2 + w / 2;
			doc.text(raw.content, x, y, { angle: 90 });
		}
	};
	o.didDrawPage = didDrawPage;
	o.willDrawPage = willDrawPage;
	const start = page();
	autoTable(doc, o);
	lastY = doc.lastAutoTable.finalY;
	report.tables.push({ key: t.key, start, end: page() });
};

for (const op of job.ops) {
	if (op.t === 'page') {
		if (op.first !== true) {
			doc.addPage();
		}
		lastY = null;
	} else if (op.t === 'text') {
		text(op);
	} else if (op.t === 'rect') {
		rect(op);
	} else if (op.t === 'line') {
		setColor('draw', op.color);
		doc.setLineWidth(op.lw);
		doc.line(op.x0, op.y0, op.x1, op.y1);
	} else if (op.t === 'table') {
		table(op);
	}
}

// footers drawn afterwards page by page (the total is known), or the total put into the hooks' footers
if (furn.footer && furn.footer.mode === 'loop') {
	for (let n = 1; n <= doc.getNumberOfPages(); n++) {
		if (!furn.footer.skip.includes(n)) {
			doc.setPage(n);
			footer(n);
		}
	}
}
if (furn.watermark && furn.watermark.mode === 'loop') {
	for (let n = 1; n <= doc.getNumberOfPages(); n++) {
		doc.setPage(n);
		watermark();
	}
}
if (furn.footer && typeof furn.footer.total === 'string') {
	doc.setFont(job.font, 'normal');
	doc.putTotalPages(furn.footer.total);
}
report.pages = doc.getNumberOfPages();
fs.writeFileSync(job.out, Buffer.from(doc.output('arraybuffer')));
fs.writeFileSync(job.report, JSON.stringify(report));
