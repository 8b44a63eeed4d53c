// Renders one deck job written by r_pdfme.py with pdfme (@pdfme/generator on @pdfme/pdf-lib and fontkit), the way
// a TypeScript back-office fills a pdfme template with inputs:
//     node r_pdfme.mjs job.json
// job: {modules, seed, fonts: {name: {path, subset, fallback}}, base: {width, height, padding, staticSchema},
//       pages: [[schema, ...], ...], input: {name: value}, strips: [...], options: {...}, out, report}
// All lengths are pdfme's millimetres.  The template pages are pdfme's own schemas (text, line, rectangle, table);
// pdfme lays out the tables (its own wrapping), grows them and moves what follows down, and carries a table that
// does not fit over to new pages (the dynamic template of a blank basePdf).  A `strip` is the hand-drawn 構面
// column left of a table (rectangles and text turned by `rotate`), placed from the row heights pdfme's own
// getDynamicHeightsForTable gives, as an author who wants merged, turned labels does it.
import fs from 'fs';
import path from 'path';

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const M = path.join(job.modules, '@pdfme');
const { generate } = await import(path.join(M, 'generator/dist/index.js'));
const S = await import(path.join(M, 'schemas/dist/index.js'));
const common = await import(path.join(M, 'common/dist/index.js'));

// pdf-lib names every font resource it sets with Math.random (a fresh name for every text run): seeded, so that
// a deck drawn again is the same file apart from its dates
let seed = job.seed >>> 0 || 1;
Math.random = () => {
	seed = (seed + 0x6d2b79f5) >>> 0;
	let t = seed;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const font = {};
for (const [name, f] of Object.entries(job.fonts)) {
	font[name] = { data: fs.readFileSync(f.path), fallback: !!f.fallback, subset: f.subset };
}

const basePdf = job.base;
const pages = job.pages;
const report = { strips: [] };

for (const st of job.strips || []) {
	const schemas = pages[st.page];
	const table = schemas.find(s => s.name === st.table);
	const heights = await S.getDynamicHeightsForTable(job.input[st.table], {
		schema: table,
		basePdf,
		options: { font },
		_cache: new Map(),
	});
	report.strips.push({ page: st.page, heights });
	// the table's own height as laid out: pdfme moves every schema below a table that grows past its template
	// height down by the growth, the strip's boxes too
	table.height = heights.reduce((a, b) => a + b, 0);
	let y = table.position.y;
	const x = st.x;
	const w = st.width;
	const cell = (name, y0, h, text, rotate, fill, color) => {
		if (st.border > 0 || fill) {
			schemas.push({
				name: `${name}_box`, type: 'rectangle', position: { x, y: y0 }, width: w, height: h,
				borderWidth: st.border, borderColor: st.border_color, color: fill || '', readOnly: true,
			});
		}
		if (st.rules_only) {
			schemas.push({
				name: `${name}_rule`, type: 'line', position: { x, y: y0 + h - st.rule / 2 }, width: w,
				height: st.rule, color: st.border_color, readOnly: true,
			});
		}
		const box = rotate
			? { position: { x: x + w / 2 - h / 2, y: y0 + h / 2 - w / 2 }, width: h, height: w, rotate }
			: { position: { x, y: y0 }, width: w, height: h };
		schemas.push({
			name, type: 'text', ...box, fontName: st.fontName, fontSize: st.fontSize, lineHeight: 1,
			characterSpacing: st.spacing || 0, alignment: 'center', verticalAlignment: 'middle',
			fontColor: color || '#000000', backgroundColor: '',
		});
		job.input[name] = text;
	};
	let i = 0;
	if (table.showHead) {
		cell(`${st.table}_strip_head`, y, heights[0], st.head_text, 0, st.head_fill, st.head_color);
		y += heights[0];
		i = 1;
	}
	for (const [k, run] of st.labels.entries()) {
		const h = heights.slice(i + run.start, i + run.start + run.count).reduce((a, b) => a + b, 0);
		cell(`${st.table}_strip_${k}`, y, h, run.text, st.rotate, null);
		y += h;
	}
}

const plugins = { text: S.text, table: S.table, line: S.line, rectangle: S.rectangle };
const pdf = await generate({
	template: { basePdf, schemas: pages },
	inputs: [job.input],
	options: { font, ...(job.options || {}) },
	plugins,
});
fs.writeFileSync(job.out, pdf);
report.template_pages = pages.length;
report.version = common.PDFME_VERSION || null;
fs.writeFileSync(job.report, JSON.stringify(report));
