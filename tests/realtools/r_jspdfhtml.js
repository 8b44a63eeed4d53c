// jsPDF .html() driver for r_jspdfhtml.py: loads an HTML page of the deck in headless Chromium (playwright-core),
// with jsPDF's and html2canvas's UMD bundles, and exports it with `doc.html(element, options)` as the 'download as
// PDF' button of a web back-office does: html2canvas walks the browser's layout and paints it into jsPDF's
// context2d, which writes real text (fillText) and rules.  The page, the bundles and the font are served from a
// virtual origin (http://jspdf.local/) by request routing.
//
//   node r_jspdfhtml.js job.json      -> writes job.out, prints a JSON report on stdout
//
// job: {modules, files: {name: path}, html, out, mode: "slides"|"doc", format: [w, h] (pt), orientation,
//       width (pt), windowWidth (px), margin: [t, r, b, l], autoPaging: "text"|"slice"|false,
//       footer: dash|of|zh|null, watermark: str|null, bold: bool, props: {title, author}|null}
"use strict";
const fs = require("fs");
const path = require("path");

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { chromium } = require(path.join(job.modules, "playwright-core"));

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "application/javascript", ".ttf": "font/ttf" };

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const logs = [];
  try {
    const page = await browser.newPage({ viewport: { width: Math.ceil(job.windowWidth) + 40, height: 900 } });
    page.on("console", (m) => { if (logs.length < 200) logs.push(m.type() + ": " + m.text()); });
    page.on("pageerror", (e) => logs.push("pageerror: " + e.message));
    await page.route("http://jspdf.local/**", async (route) => {
      const name = decodeURIComponent(new URL(route.request().url()).pathname.slice(1));
      const file = job.files[name];
      if (!file) return route.fulfill({ status: 404, body: "" });
      await route.fulfill({ status: 200, headers: { "Content-Type": TYPES[path.extname(name)] ||
        "application/octet-stream", "Access-Control-Allow-Origin": "*" }, body: fs.readFileSync(file) });
    });
    await page.goto("http://jspdf.local/" + job.html, { waitUntil: "load", timeout: 120000 });
    await page.evaluate(() => document.fonts.ready);
    const res = await page.evaluate(async (job) => {
      const { jsPDF } = window.jspdf;
      const report = {};
      const buf = new Uint8Array(await (await fetch("face.ttf")).arrayBuffer());
      let bin = "";
      for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
      const b64 = btoa(bin);
      const doc = new jsPDF({ unit: "pt", format: job.format, orientation: job.orientation });
      doc.addFileToVFS("face.ttf", b64);
      doc.addFont("face.ttf", "DeckFace", "normal", "Identity-H");
      if (job.bold) doc.addFont("face.ttf", "DeckFace", "bold", "Identity-H");
      doc.setFont("DeckFace", "normal");
      if (job.props) doc.setProperties(job.props);
      // cells whose text runs out of them sideways: the author lets the browser break anywhere
      const spill = () => [...document.querySelectorAll("td, th")].filter(
        (c) => !c.querySelector(".trot") && c.scrollWidth > c.clientWidth + 1).length;
      report.cell_spill = spill();
      if (report.cell_spill) {
        const st = document.createElement("style");
        st.textContent = "td, th { overflow-wrap: anywhere }";
        document.head.appendChild(st);
        report.wrap_fallback = true;
        report.cell_spill = spill();
      }
      report.overflow = [...document.querySelectorAll("section.slide")].filter(
        (s) => s.scrollHeight > s.clientHeight + 1).length;
      const opts = (extra) => Object.assign({ x: 0, y: 0, width: job.width, windowWidth: job.windowWidth,
        margin: job.margin, autoPaging: job.autoPaging, html2canvas: { logging: false } }, extra);
      const render = (el, o) => new Promise((resolve, reject) => {
        try { doc.html(el, Object.assign(o, { callback: () => resolve() })); } catch (e) { reject(e); }
      });
      const ph = doc.internal.pageSize.getHeight();
      if (job.mode === "slides") {
        // one element a page: the page added first, the element drawn at the top of it (without autoPaging
        // context2d draws on the current page at y)
        const secs = [...document.querySelectorAll("#deck > section")];
        for (let i = 0; i < secs.length; i++) {
          if (i) doc.addPage(job.format, job.orientation);
          await render(secs[i], opts({}));
        }
      } else {
        // context2d cuts the drawing at the page foot wherever it falls (html2canvas knows no page breaks), so a
        // KPI row would be printed half on one page, half on the next: as authors of such pages do, a spacer
        // row is put before every row (and title) that would cross a page foot, pushing it to the next page
        // (covering rowspan cells grown by one; the spacer fills the columns they leave free)
        const deck = document.getElementById("deck");
        const k = job.width / job.windowWidth;
        const H = (ph - job.margin[0] - job.margin[2]) / k;
        const top = () => deck.getBoundingClientRect().top;
        report.spacers = job.spacers === false ? null : 0;
        const crosses = (el) => {
          const r = el.getBoundingClientRect(), t = r.top - top(), b = r.bottom - top() - 0.5;
          return r.height < H && Math.floor(t / H) !== Math.floor(b / H) ? (Math.floor(t / H) + 1) * H - t : 0;
        };
        for (const h1 of job.spacers === false ? [] : deck.querySelectorAll("h1")) {
          const tb = h1.nextElementSibling;  // a title is kept with its head row and first row
          const probe = tb && tb.tagName === "TABLE" ? tb.querySelector("tbody tr") : null;
          const r = h1.getBoundingClientRect(), t = r.top - top();
          const b = (probe ? probe.getBoundingClientRect().bottom : r.bottom) - top() - 0.5;
          if (b - t < H && Math.floor(t / H) !== Math.floor(b / H)) {
            h1.style.marginTop = ((Math.floor(t / H) + 1) * H - t + 2) + "px";
            report.spacers++;
          }
        }
        for (const table of job.spacers === false ? [] : deck.querySelectorAll("table")) {
          const rows = [...table.tBodies[0].rows];
          const ncols = [...table.tHead.rows[0].cells].reduce((a, c) => a + c.colSpan, 0);
          const span0 = new Map();  // the spans as written, before spacers grew them
          rows.forEach((tr) => { for (const c of tr.cells) span0.set(c, c.rowSpan); });
          for (let i = 1; i < rows.length; i++) {
            const gap = crosses(rows[i]);
            if (!gap) continue;
            const cover = [];
            for (let j = 0; j < i; j++) {
              for (const c of rows[j].cells) if (j + span0.get(c) > i) cover.push(c);
            }
            const sp = document.createElement("tr");
            sp.className = "spacer";
            const td = document.createElement("td");
            td.colSpan = ncols - cover.reduce((a, c) => a + c.colSpan, 0);
            td.style.cssText = "height:" + (gap + 2) + "px;padding:0;border:none;background:none";
            sp.appendChild(td);
            rows[i].parentNode.insertBefore(sp, rows[i]);
            for (const c of cover) c.rowSpan += 1;
            report.spacers++;
          }
        }
        await render(deck, opts({}));
      }
      if (job.want && job.autoPaging === "slice") {
        // slides cut by auto-paging: the last slide ends on the page foot and context2d opens one more page, blank
        report.deleted = 0;
        while (doc.internal.getNumberOfPages() > job.want) {
          doc.deletePage(doc.internal.getNumberOfPages());
          report.deleted++;
        }
      }
      const n = doc.internal.getNumberOfPages();
      report.pages = n;
      const pw = doc.internal.pageSize.getWidth();
      for (let i = 1; i <= n; i++) {
        doc.setPage(i);
        if (job.watermark) {
          doc.saveGraphicsState();
          doc.setGState(new doc.GState({ opacity: 0.18 }));
          doc.setFont("DeckFace", "normal");
          doc.setFontSize(60);
          doc.setTextColor(200, 80, 80);
          doc.text(job.watermark, pw * 0.3, ph * 0.62, { angle: 30 });
          doc.restoreGraphicsState();
        }
        if (job.footer) {
          const s = job.footer === "dash" ? `- ${i} -` : job.footer === "of" ? `${i} / ${n}` : `第 ${i} 頁`;
          doc.setFont("DeckFace", "normal");
          doc.setFontSize(9);
          doc.setTextColor(60, 60, 60);
          doc.text(s, job.footer === "of" ? pw - 24 : pw / 2, ph - 10, { align: job.footer === "of" ? "right" :
            "center" });
        }
      }
      const out = doc.output("datauristring");
      report.b64 = out.slice(out.indexOf(",") + 1);
      return report;
    }, job);
    fs.writeFileSync(job.out, Buffer.from(res.b64, "base64"));
    delete res.b64;
    res.logs = logs.slice(0, 30);
    process.stdout.write(JSON.stringify(res));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + "\n");
  process.exit(1);
});
