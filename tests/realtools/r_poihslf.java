// Renders a binary .ppt (the python-pptx deck of r_poislides saved by LibreOffice Impress as 'MS PowerPoint 97')
// with Apache POI's HSLF slide renderer onto pdfbox-graphics2d's PdfBoxGraphics2D, the way Java server-side
// PPT-to-PDF converters do:
//     java -Djava.awt.headless=true -cp ...:poi-scratchpad.jar:pdfbox-graphics2d.jar:POISLIDES_CLASSES:CLASSES
//         PoiHslfDeck job.json
// job: {ppt, out, faces, font_map, fallback, zoom, fractional, drawer_scope, compress, info}, as r_poislides.java's
// job (read by the shared Json.java; r_poislides.java's font registration and FAMILY->FONT text drawer are used here
// as they are).  Every slide is drawn by HSLFSlide.draw(Graphics2D) on a canvas of the slide's size times `zoom`,
// whose form XObject is drawn into the page scaled back.  Prints, for every slide with a table (HSLFTable, a group
// of cell text boxes and lines), "slide N bottom B" (the lowest cell edge or text foot, in points) and
// "cell N R C Y H T" for every cell with horizontal text (Y, H: its anchor as LibreOffice wrote it; T: its text's
// height at HSLF's own line breaking), since HSLF never grows a row: text taller than its cell runs over the rows
// below.
import java.awt.RenderingHints;
import java.awt.font.TextAttribute;
import java.awt.geom.Rectangle2D;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.AttributedCharacterIterator;
import java.text.AttributedString;
import java.text.CharacterIterator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.IPdfBoxGraphics2DFontTextDrawer.IFontTextDrawerEnv;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.util.Matrix;
import org.apache.poi.hslf.usermodel.HSLFShape;
import org.apache.poi.hslf.usermodel.HSLFSlide;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTable;
import org.apache.poi.hslf.usermodel.HSLFTableCell;
import org.apache.poi.hslf.usermodel.HSLFTextShape;
import org.apache.poi.sl.draw.DrawFactory;
import org.apache.poi.sl.draw.DrawTextShape;
import org.apache.poi.sl.draw.Drawable;
import org.apache.poi.sl.usermodel.TextShape;

class PoiHslfDeck {

    /** A run's text with the paragraph and line break marks HSLF leaves at the end of a line (U+000D, U+000B)
     * made spaces: pdfbox-graphics2d finds no glyph for them and would paint the whole line as outlines. */
    static AttributedCharacterIterator clean(AttributedCharacterIterator it) {
        StringBuilder sb = new StringBuilder();
        for (char c = it.first(); c != CharacterIterator.DONE; c = it.next()) {
            sb.append(c == '\r' || c == '\u000b' ? ' ' : c);
        }
        AttributedString as = new AttributedString(sb.toString());
        int begin = it.getBeginIndex();
        it.first();
        while (it.getIndex() < it.getEndIndex()) {
            int a = it.getRunStart();
            int b = it.getRunLimit();
            as.addAttributes(it.getAttributes(), a - begin, b - begin);
            it.setIndex(b);
        }
        it.first();
        return as.getIterator();
    }

    static class Drawer extends PoiSlidesDeck.Drawer {
        @Override
        public boolean canDrawText(AttributedCharacterIterator it, IFontTextDrawerEnv env)
                throws java.io.IOException, java.awt.FontFormatException {
            return super.canDrawText(clean(it), env);
        }

        @Override
        public void drawText(AttributedCharacterIterator it, IFontTextDrawerEnv env)
                throws java.io.IOException, java.awt.FontFormatException {
            super.drawText(clean(it), env);
        }
    }

    static double textHeight(HSLFTextShape sh, java.awt.Graphics2D g) {
        DrawTextShape d = DrawFactory.getInstance(g).getDrawable(sh);
        return d.getTextHeight(g);
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> job = Json.obj(Json.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)));
        List<File> faces = new ArrayList<>();
        List<String> names = new ArrayList<>();
        java.awt.GraphicsEnvironment ge = java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment();
        for (Object o : Json.list(job.get("faces"))) {
            File ff = new File((String) o);
            java.awt.Font face = java.awt.Font.createFont(java.awt.Font.TRUETYPE_FONT, ff);
            ge.registerFont(face);
            faces.add(ff);
            names.add(face.getFontName());
            PoiSlidesDeck.FACES.put(face.getFamily(java.util.Locale.ROOT), face);
            PoiSlidesDeck.FACES.put(face.getFontName(), face);
        }
        Map<String, String> fontMap = new HashMap<>();
        for (Map.Entry<String, Object> e : Json.obj(job.get("font_map")).entrySet()) {
            fontMap.put(e.getKey(), (String) e.getValue());
        }
        Map<String, String> fallback = new HashMap<>();
        fallback.put("*", (String) job.get("fallback"));
        float zoom = Json.f(job.get("zoom"));
        boolean compress = Json.b(job.get("compress"));
        boolean shared = "document".equals(job.get("drawer_scope"));
        HSLFSlideShow ppt;
        try (InputStream in = new FileInputStream((String) job.get("ppt"))) {
            ppt = new HSLFSlideShow(in);
        }
        java.awt.Dimension size = ppt.getPageSize();
        float w = (float) size.getWidth();
        float h = (float) size.getHeight();
        PDDocument doc = new PDDocument();
        Drawer one = null;
        int n = 0;
        for (HSLFSlide slide : ppt.getSlides()) {
            n++;
            PDPage page = new PDPage(new PDRectangle(w, h));
            doc.addPage(page);
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, w * zoom, h * zoom);
            Drawer drawer = shared ? one : null;
            if (drawer == null) {
                drawer = new Drawer();
                for (int i = 0; i < faces.size(); i++) {
                    drawer.registerFont(names.get(i), faces.get(i));
                }
                one = drawer;
            }
            g.setFontTextDrawer(drawer);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, Json.b(job.get("fractional"))
                ? RenderingHints.VALUE_FRACTIONALMETRICS_ON : RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
            g.setRenderingHint(Drawable.FONT_MAP, fontMap);
            g.setRenderingHint(Drawable.FONT_FALLBACK, fallback);
            g.scale(zoom, zoom);
            slide.draw(g);
            // POI's dry run of the text copies the hints of the Graphics2D it is given, and pdfbox-graphics2d's
            // getRenderingHints() leaves out POI's FONT_MAP and FONT_FALLBACK: text is measured on an image's
            // Graphics2D given the same hints
            java.awt.Graphics2D mg = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_ARGB)
                .createGraphics();
            mg.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            mg.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            mg.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, g.getRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS));
            mg.setRenderingHint(Drawable.FONT_MAP, fontMap);
            mg.setRenderingHint(Drawable.FONT_FALLBACK, fallback);
            mg.scale(zoom, zoom);
            double bottom = -1;
            for (HSLFShape sh : slide.getShapes()) {
                if (!(sh instanceof HSLFTable)) {
                    continue;
                }
                HSLFTable t = (HSLFTable) sh;
                for (int r = 0; r < t.getNumberOfRows(); r++) {
                    for (int c = 0; c < t.getNumberOfColumns(); c++) {
                        HSLFTableCell cell = t.getCell(r, c);
                        if (cell == null) {
                            continue;
                        }
                        Rectangle2D a = cell.getAnchor();
                        bottom = Math.max(bottom, a.getMaxY());
                        String txt = cell.getText();
                        boolean flat = cell.getTextDirection() == null
                            || cell.getTextDirection() == TextShape.TextDirection.HORIZONTAL;
                        if (txt == null || txt.trim().isEmpty()) {
                            continue;
                        }
                        if (!flat) {
                            // a turned label: HSLF lays it along the cell's height and lets it run past the cell
                            // (the next row's fill covers it): its type size and length are printed
                            Double pt = cell.getTextParagraphs().get(0).getTextRuns().get(0).getFontSize();
                            System.out.println("vcell " + n + " " + r + " " + c + " " + a.getY() + " " + a.getHeight()
                                + " " + pt + " " + txt.trim().length());
                            continue;
                        }
                        double th = textHeight(cell, mg);
                        bottom = Math.max(bottom, a.getY() + th);
                        System.out.println("cell " + n + " " + r + " " + c + " " + a.getY() + " " + a.getHeight() + " " + th);
                    }
                }
            }
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
}
