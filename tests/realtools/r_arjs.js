// Driver of r_arjs: `node r_arjs.js JOB.json OUT.pdf RESULT.json` (or `--version`) opens headless Chromium
// (playwright-core, /usr/bin/chromium) on a page served as http://localhost/, loads ActiveReportsJS's browser bundles
// (dist/ar-js-core.js and dist/ar-js-pdf.js: MESCIUS.ActiveReportsJS.Core / .PdfExport), registers the job's faces
// with `Core.FontStore.registerFonts` (data: URLs), loads the report definition (RDLX-JSON written by r_arjs.py)
// into `new Core.PageReport()`, runs it and writes the PageDocument with the engine's own PDF export
// (`PdfExport.exportDocument(document, settings)`, the same faces listed in `settings.fonts` for embedding).
// Console messages of the page go to RESULT.json.  The job is written by r_arjs.py; this file only applies it.
'use strict';
const fs = require('fs');
const path = require('path');

const ARJS = process.env.REALTOOLS_ARJS_MODULES
  || path.join(process.env.REALTOOLS_CACHE || '/tmp/realtools-cache', 'arjs', 'node_modules');
const PW = process.env.REALTOOLS_ARJS_PLAYWRIGHT || '/work/gen/npm-spreadjs/node_modules';
const DIST = path.join(ARJS, '@mescius/activereportsjs/dist');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

function version() {
  const v = (nm, p) => JSON.parse(fs.readFileSync(path.join(nm, p, 'package.json'), 'utf8')).version;
  return JSON.stringify({ arjs: v(ARJS, '@mescius/activereportsjs'), playwright: v(PW, 'playwright-core') });
}

// Runs inside the page.
async function build(job) {
  const A = MESCIUS.ActiveReportsJS;
  const fonts = job.fonts.map((f) => ({ name: f.name, source: f.url, weight: f.weight || 'normal' }));
  await A.Core.FontStore.registerFonts(...fonts);
  const report = new A.Core.PageReport();
  await report.load(job.def);
  const doc = await report.run();
  const settings = { ...job.pdf, fonts: job.embed ? fonts : [] };
  const res = await A.PdfExport.exportDocument(doc, settings);
  const u = new Uint8Array(await res.data.arrayBuffer());
  let s = '';
  for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));
  return { ok: btoa(s) };
}

async function main() {
  if (process.argv[2] === '--version') { console.log(version()); return; }
  const { chromium } = require(path.join(PW, 'playwright-core'));
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const f of job.fonts) {
    const ext = path.extname(f.file).slice(1);
    f.url = `data:font/${ext};base64,${fs.readFileSync(f.file).toString('base64')}`;
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  try {
    const page = await browser.newPage();
    const messages = [];
    page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => messages.push(`error: ${e.message}`));
    await page.route('http://localhost/**', (route) => route.fulfill({ contentType: 'text/html',
      body: '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>' }));
    await page.goto('http://localhost/index.html');
    await page.addScriptTag({ path: path.join(DIST, 'ar-js-core.js') });
    await page.addScriptTag({ path: path.join(DIST, 'ar-js-pdf.js') });
    const res = await page.evaluate(build, job);
    fs.writeFileSync(process.argv[3], Buffer.from(res.ok, 'base64'));
    fs.writeFileSync(process.argv[4], JSON.stringify({ messages }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
