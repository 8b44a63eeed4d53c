// Draws one deck laid out by r_muhammara.py with muhammara (PDFHummus), the way a Node back-end draws a report by
// hand on page content contexts:
//     node r_muhammara.js job.json            (draws job.out)
//     node r_muhammara.js --metrics job.json  (prints {key: {char: [advance, ink xMin, ink xMax]}} at size 1000)
// job: {modules, fonts: {cjk|bold|latin: {file, index}}, text_api: writeText|line|cell, turn: cm|tm, path_api:
// ops|helpers, color_space: rgb|cmyk, compress, version, info, form, pages, out}.  pages: [{w, h, under, ops,
// stamp, form}]: `under` then `ops` drawn as the page is made, the running header's Form XObject (`form`, made once
// before the first page) painted after them on pages flagged `form`, `stamp` drawn by a second pass that opens the
// saved file with createWriterToModify and a PDFPageModifier per page.  Ops, in PDF points from the bottom left:
// text {x, y, size, runs: [[font key, string, x]], color, angle, fake}, block {x, y, size, key, lines, lh, color,
// fake} (one text object), line {x0, y0, x1, y1, w, color, dash}, rect {x, y, w, h, fill, stroke, lw}.
'use strict';

const fs = require('fs');
const path = require('path');

const metricsMode = process.argv[2] === '--metrics';
const job = JSON.parse(fs.readFileSync(process.argv[metricsMode ? 3 : 2], 'utf8'));
const hummus = require(path.join(job.modules, 'muhammara'));

const loadFont = (writer, spec) =>
	spec.index === null || spec.index === undefined
		? writer.getFontForFile(spec.file)
		: writer.getFontForFile(spec.file, spec.index);

if (metricsMode) {
	// the glyph metrics the author's measuring code sees: calculateTextDimensions at size 1000
	const tmp = path.join(require('os').tmpdir(), `r_muhammara-metrics-${process.pid}.pdf`);
	const w = hummus.createWriter(tmp);
	const out = {};
	for (const [key, spec] of Object.entries(job.fonts)) {
		const font = loadFont(w, spec);
		const dot = font.calculateTextDimensions('.', 1000).xMax;
		out[key] = {};
		for (const ch of job.chars[key]) {
			const d = font.calculateTextDimensions(ch, 1000);
			const adv = font.calculateTextDimensions(ch + '.', 1000).xMax - dot;
			out[key][ch] = [adv, d.xMin, d.xMax];
		}
	}
	// a page so that the writer can end cleanly
	const page = w.createPage(0, 0, 10, 10);
	w.writePage(page);
	w.end();
	fs.unlinkSync(tmp);
	process.stdout.write(JSON.stringify(out));
	process.exit(0);
}

const hex = c => (Math.round(c[0] * 255) << 16) | (Math.round(c[1] * 255) << 8) | Math.round(c[2] * 255);
const cmyk = c => {
	// the author's own rgb-to-cmyk, as print shops ask for
	const k = 1 - Math.max(...c);
	return k >= 1 ? [0, 0, 0, 1] : [...c.map(v => (1 - v - k) / (1 - k)), k];
};
const colorOpt = c => {
	if (job.color_space === 'cmyk') {
		const [cc, m, y, k] = cmyk(c).map(v => Math.round(v * 255));
		return { colorspace: 'cmyk', color: ((cc << 24) | (m << 16) | (y << 8) | k) >>> 0 };
	}
	return { colorspace: 'rgb', color: hex(c) };
};
const setFill = (cxt, c) => (job.color_space === 'cmyk' ? cxt.k(...cmyk(c)) : cxt.rg(...c));
const setStroke = (cxt, c) => (job.color_space === 'cmyk' ? cxt.K(...cmyk(c)) : cxt.RG(...c));

function drawer(cxt, fonts) {
	const bold = (op, on) => {
		if (!op.fake) {
			return;
		}
		if (on) {
			// synthetic bold: fill and stroke the glyphs
			cxt.Tr(2).w(op.size / 30);
			setStroke(cxt, op.color);
		} else {
			cxt.Tr(0);
		}
	};
	const text = op => {
		bold(op, true);
		const a = (op.angle * Math.PI) / 180;
		const c = Math.cos(a);
		const s = Math.sin(a);
		for (const [key, str, rx] of op.runs) {
			const d = rx - op.x;
			const x = op.x + d * c;
			const y = op.y + d * s;
			const font = fonts[key];
			if (op.angle && job.turn === 'cm') {
				// the graphics state turned, the text drawn at 0 0
				cxt.q().cm(c, s, -s, c, x, y);
				if (job.text_api === 'writeText') {
					cxt.writeText(str, 0, 0, { font, size: op.size, ...colorOpt(op.color) });
				} else {
					cxt.BT();
					setFill(cxt, op.color);
					cxt.Tf(font, op.size).Td(0, 0).Tj(str).ET();
				}
				cxt.Q();
			} else if (op.angle) {
				// a turned text matrix
				cxt.BT();
				setFill(cxt, op.color);
				cxt.Tf(font, op.size).Tm(c, s, -s, c, x, y).Tj(str).ET();
			} else if (job.text_api === 'writeText') {
				cxt.writeText(str, x, y, { font, size: op.size, ...colorOpt(op.color) });
			} else {
				cxt.BT();
				setFill(cxt, op.color);
				cxt.Tf(font, op.size).Tm(1, 0, 0, 1, x, y).Tj(str).ET();
			}
		}
		bold(op, false);
	};
	const block = op => {
		bold(op, true);
		cxt.BT();
		setFill(cxt, op.color);
		cxt.Tf(fonts[op.key], op.size).TL(op.lh).Td(op.x, op.y);
		op.lines.forEach((ln, i) => {
			if (i) {
				cxt.TStar();
			}
			if (ln.length) {
				cxt.Tj(ln);
			}
		});
		cxt.ET();
		bold(op, false);
	};
	const line = op => {
		if (job.path_api === 'helpers' && !op.dash) {
			cxt.drawPath(op.x0, op.y0, op.x1, op.y1, { type: 'stroke', width: op.w, ...colorOpt(op.color) });
			return;
		}
		cxt.q();
		setStroke(cxt, op.color);
		cxt.w(op.w);
		if (op.dash) {
			cxt.d(op.dash, 0);
		}
		cxt.m(op.x0, op.y0).l(op.x1, op.y1).S().Q();
	};
	const rect = op => {
		if (job.path_api === 'helpers') {
			if (op.fill) {
				cxt.drawRectangle(op.x, op.y, op.w, op.h, { type: 'fill', ...colorOpt(op.fill) });
			}
			if (op.stroke) {
				cxt.drawRectangle(op.x, op.y, op.w, op.h, { type: 'stroke', width: op.lw, ...colorOpt(op.stroke) });
			}
			return;
		}
		cxt.q();
		if (op.fill) {
			setFill(cxt, op.fill);
			cxt.re(op.x, op.y, op.w, op.h).f();
		}
		if (op.stroke) {
			setStroke(cxt, op.stroke);
			cxt.w(op.lw).re(op.x, op.y, op.w, op.h).S();
		}
		cxt.Q();
	};
	return ops => {
		for (const op of ops || []) {
			({ text, block, line, rect })[op.t](op);
		}
	};
}

function loadFonts(writer, keys) {
	const fonts = {};
	for (const key of keys) {
		fonts[key] = loadFont(writer, job.fonts[key]);
	}
	return fonts;
}

const keysOf = layers => {
	const keys = new Set();
	const visit = op => {
		if (op.t === 'block') {
			keys.add(op.key);
		}
		for (const [key] of op.runs || []) {
			keys.add(key);
		}
	};
	for (const pg of job.pages) {
		for (const layer of layers.filter(l => l !== 'form')) {
			pg[layer].forEach(visit);
		}
	}
	if (layers.includes('form')) {
		job.form.forEach(visit);
	}
	return keys;
};

const version = { 14: hummus.ePDFVersion14, 17: hummus.ePDFVersion17 }[job.version];
const stamping = job.pages.some(pg => pg.stamp.length);
const first = stamping ? `${job.out}.draft.pdf` : job.out;
const writer = hummus.createWriter(first, { version, compress: job.compress });
const fonts = loadFonts(writer, keysOf(['under', 'ops', 'form']));
let form = null;
if (job.form.length) {
	// the letterhead: one Form XObject, made before the first page and painted on every page that has it
	const pg = job.pages.find(p => p.form);
	form = writer.createFormXObject(0, 0, pg.w, pg.h);
	drawer(form.getContentContext(), fonts)(job.form);
	writer.endFormXObject(form);
}
for (const pg of job.pages) {
	const page = writer.createPage(0, 0, pg.w, pg.h);
	const cxt = writer.startPageContentContext(page);
	const draw = drawer(cxt, fonts);
	draw(pg.under);
	draw(pg.ops);
	if (pg.form && form) {
		cxt.q().doXObject(form).Q();
	}
	writer.writePage(page);
}
if (job.info) {
	const info = writer.getDocumentContext().getInfoDictionary();
	info.title = job.info.title;
	info.author = job.info.author;
	if (job.info.creator) {
		info.creator = job.info.creator;
	}
}
writer.end();

if (stamping) {
	// a second pass over the saved file: page numbers and the watermark stamped by a PDFPageModifier per page
	const mod = hummus.createWriterToModify(first, { modifiedFilePath: job.out, compress: job.compress });
	const f2 = loadFonts(mod, keysOf(['stamp']));
	job.pages.forEach((pg, n) => {
		if (!pg.stamp.length) {
			return;
		}
		const pm = new hummus.PDFPageModifier(mod, n, true);
		drawer(pm.startContext().getContext(), f2)(pg.stamp);
		pm.endContext().writePage();
	});
	mod.end();
	fs.unlinkSync(first);
}
