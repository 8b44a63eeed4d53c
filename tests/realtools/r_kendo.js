// Kendo UI drawing driver for r_kendo.py: loads an HTML page in headless Chromium (playwright-core), with
// @progress/kendo-drawing's CDN bundle, and exports it with kendo.drawing.drawDOM + exportPDF, as the
// 'Export to PDF' button of a Kendo UI page does.  The page and its files (fonts, scripts) are served from a
// virtual origin (http://kendo.local/) by request routing, so the font loader's XHR works as on a web server.
//
//   node r_kendo.js job.json      -> writes job.out, prints a JSON report on stdout
//
// job: {modules, files: {name: path}, html (file name), mode: "dom"|"slides"|"shapes", draw: {drawDOM options},
//       template: {footer: dash|of|zh|zhN|null, header, watermark} | null, pdf: {exportPDF options}, defineFonts: {name: file} | null,
//       shapes: [[op, ...]] (mode shapes: page / text / line / rect), out}
"use strict";
const fs = require("fs");
const path = require("path");

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { chromium } = require(path.join(job.modules, "playwright-core"));

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "application/javascript", ".ttf": "font/ttf",
  ".otf": "font/otf", ".css": "text/css" };

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const logs = [];
  try {
    const page = await browser.newPage();
    page.on("console", (m) => logs.push(m.type() + ": " + m.text()));
    page.on("pageerror", (e) => logs.push("pageerror: " + e.message));
    await page.route("http://kendo.local/**", async (route) => {
      const name = decodeURIComponent(new URL(route.request().url()).pathname.slice(1));
      const file = job.files[name];
      if (!file) return route.fulfill({ status: 404, body: "" });
      await route.fulfill({ status: 200, headers: { "Content-Type": TYPES[path.extname(name)] || "application/octet-stream",
        "Access-Control-Allow-Origin": "*" }, body: fs.readFileSync(file) });
    });
    await page.goto("http://kendo.local/" + job.html, { waitUntil: "load", timeout: 120000 });
    await page.evaluate(() => document.fonts.ready);
    const res = await page.evaluate(async (job) => {
      const k = window.KendoDrawing;
      if (job.defineFonts) {
        const defs = {};
        for (const [name, file] of Object.entries(job.defineFonts)) defs[name] = "http://kendo.local/" + file;
        k.pdf.defineFont(defs);
      }
      const draw = Object.assign({}, job.draw);
      if (job.template) {
        const t = job.template;
        draw.template = (ctx) => {
          const n = ctx.pageNum, N = ctx.totalPages;
          const num = t.footer === "dash" ? `- ${n} -` : t.footer === "of" ? `${n} / ${N}` : t.footer === "zh" ?
            `第 ${n} 頁` : t.footer === "zhN" ? `第 ${n} 頁，共 ${N} 頁` : "";
          let h = "";
          if (t.header) h += `<div class="kh">${t.header}</div>`;
          if (num) h += `<div class="kf">${num}</div>`;
          if (t.watermark) h += `<div class="kw">${t.watermark}</div>`;
          return `<div class="kt">${h}</div>`;  // Kendo keeps only the first element of the string
        };
      }
      let group;
      const report = {};
      // cells whose text runs out of them sideways (a number or code with no break opportunity in a narrow
      // column prints over its neighbour): the author lets the browser break anywhere
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
      if (job.mode === "dom") {
        group = await k.drawDOM(document.getElementById("deck"), draw);
      } else if (job.mode === "slides") {
        // one drawDOM per slide, each group a page of a multi-page export
        group = new k.Group();
        const secs = document.querySelectorAll("section.slide");
        report.slides = [];
        for (const s of secs) {
          const o = Object.assign({}, draw);
          const one = await k.drawDOM(s, o);
          report.slides.push(one.children.length);
          if (draw.paperSize && one.children.length && one.children[0] instanceof k.Group && draw.forcePageBreak) {
            for (const c of one.children) group.append(c);
          } else {
            group.append(one);
          }
        }
      } else {
        // shapes: the pages built directly with drawing.Text / Path / Rect, one Group a page (pdf.paperSize)
        const g = k.geometry;
        group = new k.Group();
        let pg = null;
        for (const op of job.shapes) {
          if (op[0] === "page") {
            pg = new k.Group({ pdf: { paperSize: [op[1], op[2]], margin: 0 } });
            group.append(pg);
          } else if (op[0] === "text") {
            const [, x, y, s, font, color, angle, bx, by] = op;
            const t = new k.Text(s, new g.Point(x, y), { font: font, fill: { color: color } });
            if (angle) t.transform(g.transform().rotate(angle, new g.Point(bx, by)));
            pg.append(t);
          } else if (op[0] === "line") {
            const [, x0, y0, x1, y1, w, color] = op;
            pg.append(new k.Path({ stroke: { color: color, width: w } }).moveTo(x0, y0).lineTo(x1, y1));
          } else if (op[0] === "rect") {
            const [, x, y, w, h, fill, stroke, sw] = op;
            pg.append(new k.Rect(new g.Rect([x, y], [w, h]), {
              fill: { color: fill }, stroke: stroke ? { color: stroke, width: sw } : { width: 0 } }));
          }
        }
      }
      report.pages = group.children.length;
      const pdfOpts = Object.assign({}, job.pdf);
      const uri = await k.exportPDF(group, pdfOpts);
      report.uri = uri;
      return report;
    }, job);
    const b64 = res.uri.slice(res.uri.indexOf(",") + 1);
    fs.writeFileSync(job.out, Buffer.from(b64, "base64"));
    delete res.uri;
    res.logs = logs.slice(0, 30);
    process.stdout.write(JSON.stringify(res));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + "\n");
  process.exit(1);
});
