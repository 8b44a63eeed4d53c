// Driver of r_spreadjs: `node r_spreadjs.js JOB.json OUT.pdf RESULT.json` (or `--version`) opens headless Chromium
// (playwright-core, /usr/bin/chromium) on a page served as http://localhost/ (SpreadJS builds no sheets on
// about:blank without a licence), loads SpreadJS with its print and PDF plugins, registers the job's fonts with
// PDFFontsManager, builds the workbook the job describes with SpreadJS's API (cells, styles, spans, borders,
// formatters, row heights by autoFitRow, print info) and saves it with `spread.savePDF`.  The job is written by
// r_spreadjs.py; this file only applies it.
'use strict';
const fs = require('fs');
const path = require('path');

const NM = process.env.REALTOOLS_SPREADJS_MODULES || '/work/gen/npm-spreadjs/node_modules';
const { chromium } = require(path.join(NM, 'playwright-core'));
const SCRIPTS = [
  '@mescius/spread-sheets/dist/gc.spread.sheets.all.min.js',
  '@mescius/spread-sheets-print/dist/gc.spread.sheets.print.min.js',
  '@mescius/spread-sheets-pdf/dist/gc.spread.sheets.pdf.min.js',
];
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

function version() {
  const v = (p) => JSON.parse(fs.readFileSync(path.join(NM, p, 'package.json'), 'utf8')).version;
  return JSON.stringify({ sheets: v('@mescius/spread-sheets'), print: v('@mescius/spread-sheets-print'),
    pdf: v('@mescius/spread-sheets-pdf'), playwright: v('playwright-core') });
}

// Runs inside the page.
async function build(job) {
  const S = GC.Spread.Sheets;
  for (const f of job.fonts) S.PDF.PDFFontsManager.registerFont(f.name, f.files);
  const spread = new S.Workbook(document.getElementById('ss'), { sheetCount: job.sheets.length });
  spread.suspendPaint();
  spread.suspendCalcService && spread.suspendCalcService();
  const H = { left: S.HorizontalAlign.left, center: S.HorizontalAlign.center, right: S.HorizontalAlign.right };
  const V = { top: S.VerticalAlign.top, center: S.VerticalAlign.center, bottom: S.VerticalAlign.bottom };
  const LS = { thin: S.LineStyle.thin, hair: S.LineStyle.hair, medium: S.LineStyle.medium, dotted: S.LineStyle.dotted,
    dashed: S.LineStyle.dashed };
  const fallbacks = [];
  const info = [];
  job.sheets.forEach((sj, si) => {
    const s = spread.getSheet(si);
    s.name(sj.name);
    const ds = s.getDefaultStyle();
    ds.font = sj.font;
    s.setDefaultStyle(ds);
    s.setRowCount(Math.max(sj.rows, 1));
    s.setColumnCount(Math.max(sj.widths.length, 1));
    sj.widths.forEach((w, c) => s.setColumnWidth(c, w));
    const styles = sj.styles.map((o) => {
      const st = new S.Style();
      st.font = o.font;
      if (o.fore) st.foreColor = o.fore;
      if (o.back) st.backColor = o.back;
      st.hAlign = H[o.h || 'left'];
      st.vAlign = V[o.v || 'center'];
      st.wordWrap = o.wrap !== false;
      if (o.rot) st.textOrientation = o.rot;
      if (o.vertical) st.isVerticalText = true;
      if (o.indent) st.textIndent = o.indent;
      return st;
    });
    for (const [r, c, k] of sj.styled) s.setStyle(r, c, styles[k].clone ? styles[k].clone() : styles[k]);
    for (const [r, c, text, fmt] of sj.cells) {
      if (fmt) {
        s.setValue(r, c, fmt[0]);
        s.setFormatter(r, c, fmt[1]);
        if (s.getText(r, c) !== text) {
          fallbacks.push([sj.name, r, c, s.getText(r, c), text]);
          s.setFormatter(r, c, '@');
          s.setValue(r, c, text);
        }
      } else {
        s.setValue(r, c, text);
      }
    }
    for (const [r, c, rc, cc] of sj.spans) s.addSpan(r, c, rc, cc);
    for (const b of sj.borders) {
      const [r, c, rc, cc, color, style, sides] = b;
      s.getRange(r, c, rc, cc).setBorder(new S.LineBorder(color, LS[style]), sides);
    }
    // row heights: SpreadJS's own autoFitRow (merged cells ignored), then the job's floors and growth
    for (const r of sj.autofit) s.autoFitRow(r);
    for (const [r, h] of sj.heights) s.setRowHeight(r, h);
    for (const [r, h] of sj.min_heights) if (s.getRowHeight(r) < h) s.setRowHeight(r, h);
    for (const [r0, cnt, need] of sj.spans_need) {
      let have = 0;
      for (let k = 0; k < cnt; k++) have += s.getRowHeight(r0 + k);
      if (have < need) for (let k = 0; k < cnt; k++) s.setRowHeight(r0 + k, s.getRowHeight(r0 + k) + (need - have) / cnt);
    }
    if (sj.grow && sj.grow !== 1) for (const r of sj.autofit) s.setRowHeight(r, Math.ceil(s.getRowHeight(r) * sj.grow));
    for (const r of sj.breaks) s.setRowPageBreak(r, true);
    const p = sj.print;
    const pi = s.printInfo();
    const P = S.Print;
    pi.showRowHeader(P.PrintVisibilityType.hide);
    pi.showColumnHeader(P.PrintVisibilityType.hide);
    pi.showGridLine(!!p.gridlines);
    pi.showBorder(!!p.outline);
    pi.paperSize(new P.PaperSize(P.PaperKind[p.paper]));
    pi.orientation(p.landscape ? P.PrintPageOrientation.landscape : P.PrintPageOrientation.portrait);
    if (p.fit_wide) { pi.fitPagesWide(1); pi.fitPagesTall(-1); } else if (p.zoom) pi.zoomFactor(p.zoom);
    pi.margin(p.margin);
    if (p.center_h) pi.centering(P.PrintCentering.horizontal);
    if (p.repeat) { pi.repeatRowStart(p.repeat[0]); pi.repeatRowEnd(p.repeat[1]); }
    if (p.first_page) pi.firstPageNumber(p.first_page);
    pi.useMax(true);
    pi.pageHeaderFooter({ normal: { header: p.header || {}, footer: p.footer || {} } });
    if (p.watermark) {
      const w = p.watermark;
      const cv = document.createElement('canvas');
      cv.width = w.w; cv.height = w.h;
      const g = cv.getContext('2d');
      g.translate(w.w / 2, w.h / 2);
      g.rotate(-w.angle * Math.PI / 180);
      g.font = w.font;
      g.fillStyle = w.color;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText(w.text, 0, 0);
      pi.watermark([{ x: w.x, y: w.y, width: w.w, height: w.h, imageSrc: cv.toDataURL('image/png'), page: 'all' }]);
    }
    s.printInfo(pi);
    const heights = [];
    for (let r = 0; r < s.getRowCount(); r++) heights.push(s.getRowHeight(r));
    info.push({ name: sj.name, heights });
  });
  spread.resumePaint();
  const data = await new Promise((res) => spread.savePDF((blob) => {
    const fr = new FileReader();
    fr.onload = () => res({ ok: fr.result });
    fr.readAsDataURL(blob);
  }, (e) => res({ err: String(e && (e.message || e.errorMessage) || JSON.stringify(e)) }), job.pdf_options));
  return { ...data, fallbacks, info, version: S.productInfo.productVersion };
}

async function main() {
  if (process.argv[2] === '--version') { console.log(version()); return; }
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const f of job.fonts) for (const k of Object.keys(f.files)) f.files[k] = fs.readFileSync(f.files[k]).toString('base64');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('http://localhost/**', (route) => route.fulfill({ contentType: 'text/html',
      body: '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="ss" style="width:1000px;height:700px"></div></body></html>' }));
    await page.goto('http://localhost/index.html');
    for (const f of SCRIPTS) await page.addScriptTag({ path: path.join(NM, f) });
    const res = await page.evaluate(build, job);
    if (!res.ok) throw new Error(`savePDF failed: ${res.err} ${errors.join('; ')}`);
    fs.writeFileSync(process.argv[3], Buffer.from(res.ok.split(',')[1], 'base64'));
    delete res.ok;
    res.errors = errors;
    fs.writeFileSync(process.argv[4], JSON.stringify(res));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
