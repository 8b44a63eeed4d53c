// The small JSON reader and writer of the Java drivers (r_pdfbox.java, r_javag2d.java, r_poislides.java,
// r_poihslf.java, r_openpdf.java, r_itext5.java, r_flyingsaucer.java), which read the job their Python module
// writes and some write a report back: the JDK has none.  java_driver.compiled compiles it with every driver.
// Values read: objects as LinkedHashMap<String, Object> (keys in order), arrays as ArrayList<Object>, every number
// as a Double, true/false as Boolean, null as null; in strings the escapes b f n r t, u and four hex digits, and
// any other character escaped as itself (quote, backslash, slash).  Written: maps as objects, iterables as arrays,
// strings with quote and backslash escaped and control characters as u00XX escapes, null as null, anything else
// by String.valueOf (an Integer as 3, a Double as 3.0, a Boolean as true).
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class Json {

    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** The value of the JSON text `s` (a single value, whitespace around it). */
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

    /** `o` as JSON text, on one line without spaces. */
    static String write(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                parts.add(write(String.valueOf(e.getKey())) + ":" + write(e.getValue()));
            }
            return "{" + String.join(",", parts) + "}";
        }
        if (o instanceof Iterable<?> it) {
            List<String> parts = new ArrayList<>();
            for (Object x : it) {
                parts.add(write(x));
            }
            return "[" + String.join(",", parts) + "]";
        }
        if (o instanceof String str) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : str.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
        return String.valueOf(o);
    }

    // --- the parsed values, typed -----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }

    /** An array, or an empty list for null. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    static float f(Object o) {
        return ((Number) o).floatValue();
    }

    /** A number rounded to an int (as a float first). */
    static int n(Object o) {
        return Math.round(((Number) o).floatValue());
    }

    /** True only for true (null and false are false). */
    static boolean b(Object o) {
        return Boolean.TRUE.equals(o);
    }

    static float num(Map<String, Object> m, String k, double dflt) {
        Object v = m.get(k);
        return v == null ? (float) dflt : ((Number) v).floatValue();
    }

    static boolean flag(Map<String, Object> m, String k) {
        return Boolean.TRUE.equals(m.get(k));
    }

    static String str(Map<String, Object> m, String k, String dflt) {
        Object v = m.get(k);
        return v == null ? dflt : (String) v;
    }
}
