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
import java.util.Map;
import org.xhtmlrenderer.pdf.ITextRenderer;

class FlyingSaucerDeck {

    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        Map<String, Object> job = Json.obj(Json.parse(text));
        Object dpp = job.get("dpp");
        ITextRenderer renderer = dpp == null
                ? new ITextRenderer()
                : new ITextRenderer(((Double) dpp).floatValue(), 20);
        for (Object f : Json.list(job.get("fonts"))) {
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
