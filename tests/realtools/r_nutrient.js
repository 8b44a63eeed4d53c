// Nutrient (formerly PSPDFKit) Node.js SDK driver for r_nutrient.py: converts one Office file to PDF with the SDK's
// own Office engine (GdPicture .NET compiled to WebAssembly), in trial mode (no licence key).
//
//   node r_nutrient.js job.json
//
// job: {modules: folder holding node_modules/@nutrient-sdk/node, src: .pptx/.docx/.xlsx, out: .pdf,
//       fonts: [{name, path}] given to load() (none: the SDK's GdPictureBackupFont draws every character),
//       export: exportPDF() options (flatten, saveForPrinting, excludeAnnotations, incremental),
//       instant: Instant JSON applied at load (annotations, e.g. page footers as FreeText) or null,
//       report: where page sizes and counts are written}
'use strict';
const fs = require('fs');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { load } = require(require.resolve('@nutrient-sdk/node', { paths: [job.modules] }));

async function main() {
  const opts = { document: fs.readFileSync(job.src) };
  if (job.fonts && job.fonts.length) {
    opts.fonts = job.fonts.map((f) => ({ name: f.name, data: fs.readFileSync(f.path) }));
  }
  let inst = await load(opts);
  const report = { pages: [] };
  const info = inst.getDocumentInfo();
  report.page_count = info && info.pageCount;
  if (job.instant_pass) {
    // page furniture as annotations: the converted PDF loaded again with Instant JSON built from its page sizes
    const first = Buffer.from(await inst.exportPDF({}));
    const pages = await inst.getAllPageInfos();
    await inst.close();
    const sizes = (pages || []).map((p) => ({ w: p.width, h: p.height }));
    const instant = build_instant(job.instant_pass, sizes);
    inst = await load({ ...(opts.fonts ? { fonts: opts.fonts } : {}), document: first, instantJSON: instant });
    report.annotations = instant.annotations.length;
  }
  const pages = await inst.getAllPageInfos();
  report.pages = (pages || []).map((p) => [p.width, p.height]);
  const buf = await inst.exportPDF(job.export || {});
  fs.writeFileSync(job.out, Buffer.from(buf));
  await inst.close();
  fs.writeFileSync(job.report, JSON.stringify(report));
}

function build_instant(spec, sizes) {
  // spec: {footer: '- {n} -' | '{n} / {N}' | '第 {n} 頁' | null, from: first page numbered (1-based), font, size,
  //        align: 'center'|'right', watermark: text or null, wm_opacity}
  const anns = [];
  const N = sizes.length;
  sizes.forEach((s, i) => {
    const n = i + 1;
    if (spec.footer && n >= spec.from) {
      const text = spec.footer.replace('{n}', String(n)).replace('{N}', String(N));
      const w = 140;
      const x = spec.align === 'right' ? s.w - w - 24 : (s.w - w) / 2;
      anns.push({
        v: 2, type: 'pspdfkit/text', id: `foot${n}`, name: `foot${n}`, pageIndex: i,
        bbox: [x, s.h - 24, w, 16], opacity: 1, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z',
        text: { format: 'plain', value: text }, fontColor: '#404040', font: spec.font || 'Helvetica',
        fontSize: spec.size || 9, horizontalAlign: spec.align === 'right' ? 'right' : 'center', verticalAlign: 'center',
      });
    }
  });
  return { format: 'https://pspdfkit.com/instant-json/v1', annotations: anns };
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
