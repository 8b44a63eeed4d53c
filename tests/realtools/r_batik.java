// Driver of r_batik.py: SVG pages converted to PDF by Apache FOP's PDFTranscoder (org.apache.fop.svg) on Batik.
// Usage: java BatikDeck <config.xml> <stroked pages, e.g. 1,7 or -> in1.svg out1.pdf [in2.svg out2.pdf ...]
// Prints "batik <Batik version> fop <FOP version>" first, so the Python side can check the versions it ran.
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;

import org.apache.batik.transcoder.TranscoderInput;
import org.apache.batik.transcoder.TranscoderOutput;
import org.apache.fop.configuration.Configuration;
import org.apache.fop.configuration.DefaultConfigurationBuilder;
import org.apache.fop.svg.PDFTranscoder;

class BatikDeck {
    public static void main(String[] args) throws Exception {
        System.out.println("batik " + org.apache.batik.Version.getVersion() + " fop " + org.apache.fop.Version.getVersion());
        Configuration cfg = new DefaultConfigurationBuilder().buildFromFile(new File(args[0]));
        Set<Integer> stroked = new HashSet<>();
        if (!args[1].equals("-")) {
            for (String s : args[1].split(",")) {
                stroked.add(Integer.parseInt(s));
            }
        }
        for (int i = 2, page = 1; i + 1 < args.length; i += 2, page++) {
            PDFTranscoder t = new PDFTranscoder();
            t.configure(cfg);
            t.addTranscodingHint(PDFTranscoder.KEY_STROKE_TEXT, stroked.contains(page));
            try (InputStream in = new FileInputStream(args[i]); OutputStream out = new FileOutputStream(args[i + 1])) {
                TranscoderInput input = new TranscoderInput(in);
                input.setURI(new File(args[i]).toURI().toString());
                t.transcode(input, new TranscoderOutput(out));
            }
        }
    }
}
