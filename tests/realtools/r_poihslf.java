// Renders a binary .ppt (the python-pptx deck of r_poislides saved by LibreOffice Impress as 'MS PowerPoint 97')
// with Apache POI's HSLF slide renderer onto pdfbox-graphics2d's PdfBoxGraphics2D, the way Java server-side
// PPT-to-PDF converters do:
//     java -Djava.awt.headless=true -cp ...:poi-scratchpad.jar:pdfbox-graphics2d.jar:POISLIDES_CLASSES:CLASSES
//         PoiHslfDeck job.json
// job: {ppt, out, faces, font_map, fallback, zoom, fractional, drawer_scope, compress, info}, as r_poislides.java's
// job (read by the shared Json.java).  PoiHslfDeck is r_poislides.java's PoiSlidesDeck (its font registration,
// FAMILY->FONT text drawer, hints, slide loop, page and info) with HSLF's slide show, a drawer that also makes
// HSLF's line break marks spaces, and HSLF's table report.  Every slide is drawn by HSLFSlide.draw(Graphics2D) on a
// canvas of the slide's size times `zoom`, whose form XObject is drawn into the page scaled back.  Prints, for every
// slide with a table (HSLFTable, a group of cell text boxes and lines), "slide N bottom B" (the lowest cell edge or
// text foot, in points) and "cell N R C Y H T" for every cell with horizontal text (Y, H: its anchor as LibreOffice
// wrote it; T: its text's height at HSLF's own line breaking), since HSLF never grows a row: text taller than its
// cell runs over the rows below.
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.AttributedCharacterIterator;
import java.text.AttributedString;
import java.util.Map;
import de.rototor.pdfbox.graphics2d.IPdfBoxGraphics2DFontTextDrawer.IFontTextDrawerEnv;
import org.apache.poi.hslf.usermodel.HSLFShape;
import org.apache.poi.hslf.usermodel.HSLFSlide;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTable;
import org.apache.poi.hslf.usermodel.HSLFTableCell;
import org.apache.poi.hslf.usermodel.HSLFTextShape;
import org.apache.poi.sl.draw.DrawFactory;
import org.apache.poi.sl.draw.DrawTextShape;
import org.apache.poi.sl.usermodel.Slide;
import org.apache.poi.sl.usermodel.SlideShow;
import org.apache.poi.sl.usermodel.TextShape;

class PoiHslfDeck extends PoiSlidesDeck {

    /** A run's text with the paragraph and line break marks HSLF leaves at the end of a line (U+000D, U+000B)
     * made spaces: pdfbox-graphics2d finds no glyph for them and would paint the whole line as outlines. */
    static AttributedCharacterIterator clean(AttributedCharacterIterator it) {
        AttributedString as = copy(it, c -> c == '\r' || c == '\u000b' ? ' ' : c, false);
        it.first();
        return as.getIterator();
    }

    static class Drawer extends PoiSlidesDeck.Drawer {
        @Override
        public boolean canDrawText(AttributedCharacterIterator it, IFontTextDrawerEnv env)
                throws IOException, java.awt.FontFormatException {
            return super.canDrawText(clean(it), env);
        }

        @Override
        public void drawText(AttributedCharacterIterator it, IFontTextDrawerEnv env)
                throws IOException, java.awt.FontFormatException {
            super.drawText(clean(it), env);
        }
    }

    @Override
    SlideShow<?, ?> open(Map<String, Object> job) throws IOException {
        try (InputStream in = new FileInputStream((String) job.get("ppt"))) {
            return new HSLFSlideShow(in);
        }
    }

    @Override
    PoiSlidesDeck.Drawer drawer() {
        return new Drawer();
    }

    static double textHeight(HSLFTextShape sh, Graphics2D g) {
        DrawTextShape d = DrawFactory.getInstance(g).getDrawable(sh);
        return d.getTextHeight(g);
    }

    /** The lowest cell edge or text foot of slide n's tables; prints its cells ("cell", "vcell"). */
    @Override
    double bottom(Slide<?, ?> slide, int n, Graphics2D g) {
        // POI's dry run of the text copies the hints of the Graphics2D it is given, and pdfbox-graphics2d's
        // getRenderingHints() leaves out POI's FONT_MAP and FONT_FALLBACK: text is measured on an image's
        // Graphics2D given the same hints
        Graphics2D mg = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB).createGraphics();
        hints(mg);
        mg.scale(zoom, zoom);
        double bottom = -1;
        for (HSLFShape sh : ((HSLFSlide) slide).getShapes()) {
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
                    System.out.println("cell " + n + " " + r + " " + c + " " + a.getY() + " " + a.getHeight()
                        + " " + th);
                }
            }
        }
        return bottom;
    }

    public static void main(String[] args) throws Exception {
        new PoiHslfDeck().run(Json.obj(Json.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8))));
    }
}
