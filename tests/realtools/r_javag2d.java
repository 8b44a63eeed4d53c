// Paints one deck laid out by r_javag2d.py with Java2D onto pdfbox-graphics2d's PdfBoxGraphics2D, the way Java
// desktop and back-office programs export a printed view (a Swing JTable, or a report painted by hand) to PDF:
//     java -Djava.awt.headless=true -cp pdfbox-graphics2d.jar:pdfbox2.jar:fontbox2.jar:commons-logging.jar:CLASSES
//         JavaG2dDeck job.json
// job: {font, drawer, drawer_scope, scale, compress, info, pages, out}.  font: a TrueType face file, made an AWT
// font by Font.createFont and registered with the font text drawer (registerFont(name, file): PDType0Font subsets),
// so text is written as text; drawer "plain" (only the registered face) or "default" (DefaultFonts: Java's logical
// fonts such as SansSerif mapped to the Standard 14 Helvetica), a new one per page or (drawer_scope "document") one
// for the whole document.  scale: the page is painted on a canvas of w/scale x h/scale (pixels of a 96 dpi screen
// when 0.75) and its form XObject drawn scaled into the page.  pages: [{w, h, ops}], ops in canvas units, y down:
// text {x, y, s, size, bold, color, angle, alpha, logical}, line {x0, y0, x1, y1, w, color}, rect {x, y, w, h, fill,
// stroke, lw}, table {x, y, widths, head, rows, ...}: a JTable painted with its JTableHeader.
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Insets;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.SwingConstants;
import javax.swing.table.DefaultTableCellRenderer;
import javax.swing.table.DefaultTableModel;
import javax.swing.table.JTableHeader;
import javax.swing.table.TableCellRenderer;
import javax.swing.table.TableColumn;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawer;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawerDefaultFonts;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.util.Matrix;

class JavaG2dDeck {

    static Color color(Object o) {
        if (o == null) {
            return null;
        }
        List<Object> c = Json.list(o);
        return new Color(Json.f(c.get(0)), Json.f(c.get(1)), Json.f(c.get(2)));
    }

    // --- painting ---------------------------------------------------------------------------------------------

    Font face;

    Font font(float size, boolean bold) {
        return face.deriveFont(bold ? Font.BOLD : Font.PLAIN, size);
    }

    void text(Graphics2D g0, Map<String, Object> op) {
        Graphics2D g = (Graphics2D) g0.create();
        float x = Json.f(op.get("x"));
        float y = Json.f(op.get("y"));
        float size = Json.f(op.get("size"));
        if (op.get("logical") != null) {
            g.setFont(new Font((String) op.get("logical"), Font.PLAIN, Math.round(size)));
        } else {
            g.setFont(font(size, Json.b(op.get("bold"))));
        }
        g.setColor(color(op.get("color")));
        if (op.get("alpha") != null) {
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, Json.f(op.get("alpha"))));
        }
        float angle = Json.f(op.get("angle"));
        if (angle != 0) {
            // turned counter-clockwise on the page: Java2D's y axis points down
            g.rotate(-Math.toRadians(angle), x, y);
        }
        g.drawString((String) op.get("s"), x, y);
        g.dispose();
    }

    void draw(Graphics2D g, Map<String, Object> op) {
        String t = (String) op.get("t");
        if (t.equals("line")) {
            g.setColor(color(op.get("color")));
            g.setStroke(new BasicStroke(Json.f(op.get("w"))));
            g.draw(new Line2D.Float(Json.f(op.get("x0")), Json.f(op.get("y0")), Json.f(op.get("x1")),
                    Json.f(op.get("y1"))));
        } else if (t.equals("rect")) {
            Rectangle2D.Float r = new Rectangle2D.Float(Json.f(op.get("x")), Json.f(op.get("y")),
                    Json.f(op.get("w")), Json.f(op.get("h")));
            if (op.get("fill") != null) {
                g.setColor(color(op.get("fill")));
                g.fill(r);
            }
            if (op.get("stroke") != null) {
                g.setColor(color(op.get("stroke")));
                g.setStroke(new BasicStroke(Json.f(op.get("lw"))));
                g.draw(r);
            }
        } else if (t.equals("table")) {
            table(g, op);
        } else {
            text(g, op);
        }
    }

    // --- a Swing JTable ---------------------------------------------------------------------------------------

    /** A cell as Swing programs wrap text in a JTable: a JTextArea (line wrap at any character) as renderer. */
    static class AreaRenderer extends JTextArea implements TableCellRenderer {
        final Map<String, Object> op;
        final boolean header;

        AreaRenderer(Map<String, Object> op, boolean header) {
            this.op = op;
            this.header = header;
            setLineWrap(true);
            setWrapStyleWord(false);
            setOpaque(true);
            int pad = Json.n(op.get("pad"));
            setBorder(BorderFactory.createEmptyBorder(pad, pad + 1, pad, pad + 1));
        }

        @Override
        public Component getTableCellRendererComponent(JTable t, Object v, boolean sel, boolean foc, int r, int c) {
            setFont(header ? t.getTableHeader().getFont() : t.getFont());
            setText(v == null ? "" : v.toString());
            Color back = Color.WHITE;
            if (header) {
                back = color(op.get("head_fill")) != null ? color(op.get("head_fill")) : Color.WHITE;
            } else if (Json.b(op.get("zebra")) && r % 2 == 1) {
                back = color(op.get("zebra_fill"));
            }
            List<Object> kinds = Json.list(op.get("kinds"));
            if (!header && "band".equals(kinds.get(r))) {
                back = color(op.get("band_fill"));
            }
            setBackground(back);
            // the width BasicTableUI paints the cell at (a body cell loses the intercell spacing), so that the
            // preferred height measured here is that of the lines painted
            int w = t.getColumnModel().getColumn(c).getWidth() - (header ? 0 : t.getIntercellSpacing().width);
            setSize(w, Short.MAX_VALUE);
            return this;
        }
    }

    /** The 構面 label of a group's first row, turned (AffineTransform) or stacked one character per line. */
    static class PerspRenderer extends JComponent implements TableCellRenderer {
        final String mode;
        final Color zebra;
        final boolean striped;
        String label = "";
        Color back = Color.WHITE;

        PerspRenderer(String mode, Color zebra, boolean striped) {
            this.mode = mode;
            this.zebra = zebra;
            this.striped = striped;
        }

        @Override
        public Component getTableCellRendererComponent(JTable t, Object v, boolean sel, boolean foc, int r, int c) {
            setFont(t.getFont());
            label = v == null ? "" : v.toString();
            back = striped && r % 2 == 1 ? zebra : Color.WHITE;
            return this;
        }

        @Override
        public Dimension getPreferredSize() {
            FontMetrics fm = getFontMetrics(getFont());
            int h = mode.equals("rot") ? fm.stringWidth(label) : label.length() * fm.getHeight();
            return new Dimension(fm.getHeight() + 6, label.isEmpty() ? 0 : h + 10);
        }

        @Override
        protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setColor(back);
            g.fillRect(0, 0, getWidth(), getHeight());
            g.setColor(Color.BLACK);
            g.setFont(getFont());
            FontMetrics fm = g.getFontMetrics();
            if (mode.equals("rot")) {
                int w = fm.stringWidth(label);
                float cx = getWidth() / 2f + fm.getAscent() / 2f - fm.getDescent() / 2f;
                float cy = getHeight() / 2f + w / 2f;
                g.rotate(-Math.PI / 2, cx, cy);
                g.drawString(label, cx, cy);
            } else {
                int y = (getHeight() - label.length() * fm.getHeight()) / 2 + fm.getAscent();
                for (int i = 0; i < label.length(); i++) {
                    String ch = label.substring(i, i + 1);
                    g.drawString(ch, (getWidth() - fm.stringWidth(ch)) / 2f, y);
                    y += fm.getHeight();
                }
            }
            g.dispose();
        }
    }

    void table(Graphics2D g0, Map<String, Object> op) {
        List<Object> head = Json.list(op.get("head"));
        List<Object> rows = Json.list(op.get("rows"));
        List<Object> widths = Json.list(op.get("widths"));
        Object[][] data = new Object[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            data[r] = Json.list(rows.get(r)).toArray();
        }
        DefaultTableModel model = new DefaultTableModel(data, head.toArray());
        JTable t = new JTable(model);
        t.setAutoResizeMode(JTable.AUTO_RESIZE_OFF);
        float size = Json.f(op.get("size"));
        t.setFont(font(size, false));
        JTableHeader th = t.getTableHeader();
        th.setFont(font(size, Json.b(op.get("bold_head"))));
        String rules = (String) op.get("rules");
        t.setShowHorizontalLines(!rules.equals("none"));
        t.setShowVerticalLines(rules.equals("grid"));
        t.setGridColor(color(op.get("grid_color")));
        t.setIntercellSpacing(new Dimension(rules.equals("grid") ? 1 : 0, rules.equals("none") ? 0 : 1));
        AreaRenderer body = new AreaRenderer(op, false);
        TableCellRenderer headR;
        if ("area".equals(op.get("head_renderer"))) {
            headR = new AreaRenderer(op, true);
        } else {
            // the look and feel's own header renderer; a label of two lines as HTML, as Swing code does
            TableCellRenderer def = th.getDefaultRenderer();
            headR = (tb, v, s, fo, r, c) -> {
                String text = v.toString();
                if (text.contains("\n")) {
                    text = "<html><center>" + text.replace("\n", "<br>") + "</center></html>";
                }
                return def.getTableCellRendererComponent(tb, text, s, fo, r, c);
            };
        }
        String persp = (String) op.get("persp");
        int total = 0;
        for (int c = 0; c < widths.size(); c++) {
            TableColumn col = t.getColumnModel().getColumn(c);
            int w = Json.n(widths.get(c));
            col.setPreferredWidth(w);
            col.setWidth(w);
            col.setMinWidth(w);
            col.setMaxWidth(w);
            col.setHeaderRenderer(headR);
            boolean turned = c == 0 && (persp.equals("rot") || persp.equals("stack"));
            col.setCellRenderer(turned
                ? new PerspRenderer(persp, color(op.get("zebra_fill")), Json.b(op.get("zebra")))
                : body);
            total += w;
        }
        // row heights from the renderers' preferred heights, as Swing code sizes wrapped rows
        int minRow = Json.n(op.get("min_row"));
        int height = 0;
        for (int r = 0; r < data.length; r++) {
            int h = minRow;
            for (int c = 0; c < widths.size(); c++) {
                Component comp = t.prepareRenderer(t.getCellRenderer(r, c), r, c);
                h = Math.max(h, comp.getPreferredSize().height + t.getIntercellSpacing().height);
            }
            t.setRowHeight(r, h);
            height += h;
        }
        int hh = 0;
        for (int c = 0; c < widths.size(); c++) {
            Component comp = headR.getTableCellRendererComponent(t, head.get(c), false, false, -1, c);
            hh = Math.max(hh, comp.getPreferredSize().height);
        }
        th.setPreferredSize(new Dimension(total, hh));
        th.setSize(total, hh);
        t.setSize(total, height);
        t.doLayout();
        th.doLayout();
        Graphics2D g = (Graphics2D) g0.create();
        g.translate(Json.f(op.get("x")), Json.f(op.get("y")));
        if (Json.b(op.get("print"))) {
            th.print(g);
        } else {
            th.paint(g);
        }
        g.translate(0, hh);
        if (Json.b(op.get("print"))) {
            t.print(g);
        } else {
            t.paint(g);
        }
        if (!rules.equals("none") && Json.b(op.get("frame"))) {
            // the table's outline, as a JScrollPane's border would print it
            g.setColor(color(op.get("grid_color")));
            g.drawRect(0, -hh, total - 1, height + hh - 1);
        }
        g.dispose();
        bottoms.add((double) Json.f(op.get("y")) + hh + height);
    }

    final List<Double> bottoms = new ArrayList<>();

    void run(Map<String, Object> job) throws Exception {
        PDDocument doc = new PDDocument();
        File ff = new File((String) job.get("font"));
        face = Font.createFont(Font.TRUETYPE_FONT, ff);
        float scale = Json.f(job.get("scale"));
        boolean compress = Json.b(job.get("compress"));
        boolean shared = "document".equals(job.get("drawer_scope"));
        PdfBoxGraphics2DFontTextDrawer one = null;
        for (Object p : Json.list(job.get("pages"))) {
            Map<String, Object> pg = Json.obj(p);
            float w = Json.f(pg.get("w"));
            float h = Json.f(pg.get("h"));
            PDPage page = new PDPage(new PDRectangle(w, h));
            doc.addPage(page);
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, w / scale, h / scale);
            // a drawer per page (each page its own font subset) or one for the document
            PdfBoxGraphics2DFontTextDrawer drawer = shared ? one : null;
            if (drawer == null) {
                drawer = "default".equals(job.get("drawer"))
                    ? new PdfBoxGraphics2DFontTextDrawerDefaultFonts()
                    : new PdfBoxGraphics2DFontTextDrawer();
                drawer.registerFont(face.getFontName(), ff);
                one = drawer;
            }
            g.setFontTextDrawer(drawer);
            for (Object op : Json.list(pg.get("ops"))) {
                draw(g, Json.obj(op));
            }
            g.dispose();
            PDFormXObject form = g.getXFormObject();
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.OVERWRITE,
                    compress)) {
                if (scale != 1f) {
                    cs.transform(Matrix.getScaleInstance(scale, scale));
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
        System.out.println("bottoms " + bottoms);
    }

    public static void main(String[] args) throws Exception {
        new JavaG2dDeck().run(Json.obj(Json.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8))));
    }
}
