# Draws one deck written by r_prawn.py as a JSON job, the way a Rails app prints a report with Prawn:
#     ruby r_prawn.rb job.json
# job: {prawn, prawn_table, doc, font, ops, furniture, out, report}.  Ops run in order on one
# Prawn::Document: pages, absolute text boxes, rectangles and lines (page coordinates from the top left),
# text flowing at the cursor, and prawn-table tables built from plain cell hashes.  Afterwards the pages every
# table row was drawn on (from before_rendering_page) go to `report`.
require "json"

job = JSON.parse(File.read(ARGV[0]))
gem "prawn", job["prawn"]
gem "prawn-table", job["prawn_table"]
require "prawn"
require "prawn/table"
Prawn::Fonts::AFM.hide_m17n_warning = true

# A 構面 label turned 90 degrees, reading upwards, centred in its cell (a rowspan label in most decks).
# prawn-table's own `rotate` wraps the text to the column's width before turning it, so authors who want a
# turned label draw it themselves: the cell is as wide as a line and as tall as the text.
class TurnedText < Prawn::Table::Cell::Text
  def natural_content_width
    with_font { @pdf.font.height_at(font_size) }
  end

  def natural_content_height
    styled_width_of(@content)
  end

  def draw_content
    with_font do
      with_text_color do
        w = styled_width_of(@content)
        cx = @pdf.bounds.width / 2.0
        cy = @pdf.bounds.height / 2.0
        @pdf.rotate(90, origin: [cx, cy]) do
          @pdf.draw_text @content, at: [cx - w / 2.0, cy - font_size * 0.35], size: font_size
        end
      end
    end
  end

  def font_size
    @text_options[:size] || @pdf.font_size
  end
end

class Driver
  def initialize(job)
    @job = job
    d = job["doc"]
    opts = { margin: d["margin"], compress: d["compress"], info: d["info"].transform_keys(&:to_sym) }
    if d["size"].is_a?(String)
      opts.update(page_size: d["size"], page_layout: :landscape)
    else
      opts[:page_size] = d["size"]
    end
    @pdf = Prawn::Document.new(**opts)
    @pdf.font_families.update("cjk" => { normal: job["font"], bold: job["font"] })
    @pdf.font "cjk"
    @report = { "tables" => {}, "marks" => {} }
    fur = job["furniture"] || {}
    under = fur["watermark"] && fur["watermark"]["mode"] == "under"
    @pdf.on_page_create { watermark(fur["watermark"]) } if under
  end

  def height
    @pdf.page.dimensions[3]
  end

  def run
    @job["ops"].each { |op| send("op_#{op['t']}", op) }
    furniture(@job["furniture"] || {})
    @pdf.render_file(@job["out"])
    @report["pages"] = @pdf.page_count
    File.write(@job["report"], JSON.generate(@report))
  end

  # --- drawing ops -----------------------------------------------------------------------------------------

  def op_page(op)
    @pdf.start_new_page unless op["first"]
  end

  def op_mark(op)
    @report["marks"][op["key"]] = @pdf.page_number
  end

  def text_opts(op)
    opts = { size: op["size"], align: (op["align"] || "left").to_sym, valign: :top }
    opts[:overflow] = :shrink_to_fit if op["shrink"]
    opts[:style] = :bold if op["bold"]
    opts
  end

  def with_ink(op)
    @pdf.fill_color(op["color"] || "000000")
    if op["stroke_bold"]
      @pdf.stroke_color(op["color"] || "000000")
      @pdf.line_width(op["size"] / 40.0)
      @pdf.text_rendering_mode(:fill_stroke) { yield }
    else
      yield
    end
    @pdf.fill_color("000000")
  end

  def op_text(op)
    h = height
    @pdf.canvas do
      with_ink(op) do
        box = text_opts(op).merge(at: [op["x"], h - op["y"]], width: op["w"], height: op["h"] || op["size"] * 2)
        @pdf.text_box(op["s"], **box)
      end
    end
  end

  def op_flowtext(op)
    @pdf.start_new_page if op["guard"] && @pdf.cursor < op["guard"]
    @report["marks"][op["key"]] = @pdf.page_number if op["key"]
    @pdf.move_down(op["before"] || 0)
    with_ink(op) { @pdf.text(op["s"], **text_opts(op).except(:valign)) }
    @pdf.move_down(op["after"] || 0)
  end

  def op_rect(op)
    h = height
    @pdf.canvas do
      if op["fill"]
        @pdf.fill_color(op["fill"])
        @pdf.fill_rectangle([op["x"], h - op["y"]], op["w"], op["h"])
      end
      if op["stroke"]
        @pdf.stroke_color(op["stroke"])
        @pdf.line_width(op["lw"] || 1)
        @pdf.stroke_rectangle([op["x"], h - op["y"]], op["w"], op["h"])
      end
    end
    @pdf.fill_color("000000")
    @pdf.stroke_color("000000")
  end

  def op_line(op)
    h = height
    @pdf.canvas { line(op, h) }
  end

  def line(op, h)
    @pdf.stroke_color(op["color"] || "000000")
    @pdf.line_width(op["lw"] || 1)
    @pdf.stroke_line([op["x0"], h - op["y0"]], [op["x1"], h - op["y1"]])
    @pdf.stroke_color("000000")
  end

  def op_at(op)
    @pdf.move_cursor_to(height - op["y"] - @pdf.bounds.absolute_bottom)
  end

  def op_space(op)
    @pdf.start_new_page if op["guard"] && @pdf.cursor < op["guard"]
    @pdf.move_down(op["h"])
  end

  # --- tables ------------------------------------------------------------------------------------------------

  CELL_KEYS = {
    "rs" => :rowspan, "cs" => :colspan, "fill" => :background_color, "align" => :align, "valign" => :valign,
    "color" => :text_color, "borders" => :borders, "border_widths" => :border_widths, "size" => :size,
    "padding" => :padding, "border_lines" => :border_lines
  }.freeze

  def cell(c, style)
    c = { "c" => c } if c.is_a?(String)
    h = style.dup
    c.each do |k, v|
      next unless CELL_KEYS.key?(k)

      h[CELL_KEYS[k]] = %w[align valign].include?(k) ? v.to_sym : v
    end
    h[:borders] = h[:borders].map(&:to_sym) if h[:borders]
    h[:border_lines] = h[:border_lines].map(&:to_sym) if h[:border_lines]
    h[:font_style] = :bold if c["bold"]
    if c["turn"]
      h.delete(:valign)
      return TurnedText.new(@pdf, [0, 0], h.merge(content: c["c"]))
    end
    h.merge(content: c["c"])
  end

  def style_of(hash)
    out = {}
    (hash || {}).each do |k, v|
      key = CELL_KEYS[k] || k.to_sym
      out[key] =
        case k
        when "align", "valign" then v.to_sym
        when "borders", "border_lines" then v.map(&:to_sym)
        else v
        end
    end
    out
  end

  def op_table(op)
    style = style_of(op["cell_style"])
    head_style = style.merge(style_of(op["head_style"]))
    nh = op["nh"]
    data = op["rows"].each_with_index.map do |row, i|
      row.map { |c| cell(c, i < nh ? head_style : style) }
    end
    @pdf.start_new_page if op["guard"] && @pdf.cursor < op["guard"]
    opts = { header: op["header"] ? nh : false }
    opts[:column_widths] = op["widths"] if op["widths"]
    opts[:column_widths] = op["fixed"].transform_keys(&:to_i) if op["fixed"]
    opts[:width] = op["width"] if op["width"]
    opts[:row_colors] = op["row_colors"] if op["row_colors"]
    opts[:position] = op["position"].to_sym if op["position"]
    table = @pdf.make_table(data, **opts)
    body = {}
    table.cells.each { |c| body[c.object_id] = c.row if c.row >= nh }
    rows = Hash.new { |hash, k| hash[k] = [] }
    first = nil
    table.before_rendering_page do |cells|
      page = @pdf.page_number
      first ||= page
      cells.each do |c|
        r = body[c.object_id]
        rows[r] << page if r && !rows[r].include?(page)
      end
    end
    table.draw
    tags = op["tags"]
    @report["tables"][op["key"]] = {
      "start" => first, "end" => @pdf.page_number,
      "rows" => rows.to_h { |r, pages| [tags[r - nh], pages] }
    }
    @pdf.move_down(op["after"] || 0)
  end

  # --- furniture: footers, watermark, running titles ---------------------------------------------------------

  def furniture(fur)
    if fur["titles"]
      titles = fur["titles"]
      @pdf.repeat(->(pg) { titles.key?(pg.to_s) }, dynamic: true) do
        titles[@pdf.page_number.to_s].each { |op| send("op_#{op['t']}", op) }
      end
    end
    wm = fur["watermark"]
    if wm && wm["mode"] == "stamp"
      @pdf.create_stamp("watermark") { watermark(wm) }
      @pdf.repeat(->(pg) { pg > 1 }) { @pdf.stamp("watermark") }
    elsif wm && wm["mode"] == "repeat"
      @pdf.repeat(->(pg) { pg > 1 }) { watermark(wm) }
    end
    footer(fur["footer"]) if fur["footer"]
  end

  def watermark(wm)
    return unless wm

    @pdf.canvas do
      w, h = @pdf.bounds.width, @pdf.bounds.height
      @pdf.transparent(wm["opacity"]) do
        @pdf.fill_color(wm["color"])
        @pdf.font_size(wm["size"]) do
          tw = @pdf.width_of(wm["s"])
          @pdf.rotate(wm["angle"], origin: [w / 2.0, h / 2.0]) do
            @pdf.draw_text wm["s"], at: [(w - tw) / 2.0, h / 2.0 - wm["size"] * 0.35]
          end
        end
        @pdf.fill_color("000000")
      end
    end
  end

  def footer(f)
    skip = ->(pg) { pg > 1 }
    h = height
    fixed = lambda do
      @pdf.canvas do
        line(f["rule"], h)
        with_ink(f["left"]) { @pdf.text_box(f["left"]["s"], **text_opts(f["left"]).merge(at: [f["left"]["x"], h - f["left"]["y"]], width: f["left"]["w"], height: 12)) }
      end
    end
    num = f["num"]
    box = text_opts(num).merge(at: [num["x"], h - num["y"]], width: num["w"], height: 12)
    case f["mode"]
    when "number_pages" # the rule and the org in a stamp, the numbers by number_pages afterwards
      @pdf.repeat(skip) { fixed.call }
      # number_pages goes to each page and draws in its margin box
      m = @pdf.page.margins
      at = [num["x"] - m[:left], h - num["y"] - m[:bottom]]
      @pdf.number_pages(f["format"], **box, at: at, page_filter: skip, start_count_at: 2, color: num["color"])
    when "dynamic" # one dynamic repeater draws the whole footer on every page
      @pdf.repeat(skip, dynamic: true) do
        fixed.call
        s = f["format"].gsub("<page>", @pdf.page_number.to_s).gsub("<total>", @pdf.page_count.to_s)
        @pdf.canvas { with_ink(num) { @pdf.text_box(s, **box) } }
      end
    else # a loop over the finished pages, as many apps do
      (2..@pdf.page_count).each do |pg|
        @pdf.go_to_page(pg)
        fixed.call
        s = f["format"].gsub("<page>", pg.to_s).gsub("<total>", @pdf.page_count.to_s)
        @pdf.canvas { with_ink(num) { @pdf.text_box(s, **box) } }
      end
    end
  end
end

Driver.new(job).run
