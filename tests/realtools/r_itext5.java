// Draws one deck written by r_itext5.py with iText 5 (com.itextpdf, Debian's libitext5-java), the way Java report
// code of the 2010s does:
//     java -cp itext5.jar:itext5-xmlworker.jar:CLASSES IText5Deck job.json
// job: {page, margins, fonts, compression, tagged, info, ops, event, out, report}.  `ops` is the document in order:
// new pages, paragraphs, absolute text and rectangles, PdfPTable tables (cells with borders per side or drawn by a
// PdfPCellEvent, fills, rowspan/colspan, setRotation, padding, leading; header rows, footer rows, skipFirstHeader,
// skipLastFooter, a PdfPTableEvent for zebra stripes) added to the document, which paginates them, placed by a
// ColumnText or written at a fixed place by writeSelectedRows, and HTML tables parsed by XMLWorker into PdfPTables
// (then added like the others).  A page event draws the running titles, footers ('n / N' through a PdfTemplate
// filled in onCloseDocument) and the watermark; footers may instead be stamped afterwards (PdfReader +
// PdfStamper).  The report gives the pages every tagged cell was drawn on (a cell event), the page of every keyed
// paragraph, the first and last page of every table and whether a placed table overflowed.
import com.itextpdf.text.Chunk;
import com.itextpdf.text.Document;
import com.itextpdf.text.Element;
import com.itextpdf.text.Font;
import com.itextpdf.text.Paragraph;
import com.itextpdf.text.Phrase;
import com.itextpdf.text.Rectangle;
import com.itextpdf.text.pdf.BaseFont;
import com.itextpdf.text.pdf.ColumnText;
import com.itextpdf.text.pdf.FontSelector;
import com.itextpdf.text.pdf.PdfContentByte;
import com.itextpdf.text.pdf.PdfGState;
import com.itextpdf.text.pdf.PdfPCell;
import com.itextpdf.text.pdf.PdfPTable;
import com.itextpdf.text.pdf.PdfPageEventHelper;
import com.itextpdf.text.pdf.PdfReader;
import com.itextpdf.text.pdf.PdfStamper;
import com.itextpdf.text.pdf.PdfStream;
import com.itextpdf.text.pdf.PdfTemplate;
import com.itextpdf.text.pdf.PdfWriter;
import com.itextpdf.text.BaseColor;
import com.itextpdf.text.pdf.PdfPCellEvent;
import com.itextpdf.text.pdf.PdfPRow;
import com.itextpdf.tool.xml.ElementList;
import com.itextpdf.tool.xml.XMLWorker;
import com.itextpdf.tool.xml.XMLWorkerFontProvider;
import com.itextpdf.tool.xml.XMLWorkerHelper;
import com.itextpdf.tool.xml.css.CssFile;
import com.itextpdf.tool.xml.css.StyleAttrCSSResolver;
import com.itextpdf.tool.xml.html.CssAppliersImpl;
import com.itextpdf.tool.xml.html.Tags;
import com.itextpdf.tool.xml.parser.XMLParser;
import com.itextpdf.tool.xml.pipeline.css.CssResolverPipeline;
import com.itextpdf.tool.xml.pipeline.end.ElementHandlerPipeline;
import com.itextpdf.tool.xml.pipeline.html.HtmlPipeline;
import com.itextpdf.tool.xml.pipeline.html.HtmlPipelineContext;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

class IText5Deck {

    static BaseColor color(Object o, BaseColor dflt) {
        if (o == null) {
            return dflt;
        }
        List<Object> c = Json.list(o);
        return new BaseColor(((Number) c.get(0)).intValue(), ((Number) c.get(1)).intValue(), ((Number) c.get(2)).intValue());
    }

    static int align(String a) {
        return switch (a == null ? "left" : a) {
            case "center" -> Element.ALIGN_CENTER;
            case "right" -> Element.ALIGN_RIGHT;
            case "justified" -> Element.ALIGN_JUSTIFIED;
            case "middle" -> Element.ALIGN_MIDDLE;
            case "top" -> Element.ALIGN_TOP;
            case "bottom" -> Element.ALIGN_BOTTOM;
            default -> Element.ALIGN_LEFT;
        };
    }

    // --- the deck -------------------------------------------------------------------------------------------

    final Map<String, Object> job;
    final Document doc;
    final PdfWriter writer;
    final BaseFont cjk;
    final BaseFont latin;
    final float pageW;
    final float pageH;
    final Map<String, TreeSet<Integer>> rows = new LinkedHashMap<>();
    final Map<String, Integer> paras = new LinkedHashMap<>();
    final Map<String, Integer> drawn = new LinkedHashMap<>();
    final List<Object> tables = new ArrayList<>();

    IText5Deck(Map<String, Object> job, String out) throws Exception {
        this.job = job;
        List<Object> page = Json.list(job.get("page"));
        pageW = ((Number) page.get(0)).floatValue();
        pageH = ((Number) page.get(1)).floatValue();
        List<Object> m = Json.list(job.get("margins"));
        doc = new Document(new Rectangle(pageW, pageH), Json.f(m.get(0)), Json.f(m.get(1)), Json.f(m.get(2)),
                Json.f(m.get(3)));
        writer = PdfWriter.getInstance(doc, new FileOutputStream(out));
        String compression = Json.str(job, "compression", "default");
        if (compression.equals("none")) {
            writer.setCompressionLevel(PdfStream.NO_COMPRESSION);
        } else if (compression.equals("full")) {
            writer.setFullCompression();
        }
        Map<String, Object> fonts = Json.obj(job.get("fonts"));
        if (Json.flag(job, "tagged")) {
            writer.setTagged(); // a tagged (accessible) PDF: marked content and a structure tree
        }
        cjk = BaseFont.createFont((String) fonts.get("cjk"), BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
        if (Boolean.FALSE.equals(fonts.get("subset"))) {
            cjk.setSubset(false);
        }
        String lat = (String) fonts.get("latin");
        latin = lat == null ? null : BaseFont.createFont(lat, BaseFont.WINANSI, BaseFont.NOT_EMBEDDED);
        Map<String, Object> info = Json.obj(job.get("info"));
        doc.addTitle(Json.str(info, "title", ""));
        doc.addAuthor(Json.str(info, "author", ""));
        if (info.get("creator") != null) {
            doc.addCreator((String) info.get("creator"));
        }
        Map<String, Object> event = Json.obj(job.get("event"));
        writer.setPageEvent(new Furniture(event));
    }

    /** The text as a phrase: one CJK font, or a FontSelector trying the Latin font first. */
    Phrase phrase(String s, float size, boolean bold, BaseColor color) {
        int style = bold ? Font.BOLD : Font.NORMAL;
        Font fc = new Font(cjk, size, style, color);
        if (latin == null) {
            return new Phrase(s, fc);
        }
        FontSelector sel = new FontSelector();
        sel.addFont(new Font(latin, size, style, color));
        sel.addFont(fc);
        return sel.process(s);
    }

    Phrase phrase(Map<String, Object> t) {
        return phrase(Json.str(t, "s", ""), Json.num(t, "size", 10), Json.flag(t, "bold"),
                color(t.get("color"), BaseColor.BLACK));
    }

    // --- furniture: running title, footer, watermark --------------------------------------------------------

    final class Furniture extends PdfPageEventHelper {
        final Map<String, Object> ev;
        PdfTemplate total;

        Furniture(Map<String, Object> ev) {
            this.ev = ev;
        }

        @Override
        public void onOpenDocument(PdfWriter w, Document d) {
            Map<String, Object> ft = Json.obj(ev.get("footer"));
            if (ft != null && Json.flag(ft, "template")) {
                total = w.getDirectContent().createTemplate(40, 12);
            }
        }

        @Override
        public void onEndPage(PdfWriter w, Document d) {
            int n = w.getPageNumber();
            Map<String, Object> titles = Json.obj(ev.get("titles"));
            if (titles != null && titles.get(String.valueOf(n)) != null) {
                for (Object op : Json.list(titles.get(String.valueOf(n)))) {
                    absolute(w.getDirectContent(), Json.obj(op));
                }
            }
            Map<String, Object> ft = Json.obj(ev.get("footer"));
            if (ft != null && Json.str(ft, "mode", "event").equals("event")
                    && !Json.list(ft.get("skip")).contains((double) n)) {
                footer(w.getDirectContent(), ft, n, total);
            }
            Map<String, Object> wm = Json.obj(ev.get("watermark"));
            if (wm != null && !Json.str(wm, "layer", "over").equals("stamper")) {
                boolean under = Json.str(wm, "layer", "over").equals("under");
                watermark(under ? w.getDirectContentUnder() : w.getDirectContent(), wm);
            }
        }

        @Override
        public void onGenericTag(PdfWriter w, Document d, Rectangle rect, String text) {
            if (text.startsWith("para ")) {
                drawn.putIfAbsent(text.substring(5), w.getPageNumber());
            }
        }

        @Override
        public void onCloseDocument(PdfWriter w, Document d) {
            if (total != null) {
                Map<String, Object> ft = Json.obj(ev.get("footer"));
                total.beginText();
                total.setFontAndSize(cjk, Json.num(ft, "size", 7));
                total.setColorFill(color(ft.get("color"), BaseColor.GRAY));
                total.setTextMatrix(0, 2);
                total.showText(String.valueOf(w.getPageNumber() - 1));
                total.endText();
            }
        }
    }

    /** Footer: a rule, the org at the left, the page number at the right ('{n}', '{N}' in the format). */
    void footer(PdfContentByte cb, Map<String, Object> ft, int n, PdfTemplate total) {
        float y = Json.num(ft, "y", 16);
        float x0 = Json.num(ft, "x0", 30);
        float x1 = Json.num(ft, "x1", pageW - 30);
        BaseColor c = color(ft.get("color"), BaseColor.GRAY);
        float size = Json.num(ft, "size", 7);
        cb.saveState();
        cb.setColorStroke(color(ft.get("rule_color"), BaseColor.LIGHT_GRAY));
        cb.setLineWidth(Json.num(ft, "rule_width", 0.5));
        cb.moveTo(x0, y + 10);
        cb.lineTo(x1, y + 10);
        cb.stroke();
        cb.restoreState();
        ColumnText.showTextAligned(cb, Element.ALIGN_LEFT, phrase(Json.str(ft, "left", ""), size, false, c), x0, y, 0);
        String fmt = Json.str(ft, "format", "- {n} -");
        if (total != null) {
            // 'n / ' as text, the total as a template filled when the document closes
            String head = fmt.substring(0, fmt.indexOf("{N}")).replace("{n}", String.valueOf(n));
            float slot = Json.num(ft, "slot", 12);
            float w = cjk.getWidthPoint(head, size);
            ColumnText.showTextAligned(cb, Element.ALIGN_LEFT, phrase(head, size, false, c), x1 - slot - w, y, 0);
            cb.addTemplate(total, x1 - slot, y - 2);
        } else {
            String s = fmt.replace("{n}", String.valueOf(n))
                    .replace("{N}", String.valueOf((int) Json.num(ft, "pages", 0)));
            ColumnText.showTextAligned(cb, Element.ALIGN_RIGHT, phrase(s, size, false, c), x1, y, 0);
        }
    }

    void watermark(PdfContentByte cb, Map<String, Object> wm) {
        cb.saveState();
        PdfGState gs = new PdfGState();
        gs.setFillOpacity(Json.num(wm, "opacity", 0.2));
        cb.setGState(gs);
        Phrase p = phrase(Json.str(wm, "s", ""), Json.num(wm, "size", 60), false,
                color(wm.get("color"), BaseColor.RED));
        ColumnText.showTextAligned(cb, Element.ALIGN_CENTER, p, pageW / 2, pageH / 2, Json.num(wm, "angle", 30));
        cb.restoreState();
    }

    /** Absolute text or a rectangle, y measured from the top of the page. */
    void absolute(PdfContentByte cb, Map<String, Object> op) {
        if (Json.str(op, "t", "text").equals("rect")) {
            float x = Json.num(op, "x", 0);
            float y = pageH - Json.num(op, "y", 0) - Json.num(op, "h", 0);
            cb.saveState();
            if (op.get("fill") != null) {
                cb.setColorFill(color(op.get("fill"), BaseColor.WHITE));
            }
            if (op.get("stroke") != null) {
                cb.setColorStroke(color(op.get("stroke"), BaseColor.BLACK));
                cb.setLineWidth(Json.num(op, "lw", 1));
            }
            cb.rectangle(x, y, Json.num(op, "w", 0), Json.num(op, "h", 0));
            if (op.get("fill") != null && op.get("stroke") != null) {
                cb.fillStroke();
            } else if (op.get("fill") != null) {
                cb.fill();
            } else {
                cb.stroke();
            }
            cb.restoreState();
            return;
        }
        ColumnText.showTextAligned(cb, align(Json.str(op, "align", "left")), phrase(op), Json.num(op, "x", 0),
                pageH - Json.num(op, "y", 0), Json.num(op, "angle", 0));
    }

    // --- tables ---------------------------------------------------------------------------------------------

    PdfPCell cell(Map<String, Object> c) {
        float size = Json.num(c, "size", 10);
        Phrase p = phrase(Json.str(c, "s", ""), size, Json.flag(c, "bold"), color(c.get("color"), BaseColor.BLACK));
        PdfPCell cell;
        List<Object> lead = Json.list(c.get("lead"));
        if (Json.str(c, "mode", "text").equals("composite")) {
            // composite mode: the cell holds a paragraph; its alignment and leading are the paragraph's
            Paragraph para = new Paragraph(p);
            para.setAlignment(align(Json.str(c, "ha", "left")));
            if (!lead.isEmpty()) {
                para.setLeading(Json.f(lead.get(0)), Json.f(lead.get(1)));
            }
            cell = new PdfPCell();
            cell.addElement(para);
        } else {
            cell = new PdfPCell(p);
            cell.setHorizontalAlignment(align(Json.str(c, "ha", "left")));
            if (!lead.isEmpty()) {
                cell.setLeading(Json.f(lead.get(0)), Json.f(lead.get(1)));
            }
        }
        cell.setVerticalAlignment(align(Json.str(c, "va", "top")));
        List<Object> pad = Json.list(c.get("pad"));
        if (!pad.isEmpty()) {
            cell.setPaddingLeft(Json.f(pad.get(0)));
            cell.setPaddingRight(Json.f(pad.get(1)));
            cell.setPaddingTop(Json.f(pad.get(2)));
            cell.setPaddingBottom(Json.f(pad.get(3)));
        }
        cell.setUseAscender(Json.flag(c, "asc"));
        cell.setUseDescender(Json.flag(c, "asc"));
        cell.setBorder(((Number) c.getOrDefault("border", 15.0)).intValue());
        Object bw = c.get("bw");
        if (bw instanceof List<?> w) { // top, bottom, left, right
            cell.setBorderWidthTop(Json.f(w.get(0)));
            cell.setBorderWidthBottom(Json.f(w.get(1)));
            cell.setBorderWidthLeft(Json.f(w.get(2)));
            cell.setBorderWidthRight(Json.f(w.get(3)));
        } else if (bw != null) {
            cell.setBorderWidth(Json.f(bw));
        }
        if (c.get("bc") != null) {
            cell.setBorderColor(color(c.get("bc"), BaseColor.BLACK));
        }
        cell.setUseVariableBorders(Json.flag(c, "variable"));
        if (c.get("bg") != null) {
            cell.setBackgroundColor(color(c.get("bg"), BaseColor.WHITE));
        }
        cell.setColspan((int) Json.num(c, "colspan", 1));
        cell.setRowspan((int) Json.num(c, "rowspan", 1));
        if (c.get("rot") != null) {
            cell.setRotation((int) Json.num(c, "rot", 0));
        }
        if (c.get("min_h") != null) {
            cell.setMinimumHeight(Json.num(c, "min_h", 0));
        }
        if (c.get("ev") != null) {
            cell.setCellEvent(borderEvent(Json.obj(c.get("ev"))));
        }
        cell.setNoWrap(Json.flag(c, "nowrap"));
        String tag = Json.str(c, "tag", null);
        if (tag != null) {
            cell.setCellEvent((pc, pos, canvases) -> rows.computeIfAbsent(tag, k -> new TreeSet<>())
                    .add(writer.getPageNumber()));
        }
        return cell;
    }

    PdfPTable table(Map<String, Object> t) throws Exception {
        List<Object> ws = Json.list(t.get("widths"));
        float[] widths = new float[ws.size()];
        for (int k = 0; k < widths.length; k++) {
            widths[k] = Json.f(ws.get(k));
        }
        PdfPTable table = new PdfPTable(widths);
        if (t.get("total") != null) {
            table.setTotalWidth(Json.num(t, "total", 0));
            table.setLockedWidth(true);
        } else {
            table.setWidthPercentage(Json.num(t, "pct", 100));
        }
        table.setHorizontalAlignment(align(Json.str(t, "align", "center")));
        table.setHeaderRows((int) Json.num(t, "header_rows", 0));
        table.setSplitLate(!Boolean.FALSE.equals(t.get("split_late")));
        table.setSplitRows(!Boolean.FALSE.equals(t.get("split_rows")));
        table.setKeepTogether(Json.flag(t, "keep_together"));
        table.setFooterRows((int) Json.num(t, "footer_rows", 0));
        table.setSkipFirstHeader(Json.flag(t, "skip_first_header"));
        table.setSkipLastFooter(Json.flag(t, "skip_last_footer"));
        table.setSpacingBefore(Json.num(t, "before", 0));
        table.setSpacingAfter(Json.num(t, "after", 0));
        for (Object c : Json.list(t.get("cells"))) {
            table.addCell(cell(Json.obj(c)));
        }
        Map<String, Object> zebra = Json.obj(t.get("zebra"));
        if (zebra != null) {
            table.setTableEvent(zebra(color(zebra.get("fill"), BaseColor.LIGHT_GRAY)));
        }
        return table;
    }

    /** The AlternatingBackground table event of "iText in Action" (chapter 5) as Java code copies it: every other
     * row from the second after the header rows up to the footer rows, counted by what the table declares
     * (getHeaderRows, getFooterRows), not by the rows drawn on the page, so the stripes shift on a page where the
     * header is skipped (skipFirstHeader) and the last row goes unstriped where the footer is (skipLastFooter). */
    static com.itextpdf.text.pdf.PdfPTableEvent zebra(BaseColor fill) {
        return (table, widths, heights, headerRows, rowStart, canvases) -> {
            int footer = widths.length - table.getFooterRows();
            int header = table.getHeaderRows() - table.getFooterRows() + 1;
            for (int row = header; row < footer; row += 2) {
                int columns = widths[row].length - 1;
                Rectangle rect = new Rectangle(widths[row][0], heights[row], widths[row][columns], heights[row + 1]);
                rect.setBackgroundColor(fill);
                rect.setBorder(Rectangle.NO_BORDER);
                canvases[PdfPTable.BASECANVAS].rectangle(rect);
            }
        };
    }

    /** Borders drawn by a PdfPCellEvent on the line canvas: dotted or dashed rules, or a double rule. */
    static PdfPCellEvent borderEvent(Map<String, Object> ev) {
        List<Object> sides = Json.list(ev.get("sides"));
        List<Object> dash = Json.list(ev.get("dash"));
        float w = Json.num(ev, "w", 0.5);
        BaseColor c = color(ev.get("color"), BaseColor.BLACK);
        boolean dbl = Json.flag(ev, "double");
        return (cell, pos, canvases) -> {
            PdfContentByte cb = canvases[PdfPTable.LINECANVAS];
            cb.saveState();
            cb.setLineWidth(w);
            cb.setColorStroke(c);
            if (!dash.isEmpty()) {
                cb.setLineDash(Json.f(dash.get(0)), Json.f(dash.get(1)), 0);
            }
            for (Object side : sides) {
                switch ((String) side) {
                    case "top" -> line(cb, pos.getLeft(), pos.getTop(), pos.getRight(), pos.getTop(), dbl ? 2f : 0);
                    case "bottom" -> line(cb, pos.getLeft(), pos.getBottom(), pos.getRight(), pos.getBottom(),
                            dbl ? 2f : 0);
                    case "box" -> cb.rectangle(pos.getLeft(), pos.getBottom(), pos.getWidth(), pos.getHeight());
                    default -> { }
                }
            }
            cb.stroke();
            cb.restoreState();
        };
    }

    static void line(PdfContentByte cb, float x0, float y0, float x1, float y1, float gap) {
        cb.moveTo(x0, y0);
        cb.lineTo(x1, y1);
        if (gap > 0) {
            cb.moveTo(x0, y0 + gap);
            cb.lineTo(x1, y1 + gap);
        }
    }

    // --- XMLWorker -------------------------------------------------------------------------------------------

    XMLWorkerFontProvider fontProvider;

    /** An HTML fragment (and its CSS) parsed by XMLWorker into iText elements, as XMLWorkerHelper.parseXHtml does,
     * but collected in an ElementList so the tables can be given the report's cell events before being added. */
    List<Element> html(Map<String, Object> op) throws Exception {
        if (fontProvider == null) {
            Map<String, Object> fonts = Json.obj(job.get("fonts"));
            fontProvider = new XMLWorkerFontProvider(XMLWorkerFontProvider.DONTLOOKFORFONTS);
            fontProvider.register((String) fonts.get("cjk"), "cjk");
            fontProvider.setUseUnicode(true);
        }
        StyleAttrCSSResolver css = new StyleAttrCSSResolver();
        CssFile file = XMLWorkerHelper.getCSS(
                new ByteArrayInputStream(Json.str(op, "css", "").getBytes(StandardCharsets.UTF_8)));
        css.addCss(file);
        HtmlPipelineContext ctx = new HtmlPipelineContext(new CssAppliersImpl(fontProvider));
        ctx.setTagFactory(Tags.getHtmlTagProcessorFactory());
        ElementList elements = new ElementList();
        CssResolverPipeline pipeline = new CssResolverPipeline(css, new HtmlPipeline(ctx, new ElementHandlerPipeline(elements, null)));
        XMLParser parser = new XMLParser(new XMLWorker(pipeline, true), StandardCharsets.UTF_8);
        parser.parse(new ByteArrayInputStream(Json.str(op, "html", "").getBytes(StandardCharsets.UTF_8)));
        List<Object> tags = Json.list(op.get("tags"));
        List<Element> out = new ArrayList<>();
        for (Element e : elements) {
            if (e instanceof PdfPTable table) {
                // the cells in document order (a rowspan cell in its first row, covered places null) get the tags
                // the HTML's cells had, in the same order
                int k = 0;
                for (PdfPRow row : table.getRows()) {
                    for (PdfPCell cell : row.getCells()) {
                        if (cell == null) {
                            continue;
                        }
                        Object tag = k < tags.size() ? tags.get(k) : null;
                        k++;
                        if (tag != null) {
                            String tg = (String) tag;
                            cell.setCellEvent((pc, pos, canvases) -> rows.computeIfAbsent(tg, x -> new TreeSet<>())
                                    .add(writer.getPageNumber()));
                        }
                    }
                }
                Map<String, Object> zebra = Json.obj(op.get("zebra"));
                if (zebra != null) {
                    table.setTableEvent(zebra(color(zebra.get("fill"), BaseColor.LIGHT_GRAY)));
                }
                if (op.get("split_late") != null) {
                    table.setSplitLate(Json.flag(op, "split_late"));
                }
            }
            out.add(e);
        }
        return out;
    }

    // --- the document ---------------------------------------------------------------------------------------

    void run() throws Exception {
        doc.open();
        for (Object o : Json.list(job.get("ops"))) {
            Map<String, Object> op = Json.obj(o);
            switch (Json.str(op, "t", "")) {
                case "page" -> doc.newPage();
                case "para" -> {
                    Paragraph p = new Paragraph(phrase(op));
                    if (op.get("key") != null) {
                        // the page the paragraph is drawn on (a generic tag), which getPageNumber() after add()
                        // is not when the space after it pushes iText to a new page
                        for (Chunk ch : p.getChunks()) {
                            ch.setGenericTag("para " + op.get("key"));
                        }
                    }
                    p.setAlignment(align(Json.str(op, "align", "left")));
                    p.setSpacingBefore(Json.num(op, "before", 0));
                    p.setSpacingAfter(Json.num(op, "after", 0));
                    p.setIndentationLeft(Json.num(op, "indent", 0));
                    if (op.get("lead") != null) {
                        p.setLeading(Json.num(op, "lead", 0));
                    }
                    doc.add(p);
                    if (op.get("key") != null) {
                        paras.put((String) op.get("key"), writer.getPageNumber());
                    }
                }
                case "text", "rect" -> {
                    writer.setPageEmpty(false);
                    absolute(writer.getDirectContent(), op);
                }
                case "html" -> {
                    Map<String, Object> rep = new LinkedHashMap<>();
                    rep.put("key", op.get("key"));
                    rep.put("start", writer.getPageNumber());
                    for (Element e : html(op)) {
                        doc.add(e);
                    }
                    rep.put("end", writer.getPageNumber());
                    tables.add(rep);
                }
                case "table" -> {
                    PdfPTable table = table(Json.obj(op.get("table")));
                    Map<String, Object> rep = new LinkedHashMap<>();
                    rep.put("key", op.get("key"));
                    rep.put("start", writer.getPageNumber());
                    Map<String, Object> at = Json.obj(op.get("at"));
                    if (at != null) {
                        // placed at a fixed spot: by writeSelectedRows (as far down as it goes; it draws a rowspan
                        // cell as tall as its first row), or by a ColumnText in a rectangle (what does not fit
                        // stays behind)
                        float x = Json.num(at, "x", 0);
                        float top = pageH - Json.num(at, "y", 0);
                        float bottom = Json.num(at, "bottom", 0);
                        if (Json.str(at, "by", "rows").equals("rows")) {
                            float h = table.getTotalHeight();
                            rep.put("overflow", top - h < bottom);
                            table.writeSelectedRows(0, -1, x, top, writer.getDirectContent());
                        } else {
                            ColumnText ct = new ColumnText(writer.getDirectContent());
                            ct.setSimpleColumn(x, bottom, pageW - x, top);
                            ct.addElement(table);
                            rep.put("overflow", ColumnText.hasMoreText(ct.go()));
                        }
                        writer.setPageEmpty(false);
                    } else {
                        doc.add(table);
                    }
                    rep.put("end", writer.getPageNumber());
                    tables.add(rep);
                }
                default -> throw new IllegalArgumentException("unknown op " + op.get("t"));
            }
        }
        doc.close();
    }

    /** Footers and a watermark stamped on the finished PDF (PdfReader + PdfStamper), the total being known. */
    static void stamp(IText5Deck d, String out) throws Exception {
        Map<String, Object> ev = Json.obj(d.job.get("event"));
        Map<String, Object> ft = Json.obj(ev.get("footer"));
        Map<String, Object> wm = Json.obj(ev.get("watermark"));
        boolean footer = ft != null && Json.str(ft, "mode", "event").equals("stamper");
        boolean mark = wm != null && Json.str(wm, "layer", "over").equals("stamper");
        if (!footer && !mark) {
            return;
        }
        Path tmp = Path.of(out + ".stamped");
        PdfReader reader = new PdfReader(out);
        int pages = reader.getNumberOfPages();
        try (FileOutputStream os = new FileOutputStream(tmp.toFile())) {
            PdfStamper stamper = new PdfStamper(reader, os);
            if (footer) {
                ft.put("pages", (double) pages);
            }
            for (int n = 1; n <= pages; n++) {
                PdfContentByte cb = stamper.getOverContent(n);
                if (footer && !Json.list(ft.get("skip")).contains((double) n)) {
                    d.footer(cb, ft, n, null);
                }
                if (mark) {
                    d.watermark(cb, wm);
                }
            }
            stamper.close();
        }
        reader.close();
        Files.move(tmp, Path.of(out), StandardCopyOption.REPLACE_EXISTING);
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> job = Json.obj(Json.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)));
        String out = (String) job.get("out");
        IText5Deck d = new IText5Deck(job, out);
        d.run();
        stamp(d, out);
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> rows = new LinkedHashMap<>();
        d.rows.forEach((k, v) -> rows.put(k, new ArrayList<>(v)));
        report.put("rows", rows);
        report.put("paras", d.paras);
        report.put("drawn", d.drawn);
        report.put("tables", d.tables);
        try {
            Files.writeString(Path.of((String) job.get("report")), Json.write(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write the report: " + new File((String) job.get("report")), e);
        }
    }
}
