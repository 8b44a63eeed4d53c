<?php

// Driver of tests/realtools/r_tcpdf.py: `php r_tcpdf.php JOB.json` draws the deck with TCPDF, as the PDF export of
// a PHP web system does: a TCPDF subclass with its own Header()/Footer() (or TCPDF's default ones from
// SetHeaderData), fonts from TCPDF's font folder (the built-in CID fonts, or faces converted by
// TCPDF_FONTS::addTTFfont), front slides drawn with Cell/MultiCell/Rect, and the theme tables written either as
// HTML by writeHTML() or cell by cell with MultiCell, paginated by hand.  It prints, as JSON, the pages each item
// of the job took and whether a slide's table ran past its page.
//
// `php r_tcpdf.php --add-font FACE.ttf OUTDIR` converts a TrueType face into TCPDF's font files (name.php, name.z,
// name.ctg.z) in OUTDIR and prints the font's name.

declare(strict_types=1);

if (($argv[1] ?? '') === '--add-font') {
	require_once $argv[4] ?? '/usr/share/php/tcpdf/tcpdf.php';
	$name = TCPDF_FONTS::addTTFfont($argv[2], 'TrueTypeUnicode', '', 96, rtrim($argv[3], '/') . '/');
	if ($name === false) {
		fwrite(STDERR, "addTTFfont failed for {$argv[2]}\n");
		exit(1);
	}
	echo $name, "\n";
	exit(0);
}

$job = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
// the fonts folder: TCPDF's own fonts and the faces added by addTTFfont, as an installation that copied them there
define('K_PATH_FONTS', $job['fonts_dir']);
require_once $job['tcpdf'];

class DeckPDF extends TCPDF
{
	/** @var array<string, mixed> */
	public array $deck = [];
	public string $running = '';
	public bool $wm_on = false;

	public function showTcpdfLink(bool $on): void
	{
		$this->tcpdflink = $on;
	}

	/** points to user units */
	public function u(float $pt): float
	{
		return $pt / $this->k;
	}

	public function deckFont(string $style = '', ?float $size = null): void
	{
		$this->SetFont($this->deck['font']['family'], $style, $size ?? $this->FontSizePt);
	}

	public function Header()
	{
		$h = $this->deck['header'];
		if ($this->wm_on && $this->deck['watermark'] && $this->deck['watermark']['layer'] === 'under') {
			$this->watermark();
		}
		if ($h['skip_first'] && $this->getPage() === 1) {
			return;
		}
		if ($h['kind'] === 'data') {
			parent::Header();
			return;
		}
		if ($h['kind'] === 'custom' || $h['kind'] === 'running') {
			$m = $this->getMargins();
			$w = $this->getPageWidth() - $m['left'] - $m['right'];
			$this->SetTextColor(90, 90, 90);
			$this->deckFont('', 8);
			$this->SetY($this->u($h['y']));
			$this->Cell($w / 2, 0, $h['title'], 0, 0, 'L');
			$this->Cell($w / 2, 0, $h['string'], 0, 1, 'R');
			$this->SetLineStyle(['width' => $this->u(0.5), 'color' => [150, 150, 150]]);
			$y = $this->GetY() + $this->u(1);
			$this->Line($m['left'], $y, $m['left'] + $w, $y);
			if ($h['kind'] === 'running' && $this->running !== '') {
				$c = $this->deck['colors']['navy'];
				$this->SetTextColor($c[0], $c[1], $c[2]);
				$this->deckBold(15);
				$this->SetXY($m['left'], $y + $this->u(4));
				$this->Cell($w, 0, $this->running, 0, 1, 'L');
				$this->deckBoldOff();
			}
			$this->SetTextColor(0, 0, 0);
		}
	}

	public function Footer()
	{
		$f = $this->deck['footer'];
		if ($f['skip_first'] && $this->getPage() === 1) {
			return;
		}
		if ($f['kind'] === 'default') {
			parent::Footer();
			return;
		}
		$m = $this->getMargins();
		$w = $this->getPageWidth() - $m['left'] - $m['right'];
		$this->SetTextColor(100, 100, 100);
		$this->deckFont('', 7);
		$this->SetLineStyle(['width' => $this->u(0.5), 'color' => [160, 160, 160]]);
		if ($f['kind'] === 'dash') {
			$this->Cell($w, 0, '- ' . $this->getAliasNumPage() . ' -', 0, 0, 'C');
		} elseif ($f['kind'] === 'n_of_N') {
			$this->Cell($w * 0.7, 0, $f['text'], 'T', 0, 'L');
			$this->Cell($w * 0.3, 0, $this->getAliasNumPage() . ' / ' . $this->getAliasNbPages(), 'T', 0, 'R');
		} elseif ($f['kind'] === 'page_of') {
			$this->Cell($w * 0.6, 0, $f['text'], 0, 0, 'L');
			$this->Cell($w * 0.4, 0, '第 ' . $this->getAliasNumPage() . ' 頁，共 ' . $this->getAliasNbPages() . ' 頁', 0, 0, 'R');
		}
		$this->SetTextColor(0, 0, 0);
	}

	/** @var list<float> */
	private array $sizes = [];

	/** 'B' in the deck's font, or the regular font stroked (2 Tr), or nothing, as the job says; until deckBoldOff(). */
	public function deckBold(?float $size = null): void
	{
		$this->sizes[] = $this->FontSizePt;
		$b = $this->deck['bold'];
		$this->deckFont($b === 'style' ? 'B' : '', $size);
		if ($b === 'stroke') {
			$this->setTextRenderingMode($this->u(0.03 * ($size ?? $this->FontSizePt)), true, false);
		}
	}

	public function deckBoldOff(): void
	{
		$this->deckFont('', array_pop($this->sizes));
		$this->setTextRenderingMode(0, true, false);
	}

	/** Rotated light text across the page: a transparent fill (setAlpha) or a light grey one. */
	public function watermark(): void
	{
		$wm = $this->deck['watermark'];
		$this->StartTransform();
		$this->deckFont('', $wm['size']);
		if ($wm['alpha'] !== null) {
			$this->setAlpha($wm['alpha']);
			$this->SetTextColor(200, 60, 60);
		} else {
			$this->SetTextColor(225, 205, 205);
		}
		$cx = $this->getPageWidth() / 2;
		$cy = $this->getPageHeight() / 2;
		$this->Rotate($wm['angle'], $cx, $cy);
		$tw = $this->GetStringWidth($wm['text']);
		$this->Text($cx - $tw / 2, $cy - $this->u($wm['size']) / 2, $wm['text']);
		$this->StopTransform();
		if ($wm['alpha'] !== null) {
			$this->setAlpha(1);
		}
		$this->SetTextColor(0, 0, 0);
	}
}

/** Cell tables drawn with MultiCell and paginated by hand. */
class CellTable
{
	private DeckPDF $pdf;
	/** @var array<string, mixed> */
	private array $t;
	/** @var list<float> */
	private array $xs = [];
	/** @var list<float> */
	private array $ws = [];
	public bool $overflow = false;
	private int $kpis = 0;

	/** @param array<string, mixed> $t */
	public function __construct(DeckPDF $pdf, array $t)
	{
		$this->pdf = $pdf;
		$this->t = $t;
		$m = $pdf->getMargins();
		$usable = $pdf->getPageWidth() - $m['left'] - $m['right'];
		$tot = array_sum($t['widths']);
		$x = $m['left'];
		foreach ($t['widths'] as $w) {
			$this->xs[] = $x;
			$this->ws[] = $usable * $w / $tot;
			$x += $usable * $w / $tot;
		}
	}

	private function border(bool $head, bool $band = false): mixed
	{
		return match ($this->t['rules']) {
			'grid' => $this->t['border'],
			'hrules' => $head ? 'TB' : 'B',
			'zebra' => $head ? 'B' : 0,
			default => 0,
		};
	}

	private function height(string $text, float $w, bool $bold = false): float
	{
		if ($text === '') {
			return 0.0;
		}
		if ($bold) {
			$this->pdf->deckBold();
		}
		$h = $this->pdf->getStringHeight($w, $text);
		if ($bold) {
			$this->pdf->deckBoldOff();
		}
		return $h;
	}

	/** Height a 構面/策略目標 label needs in a cell of column $c. */
	private function labelNeed(int $c, string $label): float
	{
		if ($label === '') {
			return 0.0;
		}
		$pad = $this->pdf->u($this->t['padding']) * 2;
		if ($c === $this->t['span_cols']['persp'] && $this->t['persp_mode'] === 'rot') {
			return $this->pdf->GetStringWidth($label) + $pad + $this->pdf->u(4);
		}
		if ($c === $this->t['span_cols']['persp'] && $this->t['persp_mode'] === 'stack') {
			return $this->height(implode("\n", mb_str_split($label)), $this->ws[$c]);
		}
		return $this->height($label, $this->ws[$c]);
	}

	private function isSpanCol(int $c): bool
	{
		return in_array($c, array_filter($this->t['span_cols'], fn ($v) => $v !== null), true);
	}

	private function rowHeight(array $r): float
	{
		$min = $this->pdf->getCellHeight($this->pdf->getFontSize());
		if ($r['kind'] === 'band') {
			return max($min, $this->height($r['text'], $this->xs[count($this->xs) - 1] + $this->ws[count($this->ws) - 1] - $this->xs[0], true));
		}
		$h = $min;
		foreach ($r['cells'] as $c => $text) {
			if ($this->isSpanCol($c)) {
				continue;
			}
			$h = max($h, $this->height($text, $this->ws[$c]));
		}
		return $h + $this->pdf->u(0.5);
	}

	private function headHeights(): array
	{
		$n = $this->t['head_rows'];
		$hs = array_fill(0, $n, $this->pdf->getCellHeight($this->pdf->getFontSize()));
		foreach ($this->t['head'] as $cell) {
			$w = $this->spanWidth($cell['c'], $cell['cs']);
			if ($cell['rs'] === 1) {
				$hs[$cell['r']] = max($hs[$cell['r']], $this->height($cell['text'], $w, true));
			}
		}
		foreach ($this->t['head'] as $cell) {
			if ($cell['rs'] === 2) {
				$need = $this->height($cell['text'], $this->spanWidth($cell['c'], $cell['cs']), true);
				if ($need > $hs[0] + $hs[1]) {
					$hs[1] = $need - $hs[0];
				}
			}
		}
		return $hs;
	}

	private function spanWidth(int $c, int $cs): float
	{
		return array_sum(array_slice($this->ws, $c, $cs));
	}

	private function cell(float $x, float $y, float $w, float $h, string $text, mixed $border, string $align, bool $fill, string $valign, bool $html = false): void
	{
		// an HTML cell (≥ ≤ in DejaVu Sans beside a CID font) is written by writeHTML, at the top: no $maxh, no $valign
		$this->pdf->MultiCell($w, $h, $text, $border, $align, $fill, 0, $x, $y, true, 0, $html, true, $html ? 0 : $h, $valign, false);
	}

	private function title(float $y): float
	{
		$pdf = $this->pdf;
		$t = $this->t;
		$m = $pdf->getMargins();
		$usable = $pdf->getPageWidth() - $m['left'] - $m['right'];
		$navy = $pdf->deck['colors']['navy'];
		$size = $pdf->getFontSizePt();
		$pdf->deckBold(16);
		$lh = $pdf->getCellHeight($pdf->getFontSize()) + $pdf->u(4);
		$tw = $t['logo'] !== null ? $usable * 0.8 : $usable;
		if ($t['title_bar']) {
			$pdf->SetFillColor($navy[0], $navy[1], $navy[2]);
			$pdf->SetTextColor(255, 255, 255);
		} else {
			$pdf->SetTextColor($navy[0], $navy[1], $navy[2]);
		}
		$pdf->SetXY($m['left'], $y);
		$pdf->Cell($tw, $lh, $t['title'], 0, 0, 'L', $t['title_bar'], '', 1);
		$pdf->deckBoldOff();
		if ($t['logo'] !== null) {
			$pdf->deckFont('', 11);
			$pdf->SetTextColor($navy[0], $navy[1], $navy[2]);
			$pdf->SetDrawColor($navy[0], $navy[1], $navy[2]);
			$lw = $usable * 0.16;
			$pdf->RoundedRect($m['left'] + $usable - $lw, $y + $pdf->u(2), $lw, $lh - $pdf->u(4), $pdf->u(5), '1111', 'D');
			$pdf->SetXY($m['left'] + $usable - $lw, $y);
			$pdf->Cell($lw, $lh, $t['logo'], 0, 0, 'C');
		}
		$pdf->SetTextColor(0, 0, 0);
		$pdf->SetDrawColor(85, 85, 85);
		$pdf->deckFont('', $size);
		return $y + $lh + $pdf->u(6);
	}

	private function head(float $y, array $hs): float
	{
		$pdf = $this->pdf;
		$c = $this->pdf->deck['colors'];
		$fill = $this->t['header_fill'];
		if ($fill) {
			$pdf->SetFillColor($c['head'][0], $c['head'][1], $c['head'][2]);
		}
		$pdf->deckBold();
		foreach ($this->t['head'] as $cell) {
			$y0 = $y + ($cell['r'] === 1 ? $hs[0] : 0);
			$h = $cell['rs'] === 2 ? $hs[0] + $hs[1] : $hs[$cell['r']];
			$this->cell($this->xs[$cell['c']], $y0, $this->spanWidth($cell['c'], $cell['cs']), $h, $cell['text'], $this->border(true), 'C', $fill, 'M');
		}
		$pdf->deckBoldOff();
		return $y + array_sum($hs);
	}

	/** Draw the table; new pages (title, repeated head) when a row does not fit and the table paginates. */
	public function draw(): void
	{
		$pdf = $this->pdf;
		$t = $this->t;
		$pdf->SetFont($pdf->deck['font']['family'], '', $t['font_size']);
		$pdf->setCellPaddings($pdf->u($t['padding']), $pdf->u($t['padding'] * 0.6), $pdf->u($t['padding']), $pdf->u($t['padding'] * 0.6));
		$pdf->SetDrawColor(85, 85, 85);
		$pdf->SetLineWidth($pdf->u($t['line_width']));
		$bottom = $pdf->getPageHeight() - $pdf->getBreakMargin();
		$hs = $this->headHeights();
		$heights = array_map(fn ($r) => $this->rowHeight($r), $t['rows']);
		$top = $pdf->GetY();
		$y = $t['running'] ? $top : $this->title($top);
		$y = $this->head($y, $hs);
		$page = [];  // rows placed on the current page: [index, y, h]
		$first_on_page = true;
		$n = count($t['rows']);
		for ($i = 0; $i < $n; $i++) {
			[$h, $need] = $this->fits($i, $heights, $first_on_page);
			if ($y + $need > $bottom + 0.01 && $page) {
				if ($t['paginate']) {
					$this->paint($page, true);
					$pdf->AddPage();
					$y = $pdf->GetY();
					$y = $t['running'] ? $y : $this->title($y);
					if ($t['repeat_header']) {
						$y = $this->head($y, $hs);
					}
					$page = [];
					$first_on_page = true;
					[$h, $need] = $this->fits($i, $heights, true);
				} else {
					$this->overflow = true;
				}
			}
			$page[] = [$i, $y, $h];
			$y += $h;
			$first_on_page = false;
			// a label taller than its rows on the page makes the last of them taller
			$y = $this->stretch($page, $y, $i + 1 < $n ? $i + 1 : null);
			if ($y > $bottom + 0.01) {
				$this->overflow = true;
			}
		}
		$this->paint($page, false);
		if ($y > $bottom + 0.01) {
			$this->overflow = true;
		}
		$pdf->SetY($y);
	}

	/**
	 * Row $i's height and the room it needs below it: a band row is kept with the row after it; a row starting a
	 * label's run on the page needs the label's height, within the row (no spans) or over the run (spans).
	 *
	 * @return array{float, float}
	 */
	private function fits(int $i, array $heights, bool $first_on_page): array
	{
		$t = $this->t;
		$r = $t['rows'][$i];
		$h = $heights[$i];
		$need = $h;
		if ($r['kind'] === 'band') {
			return [$h, $h + ($heights[$i + 1] ?? 0.0)];
		}
		foreach ($t['span_cols'] as $key => $c) {
			if ($c === null || !($first_on_page || $this->group($i - 1, $key) !== $this->group($i, $key))) {
				continue;
			}
			$label = $this->labelNeed($c, $r['cells'][$c]);
			if (!$t['spans']) {
				$h = max($h, $label);
			}
			$need = max($need, $h, $label);
		}
		return [$h, $need];
	}

	private function group(int $i, string $key): mixed
	{
		if ($i < 0 || $this->t['rows'][$i]['kind'] !== 'kpi') {
			return null;
		}
		return $this->t['rows'][$i]['groups'][$key];
	}

	/** After placing a row: if the label run it belongs to ends with it, stretch that run to the label's height. */
	private function stretch(array &$page, float $y, ?int $next): float
	{
		if (!$this->t['spans']) {
			return $y;
		}
		$last = count($page) - 1;
		[$i] = $page[$last];
		if ($this->t['rows'][$i]['kind'] !== 'kpi') {
			return $y;
		}
		foreach ($this->t['span_cols'] as $key => $c) {
			if ($c === null) {
				continue;
			}
			$g = $this->group($i, $key);
			if ($next !== null && $this->group($next, $key) === $g) {
				continue;  // the run goes on (a page break will stretch it then, within the room reserved)
			}
			$s = $last;
			while ($s > 0 && $this->group($page[$s - 1][0], $key) === $g) {
				$s--;
			}
			$have = $y - $page[$s][1];
			$label = $this->t['rows'][$page[$s][0]]['cells'][$c];
			$need = $this->labelNeed($c, $label);
			if ($need > $have) {
				$page[$last][2] += $need - $have;
				$y += $need - $have;
			}
		}
		return $y;
	}

	/** Paint the rows placed on one page: fills, cells, merged labels. */
	private function paint(array $page, bool $broken): void
	{
		$pdf = $this->pdf;
		$t = $this->t;
		$col = $pdf->deck['colors'];
		if ($broken && $t['spans']) {
			// the run cut by the page break: stretch it to its label within the page
			$fake = $page;
			$y = end($fake)[1] + end($fake)[2];
			$this->stretch($fake, $y, null);
			$page = $fake;
		}
		$last = count($t['widths']) - 1;
		$full = $this->xs[$last] + $this->ws[$last] - $this->xs[0];
		foreach ($page as $k => [$i, $y, $h]) {
			$r = $t['rows'][$i];
			if ($r['kind'] === 'band') {
				$fill = $t['rules'] !== 'none';
				if ($fill) {
					$pdf->SetFillColor($col['band'][0], $col['band'][1], $col['band'][2]);
				}
				$pdf->deckBold();
				$this->cell($this->xs[0], $y, $full, $h, $r['text'], $this->border(false, true), 'L', $fill, 'M');
				$pdf->deckBoldOff();
				continue;
			}
			$this->kpis++;
			$zebra = $t['rules'] === 'zebra' && $this->kpis % 2 === 0;
			if ($zebra) {
				$pdf->SetFillColor($col['zebra'][0], $col['zebra'][1], $col['zebra'][2]);
			}
			foreach ($r['cells'] as $c => $text) {
				if ($this->isSpanCol($c)) {
					$key = array_search($c, $t['span_cols'], true);
					$starts = $k === 0 || $this->group($page[$k - 1][0], $key) !== $r['groups'][$key];
					if ($t['spans']) {
						continue;  // merged labels are drawn below
					}
					$label = $starts ? $this->labelText($k, $i, $key, $text) : '';
					$this->label($c, $this->xs[$c], $y, $this->ws[$c], $h, $label, $zebra);
					continue;
				}
				$this->cell($this->xs[$c], $y, $this->ws[$c], $h, $text, $this->border(false), $t['halign'], $zebra, $t['valign'], $r['html'][$c]);
			}
		}
		if (!$t['spans']) {
			return;
		}
		foreach ($t['span_cols'] as $key => $c) {
			if ($c === null) {
				continue;
			}
			$k = 0;
			while ($k < count($page)) {
				[$i, $y] = $page[$k];
				if ($t['rows'][$i]['kind'] !== 'kpi') {
					$k++;
					continue;
				}
				$g = $this->group($i, $key);
				$e = $k;
				while ($e + 1 < count($page) && $this->group($page[$e + 1][0], $key) === $g) {
					$e++;
				}
				$h = $page[$e][1] + $page[$e][2] - $y;
				$this->label($c, $this->xs[$c], $y, $this->ws[$c], $h, $this->labelText($k, $i, $key, $t['rows'][$i]['cells'][$c]), false);
				$k = $e + 1;
			}
		}
	}

	/** A label at the top of a page continuing the run of the page before: blank or printed again. */
	private function labelText(int $k, int $i, string $key, string $text): string
	{
		if ($k === 0 && $this->t['blank_cont'] && $this->t['paginate'] && $this->group($i - 1, $key) === $this->group($i, $key) && $this->group($i, $key) !== null) {
			return '';
		}
		return $text;
	}

	private function label(int $c, float $x, float $y, float $w, float $h, string $label, bool $fill): void
	{
		$pdf = $this->pdf;
		$t = $this->t;
		$mode = $c === $t['span_cols']['persp'] ? $t['persp_mode'] : 'h';
		if ($mode === 'h') {
			$this->cell($x, $y, $w, $h, $label, $this->border(false), $c === $t['span_cols']['persp'] ? 'C' : $t['halign'], $fill, $c === $t['span_cols']['persp'] ? 'M' : $t['valign']);
			return;
		}
		if ($mode === 'stack') {
			$this->cell($x, $y, $w, $h, implode("\n", mb_str_split($label)), $this->border(false), 'C', $fill, 'M');
			return;
		}
		$this->cell($x, $y, $w, $h, '', $this->border(false), 'C', $fill, 'M');
		if ($label === '') {
			return;
		}
		$cx = $x + $w / 2;
		$cy = $y + $h / 2;
		$lw = $pdf->GetStringWidth($label) + $pdf->u(2);
		$lh = $pdf->getCellHeight($pdf->getFontSize());
		$pdf->StartTransform();
		$pdf->Rotate($t['rotate'], $cx, $cy);
		$pdf->SetXY($cx - $lw / 2, $cy - $lh / 2);
		$pdf->Cell($lw, $lh, $label, 0, 0, 'C', false, '', 0, false, 'T', 'M');
		$pdf->StopTransform();
	}
}

function front_title(DeckPDF $pdf, array $it): void
{
	$navy = $pdf->deck['colors']['navy'];
	$W = $pdf->getPageWidth();
	$H = $pdf->getPageHeight();
	if ($it['band']) {
		$pdf->Rect(0, 0, $W, $pdf->u(18), 'F', [], $navy);
	}
	$pdf->SetTextColor($navy[0], $navy[1], $navy[2]);
	$pdf->deckBold(28);
	$pdf->SetXY(0, $H * 0.34);
	$pdf->Cell($W, 0, $it['org'], 0, 1, 'C');
	$pdf->deckBoldOff();
	$pdf->deckFont('', 24);
	$pdf->SetTextColor(0, 0, 0);
	$pdf->SetXY(0, $H * 0.34 + $pdf->u(48));
	$pdf->Cell($W, 0, $it['subtitle'], 0, 1, 'C');
}

function front_profile(DeckPDF $pdf, array $it): void
{
	$navy = $pdf->deck['colors']['navy'];
	$m = $pdf->getMargins();
	$pdf->SetTextColor($navy[0], $navy[1], $navy[2]);
	$pdf->deckBold(20);
	$pdf->Cell(0, 0, $it['heading'], 0, 1, 'L');
	$pdf->deckBoldOff();
	$pdf->SetTextColor(0, 0, 0);
	$pdf->deckFont('', 14);
	$pdf->Ln($pdf->u(14));
	foreach ($it['lines'] as $line) {
		$pdf->SetX($m['left'] + $pdf->u(24));
		$pdf->MultiCell(0, 0, $line, 0, 'L', false, 1);
		$pdf->Ln($pdf->u(12));
	}
}

function front_map(DeckPDF $pdf, array $it): void
{
	$navy = $pdf->deck['colors']['navy'];
	$m = $pdf->getMargins();
	$W = $pdf->getPageWidth() - $m['left'] - $m['right'];
	$pdf->SetTextColor($navy[0], $navy[1], $navy[2]);
	$pdf->deckBold(20);
	$y0 = $pdf->GetY();
	$pdf->Cell($W * 0.75, 0, $it['heading'], 0, 0, 'L');
	$pdf->deckBoldOff();
	$pdf->deckFont('', 13);
	$pdf->SetTextColor(0, 0, 0);
	$pdf->Cell($W * 0.25, 0, $it['date'], 0, 1, 'R');
	$pdf->deckFont('', 10);
	$pdf->SetY($y0 + $pdf->getCellHeight($pdf->u(20)) + $pdf->u(6));
	$pdf->MultiCell($W, 0, $it['vision'], 0, 'L', false, 1);
	$y = $pdf->GetY() + $pdf->u(8);
	$bottom = $pdf->getPageHeight() - $pdf->getBreakMargin();
	$n = max(1, count($it['rows']));
	$band = min($pdf->u(110), ($bottom - $y) / $n);
	$lw = $pdf->u(84);
	foreach ($it['rows'] as $row) {
		$pdf->SetFillColor($navy[0], $navy[1], $navy[2]);
		$pdf->SetTextColor(255, 255, 255);
		$pdf->deckFont('', 11);
		$pdf->MultiCell($lw, $band - $pdf->u(8), $row['label'], 0, 'C', true, 0, $m['left'], $y, true, 0, false, true, $band - $pdf->u(8), 'M');
		$pdf->SetTextColor(0, 0, 0);
		$pdf->deckFont('', 9);
		$k = count($row['objs']);
		$bw = min($pdf->u(150), ($W - $lw - $pdf->u(10) * $k) / max(1, $k));
		$x = $m['left'] + $lw + $pdf->u(10);
		foreach ($row['objs'] as $obj) {
			$pdf->SetDrawColor($navy[0], $navy[1], $navy[2]);
			$pdf->SetLineWidth($pdf->u(1.2));
			$pdf->RoundedRect($x, $y + $pdf->u(4), $bw, $band - $pdf->u(16), $pdf->u(8), '1111', 'D');
			$pdf->MultiCell($bw, $band - $pdf->u(16), $obj, 0, 'C', false, 0, $x, $y + $pdf->u(4), true, 0, false, true, $band - $pdf->u(16), 'M');
			$x += $bw + $pdf->u(10);
		}
		$y += $band;
	}
	$pdf->SetLineWidth($pdf->u(0.57));
	$pdf->SetDrawColor(0, 0, 0);
}

function closing(DeckPDF $pdf, array $it): void
{
	$pdf->deckFont('', 36);
	$pdf->SetXY(0, $pdf->getPageHeight() * 0.42);
	$pdf->Cell($pdf->getPageWidth(), 0, $it['text'], 0, 1, 'C');
}

$p = $job['page'];
$pdf = new DeckPDF($p['orientation'], $p['unit'], $p['format'], true, 'UTF-8', false);
$pdf->deck = $job;
$pdf->showTcpdfLink($job['tcpdflink']);
$pdf->setCompression($job['compress']);
$pdf->SetCreator('TCPDF');
$pdf->SetAuthor($job['meta']['author']);
$pdf->SetTitle($job['meta']['title']);
$pdf->SetSubject($job['meta']['subject']);
$pdf->SetKeywords($job['meta']['keywords']);
$pdf->setFontSubsetting($job['font']['subset']);
$mg = $job['margins'];
$pdf->SetMargins($pdf->u($mg['left']), $pdf->u($mg['top']), $pdf->u($mg['right']));
$pdf->SetHeaderMargin($pdf->u($mg['header']));
$pdf->SetFooterMargin($pdf->u($mg['footer']));
$pdf->SetAutoPageBreak(true, $pdf->u($mg['bottom']));
$pdf->setCellHeightRatio($job['cell']['height_ratio']);
$fam = $job['font']['family'];
$hd = $job['header'];
if ($hd['kind'] === 'data') {
	$pdf->SetHeaderData('', 0, $hd['title'], $hd['string'], [31, 58, 104], [31, 58, 104]);
	$pdf->setHeaderFont([$fam, '', 9]);
}
$ft = $job['footer'];
if ($ft['kind'] === 'default') {
	$pdf->setFooterFont($ft['cjk_font'] ? [$fam, '', 8] : ['helvetica', '', 8]);
}
$pdf->setPrintHeader($hd['kind'] !== null || ($job['watermark'] && $job['watermark']['layer'] === 'under'));
$pdf->setPrintFooter($ft['kind'] !== null);
$pdf->SetFont($fam, '', $job['font']['size']);

$report = ['items' => []];
$marked = [];
foreach ($job['items'] as $it) {
	$first = $pdf->getPage() + (($it['new_page'] ?? true) ? 1 : 0);
	$pdf->running = $it['running'] ?? '';
	$pdf->wm_on = $it['watermark'] ?? false;
	$entry = ['overflow' => false];
	if ($it['new_page'] ?? true) {
		$pdf->AddPage();
	}
	$pdf->SetFont($fam, '', $job['font']['size']);
	switch ($it['kind']) {
		case 'title':
			front_title($pdf, $it);
			break;
		case 'profile':
			front_profile($pdf, $it);
			break;
		case 'map':
			front_map($pdf, $it);
			break;
		case 'closing':
			closing($pdf, $it);
			break;
		case 'html':
			$pdf->SetFont($fam, '', $it['font_size']);
			$pdf->SetAutoPageBreak(true, $pdf->u($mg['bottom']));
			$pdf->writeHTML($it['html'], true, false, true, false, '');
			break;
		case 'table':
			$pdf->SetAutoPageBreak(false, $pdf->u($mg['bottom']));
			$tab = new CellTable($pdf, $it);
			$tab->draw();
			$entry['overflow'] = $tab->overflow;
			$pdf->SetAutoPageBreak(true, $pdf->u($mg['bottom']));
			break;
	}
	$entry['first'] = $first;
	$entry['last'] = $pdf->getPage();
	if ($it['watermark'] ?? false) {
		for ($q = $first; $q <= $entry['last']; $q++) {
			$marked[$q] = true;
		}
	}
	$report['items'][] = $entry;
}
$pdf->running = '';
$pdf->wm_on = false;
if ($job['watermark'] && $job['watermark']['layer'] === 'over') {
	// stamped over the finished pages, as a loop over setPage() does
	foreach (array_keys($marked) as $q) {
		$pdf->setPage($q);
		$pdf->watermark();
	}
	$pdf->lastPage();
}
$report['pages'] = $pdf->getNumPages();
$pdf->Output($job['out'], 'F');
echo json_encode($report), "\n";
