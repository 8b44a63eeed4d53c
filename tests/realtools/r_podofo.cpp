// Draws one deck laid out by r_podofo.py with PoDoFo 0.9 (the C++ PDF library of KDE-era and back-office tools),
// the way such code paints reports on a PdfPainter:
//     podofo-deck measure job.json   -> JSON on stdout: widths of characters (size 1000), PoDoFo's own line breaks
//                                       (PdfPainter::GetMultiLineTextAsLines) and line spacing of each font
//     podofo-deck draw job.json      -> writes job.out
// job.fonts: {key: {file, embed: "subset"|"whole"}} loaded by PdfDocument::CreateFontSubset or CreateFont (Identity
// encoding: Type0 Identity-H); job.pages: [{w, h, ops, over}]: `ops` painted as the page is made, `over` in a second
// painter session over the finished document (a second content stream).  Ops in PDF points from the bottom left:
// text {x, y, size, font, s, color, angle, fake, alpha}, mtext {x, y, w, h, size, font, s, align, valign, color,
// fake} (DrawMultiLineText: PoDoFo's own wrapping), line {x0, y0, x1, y1, w, color}, rect {x, y, w, h, fill, stroke,
// lw}.
#include <podofo/podofo.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

using namespace PoDoFo;
using json = nlohmann::json;

static PdfString u8(const std::string& s) {
    return PdfString(reinterpret_cast<const pdf_utf8*>(s.c_str()));
}

struct Deck {
    PdfMemDocument doc;
    std::map<std::string, PdfFont*> fonts;
    std::map<int, PdfExtGState*> alphas;

    void load(const json& spec) {
        for (auto& [key, f] : spec.items()) {
            std::string file = f["file"];
            std::string name = f.value("name", key);
            PdfFont* font;
            if (f.value("embed", "subset") == "subset") {
                font = doc.CreateFontSubset(name.c_str(), false, false, false,
                                            PdfEncodingFactory::GlobalIdentityEncodingInstance(), file.c_str());
            } else {
                font = doc.CreateFont(name.c_str(), false, false, false,
                                      PdfEncodingFactory::GlobalIdentityEncodingInstance(),
                                      PdfFontCache::eFontCreationFlags_None, true, file.c_str());
            }
            if (!font) throw std::runtime_error("cannot load font " + file);
            fonts[key] = font;
        }
    }

    PdfFont* font(const json& op, PdfPainter& p) {
        PdfFont* f = fonts.at(op["font"].get<std::string>());
        f->SetFontSize(op["size"].get<float>());
        p.SetFont(f);
        return f;
    }

    static void color(PdfPainter& p, const json& c, bool stroke) {
        if (stroke)
            p.SetStrokingColor(c[0].get<double>(), c[1].get<double>(), c[2].get<double>());
        else
            p.SetColor(c[0].get<double>(), c[1].get<double>(), c[2].get<double>());
    }

    void draw(PdfPainter& p, const json& op) {
        std::string t = op["t"];
        if (t == "line") {
            color(p, op["color"], true);
            p.SetStrokeWidth(op["w"].get<double>());
            p.DrawLine(op["x0"], op["y0"], op["x1"], op["y1"]);
        } else if (t == "rect") {
            p.Rectangle(op["x"], op["y"], op["w"], op["h"]);
            bool fill = !op["fill"].is_null(), stroke = !op["stroke"].is_null();
            if (fill) color(p, op["fill"], false);
            if (stroke) {
                color(p, op["stroke"], true);
                p.SetStrokeWidth(op["lw"].get<double>());
            }
            if (fill && stroke)
                p.FillAndStroke();
            else if (fill)
                p.Fill();
            else
                p.Stroke();
        } else {
            text(p, op);
        }
    }

    void text(PdfPainter& p, const json& op) {
        double angle = op.value("angle", 0.0) * M_PI / 180.0;
        bool alpha = op.contains("alpha") && !op["alpha"].is_null();
        bool state = angle != 0 || alpha;
        if (state) p.Save();
        if (alpha) {
            int a = static_cast<int>(std::lround(op["alpha"].get<double>() * 100));
            if (!alphas.count(a)) {
                alphas[a] = new PdfExtGState(&doc);
                alphas[a]->SetFillOpacity(a / 100.0f);
            }
            p.SetExtGState(alphas[a]);
        }
        font(op, p);
        color(p, op["color"], false);
        bool fake = op.value("fake", false);
        if (fake) {
            color(p, op["color"], true);
            p.SetStrokeWidth(op["size"].get<double>() / 30);
            p.SetTextRenderingMode(ePdfTextRenderingMode_FillAndStroke);
        }
        PdfString s = u8(op["s"]);
        if (op["t"] == "mtext") {
            EPdfAlignment al = op["align"] == "center" ? ePdfAlignment_Center : ePdfAlignment_Left;
            EPdfVerticalAlignment va = op["valign"] == "center" ? ePdfVerticalAlignment_Center : ePdfVerticalAlignment_Top;
            p.DrawMultiLineText(op["x"], op["y"], op["w"], op["h"], s, al, va, true, true);
        } else if (angle != 0) {
            p.SetTransformationMatrix(std::cos(angle), std::sin(angle), -std::sin(angle), std::cos(angle), op["x"], op["y"]);
            p.DrawText(0, 0, s);
        } else {
            p.DrawText(op["x"], op["y"], s);
        }
        if (fake) p.SetTextRenderingMode(ePdfTextRenderingMode_Fill);
        if (state) p.Restore();
    }

    json measure(const json& job) {
        json out = {{"widths", json::object()}, {"lines", json::array()}, {"spacing", json::object()}};
        for (auto& [key, chars] : job["widths"].items()) {
            PdfFont* f = fonts.at(key);
            f->SetFontSize(1000);
            const PdfFontMetrics* m = f->GetFontMetrics();
            json w = json::object();
            std::string s = chars;
            // one character at a time (UTF-8 sequences)
            for (size_t i = 0; i < s.size();) {
                size_t n = 1;
                unsigned char c = s[i];
                if (c >= 0xF0) n = 4; else if (c >= 0xE0) n = 3; else if (c >= 0xC0) n = 2;
                std::string ch = s.substr(i, n);
                w[ch] = m->StringWidth(u8(ch));
                i += n;
            }
            out["widths"][key] = w;
            out["spacing"][key] = {m->GetLineSpacing(), m->GetAscent(), m->GetDescent()};
        }
        PdfPage* page = doc.CreatePage(PdfRect(0, 0, 1000, 1000));
        PdfPainter p;
        p.SetPage(page);
        for (auto& q : job["lines"]) {
            PdfFont* f = fonts.at(q[0].get<std::string>());
            f->SetFontSize(q[1].get<float>());
            p.SetFont(f);
            json lines = json::array();
            for (auto& l : p.GetMultiLineTextAsLines(q[2].get<double>(), u8(q[3]), true))
                lines.push_back(l.GetStringUtf8());
            out["lines"].push_back(lines);
        }
        p.FinishPage();
        return out;
    }

    void run(const json& job) {
        if (!job.value("compress", true)) PdfStream::eDefaultFilter = ePdfFilter_None;
        std::vector<PdfPage*> made;
        for (auto& pg : job["pages"]) {
            PdfPage* page = doc.CreatePage(PdfRect(0, 0, pg["w"].get<double>(), pg["h"].get<double>()));
            made.push_back(page);
            PdfPainter p;
            p.SetPage(page);
            for (auto& op : pg["ops"]) draw(p, op);
            p.FinishPage();
        }
        // the second pass: running header, footers and watermark over the finished pages
        for (size_t n = 0; n < made.size(); n++) {
            const json& over = job["pages"][n]["over"];
            if (over.empty()) continue;
            PdfPainter p;
            p.SetPage(doc.GetPage(static_cast<int>(n)));
            for (auto& op : over) draw(p, op);
            p.FinishPage();
        }
        if (job.contains("info") && !job["info"].is_null()) {
            const json& info = job["info"];
            PdfInfo* di = doc.GetInfo();
            di->SetTitle(u8(info["title"]));
            di->SetAuthor(u8(info["author"]));
            if (info.contains("creator")) di->SetCreator(u8(info["creator"]));
            if (info.contains("producer")) di->SetProducer(u8(info["producer"]));
        }
        int v = job.value("version", 3);
        doc.SetPdfVersion(static_cast<EPdfVersion>(ePdfVersion_1_0 + v));
        doc.SetWriteMode(job.value("write_mode", "compact") == "clean" ? ePdfWriteMode_Clean : ePdfWriteMode_Compact);
        doc.Write(job["out"].get<std::string>().c_str());
    }
};

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: podofo-deck measure|draw job.json\n";
        return 2;
    }
    PdfError::EnableDebug(false);
    PdfError::EnableLogging(false);
    std::ifstream in(argv[2]);
    json job = json::parse(in);
    try {
        Deck d;
        d.load(job["fonts"]);
        if (std::string(argv[1]) == "measure")
            std::cout << d.measure(job).dump() << std::endl;
        else
            d.run(job);
    } catch (PdfError& e) {
        e.PrintErrorMsg();
        std::cerr << "PoDoFo error " << e.GetError() << ": " << PdfError::ErrorMessage(e.GetError()) << "\n";
        return 1;
    }
    return 0;
}
