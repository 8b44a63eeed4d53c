// Renders one pdfmake document definition written by r_pdfmake.py, the way a Node back-end exports a report:
//     node r_pdfmake.js job.json
// job: {modules, fonts, layouts, doc, header, footer, out, report}.  The definition is JSON; what pdfmake
// wants as functions (table layouts, header, footer, pageBreakBefore) is built here from plain data.
// Afterwards the pages of every node tagged `_rt` go to `report`: pdfmake writes `positions` (one per line)
// into the definition's own nodes.  A block kept together (dontBreakRows, headerRows with keepWithHeaderRows)
// and moved to the next page has only its first position updated, so later ones on an earlier page are stale.
'use strict';

const fs = require('fs');
const path = require('path');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const pdfmake = require(path.join(job.modules, 'pdfmake'));

const fontFiles = new Set();
for (const face of Object.values(job.fonts)) {
	for (const f of Object.values(face)) {
		fontFiles.add(Array.isArray(f) ? f[0] : f);
	}
}
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy(p => fontFiles.has(p));
pdfmake.setFonts(job.fonts);

// custom table layouts: {hw: [outer, header, inner], vw: [outer, inner], hc, vc, zebra, pad: [l, r, t, b], head}
// (head: the rule under the heading rows, which need not be repeated headerRows)
const layouts = {};
for (const [name, s] of Object.entries(job.layouts || {})) {
	const last = (i, n) => i === 0 || i === n;
	const head = node => s.head ?? node.table.headerRows ?? 0;
	const lay = {
		hLineWidth: (i, node) => {
			if (last(i, node.table.body.length)) {
				return s.hw[0];
			}
			return i === head(node) ? s.hw[1] : s.hw[2];
		},
		vLineWidth: (i, node) => (last(i, node.table.widths.length) ? s.vw[0] : s.vw[1]),
		hLineColor: () => s.hc,
		vLineColor: () => s.vc,
		paddingLeft: () => s.pad[0],
		paddingRight: () => s.pad[1],
		paddingTop: () => s.pad[2],
		paddingBottom: () => s.pad[3],
	};
	if (s.zebra) {
		lay.fillColor = (row, node) => (row >= head(node) && (row - head(node)) % 2 === 1 ? s.zebra : null);
	}
	layouts[name] = lay;
}
pdfmake.addTableLayouts(layouts);

// header and footer: per-page nodes or a template with {page} and {pages}, copied afresh for every page
const fill = (node, page, pages) => JSON.parse(
	JSON.stringify(node).replaceAll('{page}', String(page)).replaceAll('{pages}', String(pages)));
const doc = job.doc;
if (job.header) {
	doc.header = (page, pages) => {
		const node = job.header.pages[String(page)];
		return node ? fill(node, page, pages) : null;
	};
}
if (job.footer) {
	doc.footer = (page, pages) => (job.footer.skip.includes(page) ? null : fill(job.footer.node, page, pages));
}
// the pdfmake documentation's idiom: a heading never stays alone at the foot of a page (the footer is laid
// out after the content, so it counts among the nodes that follow on the page: look for a table instead)
doc.pageBreakBefore = (node, nodes) => node.headlineLevel === 1 && !nodes.getFollowingNodesOnPage().some(n => n.table);

const report = {};
const walk = node => {
	if (Array.isArray(node)) {
		node.forEach(walk);
	} else if (node && typeof node === 'object') {
		if (node._rt && Array.isArray(node.positions) && node.positions.length) {
			const first = node.positions[0].pageNumber;
			const later = node.positions.map(p => p.pageNumber).filter(p => p > first);
			report[node._rt] = [first, ...new Set(later)];
		}
		for (const key of ['stack', 'columns', 'table', 'body']) {
			walk(node[key]);
		}
	}
};

(async () => {
	await pdfmake.createPdf(doc).write(job.out);
	walk(doc.content);
	fs.writeFileSync(job.report, JSON.stringify(report));
})().catch(err => {
	console.error(err && err.stack || err);
	process.exit(1);
});
