// The JasperReports driver of r_jasper.py: reads a JSON job (JRXML reports and their rows), compiles each report
// (JasperCompileManager, JDT), fills it from a JRMapCollectionDataSource (JasperFillManager), exports the prints
// as one PDF (JRPdfExporter's batch mode, OpenPDF underneath), and writes a report of every printed text element
// (page, bounds, full text, truncation, its 'tag' property) so the renderer can check what Jasper laid out.
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.sf.jasperreports.engine.JRPrintElement;
import net.sf.jasperreports.engine.JRPrintFrame;
import net.sf.jasperreports.engine.JRPrintPage;
import net.sf.jasperreports.engine.JRPrintText;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.data.JRMapCollectionDataSource;
import net.sf.jasperreports.engine.export.JRPdfExporter;
import net.sf.jasperreports.export.SimpleExporterInput;
import net.sf.jasperreports.export.SimpleOutputStreamExporterOutput;
import net.sf.jasperreports.export.SimplePdfExporterConfiguration;

class JasperDeck {
    public static void main(String[] args) throws Exception {
        String src = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
        Map<String, Object> job = Json.obj(Json.parse(src));
        List<JasperPrint> prints = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        int offset = 0;
        for (Object ro : Json.list(job.get("reports"))) {
            Map<String, Object> r = Json.obj(ro);
            byte[] jrxml = Json.str(r, "jrxml", "").getBytes(StandardCharsets.UTF_8);
            JasperReport report = JasperCompileManager.compileReport(new ByteArrayInputStream(jrxml));
            Map<String, Object> params = new HashMap<>();
            Map<String, Object> given = r.containsKey("params") ? Json.obj(r.get("params")) : new HashMap<>();
            for (Map.Entry<String, Object> e : given.entrySet()) {
                Object v = e.getValue();
                params.put(e.getKey(), v instanceof Number ? (Object) Integer.valueOf(Json.n(v)) : v);
            }
            params.put("PAGE_OFFSET", offset);
            List<Map<String, ?>> rows = new ArrayList<>();
            for (Object row : Json.list(r.get("rows"))) {
                Map<String, Object> m = new HashMap<>(Json.obj(row));
                rows.add(m);
            }
            JasperPrint print = JasperFillManager.fillReport(report, params, new JRMapCollectionDataSource(rows));
            prints.add(print);
            List<Object> pages = new ArrayList<>();
            for (JRPrintPage page : print.getPages()) {
                List<Object> texts = new ArrayList<>();
                collect(page.getElements(), 0, 0, texts);
                pages.add(texts);
            }
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("name", Json.str(r, "name", ""));
            rep.put("offset", offset);
            rep.put("pages", pages);
            out.add(rep);
            offset += print.getPages().size();
        }
        Map<String, Object> pdf = Json.obj(job.get("pdf"));
        JRPdfExporter exporter = new JRPdfExporter();
        exporter.setExporterInput(SimpleExporterInput.getInstance(prints));
        exporter.setExporterOutput(new SimpleOutputStreamExporterOutput(new File(Json.str(job, "out", "out.pdf"))));
        SimplePdfExporterConfiguration conf = new SimplePdfExporterConfiguration();
        conf.setCompressed(Json.flag(pdf, "compressed"));
        conf.setMetadataTitle(Json.str(pdf, "title", null));
        conf.setMetadataAuthor(Json.str(pdf, "author", null));
        conf.setMetadataCreator(Json.str(pdf, "creator", null));
        conf.setTagged(Json.flag(pdf, "tagged"));
        conf.setCreatingBatchModeBookmarks(Json.flag(pdf, "bookmarks"));
        exporter.setConfiguration(conf);
        exporter.exportReport();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("reports", out);
        Files.write(Paths.get(Json.str(job, "report", "report.json")), Json.write(report).getBytes(StandardCharsets.UTF_8));
    }

    static void collect(List<JRPrintElement> elements, int dx, int dy, List<Object> texts) {
        for (JRPrintElement e : elements) {
            if (e instanceof JRPrintFrame) {
                JRPrintFrame f = (JRPrintFrame) e;
                collect(f.getElements(), dx + f.getX(), dy + f.getY(), texts);
            } else if (e instanceof JRPrintText) {
                JRPrintText t = (JRPrintText) e;
                Map<String, Object> m = new LinkedHashMap<>();
                String full = t.getFullText();
                m.put("s", full == null ? "" : full);
                Integer cut = t.getTextTruncateIndex();
                m.put("shown", full == null ? "" : cut == null ? full : full.substring(0, Math.min(cut, full.length())));
                m.put("trunc", cut != null);
                m.put("x", dx + e.getX());
                m.put("y", dy + e.getY());
                m.put("w", e.getWidth());
                m.put("h", e.getHeight());
                String tag = e.getPropertiesMap() == null ? null : e.getPropertiesMap().getProperty("deck.tag");
                if (tag != null) {
                    m.put("tag", tag);
                }
                texts.add(m);
            }
        }
    }
}
