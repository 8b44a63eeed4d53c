// Draws one deck laid out by r_pdfbox.py with Apache PDFBox 2.0, the way Java back-office code writes reports by
// hand on PDPageContentStream:
//     java -cp pdfbox2.jar:fontbox2.jar:commons-logging.jar:CLASSES PdfBoxDeck job.json
// job: {fonts, compress, info, pages, out}.  fonts.cjk / fonts.bold: {file, subset} loaded by PDType0Font.load
// from a single-face TrueType file, or {ttc, name} from a TrueTypeCollection (PDFBox embeds a collection's face
// only as a subset); fonts.latin: "Helvetica" (the Standard 14 font) or null.  pages: [{w, h, rot, ops, over,
// under}]: `ops` drawn as the page is made, then, in a second pass over the finished document as such code does
// for page numbers, `over` appended as a content stream of its own (AppendMode.APPEND, graphics state reset) and
// `under` prepended (AppendMode.PREPEND).  A page with rot 90 or 270 is stored portrait with /Rotate and every
// stream starts with the matrix that turns the landscape drawing into it.  Ops, in PDF points from the bottom
// left of the landscape drawing: text {x, y, size, runs: [[font key, string]], color, angle, turn: tm|cm, fake,
// alpha}, line {x0, y0, x1, y1, w, color}, rect {x, y, w, h, fill, stroke, lw}.
import java.awt.Color;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.util.Matrix;

class PdfBoxDeck {

    static Color color(Object o) {
        List<Object> c = Json.list(o);
        return new Color(Json.f(c.get(0)), Json.f(c.get(1)), Json.f(c.get(2)));
    }

    // --- drawing ----------------------------------------------------------------------------------------------

    final PDDocument doc = new PDDocument();
    final Map<String, PDFont> fonts = new HashMap<>();
    final Map<Float, PDExtendedGraphicsState> alphas = new HashMap<>();

    PDFont load(Map<String, Object> spec) throws Exception {
        if (spec.get("ttc") != null) {
            // the face of a collection, by its PostScript name; PDFBox can embed it only as a subset
            TrueTypeCollection ttc = new TrueTypeCollection(new File((String) spec.get("ttc")));
            return PDType0Font.load(doc, ttc.getFontByName((String) spec.get("name")), true);
        }
        File file = new File((String) spec.get("file"));
        if ((Boolean) spec.get("subset")) {
            return PDType0Font.load(doc, file);
        }
        try (InputStream in = new FileInputStream(file)) {
            return PDType0Font.load(doc, in, false); // the whole face embedded
        }
    }

    void draw(PDPageContentStream cs, Map<String, Object> op) throws Exception {
        String t = (String) op.get("t");
        if (t.equals("line")) {
            cs.setStrokingColor(color(op.get("color")));
            cs.setLineWidth(Json.f(op.get("w")));
            cs.moveTo(Json.f(op.get("x0")), Json.f(op.get("y0")));
            cs.lineTo(Json.f(op.get("x1")), Json.f(op.get("y1")));
            cs.stroke();
        } else if (t.equals("rect")) {
            cs.addRect(Json.f(op.get("x")), Json.f(op.get("y")), Json.f(op.get("w")), Json.f(op.get("h")));
            if (op.get("fill") != null) {
                cs.setNonStrokingColor(color(op.get("fill")));
            }
            if (op.get("stroke") != null) {
                cs.setStrokingColor(color(op.get("stroke")));
                cs.setLineWidth(Json.f(op.get("lw")));
                if (op.get("fill") != null) {
                    cs.fillAndStroke();
                } else {
                    cs.stroke();
                }
            } else {
                cs.fill();
            }
        } else {
            text(cs, op);
        }
    }

    void text(PDPageContentStream cs, Map<String, Object> op) throws Exception {
        float x = Json.f(op.get("x"));
        float y = Json.f(op.get("y"));
        float size = Json.f(op.get("size"));
        double angle = Math.toRadians(Json.f(op.get("angle")));
        boolean cm = angle != 0 && "cm".equals(op.get("turn"));
        boolean state = cm || op.get("alpha") != null;
        if (state) {
            cs.saveGraphicsState();
        }
        if (op.get("alpha") != null) {
            float a = Json.f(op.get("alpha"));
            PDExtendedGraphicsState gs = alphas.computeIfAbsent(a, k -> new PDExtendedGraphicsState());
            gs.setNonStrokingAlphaConstant(a);
            cs.setGraphicsStateParameters(gs);
        }
        if (cm) {
            cs.transform(Matrix.getRotateInstance(angle, x, y));
        }
        Color c = color(op.get("color"));
        cs.setNonStrokingColor(c);
        boolean fake = Boolean.TRUE.equals(op.get("fake"));
        if (fake) {
            // synthetic bold: the glyphs filled and stroked
            cs.setStrokingColor(c);
            cs.setLineWidth(size / 30);
        }
        cs.beginText();
        if (fake) {
            cs.setRenderingMode(RenderingMode.FILL_STROKE);
        }
        if (cm) {
            cs.newLineAtOffset(0, 0);
        } else if (angle != 0) {
            cs.setTextMatrix(Matrix.getRotateInstance(angle, x, y));
        } else {
            cs.newLineAtOffset(x, y);
        }
        for (Object r : Json.list(op.get("runs"))) {
            List<Object> run = Json.list(r);
            cs.setFont(fonts.get((String) run.get(0)), size);
            cs.showText((String) run.get(1));
        }
        if (fake) {
            cs.setRenderingMode(RenderingMode.FILL);
        }
        cs.endText();
        if (state) {
            cs.restoreGraphicsState();
        }
    }

    /** A content stream of the page; on a page stored portrait with /Rotate, the landscape drawing turned into it.
     *  A prepended stream keeps its state to itself (q ... Q), an appended one gets the page's content wrapped. */
    PDPageContentStream stream(PDPage page, AppendMode mode, boolean compress, int rot) throws Exception {
        PDPageContentStream cs = new PDPageContentStream(doc, page, mode, compress, mode == AppendMode.APPEND);
        if (mode == AppendMode.PREPEND) {
            cs.saveGraphicsState();
        }
        PDRectangle box = page.getMediaBox();
        if (rot == 90) {
            cs.transform(new Matrix(0, 1, -1, 0, box.getWidth(), 0));
        } else if (rot == 270) {
            cs.transform(new Matrix(0, -1, 1, 0, 0, box.getHeight()));
        }
        return cs;
    }

    void run(Map<String, Object> job) throws Exception {
        Map<String, Object> fs = Json.obj(job.get("fonts"));
        fonts.put("cjk", load(Json.obj(fs.get("cjk"))));
        fonts.put("bold", fs.get("bold") != null ? load(Json.obj(fs.get("bold"))) : fonts.get("cjk"));
        if ("Helvetica".equals(fs.get("latin"))) {
            fonts.put("latin", PDType1Font.HELVETICA);
        }
        boolean compress = Boolean.TRUE.equals(job.get("compress"));
        List<PDPage> made = new ArrayList<>();
        for (Object p : Json.list(job.get("pages"))) {
            Map<String, Object> pg = Json.obj(p);
            int rot = ((Number) pg.get("rot")).intValue();
            float w = Json.f(pg.get("w"));
            float h = Json.f(pg.get("h"));
            PDPage page = new PDPage(rot == 0 ? new PDRectangle(w, h) : new PDRectangle(h, w));
            if (rot != 0) {
                page.setRotation(rot);
            }
            doc.addPage(page);
            made.add(page);
            try (PDPageContentStream cs = stream(page, AppendMode.OVERWRITE, compress, rot)) {
                for (Object op : Json.list(pg.get("ops"))) {
                    draw(cs, Json.obj(op));
                }
            }
        }
        // the second pass: headers, footers and watermarks over (or under) the finished pages
        List<Object> pages = Json.list(job.get("pages"));
        for (int n = 0; n < pages.size(); n++) {
            Map<String, Object> pg = Json.obj(pages.get(n));
            int rot = ((Number) pg.get("rot")).intValue();
            for (String layer : new String[] {"under", "over"}) {
                if (Json.list(pg.get(layer)).isEmpty()) {
                    continue;
                }
                AppendMode mode = layer.equals("under") ? AppendMode.PREPEND : AppendMode.APPEND;
                try (PDPageContentStream cs = stream(made.get(n), mode, compress, rot)) {
                    for (Object op : Json.list(pg.get(layer))) {
                        draw(cs, Json.obj(op));
                    }
                    if (mode == AppendMode.PREPEND) {
                        cs.restoreGraphicsState();
                    }
                }
            }
        }
        Map<String, Object> info = Json.obj(job.get("info"));
        if (info != null) {
            PDDocumentInformation di = doc.getDocumentInformation();
            di.setTitle((String) info.get("title"));
            di.setAuthor((String) info.get("author"));
            if (info.get("producer") != null) {
                di.setProducer((String) info.get("producer"));
                di.setCreator((String) info.get("creator"));
                di.setCreationDate(java.util.Calendar.getInstance());
            }
        }
        doc.save(new File((String) job.get("out")));
        doc.close();
    }

    public static void main(String[] args) throws Exception {
        new PdfBoxDeck().run(Json.obj(Json.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8))));
    }
}
