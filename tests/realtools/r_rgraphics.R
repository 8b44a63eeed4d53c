# Deck drawn by R's graphics devices (pdf() with a CID family, or cairo_pdf()) from a JSON job written by
# r_rgraphics.py.  Tables by gridExtra::tableGrob with its themes (plus gtable_add_grob for merged labels, rules
# and the two-row head) or by hand with grid (viewport in points, grid.rect / grid.segments / grid.text).
# R does not wrap text: cells are broken at any character by measuring stringWidth, as R users do.
# Usage: Rscript r_rgraphics.R job.json
suppressPackageStartupMessages({
  library(grid)
  library(gtable)
  library(gridExtra)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
job <- fromJSON(args[1], simplifyVector = FALSE)
W <- job$width_in * 72
H <- job$height_in * 72
PT <- job$pt
LH <- job$lineheight
FAM <- job$family
PAD <- job$pad
# grid steps multi-line text by lineheight x 1.2 x fontsize (the device's character height, cra[2])
LSTEP <- 1.2 * PT * LH
NAVY <- job$rgb

if (job$device == "pdf") {
  pdf(job$out, width = job$width_in, height = job$height_in, family = FAM, title = job$title,
      onefile = TRUE, useDingbats = FALSE, compress = job$compress)
} else {
  cairo_pdf(job$out, width = job$width_in, height = job$height_in, family = FAM, onefile = TRUE)
}

gp_txt <- function(size = PT, bold = FALSE, col = "black", alpha = 1) {
  gpar(fontsize = size, fontfamily = FAM, fontface = if (bold && job$bold) "bold" else "plain",
       col = col, alpha = alpha, lineheight = LH)
}

# width of a string in points, as grid measures it under the current device's font metrics
swidth <- function(s, size = PT, bold = FALSE) {
  if (!nzchar(s)) return(0)
  convertWidth(grobWidth(textGrob(s, gp = gp_txt(size, bold))), "bigpts", valueOnly = TRUE)
}

# break at any character once the line is full (CJK text and numbers alike); explicit newlines kept
wrap_text <- function(s, width, size = PT, bold = FALSE) {
  out <- character(0)
  for (para in strsplit(s, "\n", fixed = TRUE)[[1]]) {
    chars <- strsplit(para, "")[[1]]
    line <- ""
    for (ch in chars) {
      cand <- paste0(line, ch)
      if (nzchar(line) && swidth(cand, size, bold) > width) {
        out <- c(out, line)
        line <- ch
      } else {
        line <- cand
      }
    }
    out <- c(out, line)
  }
  if (!length(out)) out <- ""
  paste(out, collapse = "\n")
}
nlines <- function(s) length(strsplit(s, "\n", fixed = TRUE)[[1]]) + (if (grepl("\n$", s)) 1 else 0)

col_rgb <- function(v) rgb(v[[1]], v[[2]], v[[3]])
HEAD_FILL <- if (is.null(job$head_fill)) NA else col_rgb(job$head_fill)
ZEBRA <- col_rgb(job$zebra_fill)
RULE <- col_rgb(job$rule_color)
RW <- job$rule_width

# ---------------------------------------------------------------- furniture
page_no <- 0
# grid's measuring (stringWidth while laying out the tables) opens the device's first page, so that page is the
# cover's: only later pages are started by grid.newpage()
grid.newpage()
new_page <- function() {
  if (page_no > 0) grid.newpage()
  page_no <<- page_no + 1
  pushViewport(viewport(xscale = c(0, W), yscale = c(0, H), width = unit(W, "bigpts"), height = unit(H, "bigpts")))
}
end_page <- function(furniture = TRUE) {
  if (furniture && !is.null(job$watermark)) {
    wm <- job$watermark
    grid.text(wm$text, x = unit(W * 0.5, "native"), y = unit(H - (H * 0.55), "native"), rot = wm$angle,
              gp = gp_txt(60, col = col_rgb(wm$color), alpha = wm$alpha))
  }
  if (furniture && !is.null(job$footer)) {
    grid.segments(unit(30, "native"), unit(H - (H - 28), "native"), unit(W - 30, "native"), unit(H - (H - 28), "native"),
                  gp = gpar(col = "grey60", lwd = 0.5))
    grid.text(paste0(job$org, job$footer_left), x = unit(30, "native"), y = unit(H - (H - 16), "native"),
              just = c("left", "centre"), gp = gp_txt(7, col = "grey40"))
    s <- sub("{N}", job$total_pages, sub("{n}", page_no, job$footer, fixed = TRUE), fixed = TRUE)
    x <- if (job$footer_align == "right") W - 30 else W / 2
    grid.text(s, x = unit(x, "native"), y = unit(H - (H - 16), "native"),
              just = c(if (job$footer_align == "right") "right" else "centre", "centre"), gp = gp_txt(7, col = "grey40"))
  }
  popViewport()
}
txt <- function(s, x, y, size = PT, just = c("left", "centre"), bold = FALSE, col = "black", rot = 0) {
  grid.text(s, x = unit(x, "native"), y = unit(H - (y), "native"), just = just, rot = rot, gp = gp_txt(size, bold, col))
}
fit_size <- function(s, size, width) {
  while (size > 10 && swidth(s, size, TRUE) > width) size <- size - 1
  size
}
slide_title <- function(s) {
  if (job$title_bar) {
    grid.rect(x = unit(0, "native"), y = unit(H - (0), "native"), width = unit(W, "native"), height = unit(46, "native"),
              just = c("left", "top"), gp = gpar(fill = col_rgb(NAVY), col = NA))
    txt(s, 30, 24, fit_size(s, 20, W - 60), bold = TRUE, col = "white")
  } else {
    txt(s, 30, 28, fit_size(s, 20, W - 60), bold = TRUE, col = col_rgb(NAVY))
    grid.segments(unit(30, "native"), unit(H - (42), "native"), unit(W - 30, "native"), unit(H - (42), "native"),
                  gp = gpar(col = col_rgb(NAVY), lwd = 1.5))
  }
}

cover <- function(p) {
  new_page()
  grid.rect(x = unit(0, "native"), y = unit(H - (0), "native"), width = unit(W, "native"), height = unit(18, "native"),
            just = c("left", "top"), gp = gpar(fill = col_rgb(NAVY), col = NA))
  txt(p$org, W / 2, H * 0.4, fit_size(p$org, 30, W - 60), just = "centre", bold = TRUE)
  txt(p$title, W / 2, H * 0.4 + 50, 26, just = "centre", bold = TRUE)
  txt(p$date, W / 2, H * 0.4 + 95, 14, just = "centre", col = "grey30")
  end_page(FALSE)
}
profile <- function(p) {
  new_page()
  slide_title(p$title)
  for (i in seq_along(p$lines)) txt(p$lines[[i]], 60, 90 + i * 32, 14)
  end_page()
}
closing <- function(p) {
  new_page()
  txt(p$text, W / 2, H * 0.45, 36, just = "centre", bold = TRUE)
  end_page(FALSE)
}
strategy_map <- function(p) {
  new_page()
  slide_title(p$title)
  txt(p$date, W - 30, 62, 11, just = c("right", "centre"))
  txt(p$vision, 40, 70, 9)
  y <- 84
  band <- (H - y - 50) / max(1, length(p$bands))
  for (b in p$bands) {
    grid.rect(x = unit(40, "native"), y = unit(H - (y), "native"), width = unit(90, "native"),
              height = unit(band - 10, "native"), just = c("left", "top"), gp = gpar(fill = col_rgb(NAVY), col = NA))
    txt(b$label, 85, y + (band - 10) / 2, 10, just = "centre", col = "white")
    x <- 140
    for (o in b$objs) {
      w <- min(150, swidth(o, 8) + 16)
      if (x + w > W - 30) break
      grid.roundrect(x = unit(x, "native"), y = unit(H - (y + 4), "native"), width = unit(w, "native"),
                     height = unit(band - 18, "native"), just = c("left", "top"), r = unit(4, "bigpts"),
                     gp = gpar(fill = "white", col = col_rgb(NAVY)))
      line1 <- strsplit(wrap_text(o, w - 14, 8), "\n", fixed = TRUE)[[1]][1]
      txt(line1, x + w / 2, y + 4 + (band - 18) / 2, 8, just = "centre")
      x <- x + w + 10
    }
    y <- y + band
  }
  end_page()
}

# ---------------------------------------------------------------- tables
# a page's table model: wrapped texts, row heights in points, merged runs
cols_w <- function(cols) {
  wts <- vapply(cols, function(c) c$weight, 0)
  wts / sum(wts) * (W - 60)
}
is_year <- function(c) !is.null(c$group)

cell_text <- function(r, c, w) {
  s <- r$cells[[c$id]]
  if (is.null(s)) s <- ""
  wrap_text(s, w - 2 * PAD)
}

# runs of consecutive KPI rows with the same key (persp / obj)
runs_of <- function(rows, key) {
  out <- list()
  prev <- NULL
  for (i in seq_along(rows)) {
    r <- rows[[i]]
    cur <- if (r$kind == "kpi") r[[key]] else NULL
    if (!is.null(cur) && !is.null(prev) && identical(cur, prev)) {
      out[[length(out)]]$n <- out[[length(out)]]$n + 1
    } else if (!is.null(cur)) {
      out[[length(out) + 1]] <- list(start = i, n = 1, key = cur)
    }
    prev <- cur
  }
  out
}

# runs of year columns under one group label (實際值 over three years, 目標值 over one)
group_runs <- function(cols) {
  out <- list()
  for (j in seq_along(cols)) {
    gname <- cols[[j]]$group
    if (is.null(gname)) next
    if (length(out) && out[[length(out)]]$label == gname && out[[length(out)]]$r == j - 1) {
      out[[length(out)]]$r <- j
    } else {
      out[[length(out) + 1]] <- list(label = gname, l = j, r = j)
    }
  }
  out
}
merged_ids <- function(cols) intersect(c("persp", "obj"), vapply(cols, function(c) c$id, ""))

label_text <- function(s, key, w) {
  mode <- job$persp_mode
  if (key == "persp" && mode == "stacked") return(paste(strsplit(s, "")[[1]], collapse = "\n"))
  if (key == "persp" && mode == "rotated") return(s)
  wrap_text(s, w - 2 * PAD)
}
label_height <- function(s, key) {
  if (key == "persp" && job$persp_mode == "rotated") return(swidth(s) + 2 * PAD)
  nlines(s) * LSTEP + 2 * PAD
}

# heights of the rows of one page (hand layout), merged labels stretching the last row of their run
row_heights <- function(rows, cols, ws, prev_last) {
  hs <- numeric(length(rows))
  mids <- merged_ids(cols)
  for (i in seq_along(rows)) {
    r <- rows[[i]]
    if (r$kind == "band") { hs[i] <- LSTEP + 2 * PAD; next }
    n <- 1
    for (j in seq_along(cols)) {
      if (cols[[j]]$id %in% mids) next
      n <- max(n, nlines(cell_text(r, cols[[j]], ws[j])))
    }
    hs[i] <- n * LSTEP + 2 * PAD
  }
  for (key in mids) {
    j <- which(vapply(cols, function(c) c$id, "") == key)
    for (run in runs_of(rows, key)) {
      idx <- run$start:(run$start + run$n - 1)
      s <- label_text(rows[[run$start]]$cells[[key]], key, ws[j])
      need <- label_height(s, key)
      if (need > sum(hs[idx])) hs[max(idx)] <- hs[max(idx)] + need - sum(hs[idx])
    }
  }
  hs
}

head_model <- function(cols, ws) {
  two <- any(vapply(cols, is_year, TRUE))
  labels <- vapply(seq_along(cols), function(j) {
    c <- cols[[j]]
    wrap_text(if (is_year(c)) c$sub else c$label, ws[j] - 2 * PAD, PT, TRUE)
  }, "")
  n <- max(vapply(labels, nlines, 0))
  h <- n * LSTEP + 2 * PAD
  list(two = two, labels = labels, h = if (two) 2 * max(h / 2, LSTEP + 2 * PAD) else h)
}

blank_first <- function(rows, key, prev_last) {
  # a merged label continued from the previous page: printed again or left blank
  job$blank_cont && !is.null(prev_last) && rows[[1]]$kind == "kpi" && identical(rows[[1]][[key]], prev_last[[key]])
}

# ---------- by hand with grid
draw_hand <- function(rows, cols, top, prev_last) {
  ws <- cols_w(cols)
  xs <- c(30, 30 + cumsum(ws))
  hd <- head_model(cols, ws)
  hs <- row_heights(rows, cols, ws, prev_last)
  ys <- top + hd$h + c(0, cumsum(hs))
  rules <- job$rules
  rect <- function(x0, y0, x1, y1, fill, col = NA, lwd = RW) {
    grid.rect(x = unit(x0, "native"), y = unit(H - (y0), "native"), width = unit(x1 - x0, "native"),
              height = unit(y1 - y0, "native"), just = c("left", "top"), gp = gpar(fill = fill, col = col, lwd = lwd))
  }
  hline <- function(x0, x1, y) grid.segments(unit(x0, "native"), unit(H - (y), "native"), unit(x1, "native"), unit(H - (y), "native"), gp = gpar(col = RULE, lwd = RW))
  vline <- function(x, y0, y1) grid.segments(unit(x, "native"), unit(H - (y0), "native"), unit(x, "native"), unit(H - (y1), "native"), gp = gpar(col = RULE, lwd = RW))
  cell <- function(s, x0, y0, x1, y1, header = FALSE, rot = 0) {
    if (!nzchar(s)) return()
    centre <- header || job$halign == "center" || rot != 0
    middle <- header || job$valign == "middle" || rot != 0
    x <- if (centre) (x0 + x1) / 2 else x0 + PAD
    y <- if (middle) (y0 + y1) / 2 else y0 + PAD
    grid.text(s, x = unit(x, "native"), y = unit(H - (y), "native"), rot = rot,
              just = c(if (centre) "centre" else "left", if (middle) "centre" else "top"),
              gp = gp_txt(PT, header))
  }
  # fills
  if (rules != "none" && !is.na(HEAD_FILL)) rect(xs[1], top, xs[length(xs)], top + hd$h, HEAD_FILL)
  if (rules == "zebra") {
    k <- 0
    for (i in seq_along(rows)) {
      if (rows[[i]]$kind != "kpi") next
      k <- k + 1
      if (k %% 2 == 0) rect(xs[1], ys[i], xs[length(xs)], ys[i + 1], ZEBRA)
    }
  }
  for (i in seq_along(rows)) if (rows[[i]]$kind == "band" && rules != "none" && !is.na(HEAD_FILL))
    rect(xs[1], ys[i], xs[length(xs)], ys[i + 1], HEAD_FILL)
  # head
  yc <- vapply(cols, is_year, TRUE)
  if (hd$two) {
    for (gr in group_runs(cols)) cell(gr$label, xs[gr$l], top, xs[gr$r + 1], top + hd$h / 2, TRUE)
    for (j in seq_along(cols)) {
      if (yc[j]) cell(hd$labels[j], xs[j], top + hd$h / 2, xs[j + 1], top + hd$h, TRUE)
      else cell(hd$labels[j], xs[j], top, xs[j + 1], top + hd$h, TRUE)
    }
  } else {
    for (j in seq_along(cols)) cell(hd$labels[j], xs[j], top, xs[j + 1], top + hd$h, TRUE)
  }
  # body
  ids <- vapply(cols, function(c) c$id, "")
  mids <- merged_ids(cols)
  spans <- list()  # merged label boxes: list(j, i0, i1, text, key)
  for (key in mids) {
    j <- which(ids == key)
    for (run in runs_of(rows, key)) {
      s <- rows[[run$start]]$cells[[key]]
      if (run$start == 1 && blank_first(rows, key, prev_last)) s <- ""
      spans[[length(spans) + 1]] <- list(j = j, i0 = run$start, i1 = run$start + run$n - 1,
                                         text = label_text(s, key, ws[j]), key = key)
    }
  }
  for (i in seq_along(rows)) {
    r <- rows[[i]]
    if (r$kind == "band") { cell(r$cells$band, xs[1], ys[i], xs[length(xs)], ys[i + 1], TRUE); next }
    for (j in seq_along(cols)) if (!(ids[j] %in% mids)) cell(cell_text(r, cols[[j]], ws[j]), xs[j], ys[i], xs[j + 1], ys[i + 1])
  }
  for (sp in spans) {
    rot <- if (sp$key == "persp" && job$persp_mode == "rotated") 90 else 0
    y0 <- ys[sp$i0]; y1 <- ys[sp$i1 + 1]
    if (rules == "zebra") rect(xs[sp$j], y0, xs[sp$j + 1], y1, "white")
    if (sp$key == "persp" && job$persp_mode == "stacked") {
      grid.text(sp$text, x = unit((xs[sp$j] + xs[sp$j + 1]) / 2, "native"), y = unit(H - ((y0 + y1) / 2), "native"),
                gp = gp_txt(PT))
    } else {
      cell(sp$text, xs[sp$j], y0, xs[sp$j + 1], y1, FALSE, rot)
    }
  }
  # rules
  bottom <- ys[length(ys)]
  if (rules == "grid") {
    hline(xs[1], xs[length(xs)], top)
    if (hd$two) { g <- which(yc); hline(xs[min(g)], xs[max(g) + 1], top + hd$h / 2) }
    gstarts <- vapply(group_runs(cols), function(gr) gr$l, 0)
    for (i in seq_along(ys)) {
      y <- ys[i]
      if (i == 1 || i == length(ys) || rows[[i - 1]]$kind == "band" || rows[[i]]$kind == "band") {
        hline(xs[1], xs[length(xs)], y); next
      }
      for (j in seq_along(cols)) {
        inside <- any(vapply(spans, function(sp) sp$j == j && sp$i0 < i && sp$i1 >= i, TRUE))
        if (!inside) hline(xs[j], xs[j + 1], y)
      }
    }
    for (j in seq_along(xs)) {
      if (hd$two && j > 1 && j < length(xs) && yc[j - 1] && yc[j] && !(j %in% gstarts)) {
        vline(xs[j], top + hd$h / 2, top + hd$h)
      } else {
        vline(xs[j], top, top + hd$h)
      }
      for (i in seq_along(rows)) {
        if (rows[[i]]$kind == "band" && j > 1 && j < length(xs)) next
        vline(xs[j], ys[i], ys[i + 1])
      }
    }
  } else if (rules %in% c("hrules", "zebra")) {
    grid.segments(unit(xs[1], "native"), unit(H - (top), "native"), unit(xs[length(xs)], "native"), unit(H - (top), "native"),
                  gp = gpar(col = RULE, lwd = RW * 2))
    hline(xs[1], xs[length(xs)], top + hd$h)
    if (rules == "hrules") for (i in seq_along(rows)) hline(xs[1], xs[length(xs)], ys[i + 1])
    grid.segments(unit(xs[1], "native"), unit(H - (bottom), "native"), unit(xs[length(xs)], "native"), unit(H - (bottom), "native"), gp = gpar(col = RULE, lwd = RW * 2))
  }
  bottom
}
hand_height <- function(rows, cols, prev_last) {
  ws <- cols_w(cols)
  head_model(cols, ws)$h + sum(row_heights(rows, cols, ws, prev_last))
}

# ---------- gridExtra tableGrob
theme_for <- function() {
  fs <- PT
  pad <- unit(c(PAD, PAD), "bigpts")
  hj <- if (job$halign == "center") 0.5 else 0
  hx <- if (job$halign == "center") 0.5 else 0.02
  # tableGrob centres text vertically (its fg y/vjust are fractions of the whole cell, padding included, so a
  # top-aligned line would touch the rule above in a tall row): R users leave it so
  core_fg <- list(hjust = hj, x = hx, fontfamily = FAM, fontsize = fs, lineheight = LH)
  head_fg <- list(fontfamily = FAM, fontsize = fs, lineheight = LH, fontface = if (job$bold) "bold" else "plain")
  base <- switch(job$ttheme, default = ttheme_default, minimal = ttheme_minimal, custom = ttheme_minimal)
  args <- list(base_size = fs, base_family = FAM, padding = pad,
               core = list(fg_params = core_fg), colhead = list(fg_params = head_fg))
  if (job$ttheme == "custom") {
    fills <- if (job$rules == "zebra") c("white", ZEBRA) else "white"
    border <- if (job$rules == "grid") RULE else NA
    args$core$bg_params <- list(fill = fills, col = border, lwd = RW)
    hf <- if (is.na(HEAD_FILL)) "white" else HEAD_FILL
    args$colhead$bg_params <- list(fill = hf, col = border, lwd = RW)
  }
  do.call(base, args)
}

build_gtable <- function(rows, cols, prev_last) {
  ws <- cols_w(cols)
  ids <- vapply(cols, function(c) c$id, "")
  mids <- merged_ids(cols)
  yc <- vapply(cols, is_year, TRUE)
  two <- any(yc)
  m <- matrix("", nrow = length(rows), ncol = length(cols))
  for (i in seq_along(rows)) {
    r <- rows[[i]]
    if (r$kind == "band") next
    for (j in seq_along(cols)) if (!(ids[j] %in% mids)) m[i, j] <- cell_text(r, cols[[j]], ws[j])
  }
  heads <- vapply(seq_along(cols), function(j) {
    c <- cols[[j]]
    if (two && !yc[j]) "" else wrap_text(if (yc[j]) c$sub else c$label, ws[j] - 2 * PAD, PT, TRUE)
  }, "")
  th <- theme_for()
  g <- tableGrob(m, rows = NULL, cols = heads, theme = th)
  g$widths <- unit(ws, "bigpts")
  # merged labels
  bgfill <- if (job$ttheme == "default") "grey95" else "white"
  border <- if (job$rules == "grid") RULE else NA
  zs <- 2000  # merged labels over the rules added below (z 1000) and the theme's own cells
  for (key in mids) {
    j <- which(ids == key)
    for (run in runs_of(rows, key)) {
      s <- rows[[run$start]]$cells[[key]]
      if (run$start == 1 && blank_first(rows, key, prev_last)) s <- ""
      s <- label_text(s, key, ws[j])
      t <- run$start + 1; b <- run$start + run$n
      need <- label_height(s, key)
      have <- sum(convertHeight(g$heights[t:b], "bigpts", valueOnly = TRUE))
      if (need > have) g$heights[b] <- g$heights[b] + unit(need - have, "bigpts")
      rot <- if (key == "persp" && job$persp_mode == "rotated") 90 else 0
      centre <- rot != 0 || job$halign == "center" || (key == "persp" && job$persp_mode == "stacked")
      middle <- rot != 0 || job$valign == "middle" || (key == "persp" && job$persp_mode == "stacked")
      g <- gtable_add_grob(g, rectGrob(gp = gpar(fill = bgfill, col = border, lwd = RW)), t = t, b = b, l = j,
                           z = zs, name = paste0("span-bg-", key, t))
      tg <- textGrob(s, rot = rot, x = if (centre) 0.5 else unit(PAD, "bigpts"),
                     y = if (middle) 0.5 else unit(1, "npc") - unit(PAD, "bigpts"),
                     just = c(if (centre) "centre" else "left", if (middle) "centre" else "top"), gp = gp_txt(PT))
      g <- gtable_add_grob(g, tg, t = t, b = b, l = j, z = zs + 1, name = paste0("span-", key, t))
    }
  }
  # band rows across the table
  for (i in seq_along(rows)) {
    if (rows[[i]]$kind != "band") next
    bf <- if (is.na(HEAD_FILL) || job$rules == "none") "white" else HEAD_FILL
    # the row of blank cells tableGrob made is only as tall as its padding
    need <- LSTEP + 2 * PAD
    if (convertHeight(g$heights[i + 1], "bigpts", valueOnly = TRUE) < need) g$heights[i + 1] <- unit(need, "bigpts")
    g <- gtable_add_grob(g, rectGrob(gp = gpar(fill = bf, col = border, lwd = RW)), t = i + 1, l = 1,
                         r = length(cols), z = zs, name = paste0("band-bg", i))
    g <- gtable_add_grob(g, textGrob(rows[[i]]$cells$band, gp = gp_txt(PT, TRUE)), t = i + 1, l = 1,
                         r = length(cols), z = zs + 1, name = paste0("band", i))
  }
  # two-row head: a group row above the years, other labels spanning both rows
  if (two) {
    hh <- convertHeight(g$heights[1], "bigpts", valueOnly = TRUE)
    g <- gtable_add_rows(g, unit(hh, "bigpts"), pos = 0)
    hf <- if (job$ttheme == "custom") (if (is.na(HEAD_FILL)) "white" else HEAD_FILL) else
      if (job$ttheme == "default") "grey80" else "white"
    for (gr in group_runs(cols)) {
      g <- gtable_add_grob(g, rectGrob(gp = gpar(fill = hf, col = border, lwd = RW)), t = 1, l = gr$l, r = gr$r,
                           name = paste0("group-bg", gr$l))
      g <- gtable_add_grob(g, textGrob(gr$label, gp = gp_txt(PT, TRUE)), t = 1, l = gr$l, r = gr$r,
                           name = paste0("group", gr$l))
    }
    for (j in which(!yc)) {
      s <- wrap_text(cols[[j]]$label, ws[j] - 2 * PAD, PT, TRUE)
      g <- gtable_add_grob(g, rectGrob(gp = gpar(fill = hf, col = border, lwd = RW)), t = 1, b = 2, l = j,
                           name = paste0("head-bg", j))
      g <- gtable_add_grob(g, textGrob(s, gp = gp_txt(PT, TRUE)), t = 1, b = 2, l = j, name = paste0("head", j))
    }
  }
  hrow <- if (two) 2 else 1
  # horizontal rules, the usual gtable recipe: segments under the head and under every row
  if (job$rules %in% c("hrules", "zebra") || (job$rules == "grid" && job$ttheme != "custom")) {
    thick <- gpar(col = RULE, lwd = 2 * RW)
    thin <- gpar(col = RULE, lwd = RW)
    n <- nrow(g)
    g <- gtable_add_grob(g, segmentsGrob(0, 1, 1, 1, gp = thick), t = 1, l = 1, r = ncol(g), z = 1000, name = "top")
    g <- gtable_add_grob(g, segmentsGrob(0, 0, 1, 0, gp = thin), t = hrow, l = 1, r = ncol(g), z = 1000,
                         name = "headrule")
    g <- gtable_add_grob(g, segmentsGrob(0, 0, 1, 0, gp = thick), t = n, l = 1, r = ncol(g), z = 1000, name = "bottom")
    if (job$rules %in% c("hrules", "grid")) {
      for (i in (hrow + 1):(n - 1)) {
        g <- gtable_add_grob(g, segmentsGrob(0, 0, 1, 0, gp = thin), t = i, l = 1, r = ncol(g), z = 1000,
                             name = paste0("rule", i))
      }
    }
    if (job$rules == "grid") {
      for (j in 0:ncol(g)) {
        x <- if (j == 0) 0 else 1
        g <- gtable_add_grob(g, segmentsGrob(x, 0, x, 1, gp = thin), t = 1, b = n, l = max(1, j), z = 1000,
                             name = paste0("vrule", j))
      }
    }
  }
  g
}
gt_height <- function(rows, cols, prev_last) {
  sum(convertHeight(build_gtable(rows, cols, prev_last)$heights, "bigpts", valueOnly = TRUE))
}

table_height <- function(rows, cols, prev_last) {
  if (job$method == "gridextra") gt_height(rows, cols, prev_last) else hand_height(rows, cols, prev_last)
}
draw_table <- function(rows, cols, top, prev_last) {
  if (job$method == "gridextra") {
    g <- build_gtable(rows, cols, prev_last)
    h <- sum(convertHeight(g$heights, "bigpts", valueOnly = TRUE))
    pushViewport(viewport(x = unit(30, "bigpts"), y = unit(H - top, "bigpts"), width = unit(W - 60, "bigpts"),
                          height = unit(h, "bigpts"), just = c("left", "top")))
    grid.draw(g)
    popViewport()
  } else {
    draw_hand(rows, cols, top, prev_last)
  }
}

# split a theme's chunks (the deck's rows per slide) again where a slide is too tall; a band row stays with
# the row after it
paginate <- function(th) {
  cols <- th$cols
  avail <- H - job$table_top - job$bottom
  parts <- list()
  prev_last <- NULL
  for (ch in th$chunks) {
    rest <- ch
    while (length(rest)) {
      n <- length(rest)
      while (n > 1 && table_height(rest[1:n], cols, prev_last) > avail) n <- n - 1
      while (n > 1 && n < length(rest) && rest[[n]]$kind == "band") n <- n - 1
      if (n == 1 && table_height(rest[1], cols, prev_last) > avail) message("TOO_TALL")
      parts[[length(parts) + 1]] <- list(rows = rest[1:n], prev = prev_last)
      kp <- Filter(function(r) r$kind == "kpi", rest[1:n])
      if (length(kp)) prev_last <- kp[[length(kp)]]
      rest <- if (n < length(rest)) rest[(n + 1):length(rest)] else list()
    }
  }
  parts
}

# ---------------------------------------------------------------- the deck
themes <- lapply(Filter(function(p) p$kind == "theme", job$pages), paginate)
n_theme_pages <- sum(vapply(themes, length, 0))
job$total_pages <- length(job$pages) - length(themes) + n_theme_pages
ti <- 0
for (p in job$pages) {
  if (p$kind == "cover") cover(p)
  else if (p$kind == "profile") profile(p)
  else if (p$kind == "map") strategy_map(p)
  else if (p$kind == "end") closing(p)
  else if (p$kind == "theme") {
    ti <- ti + 1
    parts <- themes[[ti]]
    for (k in seq_along(parts)) {
      new_page()
      title <- p$title
      if (length(parts) > 1 && job$cont_marker) title <- paste0(title, "--", k, "/", length(parts))
      slide_title(title)
      draw_table(parts[[k]]$rows, p$cols, job$table_top, parts[[k]]$prev)
      end_page()
    }
  }
}
invisible(dev.off())
