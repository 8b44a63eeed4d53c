// Renders one react-pdf document written by r_reactpdf.py as JSON, the way a Node back-end of a React app
// renders a report with @react-pdf/renderer (no JSX build step: React.createElement):
//     node r_reactpdf.js job.json
// job: {modules, fonts: [{family, src, fontWeight?}], hyphenation, tree, out, report}.
// tree nodes: a string, or {t: Document|Page|View|Text, s: style, p: props, c: [children], num: template}.
// `num` makes a Text a render prop: `{page}`/`{pages}` (the document's) and `{sub}`/`{subs}` (the pages of its
// <Page>) filled in on every page, `multi` instead of `num` when its <Page> runs over more than one page, empty
// on the pages listed in `p.skip`.  react-pdf lays out (Yoga) and paginates by itself.
'use strict';

const fs = require('fs');
const path = require('path');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const React = require(path.join(job.modules, 'react'));

(async () => {
const { Document, Page, View, Text, Font, renderToFile } = await import(
	path.join(job.modules, '@react-pdf', 'renderer', 'lib', 'react-pdf.js'));

for (const f of job.fonts) {
	Font.register(f);
}

// CJK line breaking as react-pdf's users do it: textkit breaks only at spaces and at the syllables the
// hyphenation callback returns, and puts a '-' at the end of a line broken between two syllables; an
// empty syllable after each character is a zero-width glue, a break without the hyphen.
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u;
if (job.hyphenation === 'chars') {
	Font.registerHyphenationCallback(word => Array.from(word).flatMap(c => [c, '']));
} else if (job.hyphenation === 'cjk') {
	// ideographs and full-width forms one by one, runs of other characters (codes, numbers) kept whole
	Font.registerHyphenationCallback(word => {
		const parts = [];
		let run = '';
		for (const c of word) {
			if (CJK.test(c)) {
				if (run) {
					parts.push(run, '');
					run = '';
				}
				parts.push(c, '');
			} else {
				run += c;
			}
		}
		if (run) {
			parts.push(run, '');
		}
		return parts;
	});
} else if (job.hyphenation === 'zwsp') {
	// text pre-split by the app with U+200B after every character; the callback cuts at it
	Font.registerHyphenationCallback(word => word.split('\u200b').filter(Boolean).flatMap(c => [c, '']));
}

const types = { Document, Page, View, Text };
const build = (node, key) => {
	if (typeof node === 'string') {
		return node;
	}
	const props = { ...(node.p || {}), key };
	if (node.s) {
		props.style = node.s;
	}
	if (node.num !== undefined) {
		const skip = props.skip || [];
		delete props.skip;
		const fill = (tpl, a) => tpl.replaceAll('{page}', String(a.pageNumber))
			.replaceAll('{pages}', String(a.totalPages)).replaceAll('{sub}', String(a.subPageNumber))
			.replaceAll('{subs}', String(a.subPageTotalPages));
		props.render = a => {
			if (skip.includes(a.pageNumber)) {
				return '';
			}
			return fill(node.multi && a.subPageTotalPages > 1 ? node.multi : node.num, a);
		};
	}
	const kids = (node.c || []).map((c, i) => build(c, i));
	return React.createElement(types[node.t], props, ...kids);
};

await renderToFile(build(job.tree, 0), job.out);
})().catch(err => {
	console.error(err && err.stack || err);
	process.exit(1);
});
