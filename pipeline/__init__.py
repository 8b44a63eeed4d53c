"""scorecards' pure core: PDF deck → cells → records → DuckDB tables → views. No Dagster here.

Subpackages follow the data: `extract` (PDF → cells → records), `clean` (text, values, codes),
`warehouse` (records → tables → views), `ingest` (which files to parse, bounded parsing, the parse
cache). The entry points are importable from here, so scripts survive moves inside the package;
they load on first use, so `import pipeline` alone stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Bump when a parser change should reach decks parsed before: cached parse results carry it.
# 2: parse results carry plausibility findings (pipeline.extract.plausibility).
# 3: the extraction fixes for decks from other tools (issue 6); a cached version-2 parse may be wrong.
# 4: further extraction fixes for unseen tools (issue 6): a version-3 parse may be held back or wrong.
# 5: extraction fixes for more unseen decks (issue 6): a version-4 parse may be held back or wrong.
# 6: embedded encoding CMaps, run backgrounds, labels over a ruled top or broken over a page (issue 6).
# 7: decks from Qt, upLaTeX, pdfmake (label spans, row cuts, wrapped headers; issue 6).
# 8: decks from jsPDF, mPDF, ConTeXt (header cells drawn cell by cell, stacked year labels, running footers,
#    text drawn back over its code or across a cell border, a page number under text; issue 6).
# 9: decks from TCPDF, Dompdf, PDFBox and handouts (running headers mid-page, hidden text, a year label
#    after another cell's letter, a value set at the top of its cell, a footnote mark heading a row's line,
#    objective labels printed on every row).
# 10: decks from Calligra, ConTeXt, Scribus, Dompdf (an objective label broken over a page, a theme's
#    table begun headerless on the page after its title, KPI codes printed but never read held back,
#    a year row under a tall header row, a 權重 label beside a year label's end).
# 11: decks from react-pdf, Firefox, iText 5, Flying Saucer and PDF::Table (a browser's print header and
#    footer, a table's footer rows, text set far off the page, letters a space apart, loose leading, a
#    repeated header's stacked year labels, a year row moved to the next page, plans coded under the KPI
#    below, plan codes broken by a space, a repeated header printed as one label).
# 12: decks from pdfjs (rkusa), R's graphics devices, react-pdf and PDF::Table (a form drawn outside
#    q/Q no longer moves the text after it, rules a later cell paints over, header labels set close or
#    wrapped word by word, plans of the KPI below counted apart, a note set apart at a read cell's end).
# 13: decks from matplotlib, MuPDF's HTML layout, pdfme and Asciidoctor PDF (a glyph between two close
#    lines joins the nearer, turned glyphs hung by the usual descent, a footnote mark in 備註 cut from
#    the next cell's value, fill edges through text or a header without years open no continued table,
#    a 構面 name right above a header opens its rows, running titles, '©' for '(C)', prawn-table's
#    rows drawn up in the row above, a cell drawn right after its column's label is no label's end).
# 14: decks from Calligra Sheets, Paged.js, Vivliostyle, calibre and re-prints by LibreOffice Draw and
#    Inkscape (a running header atop every page, a continued grid laid out afresh, a heading broken at
#    a page foot, fake-bold copies drifted apart, /ActualText spans, closing words under the last table,
#    the office's scorecard as page header, labels set tighter than their letters are wide, a row's
#    end alone atop the next page held back).
# 15: decks from WebKitGTK, rst2pdf and LibreOffice Draw re-prints (a row broken across pages read
#    whole: its plans' first line at the page's foot, its end atop the next; a running header below the
#    top margin's share; a head repeated without its year row boxed in rules; text run across a column
#    edge the header draws held back).
# 16: decks from Apache POI's slide renderers (XSLF and HSLF) and Calligra Stage (a row's spanning
#    cells begin under the band row that opens it; a turned 構面 name beside an empty 構面 column is its
#    label; a tab parts the runs it stands between; the perspectives' initials name the letters a deck's
#    own KPIs do not tie; a value's digit set a letter a line is no page number; large closing words a
#    line of their own type under a table without rules are no cell's).
# 17: documents from pandoc printed by LibreOffice Writer, FPDF's Chinese add-on and calibre (two
#    header labels set a letter apart parted where their letters follow in no label; year labels
#    opening with their year cut before each year, and a '值' after a year whose 年 is wrapped;
#    closing words 1.3 times the table's type half a line of theirs below it are no cell's; a band's
#    name wrapped in a narrow cell read joined; a row broken over the page ends the objective, KPI
#    name and plan before; ETenms-B5-H laid over the ETen-B5-H it is built on).
# 18: decks from Aspose.Slides and Aspose.Words, PDF::Table and pandoc (text stamped over the cells at
#    twice their type is no one's, there and where it stands again; a path's rules from its straight
#    segments only, upright to within a thin line; text sheared on an upright baseline is italic text;
#    a label's wrapped line up to 1.3 em below; UTF-8 printed as Windows-1252 is no broken map; a page's
#    own number centred a line below its text is furniture; an unread column's end atop the page spoils
#    no row; plan years outside ROC 90-199 and units run on with a neighbour's text are held back).
# 19: decks from Aspose.Words again (a path that bends and slants, a letter's or a logo's outline, gives no
#    rules, nor does a segment ending where it starts; a copyright notice is furniture; printed mojibake
#    with letters the font lacks, as .notdef, is no broken map; from Aspose.Cells: two header cells' labels set
#    close are cut where the letters go on in no label's word; a running header whose words change; text a
#    clipping path hides over text the page shows is not read; a header cell holding only the start of an extra
#    column's name, '權' of 權重, is that column).
# 20: decks from Aspose.Cells, MuPDF, Ghostscript-distilled PostScript and pdfLaTeX's CJK package (a rule
#    through a code line's upper half is its row's top where none stands clear above it; a text line
#    crossing a row edge goes whole where most of its letters go; a ruled objective cell coded for other
#    rows is no cell; a deck is unreadable by how many different glyphs name no character, and a field
#    read holding one is held back; a band row's label across a drawn border, a '%' run past an unread
#    column's edge; text at one place on every page from the first is a slide master's; an uncoded plan
#    line level with a row's code is the row's own).
# 21: decks from pdfLaTeX's CJK package again, Spire.Presentation, Spire.Doc and Spire.XLS (a smaller theme
#    title above a larger one in the page's top fifth is a running header's, below the top margin too; the
#    strategy map's title names the office with the map's date beside it; large text is a stamp only over
#    smaller text drawn before it, from 1.5 times the cells' type, and across a table's grid over text or
#    not; a hidden character over shown text goes with its hidden run).
# 22: decks from Spire.XLS again and Aspose.HTML (text drawn after all of a page's smaller text is a
#    stamp over one of its glyphs from 1.25 times its size, or amid it as large as a stamp; a theme
#    title's glyphs are no cell's; a number set across its value cell's drawn border is that cell's; a
#    column edge placed where no gutter is clear never runs through a number).
# 23: decks from rinohtype, Flying Saucer handouts and Syncfusion's PdfGrid (a unit glued to a number
#    across its value cell's drawn border goes with the number; a page number beside a theme title counts
#    up too; a footer at the page's very foot is no row's text cut off).
# 24: office decks printed through a PostScript printer driver (a running header that begins in the top
#    margin is one though it ends below it; a table's header labels right under a running header stay).
# 25: jsPDF's html() (a KPI under a blank 策略目標 cell whose code names another objective takes the label
#    the next KPI prints first on the next page: a merged cell broken over a page, labelled there only).
# 26: decks exported as notes pages (a slide framed small above its speaker's notes is read alone, scaled
#    up; a notes page printing slides read before adds nothing); a run naming a theme or the strategy map
#    is never a stamp (Gnumeric's map title run on across white cell fills).
# 27: full-width punctuation ending its run measured by its ink (a hung '、' hid a column edge); a KPI
#    name beginning with its row's value while a cell is blank, and a word cut by an edge fitted to a
#    continued page without a header, hold the deck back; a continued page laid out afresh takes its
#    edges from its own text blocks; a bare year set after another cell's label, a code cut at its dot;
#    a comparator set tight after a value, a line naming one perspective under a header, text set apart
#    under a closing rule, or inside a cell drawn on past it.
# 28: a strategy map's date printed alone on the page after the map (Aspose.Cells: a map sheet wider
#    than the paper prints its last columns on a page of their own); a band row level with plans run
#    on past their row; a continued page's grid drawn by cell fills; two values meeting across a
#    border; a glyph a later fill covers in part stands where it shows (see painted_over); a kept
#    edge moves to the gutter beside it, and cuts no unit off its number; a number over a header
#    corner read within its run; a plan code spaced before its dot; words under a year label are
#    no label's end; a note pushed atop the next page is furniture as a whole line; a number split
#    between two columns, or a plan name holding a plan code, holds the deck back; a glyph its clipping
#    path cuts carries the clip (R's gridExtra clips each cell's text to its cell): a line run on past
#    its cell's side, hidden there, stays and is its cell's, and only a glyph's shown part lies over another.
# 29: columns of vertical writing (a spreadsheet's vertical text wrapped into columns in a narrow 構面
#    cell, overhanging it) are never cut apart by a column edge; a comparator set over a value cell's
#    border before its number runs nothing across it; a value opening after words starts a run however
#    near them (Calc's status note filling its cell up to the next year's number); a theme title is
#    found in its own type size under a notice printed over it (Spire.Doc); a word set apart after a
#    year label's first line ('目標值(111 備', its 年 wrapped) is another cell's; a stub of a drawing (a
#    watermark's stroke) under the header is no column rule; a printed code is read within what was drawn
#    in one go (a wrapped plan code set just before a value is no code run on into it); a run drawn last
#    on a page counts for the pages after however large it is there (Spire.Doc's notice on a profile
#    page, then over a table's blank); a head's year row repeated alone over a continued table
#    ('106' / '年', Spire.Doc) is no row of it; text the page clips away atop a page is no row's end;
#    a value, note or plan run on past a row of fixed height atop the next row's cell goes back to its
#    own (see row_overflow).
# 30: a table under a title right below its page's own header takes its columns from that header;
#    a dashed or dotted rule's dashes meet at no cell's edge; a logo drawn as outlines and rectangles
#    gives no rules; a line a fill painted after it covers wholly is buried, and a cell's line run on
#    under the next row's fill goes back to the cell above (see row_overflow); a number its cell took
#    whole across an edge is no text run into a column not read; a title the page clips away names no
#    theme; a row whose KPI cell the page clips away gives way to its copy shown elsewhere; a dotted
#    line drawn dash by dash keeps the dashes a letter's box reaches over; a page number between
#    hyphens of any kind is furniture; a title in the top margin naming only the code of a title
#    below it is a running header's; a stacked header label's lines are drawn one after the other
#    (a value's first line printed up over it is the value's); a bare band name wrapped before its
#    構面 takes that word along; a percentage ending a text cell, run over its border into a value
#    cell, goes back to that cell.
# 31: a slanted line (pdfplumber calls it upright) and a path stroked with a pen broader than a rule
#    that bends or slants (a trial mark's letters) give no rules; a word set apart after a year
#    label's first line that ends in its bracket or inside its year ('目標值(1 權') begins a cell;
#    a footer or a slide master's text a tool jitters letter by letter (an evaluation notice) is
#    still that, with a letter it drops to the line below.
# 32: a header label in words no column is known by ('承辦科室', '計算公式'), over text of its own,
#    is a column that is not read; a year row beside such a label's first line keeps its years;
#    a line naming two columns is never a running header; no 行動方案 column beside an unread
#    one holds the deck back; a footnote naming 實際值/目標值 is no header; a header row's last
#    label is not the first row's raised text; a label's first line above the others may be in
#    any letters ('項' / '次'); a running footer's words wrapped over two lines mark them both;
#    a year label cut at its cell's edge ('目標值(112') keeps its year; a year row is told from a
#    title's or a note's year by its labels ('110年實' / '際值' beside '編' / '號'); a first
#    column's text set far left of its centred label is under it.
# 33: two glyphs a drawn column rule parts are two cells' text; the unread-column net reads the
#    body's text, furniture aside (a sources note); a continued table's edges placed by this page's
#    header are no fitted ones; a label of a letter per line may set them a line or two apart; a
#    turned number alone is a row's number; a deck whose codes bear only initials follows them.
# 34: a line set solid under a run keeps it from a running header; a band row's name wrapped a
#    letter a line is read joined; a letter overrunning its narrow cell's border is cut from the
#    next cell's label; a header is raised to a line of short runs beside an unknown label's, and
#    by the runs above it on its labels' line; a two-letter unknown label's second letter over the
#    first row ends it; a header line's labels set close in one run count as the columns they
#    name; row numbers under a blank head are a column; a band's name wrapped under a header is
#    no '構面' label; a code line a row edge runs through stays in its row; cells level within
#    0.6 em; a repeated head row naming two columns is column names whatever else it says.
# 35: a bare year set well apart after a whole '實際值' begins the next cell's label; text ending at
#    the page's foot over its cell's border drawn right under it is whole; a code run edge to edge
#    over a drawn border is held back; fitted edges leaving a column empty are re-fitted from the
#    page's blocks (the KPI codes' block cut where white space runs down before it); a continued
#    grid's rules are read from the body's text down (under a band row); a gap as wide as a
#    letter-spaced run's others is no gutter; the header labels' split tested only where glyphs
#    stand apart (speed).
# 36: a hidden copy of shown text, wholly outside its clip and apart from the text shown, is
#    dropped (a header repeated under the page's content clip); turned labels set from their ruled
#    cells' tops go to the cells their tops lie in; the wrapped lines of labels begun on the
#    header's top line are the header's, whatever their words; a stacked cell that reads across
#    cells a letter wide is its columns of letters; text under a row's line is no running header;
#    a map title cut or wrapped before its last letter names the map, and the map's title line
#    and date are read in each type size too (a watermark across them); a turned 構面 name in a
#    column beside its own, level with none of that column's text, is its label; a text line's
#    tail of a letter or two run on past its cell's drawn border is its cell's.
# 37: a comma hung past its cell's border is that cell's; a running footer printed over a
#    table's last line is furniture; a number cut at a separator by an undrawn value column edge
#    goes whole to its cell, and two numbers grouped whole set edge to edge are no number cut;
#    one-letter header cells drawn evenly letter-spaced are one label; a running header drawn a
#    fraction of a point aside is the same run; text hidden in the page's margin past its content
#    area is dropped (a row broken at a page's foot); a text cell's line run on into the next
#    cell's text, its cell going on below, holds the deck back; a header line of a letter and a
#    label, with a letter a line under that letter, is two labels ('項構面' / '次').
# 38: a line under a table's closing rule at its column's line pitch is the last cell's; this
#    page's number with the deck's page count ('4/7') in the margin is furniture; '值(105年)' is a
#    year's label; a running title at a learnt spot is running as low as the spot was learnt; a
#    letter a line ending beside a label at its cell's foot is two labels ('序' / '號策略目標'); of
#    gaps alike between rows, the one leaving the row above lined up; row numbers wholly left of
#    the first label in a table without rules are a column; a band row under a header with no
#    rows yet is no label's line; a run level with a header line in its type is no running
#    header; a number drawn right after a status note begins the next cell; year labels spaced
#    before their '年' are cut at each year; the end of a perspective's name set a letter a line
#    above a table's rows names them; names opening with a row's number, and text drawn against a
#    cell's line at an unread column's edge after the cell's next line, hold the deck back.
# 39: a closing rule drawn in pieces at one height closes the table; a ruled 構面 cell holding
#    two whole names means the rules are not its borders; a tool's evaluation notice goes
#    wherever printed; the page's number and count drawn over a plan's letters are furniture; a
#    value drawn apart from the words before it starts its column however close; a bare
#    perspective name amid a cell's wrapped lines is no band row; a cut leaving two rows'
#    numbers in one row is wrong; a cell left with the row's unit and a remark holds the deck back;
#    letter spacing is measured past the space glyphs set between letters.
# 40: a continued table laid out afresh is cut into blocks at word spaces when gutters find too
#    few, its label and objective edges from blocks too; values a hair after a name that fills
#    its cell start their column when each number is drawn apart or a gutter away on its line; an
#    objective read as its code alone takes the name printed atop the next page under the
#    repeated header; letters a header cell's border parts are two cells' for the unread-columns net;
#    a label's end never lies wholly under the rule closing the header, and a plan's last line
#    alone atop a continued table ends that plan; words set apart after a whole bracketed label
#    begin the next cell's label; the office's name is read without a wrapped deck title beside it.
# 41: a strategy map's date cut short ('111.02.2') is not read; a theme title whose words 策略主題
#    are set in two sizes is read; rows below the last 構面 label's block whose label the page
#    does not print await it (read with no perspective, not the label above).
# 42: a line a page break cuts through, drawn on both pages each clipped to its content area, is
#    read once, on the page it begins on; an objective shown by its code only before a page break
#    is named by the uncoded cell atop the next page under its KPI; a running footer drawn apart
#    within a run a cell's text runs into is still furniture; short upright pieces of a letter's
#    outline poking out of its box are no column borders; glyphs at one spot are read in drawing
#    order; a glyph box hung by a wrong declared descent is hung from its baseline; a spreadsheet's
#    '#####' holds the deck back.
# 43: a page number beside the same words page after page counts up as one; a slide master's text
#    printed once a slide on a handout page is furniture at each slide; a line run on past its
#    cell's clip on a page printed sideways stays with its line; a border need cross only the
#    height two glyphs share to part them; quarter-turned oblique text is read, not dropped; a
#    two-letter label's second letter may fall as far under it as the header's other label ends.
# 44: year labels' wrapped lines beside the end of a label no column is known by ('序' / '號')
#    are the header's; a KPI's or plan's name ending with its page's bare number holds it back.
# 45: a bare number at a spot the next page prints the number after is a page number, the
#    deck's first one too (looked at ahead, see numbers_counted_on).
# 46: a line of bare years beside a label's end is the header's when header letters end them on
#    the line below ('(108' / '年)').
# 47: text in a 構面 or 策略目標 column under a table's closing rule drawn past that column only
#    is the merged cell's, run on to the next page (ConTeXt's label centred on the row's rule).
# 48: row numbers under a blank header cell are a column beside 構面 band rows run over its rule.
# 49: a repeated head row whose cells, wrapped a word a line, name two columns opens no table; a
#    page number taken from a value cell read blank holds the deck back (unread_text).
# 50: an objective label under the last band row at a page's foot opens the next page's first row's
#    objective (a row broken inside its 策略目標 cell); one no row takes holds the deck back.
# 51: a page of upside-down text is read turned half round; codes in turned text on an upright
#    page count as printed; an ideograph boxed under 0.75 em fills its em at a drawn rule.
# 52: a run in the margin one page short of a running footer is one when the next page prints it.
# 53: a glyph printing several letters ('(cid:18)') no longer fails a page where a column edge
#    is placed (the deck is rejected for its text layer, with the reason).
# 54: an objective label carried from a page's foot that the next row prints again is taken.
# 55: a name repeating a run of five ideographs or more back to back holds the deck back.
# 56: a code letter glued on over a drawn border, its box begun on the border's near side, is the
#    code's though its neighbour's box ends short of it (a re-print's narrower '.'); uncoded lines
#    alone in the KPI column of a stretch without a row of its own end the last KPI's name; a
#    letter drawn after the header a wrapped line further down is no label's end, and lines under
#    the header that skip a line are no label's wrapped end.
# 57: a page drawn as a form onto a sheet (two pages a sheet) has the form's box for its edges:
#    text hidden in its margins, under its content clip, is no text of the sheet.
# 58: a line cut by the page's foot whose rest the next page drops is read at the foot as shown
#    (a theme's title there names the theme).
# 59: copies of a turned glyph (a fake-bold title on a slide printed sideways) are matched along
#    their own line, which runs down the page.
# 60: a page whose text is all turned is read sideways however little it holds.
# 61: a notes page's slide frame is looked for once the page is turned upright (notes pages
#     printed sideways).
# 62: a two-letter label wrapped in a narrow header cell and centred on the line of one-line
#     labels, a line above it and a line below, is the header's ('項' / '次').
# 63: a theme title of a code alone ('策略主題D', a sheet's name) names that code, and goes on
#     with the theme read last when the code is its; names_free_of_furniture sees a code named
#     for some KPIs and not for others.
# 64: names_free_of_furniture sees a page's print stamp ('列印日期') in any name.
# 65: a notes page's background is any rule on or past the page's edges or right across it (a
#     page shown inside a larger sheet).
# 66: the glyphs of a font whose width table is broken (most ideographs boxed with no width) are
#     boxed as wide as they are set apart (font_widths).
# 67: a label and its value ('地理位置：…東北部') names no office; a strategy map's date set level
#     with its title, a little higher, is read with the map on a page that also holds a table.
# 68: a cell's line whose top stands inside a table's region is the table's, its middle past it.
# 69: a sheet printing several pages as forms of one size (n-up) is read as those pages, each at its
#     own size with the text its form drew past its edge; kpis.page is the sheet's PDF page.
# 70: a sheet's or notes page's slide read at its own size has its positions snapped to a thousandth
#     of a point; a '<' opening ideographs never closed holds a deck back (cells_readable).
# 71: a header whose band holds only text raised from the row under it looks for no 構面 name above
#     it (it crashed the page's reading); a run hidden by its clip atop a page that is a piece of
#     the last objective's label (a spreadsheet's merged cell drawn on the next page) is no one's.
# 72: forms of different sizes, all drawn smaller, are the pages of a sheet too (pages of different
#     sizes fitted four to a sheet), and a sheet's page may be as small as 2% of it.
# 73: a letter's outline drawn over it (cairo re-printing stroked bold text) is told from a rule by
#     the letter's box as the glyphs are read: hung from the baseline, and as wide as it is set.
# 74: glyphs drawn upside down are hung from their baselines too, and the clip and the fills
#     painted over glyphs see a quarter-turned glyph in the box it is read in.
# 75: a fill painted behind a run of quarter-turned text (a page printed sideways) is that run's
#     background, not a cell's: matched down the page, as tall as the text.
# 76: a header label's next line may ride up into it by 0.15 em (pdfbox boxes glyphs by the font's
#     whole height), and lines stacked right above the labels' line are the header's (a header
#     set at its cells' feet wraps narrow labels upward).
# 77: a deck printed several pages a sheet may have fewer pages than its sheets hold until its
#     last sheet is read: a footline's '4/7' is the page's number and count on a 2-up print too.
# 78: kpi_codes_match_theme holds back KPIs read under a theme with no code in a deck whose other
#     themes are coded (a theme title missed, other text taken for it).
# 79: a number's letters stacked a line each are a value's even when the lines' boxes overlap a
#     little (Apache POI's slide renderer): no letter of it is taken for a page number.
# 80: a Latin full stop or comma boxed half an em wide (a CJK face's half-width form) ending its
#     run inks its left half only: the rest may be the gutter the next column's text starts in.
# 81: a year set apart after a label's line whose own year stood on the line above ('109' / '年實際')
#     begins the next cell's label: narrow year cells wrapped three lines deep are read.
# 82: plan lines alone under a header at a page's foot (a row broken right under it, its top-set
#     plans cell's first code above the break) open the plans of the next page's first row.
# 83: a stacked 構面 label whose 構面 its cell's clip cut short ('學習成長構') ends where a letter
#     that goes on with no label begins the next one ('財務構面').
# 84: a glyph a Type0 font's /ToUnicode leaves out is named by the embedded TrueType face's own cmap
#     (PoDoFo omits a glyph its face shares between two characters: 高 and the radical ⾼).
# 85: a column a headerless continued page leaves empty is a blank cell when it is a value column
#     and every other holds one block: the columns are not fitted afresh to its text (a lone row
#     whose code's name, a word space after it, was cut from it).
# 86: a new check, value_units_agree (a KPI's values in two units: a row read a column off).
# 87: a glyph an empty /ActualText silences keeps its font's text unless it is a fake-bold copy
#     of a glyph drawn beside it (pdftocairo writes one over a glyph it could not name).
# 88: text in the top margin under a line naming columns is no running header (a table drawn
#     small, its first row's status note at the spot the page before printed it).
# 89: a line a page's foot cuts through that lacks letters the next page draws atop it (cairo drew
#     no glyph whose ink the clip hid: '.' lost, '7.5' read '75') is read on the next page, whole.
# 90: a continued page's grid of rules is no grid when its cells leave a column empty or cut words
#     (a page's background and row fills making up the count).
# 91: a noncharacter (U+FFFE, U+FFFF, U+FDD0-FDEF) is a glyph named no character (mutool
#     re-writes a map so that '≧' reads U+FFFF).
# 92: a run under a column's label, clear of the label before, begins that column (values flush
#     left under a narrower centred label); a new check, plan_names_free_of_values.
# 93: glyphs a fill covers between shown glyphs of their run keep their line (a PostScript driver
#     draws a line glyph set by glyph set, the next cell's fill painted between two sets).
# 94: a glyph set in vertical writing (negative advance: pdfminer boxes it from its origin at its
#     top) is never hung from a baseline (uplatex's stacked 構面 labels stood a line too high).
# 95: with no rule across the header, a numbering column under no label is the words wholly left
#     of the first label, its edge in the gutter after them (a first cell centred wider than its
#     label starts left of it).
# 96: two year columns' labels drawn over each other ('109年' over '實際值', calibre's repeated two-row
#     header) are no header printed over a row's text.
# 97: ... only labels of the table's own year columns: a '30年' drawn over a label is a row's text.
# 98: a table's lowest line ending at the foot of its cells' clips, in two columns or more and on
#     no other line, is cut off by a frame (a two-up re-print that keeps what each slide shows).
# 99: header labels drawn over each other are excused whole, not year labels only: a column's name,
#     a numbering column's ('序號' run on over a stacked '構' / '面', PDFKit), a year label of the table's.
# 100: a turned page's CropBox is applied, placed as pdfplumber places its characters (crop_box); a
#      sheet of several pages, turned by its /Rotate, is read in the order it reads turned upright.
# 101: the letters of a label stacked a letter a line, hidden by one clip, go as one run when one lies
#      over shown text (a merged 構面 label over the next page's repeated header, Aspose.Cells).
# 102: text hidden in a page's margin past its content area is looked for down the page as it reads:
#      beside that area on a page its /Rotate turns (a row's top sliced into the turned page's margin).
# 103: a page whose text all stands upside down is read turned half round however little it holds;
#      a stacked label's letters are stacked along their own line's direction (a turned page's too).
# 104: a row's cell that shows text and took in text the page shows only a sliver of (a line cut
#      through by a page's edge, each glyph clipped to its top by a cairo re-print) holds the deck.
# 105: a line a page break cuts through is measured in the frame its text is set in: a page its
#      /Rotate turns has its top and foot to its sides, or swapped (qpdf --rotate re-prints).
# 106: row numbers under a blank header cell ruled off in the header only (its cells' fills' edges,
#      Scribus) are parted from the first column's text by the gutter before that rule.
# 107: a font's broken width table is repaired along every line's direction: right to left upside
#      down, down or up the page quarter turned (qpdf --rotate re-prints of cairo's zero widths).
# 108: the sliver check (104) looks only at glyphs clipped to their own width (a re-printer's clip): a
#      cell's clip cutting a line run past the cell's foot leaves the cell's text read (ActiveReportsJS).
# 109: quarter-turned glyphs' boxes are given to the rule finder as upright ones are: a turned page's
#      bold title drawn as outlines is letters, not rules cutting the columns (qpdf --rotate of f434).
PARSER_VERSION = 109

_ENTRY_POINTS = {
    "parse_pdf": "pipeline.extract.parse",
    "RejectedDeck": "pipeline.extract.parse",
    "ParsedDeck": "pipeline.model",
    "ParseOutcome": "pipeline.model",
    "Kpi": "pipeline.model",
    "sha256_of": "pipeline.identity",
    "deck_id_for": "pipeline.identity",
    "parse_bounded": "pipeline.ingest.sandbox",
    "StagingArea": "pipeline.ingest.staging",
    "publish": "pipeline.warehouse.publish",
    "load_outcomes": "pipeline.warehouse.load",
    "load_config": "pipeline.warehouse.config",
}
__all__ = ["PARSER_VERSION", *_ENTRY_POINTS]


def __getattr__(name: str) -> Any:
    if name not in _ENTRY_POINTS:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    return getattr(import_module(_ENTRY_POINTS[name]), name)
