"""Every geometric threshold of table extraction, in one place.

Decks come from many tools at many sizes, so distances are in em (multiples of the font size of
the text being compared) wherever text is involved, and in points only for drawing artefacts
(rule thickness, line joins) that do not scale with the text. Shares are fractions of a length.
Each field says, in one line, what the threshold decides.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerances:
    # Glyphs and lines
    axis_epsilon: float = 1e-3  # text-matrix terms below this are zero: upright, quarter-turned or slanted text
    oblique_shear: float = 0.5  # an upright text matrix sheared by up to this share of its height sets italic text
    fake_bold_pt: float = 1.0  # copies of a glyph this close are one glyph overprinted (fake bold)
    ghost_copy_share: float = 0.5  # ... and on one line, copies less than this share of its width apart
    oversized_factor: float = 2.5  # glyphs this many times the median size are stamps or watermarks
    stamp_factor: float = 1.5  # glyphs this many times the cells' size, drawn over text that small, are a stamp
    stamp_last_factor: float = 1.25  # ... or this many times, drawn over it after all of the page's smaller text
    stamp_last_share: float = 0.25  # ... covering this share of one such glyph
    stamp_size_slack: float = 0.02  # ... drawn one after the other in one size, to within this share
    stamp_overprints: int = 2  # ... this many of them printed over the smaller text
    stamp_rules_crossed: int = 2  # ... or printed across this many drawn column rules
    stamp_cell_height: float = 1.5  # ... (rules or fills' edges this many times the run's height)
    undersized_share: float = 0.25  # glyphs smaller than this share of the median size are hidden text
    word_space_em: float = 0.3  # a gap this wide between two glyphs of a line is a space
    half_width_stop_em: float = 0.4  # a Latin '.' or ',' boxed this wide is a CJK face's half-width form, inked left
    narrow_ideograph_em: float = 0.75  # an ideograph boxed narrower than this fills its em all the same (wrong widths)
    bracket_space_em: float = 0.6  # ... and a bracket this far from the text it opens or closes is still set with it
    label_apart_em: float = 0.6  # text this far left of a column name in a header line is another cell's
    rounding_pt: float = 1e-6  # positions computed two ways differ by this much (floating point)
    same_line_em: float = 0.45  # glyphs whose vertical centres are this close share a line
    gutter_em: float = 1.2  # a gap this wide inside a line separates the text of two columns
    frame_slack_pt: float = 2.0  # glyphs may overhang the shown page by this much (rotation check)
    notes_frame_width_share: float = 0.5  # a notes page's slide frame is at least this share of the page wide
    notes_frame_aspect: tuple[float, float] = (1.2, 1.9)  # ... as wide for its height as slides are (4:3 to 16:9)
    notes_frame_bottom_share: float = 0.6  # ... and ends above this share of the page's height
    sheet_text_share: float = 0.9  # a sheet printing pages in forms has this share of its text in them
    sheet_page_area_share: float = 0.02  # ... each form at least this share of the sheet's area
    sheet_size_slack: float = 0.02  # ... all of one size to within this share of it
    sheet_single_scale: float = 0.9  # a sheet's one form drawn at most this scale prints a page smaller
    sheet_overflow_share: float = 0.25  # text this share of a page's height past its frame is still that page's
    descent_em: tuple[float, float] = (-0.35, 0.05)  # a font's declared descent outside this is wrong
    usual_descent_em: float = 0.12  # ... and the glyph box then reaches this far below the baseline
    vertical_advance_share: float = 0.02  # a glyph boxed as long down its line as its negative advance
    # (to this share) is set in vertical writing (see hung._set_vertically)
    sideways_share: float = 0.6  # a page with this share of its glyphs turned is drawn sideways
    sideways_glyphs: int = 6  # ... and at least this many (a cover with one turned caption is not)
    unmapped_chars: int = 3  # a deck with this many different chars mapped to no real character has a broken map

    # Rules (drawn lines, thin rectangles, fill edges)
    thin_rect_pt: float = 2.5  # a rectangle this thin is a drawn line, not a fill
    collinear_pt: float = 1.5  # segments this close on their fixed axis, touching, are one rule
    rounded_rect_bends: int = 8  # a rounded rectangle's outline has at most this many Bézier segments (two a corner)
    dash_pt: float = 3.0  # pieces of a rule this short are a dashed or dotted line's dashes, not cells' borders
    dashed_line_dashes: int = 6  # ... in a row of at least this many, a dashed line (not a letter's outline pieces)
    crosses_share: float = 0.6  # a rule crosses a column or cell when it covers this share of its width
    closes_share: float = 0.8  # a rule closes a whole table when it covers this share of the table's width
    under_header_share: float = 0.5  # a rule under the header covers this share of the header's width
    closing_rule_em: float = 4.0  # a table's closing rule lies at most this far below its last text
    rule_join_pt: float = 2.0  # rules this close to a table or cell edge meet that edge (line joins)

    # Header
    header_run_chars: int = 24  # a header label is at most this many characters long
    bare_year_chars: int = 6  # '110年' alone (no 實際值/目標值) names a year column only when this short
    header_band_em: float = 2.0  # header labels this close vertically belong to one header
    header_years_em: float = 5.0  # ... years this close under 實際值/目標值 with no year yet (a tall top row)
    header_wrap_em: float = 1.3  # a label's next line lies at most this far below it (tall CJK lines set loosely: 1.25)
    header_wrap_overlap: float = 0.5  # ... and overlaps it by this share of the narrower of the two
    header_wrap_tight_em: float = 0.15  # ... or rides up into it by this much (lines set tighter than their boxes)
    letter_wrap_em: float = 2.5  # a label of one letter per line sets them at most this far apart
    header_rule_em: float = 3.0  # the rule closing a header lies at most this far below its text
    run_over_top_em: float = 2.0  # a row's end run over onto the next page stands this near its table's top
    header_fragment_chars: int = 4  # a wrapped header fragment below the labels is at most this long
    min_gutter_em: float = 0.15  # narrower white space inside a table's text is kerning, not a gutter
    split_number_em: float = 0.6  # a point and the digit after it are this close in a number set loose
    unit_chars: int = 3  # a unit after a number is at most this many letters ('元', '人次', '小時')
    aligned_lines: int = 3  # a column whose cells start level on this many lines is left-aligned
    vertical_writing_gap_em: float = 1.0  # columns of vertical writing stand no further apart, nor its lines
    code_name_gap_em: float = 2.0  # a code and the text this close after it on its line are one cell
    vrule_reach_pt: float = 5.0  # a column rule runs at least this far into the body
    vrule_start_pt: float = 20.0  # ... and starts no lower than this below the body's top

    # Rows and spanning cells
    overprint_share: float = 0.4  # two different glyphs overlapping by this share of the smaller are overprinted
    collide_share: float = 0.15  # ... by this share, they are two texts over each other, placed by drawing order
    run_gap_em: float = 1.0  # a glyph drawn next at most this far right of the last goes on with its text
    run_overlap_em: float = 0.15  # ... and overlapping it at most this much (kerning; more is another cell's)
    line_pitch_em: tuple[float, float] = (0.8, 2.0)  # ... and so does one drawn next this far down, leftwards
    straddle_em: float = 0.25  # a line starting this far above a row edge and centred below it overflows the row above
    overflow_gap_em: float = 0.6  # a line this close under a column's last line runs on from it
    stacked_overlap_em: float = 0.15  # ... or overlapping it this much (lines set tighter than their boxes)
    broken_width_em: float = 0.1  # most ideographs of a font boxed narrower: its width table is broken (font_widths)
    offpage_reach_em: float = 5.0  # text past the page's edge this close to the text before it runs on from it
    clipped_reach_em: float = 1.5  # text hidden past its clip this close to text shown runs on from it
    content_clip_share: float = 0.7  # a clip this share of the page wide and high is the page's content area
    sliver_share: float = 0.25  # a glyph its clip shows less than this share of the height of shows a sliver
    band_pad_pt: float = 0.5  # a band row's extent around its text line
    run_background_leading_em: float = 1.0  # a run's fill may be this much taller than its text (a line's leading)
    set_solid_pt: float = 0.1  # glyph boxes this close side by side were set edge to edge, as one run
    box_slack_pt: float = 1.0  # glyph boxes and rules are placed to within this (font metrics, line widths)
    strike_margin_em: float = 0.3  # a rule this far inside a glyph's box, from top and bottom, runs through its text
    label_overhang_em: float = 2.0  # a turned label may overhang its cell by this much
    label_misfit_share: float = 0.5  # a label less inside its span than this is fitted wrongly (see fit_spans)
    label_inside_weight: float = 10.0  # a label's share inside its span outweighs this many em of misplacement
    letter_gap_em: float = 0.3  # letters of one label follow each other at most this far apart
    label_gap_em: float = 1.5  # a vertical gap this wide inside a 構面/策略目標 column separates two labels
    label_leading_em: float = 2.0  # ... unless the lower line goes on with the label (loose leading)
    turned_line_em: float = 2.0  # turned lines of one wrapped label stand at most this far apart
    label_column_em: float = 0.5  # rotated glyphs whose centres are this close stand in one column
    alignment_em: float = 0.5  # turned labels' lines overlapping this much are side by side (see turned.py)
    # Cells whose tops (or middles) lie this close are set level: a word processor sets a line of
    # Latin text alone (a value) up to half an em higher than a line with ideographs in its row.
    cells_level_em: float = 0.6
    centred_em: float = 1.0  # a label this close to the middle of a span is centred on it
    top_set_em: float = 1.0  # a row whose first line starts this close under its top sets cells at the top

    # Theme titles
    title_gap_em: float = 1.5  # a gap this wide on a title's line ends the title (a logo caption follows)
    title_resize_share: float = 0.15  # ... and so does a change of type size by this share

    # Page furniture
    margin_top_share: float = 0.08  # text above this share of the page height is in the top margin
    header_margin_share: float = 1 / 6  # the page's first line above this share may be a running header
    margin_bottom_share: float = 0.9  # text below this share of the page height is in the bottom margin
    page_number_share: float = 0.8  # a page number set alone below the text is below this share of the page
    running_footer_pages: int = 2  # text the bottom margin of this many pages before held at one place is a footer
    footer_prefix_chars: int = 8  # ... or text sharing this many letters from its start with it
    footer_prefix_share: float = 0.8  # ... and this share of the shorter's letters
    header_apart_em: float = 1.5  # a running header stands this far above the page's other text
    header_margin_pt: float = 36.0  # ... and within this of the page's top (half an inch), however small the page
    running_title_share: float = 0.2  # a smaller title above a larger one within this share of the page's top runs
    slides_per_page: int = 4  # page numbers count up by at most this many a page (slides printed several to a page)
    stray_number_em: float = 2.5  # a bare number this far below all of a table's text is a page number
    closing_words_scale: float = 1.3  # ... and a run so far below in type this much larger, no cell's
    closing_words_gap_em: float = 0.5  # ... set this far below, in ems of its own type, is apart
    tail_top_share: float = 0.1  # a row's end broken onto the next page stands above this share of it
    tail_size_share: float = 1.25  # ... in type no larger than this share of its table's


TOL = Tolerances()
