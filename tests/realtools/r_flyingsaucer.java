// Prints the XHTML of one deck written by r_flyingsaucer.py with Flying Saucer R8 (xhtmlrenderer, on iText 2.1.7),
// the way a Java web application's report export does:
//     java -cp core-renderer.jar:itext.jar:CLASSES FlyingSaucerDeck job.json
// job: {html, out, base, fonts: [path], dpp}.  The faces in `fonts` are registered by
// `getFontResolver().addFont(path, BaseFont.IDENTITY_H, BaseFont.EMBEDDED)` (Flying Saucer files each under the
// face's own family name); faces named by @font-face rules in the document's CSS are loaded by Flying Saucer
// itself.  Then setDocument(file), layout(), createPDF(stream).  Prints {"pages": n} on stdout.
import com.lowagie.text.pdf.BaseFont;
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xhtmlrenderer.pdf.ITextRenderer;

class FlyingSaucerDeck {

    // --- a small JSON reader (the JDK has none) -------------------------------------------------------------

    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            Json j = new Json(s);
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) {
                throw new IllegalArgumentException("trailing JSON at " + j.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    i++; // ':'
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int a = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.parseDouble(s.substring(a, i));
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        Map<String, Object> job = (Map<String, Object>) Json.parse(text);
        Object dpp = job.get("dpp");
        ITextRenderer renderer = dpp == null
                ? new ITextRenderer()
                : new ITextRenderer(((Double) dpp).floatValue(), 20);
        for (Object f : (List<Object>) job.get("fonts")) {
            renderer.getFontResolver().addFont((String) f, BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
        }
        renderer.setDocument(new File((String) job.get("html")));
        renderer.layout();
        try (OutputStream os = new FileOutputStream((String) job.get("out"))) {
            renderer.createPDF(os);
        }
        int pages = renderer.getRootBox().getLayer().getPages().size();
        System.out.println("{\"pages\": " + pages + "}");
    }
}
