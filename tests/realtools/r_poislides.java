// Renders a .pptx (written by r_poislides.py with python-pptx) with Apache POI's XSLF slide renderer onto
// pdfbox-graphics2d's PdfBoxGraphics2D, the way server-side PPTX-to-PDF converters built on POI do:
//     java -Djava.awt.headless=true -cp ooxml-schemas.jar:poi.jar:poi-ooxml.jar:...:pdfbox-graphics2d.jar:CLASSES
//         PoiSlidesDeck job.json
// job: {pptx, out, faces: [file], font_map: {typeface: family}, fallback, zoom, fractional, drawer_scope, compress,
// info}.  Every face is made an AWT font (Font.createFont), registered with the GraphicsEnvironment (so POI's
// `new Font(family, style, size)` finds it) and with the font text drawer (registerFont(name, file): a PDType0Font
// subset).  POI names the fonts of a run by TextAttribute.FAMILY (Font.getFontName) with SIZE/WEIGHT/POSTURE;
// pdfbox-graphics2d 0.42 reads only TextAttribute.FONT and otherwise uses the Graphics2D's own font (Dialog, which no
// registered face matches: every string would become outlines), so the drawer resolves the run's attributes into a
// Font first (Font.getFont(attributes)), as POI users of pdfbox-graphics2d do.  The slide is drawn by
// XSLFSlide.draw(Graphics2D) on a canvas of the slide's size times `zoom` (g.scale(zoom)), whose form XObject is
// drawn into the page scaled back.  Prints "slide N bottom B" for every slide with a table (B: the lowest cell
// edge, in points, after POI grew the rows to their text).  r_poihslf.java's PoiHslfDeck draws HSLF's binary .ppt
// with this class's run (POI's SlideShow/Slide interfaces of org.apache.poi.sl.usermodel): it overrides only the
// slide show read (open), the text drawer (drawer) and the table report (bottom).
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.AttributedCharacterIterator;
import java.text.AttributedString;
import java.text.CharacterIterator;
import java.awt.font.TextAttribute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.util.Matrix;
import org.apache.poi.sl.draw.Drawable;
import org.apache.poi.sl.usermodel.Slide;
import org.apache.poi.sl.usermodel.SlideShow;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableCell;
import org.apache.poi.xslf.usermodel.XSLFTableRow;

class PoiSlidesDeck {

    // --- the font text drawer ---------------------------------------------------------------------------------

    /** A run's TextAttribute.FAMILY/SIZE/WEIGHT made the TextAttribute.FONT pdfbox-graphics2d reads. */
    static AttributedCharacterIterator withFonts(AttributedCharacterIterator it) {
        return copy(it, c -> c, true).getIterator();
    }

    /** The text of `it`, every character passed through `ch`, with its attributes run by run and, with `fonts`,
     * the TextAttribute.FONT of a run that has none (font). */
    static AttributedString copy(AttributedCharacterIterator it, IntUnaryOperator ch, boolean fonts) {
        StringBuilder sb = new StringBuilder();
        for (char c = it.first(); c != CharacterIterator.DONE; c = it.next()) {
            sb.append((char) ch.applyAsInt(c));
        }
        AttributedString as = new AttributedString(sb.toString());
        int begin = it.getBeginIndex();
        it.first();
        while (it.getIndex() < it.getEndIndex()) {
            int a = it.getRunStart();
            int b = it.getRunLimit();
            Map<AttributedCharacterIterator.Attribute, Object> at = it.getAttributes();
            as.addAttributes(at, a - begin, b - begin);
            if (fonts && !at.containsKey(TextAttribute.FONT)) {
                as.addAttribute(TextAttribute.FONT, font(at), a - begin, b - begin);
            }
            it.setIndex(b);
        }
        return as;
    }

    /** The registered faces by family and by face name (both as POI may name them). */
    static final Map<String, Font> FACES = new HashMap<>();

    /** The run's font: the registered face itself (bold and italic derived from it, so that its name stays the
     * one registered with the drawer: the system's own bold face of a family would not be), else Font.getFont. */
    static Font font(Map<AttributedCharacterIterator.Attribute, Object> at) {
        // POI names the run by the face Java chose (e.g. "Liberation Sans Bold" for a bold Latin run, when the
        // system has that face): back to its family, then to the face registered for it
        Font chosen = Font.getFont(at);
        Font face = FACES.get((String) at.get(TextAttribute.FAMILY));
        if (face == null) {
            face = FACES.get(chosen.getFamily(java.util.Locale.ROOT));
        }
        if (face == null) {
            return chosen;
        }
        Object weight = at.get(TextAttribute.WEIGHT);
        Object posture = at.get(TextAttribute.POSTURE);
        int style = (weight instanceof Number && ((Number) weight).floatValue() >= 1.5f ? Font.BOLD : 0)
            | (posture instanceof Number && ((Number) posture).floatValue() > 0f ? Font.ITALIC : 0);
        Object size = at.get(TextAttribute.SIZE);
        return face.deriveFont(style, size instanceof Number ? ((Number) size).floatValue() : 12f);
    }

    static class Drawer extends PdfBoxGraphics2DFontTextDrawer {
        @Override
        public boolean canDrawText(AttributedCharacterIterator it, IFontTextDrawerEnv env)
                throws IOException, java.awt.FontFormatException {
            boolean ok = super.canDrawText(withFonts(it), env);
            if (!ok) {
                // pdfbox-graphics2d paints the string as glyph outlines: reported, it has no text layer
                StringBuilder sb = new StringBuilder();
                for (char c = it.first(); c != CharacterIterator.DONE; c = it.next()) {
                    sb.append(c);
                }
                it.first();
                Font f = font(it.getAttributes());
                System.out.println("outlines " + f.getFontName() + " " + sb.toString().replace("\n", " "));
            }
            return ok;
        }

        @Override
        public void drawText(AttributedCharacterIterator it, IFontTextDrawerEnv env)
                throws IOException, java.awt.FontFormatException {
            super.drawText(withFonts(it), env);
        }
    }

    // --- the deck ---------------------------------------------------------------------------------------------

    /** The job's font substitution (Drawable.FONT_MAP, FONT_FALLBACK), fractional metrics and zoom, set by run. */
    Map<String, String> fontMap;
    Map<String, String> fallback;
    boolean fractional;
    float zoom;

    /** The slide show to draw: XSLF's, read from the job's pptx (r_poihslf.java reads HSLF's). */
    SlideShow<?, ?> open(Map<String, Object> job) throws IOException {
        try (InputStream in = new FileInputStream((String) job.get("pptx"))) {
            return new XMLSlideShow(in);
        }
    }

    /** A new font text drawer, before its faces are registered. */
    Drawer drawer() {
        return new Drawer();
    }

    /** The hints of POI's own PPTX2PNG, and the font substitution a converter configures. */
    void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, fractional
            ? RenderingHints.VALUE_FRACTIONALMETRICS_ON : RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        g.setRenderingHint(Drawable.FONT_MAP, fontMap);
        g.setRenderingHint(Drawable.FONT_FALLBACK, fallback);
    }

    /** The lowest table cell edge of slide n (drawn on g, not yet disposed), in points; -1 without a table. */
    double bottom(Slide<?, ?> slide, int n, Graphics2D g) {
        double bottom = -1;
        for (XSLFShape sh : ((XSLFSlide) slide).getShapes()) {
            if (sh instanceof XSLFTable) {
                for (XSLFTableRow row : (XSLFTable) sh) {
                    for (XSLFTableCell cell : row) {
                        Rectangle2D a = cell.getAnchor();
                        if (a != null) {
                            bottom = Math.max(bottom, a.getMaxY());
                        }
                    }
                }
            }
        }
        return bottom;
    }

    void run(Map<String, Object> job) throws Exception {
        List<File> faces = new ArrayList<>();
        List<String> names = new ArrayList<>();
        GraphicsEnvironment ge = GraphicsEnvironment.getLocalGraphicsEnvironment();
        for (Object o : Json.list(job.get("faces"))) {
            File ff = new File((String) o);
            Font face = Font.createFont(Font.TRUETYPE_FONT, ff);
            ge.registerFont(face);
            faces.add(ff);
            names.add(face.getFontName());
            FACES.put(face.getFamily(java.util.Locale.ROOT), face);
            FACES.put(face.getFontName(), face);
        }
        fontMap = new HashMap<>();
        for (Map.Entry<String, Object> e : Json.obj(job.get("font_map")).entrySet()) {
            fontMap.put(e.getKey(), (String) e.getValue());
        }
        fallback = new HashMap<>();
        fallback.put("*", (String) job.get("fallback"));
        fractional = Json.b(job.get("fractional"));
        zoom = Json.f(job.get("zoom"));
        boolean compress = Json.b(job.get("compress"));
        boolean shared = "document".equals(job.get("drawer_scope"));
        SlideShow<?, ?> ppt = open(job);
        java.awt.Dimension size = ppt.getPageSize();
        float w = (float) size.getWidth();
        float h = (float) size.getHeight();
        PDDocument doc = new PDDocument();
        Drawer one = null;
        int n = 0;
        for (Slide<?, ?> slide : ppt.getSlides()) {
            n++;
            PDPage page = new PDPage(new PDRectangle(w, h));
            doc.addPage(page);
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, w * zoom, h * zoom);
            Drawer drawer = shared ? one : null;
            if (drawer == null) {
                drawer = drawer();
                for (int i = 0; i < faces.size(); i++) {
                    drawer.registerFont(names.get(i), faces.get(i));
                }
                one = drawer;
            }
            g.setFontTextDrawer(drawer);
            hints(g);
            g.scale(zoom, zoom);
            slide.draw(g);
            double bottom = bottom(slide, n, g);
            g.dispose();
            if (bottom >= 0) {
                System.out.println("slide " + n + " bottom " + bottom);
            }
            PDFormXObject form = g.getXFormObject();
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.OVERWRITE,
                    compress)) {
                if (zoom != 1f) {
                    cs.transform(Matrix.getScaleInstance(1 / zoom, 1 / zoom));
                }
                cs.drawForm(form);
            }
        }
        Map<String, Object> info = Json.obj(job.get("info"));
        if (info != null) {
            PDDocumentInformation di = doc.getDocumentInformation();
            for (Map.Entry<String, Object> e : info.entrySet()) {
                di.getCOSObject().setString(e.getKey(), (String) e.getValue());
            }
        }
        doc.save(new File((String) job.get("out")));
        doc.close();
    }

    public static void main(String[] args) throws Exception {
        new PoiSlidesDeck().run(Json.obj(Json.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8))));
    }
}
