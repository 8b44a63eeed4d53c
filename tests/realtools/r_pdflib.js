// Draws one deck laid out by r_pdflib.py with pdf-lib (and @pdf-lib/fontkit for the CJK faces), the way a web app
// or a Node back-end draws a report by hand on PDFPage:
//     node r_pdflib.js job.json          (draws job.out; writes job.report)
//     node r_pdflib.js --metrics MODULES (prints Helvetica's widths and kerning as pdf-lib measures them, as JSON)
// job: {modules, fonts, font_calls, font_embed, color_space, object_streams, info, pages, out, report}.  fonts:
// {cjk: {file, subset}, bold: {file, subset} | null, latin: "Helvetica" | null}, each face given to
// pdfDoc.embedFont as the bytes of a single-face file (fontkit cannot take a face out of a .ttc for pdf-lib), once
// for the document or again for every page (font_embed 'page').  pages: [{w, h, rot, turn, under, ops, template,
// loop, stamp}]: `under`, `ops`, then `template` (drawn on a page of a PDF of its own, a letterhead, embedded by
// embedPdf and drawn by drawPage as a Form XObject) as the page is made; `loop` drawn over every page once all are
// made (the same document: the page's content stream goes on); `stamp` drawn after the saved bytes are loaded
// again by PDFDocument.load, as a second program stamps page numbers on a finished PDF.  A page with rot 90 or 270
// is stored portrait by page.setRotation, the landscape drawing turned into it by a `cm` pushed with pushOperators
// (turn 'cm') or by the author's own arithmetic on every coordinate and angle (turn 'hand').  Ops, in PDF points
// from the bottom left of the landscape drawing: text {x, y, size, runs: [[font key, string]], color, angle, turn:
// rotate|cm, fake, alpha, blend}, block {x, y, size, key, text, lines, lh, max_width, color, fake} (one drawText
// of several lines), line {x0, y0, x1, y1, w, color, dash}, rect {x, y, w, h, fill, stroke, lw}.
'use strict';

const fs = require('fs');
const path = require('path');

if (process.argv[2] === '--metrics') {
	const { PDFDocument, StandardFonts } = require(path.join(process.argv[3], 'pdf-lib'));
	(async () => {
		const doc = await PDFDocument.create();
		const helv = await doc.embedFont(StandardFonts.Helvetica);
		const chars = [];
		for (let c = 32; c < 127; c++) {
			chars.push(String.fromCharCode(c));
		}
		const widths = {};
		const kern = {};
		for (const a of chars) {
			widths[a] = helv.widthOfTextAtSize(a, 1000);
		}
		for (const a of chars) {
			for (const b of chars) {
				const k = helv.widthOfTextAtSize(a + b, 1000) - widths[a] - widths[b];
				if (Math.abs(k) > 1e-9) {
					kern[a + b] = k;
				}
			}
		}
		process.stdout.write(JSON.stringify({ widths, kern }));
	})();
	return;
}

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const P = require(path.join(job.modules, 'pdf-lib'));
const fontkit = require(path.join(job.modules, '@pdf-lib/fontkit'));
const { PDFDocument, StandardFonts, degrees, rgb, cmyk, BlendMode, TextRenderingMode } = P;
const report = { wraps: [] };

const color = c => {
	if (job.color_space === 'cmyk') {
		// the author's own rgb-to-cmyk, as print shops ask for
		const k = 1 - Math.max(...c);
		return k >= 1 ? cmyk(0, 0, 0, 1) : cmyk(...c.map(v => (1 - v - k) / (1 - k)), k);
	}
	return rgb(...c);
};

// The fonts the drawing uses (`keys`), each embedded once in `doc`.  A font embedded and never drawn with is left
// out: a CFF face's empty subset makes fontkit throw while pdf-lib saves ('"value" argument is out of bounds').
async function embedFonts(doc, keys) {
	doc.registerFontkit(fontkit);
	const fonts = {};
	if (!keys.size) {
		return fonts;
	}
	const load = spec => doc.embedFont(fs.readFileSync(spec.file), { subset: spec.subset });
	if (keys.has('cjk') || (keys.has('bold') && !job.fonts.bold)) {
		fonts.cjk = await load(job.fonts.cjk);
	}
	if (keys.has('bold')) {
		fonts.bold = job.fonts.bold ? await load(job.fonts.bold) : fonts.cjk;
	}
	if (keys.has('latin')) {
		fonts.latin = await doc.embedFont(StandardFonts.Helvetica);
	}
	return fonts;
}

// The font keys of the given layers' ops.
const keysOf = (layers, pages = job.pages) => {
	const keys = new Set();
	for (const pg of pages) {
		for (const layer of layers) {
			for (const op of pg[layer] || []) {
				if (op.t === 'block') {
					keys.add(op.key);
				}
				for (const [key] of op.runs || []) {
					keys.add(key);
				}
			}
		}
	}
	return keys;
};

// The landscape drawing on a page stored portrait: x, y and angle as the author turns them by hand.
function place(pg, x, y, angle) {
	if (pg.rot === 90) {
		return [pg.h - y, x, angle + 90];
	}
	if (pg.rot === 270) {
		return [y, pg.w - x, angle + 270];
	}
	return [x, y, angle];
}

function drawer(page, pg, fonts) {
	const hand = pg.rot && pg.turn === 'hand';
	const opts = (key, size) => (job.font_calls === 'set' && key === 'cjk' ? { size } : { size, font: fonts[key] });
	const bold = (op, on) => {
		if (!op.fake) {
			return;
		}
		if (on) {
			// synthetic bold as pdf-lib users write it: the text state set by raw operators around drawText
			page.pushOperators(
				P.setTextRenderingMode(TextRenderingMode.FillAndOutline),
				P.setLineWidth(op.size / 30),
				P.setStrokingColor(color(op.color)),
			);
		} else {
			page.pushOperators(P.setTextRenderingMode(TextRenderingMode.Fill));
		}
	};
	const extra = op => {
		const o = {};
		if (op.alpha != null) {
			o.opacity = op.alpha;
		}
		if (op.blend) {
			o.blendMode = BlendMode[op.blend];
		}
		return o;
	};
	const text = op => {
		bold(op, true);
		const a = (op.angle * Math.PI) / 180;
		let x = op.x;
		let y = op.y;
		for (const [key, s] of op.runs) {
			const o = { ...opts(key, op.size), color: color(op.color), ...extra(op) };
			if (op.angle && op.turn === 'cm' && !hand) {
				// turned by the graphics state, the text drawn at 0 0
				const c = Math.cos(a);
				const sn = Math.sin(a);
				page.pushOperators(P.pushGraphicsState(), P.concatTransformationMatrix(c, sn, -sn, c, x, y));
				page.drawText(s, { ...o, x: 0, y: 0 });
				page.pushOperators(P.popGraphicsState());
			} else {
				const [px, py, pa] = hand ? place(pg, x, y, op.angle) : [x, y, op.angle];
				page.drawText(s, { ...o, x: px, y: py, rotate: degrees(pa) });
			}
			// the next run where pdf-lib measures this one to end (Helvetica's kerning counted, not drawn)
			const w = fonts[key].widthOfTextAtSize(s, op.size);
			x += w * Math.cos(a);
			y += w * Math.sin(a);
		}
		bold(op, false);
	};
	const block = op => {
		bold(op, true);
		const [px, py, pa] = hand ? place(pg, op.x, op.y, 0) : [op.x, op.y, 0];
		const o = { ...opts(op.key, op.size), color: color(op.color), x: px, y: py, lineHeight: op.lh };
		if (pa) {
			o.rotate = degrees(pa);
		}
		if (op.max_width) {
			// pdf-lib's own line breaking; the row heights were laid out by the same rule
			const font = fonts[op.key];
			const got = P.breakTextIntoLines(op.text, [''], op.max_width, s => font.widthOfTextAtSize(s, op.size));
			if (JSON.stringify(got) !== JSON.stringify(op.lines)) {
				report.wraps.push({ text: op.text, want: op.lines, got });
			}
			page.drawText(op.text, { ...o, maxWidth: op.max_width, wordBreaks: [''] });
		} else {
			page.drawText(op.lines.join('\n'), o);
		}
		bold(op, false);
	};
	const line = op => {
		let [x0, y0] = [op.x0, op.y0];
		let [x1, y1] = [op.x1, op.y1];
		if (hand) {
			[x0, y0] = place(pg, x0, y0, 0);
			[x1, y1] = place(pg, x1, y1, 0);
		}
		const o = { start: { x: x0, y: y0 }, end: { x: x1, y: y1 }, thickness: op.w, color: color(op.color) };
		if (op.dash) {
			o.dashArray = op.dash;
		}
		page.drawLine(o);
	};
	const rect = op => {
		const [px, py, pa] = hand ? place(pg, op.x, op.y, 0) : [op.x, op.y, 0];
		const o = { x: px, y: py, width: op.w, height: op.h };
		if (pa) {
			o.rotate = degrees(pa);
		}
		if (op.fill) {
			o.color = color(op.fill);
		}
		if (op.stroke) {
			o.borderColor = color(op.stroke);
			o.borderWidth = op.lw;
		}
		page.drawRectangle(o);
	};
	const turn = on => {
		if (!pg.rot || pg.turn !== 'cm') {
			return;
		}
		if (!on) {
			page.pushOperators(P.popGraphicsState());
			return;
		}
		const { width, height } = page.getSize();
		const m = pg.rot === 90 ? [0, 1, -1, 0, width, 0] : [0, -1, 1, 0, 0, height];
		page.pushOperators(P.pushGraphicsState(), P.concatTransformationMatrix(...m));
	};
	const embedded = op => {
		// a page of a template PDF (a letterhead) drawn as a Form XObject
		if (hand) {
			const [px, py, pa] = place(pg, 0, 0, 0);
			page.drawPage(op.emb, { x: px, y: py, rotate: degrees(pa) });
		} else {
			page.drawPage(op.emb, { x: 0, y: 0 });
		}
	};
	return ops => {
		if (!ops || !ops.length) {
			return;
		}
		turn(true);
		if (job.font_calls === 'set' && fonts.cjk) {
			page.setFont(fonts.cjk);
		}
		for (const op of ops) {
			({ text, block, line, rect, embedded })[op.t](op);
		}
		turn(false);
	};
}

function setInfo(doc) {
	const info = job.info;
	if (!info) {
		return;
	}
	if (info.title) {
		doc.setTitle(info.title);
		doc.setAuthor(info.author);
	}
	if (info.producer) {
		doc.setProducer(info.producer);
		doc.setCreator(info.creator);
	}
}

// A letterhead made as a PDF of its own (the page's size, unturned), embedded by embedPdf.
async function template(doc, pg) {
	const t = await PDFDocument.create();
	const page = t.addPage([pg.w, pg.h]);
	drawer(page, { w: pg.w, h: pg.h, rot: 0 }, await embedFonts(t, keysOf(['template'], [pg])))(pg.template);
	const [emb] = await doc.embedPdf(await t.save());
	return emb;
}

(async () => {
	const doc = await PDFDocument.create({ updateMetadata: job.info !== null });
	// the fonts embedded once for the document, or again for every page (each page a subset of its own)
	const perPage = job.font_embed === 'page';
	const fonts = await embedFonts(doc, keysOf(perPage ? ['loop'] : ['under', 'ops', 'loop']));
	const templates = new Map();
	for (const pg of job.pages) {
		const size = pg.rot ? [pg.h, pg.w] : [pg.w, pg.h];
		const page = doc.addPage(size);
		if (pg.rot) {
			page.setRotation(degrees(pg.rot));
		}
		const draw = drawer(page, pg, perPage ? await embedFonts(doc, keysOf(['under', 'ops'], [pg])) : fonts);
		draw(pg.under);
		draw(pg.ops);
		if (pg.template && pg.template.length) {
			const key = JSON.stringify([pg.w, pg.h, pg.template]);
			if (!templates.has(key)) {
				templates.set(key, await template(doc, pg));
			}
			draw([{ t: 'embedded', emb: templates.get(key) }]);
		}
	}
	// the loop over the finished pages (page numbers with the total, a watermark over everything)
	doc.getPages().forEach((page, n) => drawer(page, job.pages[n], fonts)(job.pages[n].loop));
	setInfo(doc);
	let bytes = await doc.save({ useObjectStreams: job.object_streams });
	if (job.pages.some(pg => pg.stamp && pg.stamp.length)) {
		// a second program: the saved PDF loaded again, stamped and saved (pdf-lib wraps the old content in q/Q)
		const again = await PDFDocument.load(bytes, { updateMetadata: job.info !== null });
		const f2 = await embedFonts(again, keysOf(['stamp']));
		again.getPages().forEach((page, n) => drawer(page, job.pages[n], f2)(job.pages[n].stamp));
		bytes = await again.save({ useObjectStreams: job.object_streams });
	}
	fs.writeFileSync(job.out, bytes);
	fs.writeFileSync(job.report, JSON.stringify(report));
})().catch(e => {
	process.stderr.write(`${e.stack}\n`);
	process.exit(1);
});
