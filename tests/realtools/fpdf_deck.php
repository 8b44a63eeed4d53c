<?php

// The deck drawn by an FPDF-based driver, shared by r_fpdfbig5.php (FPDF + the Big5 add-on) and r_tfpdf.php (tFPDF):
// the DeckPages trait (Header()/Footer(), watermark, helpers taking points) that the driver's DeckPDF class uses
// beside its own enc() (the site's conversion of a UTF-8 string for Cell/MultiCell) and textLines() (the lines its
// MultiCell prints), the rotate add-on (rotation.php), the "Table with MultiCells" recipe (class Table, CheckPageBreak
// pagination), the front pages and the run over the job's themes.

declare(strict_types=1);

// ---- the rotate add-on (rotation.php) -----------------------------------------------------------------------------

trait Rotation
{
	protected float $angle = 0;

	function Rotate($angle, $x = -1, $y = -1)
	{
		if ($x == -1)
			$x = $this->x;
		if ($y == -1)
			$y = $this->y;
		if ($this->angle != 0)
			$this->_out('Q');
		$this->angle = $angle;
		if ($angle != 0) {
			$angle *= M_PI / 180;
			$c = cos($angle);
			$s = sin($angle);
			$cx = $x * $this->k;
			$cy = ($this->h - $y) * $this->k;
			$this->_out(sprintf('q %.5F %.5F %.5F %.5F %.2F %.2F cm 1 0 0 1 %.2F %.2F cm', $c, $s, -$s, $c, $cx, $cy, -$cx, -$cy));
		}
	}

	function RotatedText($x, $y, $txt, $angle)
	{
		$this->Rotate($angle, $x, $y);
		$this->Text($x, $y, $txt);
		$this->Rotate(0);
	}

	protected function _endpage()
	{
		if ($this->angle != 0) {
			$this->angle = 0;
			$this->_out('Q');
		}
		parent::_endpage();
	}
}

// ---- the deck -----------------------------------------------------------------------------------------------------

/** The deck document: Header()/Footer(), watermark, geometry in points; enc() and textLines() from the driver */
trait DeckPages
{
	use Rotation;

	/** @var array<string, mixed> */
	public array $job = [];
	public string $running = '';
	public bool $numbered = true;
	public bool $marked = false;
	/** @var list<string> */
	public array $lossy = [];

	/** points to user units */
	public function u(float $pt): float
	{
		return $pt / $this->k;
	}

	public function cjk(string $style = '', float $size = 0): void
	{
		$this->SetFont($this->job['font']['family'], $this->job['font']['bold'] ? $style : '', $size ?: $this->FontSizePt);
	}

	public function rgb(string $what, array $c): void
	{
		$fn = ['fill' => 'SetFillColor', 'draw' => 'SetDrawColor', 'text' => 'SetTextColor'][$what];
		$this->$fn($c[0], $c[1], $c[2]);
	}

	// geometry in points
	public function R(float $x, float $y, float $w, float $h, string $st): void
	{
		$this->Rect($this->u($x), $this->u($y), $this->u($w), $this->u($h), $st);
	}

	public function L(float $x0, float $y0, float $x1, float $y1): void
	{
		$this->Line($this->u($x0), $this->u($y0), $this->u($x1), $this->u($y1));
	}

	public function XY(float $x, float $y): void
	{
		$this->SetXY($this->u($x), $this->u($y));
	}

	public function C(float $w, float $h, string $txt, mixed $border = 0, int $ln = 0, string $align = '', bool $fill = false): void
	{
		$this->Cell($this->u($w), $this->u($h), $txt, $border, $ln, $align, $fill);
	}

	public function T(float $x, float $y, string $txt): void
	{
		$this->Text($this->u($x), $this->u($y), $txt);
	}

	public function PW(): float
	{
		return $this->w * $this->k;
	}

	public function PH(): float
	{
		return $this->h * $this->k;
	}

	public function yPt(): float
	{
		return $this->y * $this->k;
	}

	public function isCID(): bool
	{
		return in_array($this->CurrentFont['type'], ['Type0', 'TTF'], true);
	}

	/** FPDF has no setter for the cell margin: subclasses set it (1 mm by default) */
	public function setCellMargin(float $pt): void
	{
		$this->cMargin = $pt / $this->k;
	}

	public function W(string $txt): float
	{
		return $this->GetStringWidth($txt) * $this->k;
	}

	public function watermark(): void
	{
		$wm = $this->job['watermark'];
		$this->cjk('B', 60);
		$this->rgb('text', $wm['color']);
		$x = $this->w * $this->k * 0.3;
		$y = $this->h * $this->k * 0.72;
		$this->RotatedText($this->u($x), $this->u($y), $this->enc($wm['text']), $wm['angle']);
		$this->SetTextColor(0, 0, 0);
	}

	function Header()
	{
		$j = $this->job;
		$size = $this->FontSizePt;
		if ($j['watermark'] && $this->marked)
			$this->watermark();  // the watermark recipe: drawn by Header(), under the page's content
		$h = $j['header'];
		if ($h !== null && $this->PageNo() > 1) {
			$W = $this->w * $this->k;
			$this->cjk('', 8);
			$this->rgb('text', $j['accent']);
			$this->XY(30, 14);
			$this->C($W / 2 - 30, 10, $this->enc($j['org']), 0, 0, 'L');
			$this->C($W / 2 - 30, 10, $this->enc('策略地圖與平衡計分卡'), 0, 0, 'R');
			$this->rgb('draw', $j['accent']);
			$this->SetLineWidth($this->u(0.5));
			$this->L(30, 26, $W - 30, 26);
			if ($h === 'running' && $this->running !== '') {
				$this->cjk('B', 15);
				$this->XY(30, 32);
				$this->C($W - 60, 22, $this->enc($this->running), 0, 0, 'L');
			}
			$this->SetTextColor(0, 0, 0);
		}
		$this->cjk('', $size);
		$this->SetXY($this->lMargin, $this->tMargin);
	}

	function Footer()
	{
		$f = $this->job['footer'];
		if ($f['kind'] === null || !$this->numbered)
			return;
		$W = $this->w * $this->k;
		$H = $this->h * $this->k;
		$this->SetDrawColor(153, 153, 153);
		$this->SetLineWidth($this->u(0.5));
		$this->L(30, $H - 28, $W - 30, $H - 28);
		$this->SetTextColor(102, 102, 102);
		$this->cjk('', 7);
		$this->XY(30, $H - 24);
		$this->C($W * 0.6, 12, $this->enc($this->job['org'] . '｜策略地圖與平衡計分卡'), 0, 0, 'L');
		$n = (string)$this->PageNo();
		$s = ['zh' => "第 $n 頁", 'zh_nb' => "第 $n 頁，共 {nb} 頁", 'slash' => "$n / {nb}", 'dash' => "- $n -"][$f['kind']];
		$ascii = !preg_match('/[^\x20-\x7e]/', $s);
		if ($ascii && $f['latin'] !== null)
			$this->SetFont($f['latin'], '', 7);
		$this->XY(30, $H - 24);
		$this->C($W - 60, 12, $ascii ? $s : $this->enc($s), 0, 0, $f['align']);
		$this->SetTextColor(0, 0, 0);
	}
}

/** A theme's table, by the "Table with MultiCells" recipe. */
class Table
{
	private DeckPDF $p;
	/** @var array<string, mixed> */
	private array $t;
	/** @var list<float> */
	private array $xs = [];
	private float $lh;
	public bool $overflow = false;
	private int $zebra = 0;

	public function __construct(DeckPDF $p, array $t)
	{
		$this->p = $p;
		$this->t = $t;
		$W = $p->PW();
		$tot = array_sum(array_column($t['cols'], 'weight'));
		$x = 30.0;
		$this->xs[] = $x;
		foreach ($t['cols'] as $c) {
			$x += $c['weight'] * ($W - 60) / $tot;
			$this->xs[] = $x;
		}
		$this->lh = $t['font_pt'] * $t['leading'];
	}

	private function font(string $cid, string $txt, bool $head): void
	{
		$p = $this->p;
		if ($head) {
			$p->cjk('B', $this->t['font_pt']);
		} elseif ($this->t['latin'] !== null && $txt !== '' && !preg_match('/[^\x20-\x7e]/', $txt) && in_array($cid, ['a0', 'a1', 'a2', 't', 'w'], true)) {
			$p->SetFont($this->t['latin'], '', $this->t['font_pt']);  // digits in Arial: a second font in the row
		} else {
			$p->cjk('', $this->t['font_pt']);
		}
	}

	private function enc(string $cid, string $txt): string
	{
		return $this->p->isCID() ? $this->p->enc($txt) : $txt;
	}

	/** @return list<string> lines of $txt (UTF-8) in a cell $w points wide, in the current font (Big5 bytes) */
	private function lines(string $cid, string $txt, float $w, bool $head = false): array
	{
		if ($txt === '')
			return [];
		$this->font($cid, $txt, $head);
		$p = $this->p;
		$b = $this->enc($cid, $txt);
		if ($p->isCID())
			return $p->textLines($p->u($w), $b);
		// a core font: FPDF's own MultiCell breaking, counted the recipe's NbLines way
		return $this->nbLinesCore($p->u($w), $b);
	}

	private function nbLinesCore(float $w, string $s): array
	{
		$p = $this->p;
		$out = [];
		foreach (explode("\n", $s) as $para) {
			$line = '';
			foreach (str_split($para) as $ch) {
				if ($line !== '' && $p->GetStringWidth($line . $ch) > $w - 2 * $this->cm()) {
					$out[] = $line;
					$line = $ch;
				} else
					$line .= $ch;
			}
			$out[] = $line;
		}
		return $out;
	}

	private function cm(): float
	{
		return $this->p->u($this->t['cell_margin']);
	}

	private function need(string $cid, string $txt, float $w, bool $head = false): float
	{
		return max(1, count($this->lines($cid, $txt, $w, $head))) * $this->lh + 2 * $this->t['pad'];
	}

	private function isLabel(string $cid): bool
	{
		return $cid === 'persp' || ($cid === 'obj' && $this->t['spans']);
	}

	/** @return array{float, float} head height, group row height */
	private function headHeight(): array
	{
		$cols = $this->t['cols'];
		$grp = $sub = $single = 0.0;
		foreach ($cols as $j => $c) {
			$w = $this->xs[$j + 1] - $this->xs[$j];
			if ($c['group'] !== '') {
				$gw = 0.0;
				foreach ($cols as $k => $d)
					if ($d['group'] === $c['group'])
						$gw += $this->xs[$k + 1] - $this->xs[$k];
				$grp = max($grp, $this->need('', $c['group'], $gw, true));
				$sub = max($sub, $this->need('', $c['sub'], $w, true));
			} else
				$single = max($single, $this->need('', $c['label'], $w, true));
		}
		if ($grp > 0) {
			if ($single > $grp + $sub)
				$sub = $single - $grp;
			return [$grp + $sub, $grp];
		}
		return [$single, 0.0];
	}

	private function rowHeight(array $r): float
	{
		if ($r['kind'] === 'band')
			return $this->need('', $r['band'], end($this->xs) - $this->xs[0], true);
		$n = 1;
		foreach ($this->t['cols'] as $j => $c) {
			if ($c['id'] === 'persp' && $this->t['persp_mode'] !== 'column')
				continue;
			if ($this->isLabel($c['id']) && $this->t['spans'])
				continue;
			$n = max($n, count($this->lines($c['id'], $r['cells'][$c['id']] ?? '', $this->xs[$j + 1] - $this->xs[$j])));
		}
		return $n * $this->lh + 2 * $this->t['pad'];
	}

	/** @return list<array{int, int}> runs of KPI rows sharing a label: [start, count] */
	private function runs(array $rows, string $key): array
	{
		$out = [];
		$prev = null;
		foreach ($rows as $i => $r) {
			if ($r['kind'] !== 'kpi') {
				$prev = null;
				continue;
			}
			$cur = $r[$key];
			if ($out && $cur === $prev)
				$out[count($out) - 1][1]++;
			else
				$out[] = [$i, 1];
			$prev = $cur;
		}
		return $out;
	}

	private function labelNeed(string $key, string $txt): float
	{
		if ($txt === '')
			return 0.0;
		$j = array_search($key, array_column($this->t['cols'], 'id'), true);
		$w = $this->xs[$j + 1] - $this->xs[$j];
		$mode = $key === 'persp' ? $this->t['persp_mode'] : 'column';
		if ($mode === 'rotated') {
			$this->p->cjk('', $this->t['font_pt']);
			return $this->p->W($this->p->enc($txt)) + 2 * $this->t['pad'] + 4;
		}
		if ($mode === 'stacked')
			return mb_strlen($txt) * $this->lh + 2 * $this->t['pad'];
		return $this->need($key, $txt, $w);
	}

	/** row tops and bottoms on a page, the last row of a label run stretched to its label */
	private function layout(array $rows, float $top): array
	{
		$ys = [];
		$y = $top;
		foreach ($rows as $r) {
			$h = $this->rowHeight($r);
			$ys[] = [$y, $y + $h];
			$y += $h;
		}
		$keys = [];
		$ids = array_column($this->t['cols'], 'id');
		if (in_array('persp', $ids, true) && $this->t['persp_mode'] !== 'column')
			$keys[] = 'persp';
		if ($this->t['spans']) {
			if (in_array('persp', $ids, true) && $this->t['persp_mode'] === 'column')
				$keys[] = 'persp';
			$keys[] = 'obj';
		}
		foreach ($keys as $key) {
			foreach ($this->runs($rows, $key) as [$start, $n]) {
				$want = $this->labelNeed($key, $rows[$start]['cells'][$key] ?? '');
				$last = $start + $n - 1;
				$extra = $want - ($ys[$last][1] - $ys[$start][0]);
				if ($extra > 0) {
					$ys[$last][1] += $extra;
					for ($i = $last + 1; $i < count($ys); $i++) {
						$ys[$i][0] += $extra;
						$ys[$i][1] += $extra;
					}
				}
			}
		}
		return $ys;
	}

	private function title(string $s, float $y): void
	{
		$p = $this->p;
		$W = $p->PW();
		$avail = $W - 60;
		$logo = $this->t['logo'];
		if ($logo !== null) {
			$p->cjk('B', 12);
			$avail -= $p->W($p->enc($logo)) + 30;
		}
		$size = 16;
		$p->cjk('B', $size);
		while ($size > 10 && $p->W($p->enc($s)) + 2 * $this->t['cell_margin'] > $avail) {
			$size--;
			$p->cjk('B', $size);
		}
		$p->rgb('text', $this->t['accent']);
		if ($this->t['title_bar']) {
			$p->rgb('fill', $this->t['accent']);
			$p->SetTextColor(255, 255, 255);
		}
		$p->XY(30, $y);
		$p->C($avail, 22, $p->enc($s), 0, 0, 'L', $this->t['title_bar']);
		if ($logo !== null) {
			$p->cjk('B', 12);
			$w = $p->W($p->enc($logo)) + 2 * $this->t['cell_margin'];
			$p->rgb('text', $this->t['accent']);
			$p->rgb('draw', $this->t['accent']);
			$p->SetLineWidth($p->u(0.8));
			$p->XY($W - 30 - $w - 6, $y + 1);
			$p->C($w + 6, 20, $p->enc($logo), 1, 0, 'C');
		}
		$p->SetTextColor(0, 0, 0);
	}

	private function continues(array $prev, array $r, string $key): bool
	{
		for ($i = count($prev) - 1; $i >= 0; $i--)
			if ($prev[$i]['kind'] === 'kpi')
				return $prev[$i][$key] === $r[$key];
		return false;
	}

	/** borders of one cell: the job's style (1, 'LR' + 'B', 'TB', 'B', 0) */
	private function rules(float $x, float $y, float $w, float $h, bool $head, bool $firstRow): void
	{
		$p = $this->p;
		$b = $head ? $this->t['head_border'] : $this->t['border'];
		if ($b === 0 || $b === '0' || $b === '')
			return;
		if ($b === 1 || $b === '1') {
			$p->R($x, $y, $w, $h, 'D');
			return;
		}
		if (str_contains($b, 'L'))
			$p->L($x, $y, $x, $y + $h);
		if (str_contains($b, 'R'))
			$p->L($x + $w, $y, $x + $w, $y + $h);
		if (str_contains($b, 'T') || ($firstRow && $this->t['top_rule']))
			$p->L($x, $y, $x + $w, $y);
		if (str_contains($b, 'B'))
			$p->L($x, $y + $h, $x + $w, $y + $h);
	}

	private function text(string $cid, string $txt, float $x, float $y, float $w, float $h, bool $head, bool $band, string $mode = 'h'): void
	{
		$p = $this->p;
		if ($txt === '')
			return;
		$this->font($cid, $txt, $head || $band);
		$p->SetTextColor(0, 0, 0);
		if ($mode === 'rotated') {
			$b = $p->enc($txt);
			$tw = $p->W($b);
			$cx = $x + $w / 2;
			$cy = $y + $h / 2;
			$p->Rotate($this->t['rotate'], $p->u($cx), $p->u($cy));
			$p->T($cx - $tw / 2, $cy + $this->t['font_pt'] * 0.35, $b);
			$p->Rotate(0);
			return;
		}
		if ($mode === 'stacked')
			$lines = array_map(fn ($c) => $p->enc($c), mb_str_split($txt));
		else
			$lines = $this->lines($cid, $txt, $w, $head || $band);
		$align = ($head || $mode === 'stacked' || $this->t['halign'] === 'center') ? 'C' : 'L';
		if (!$head && in_array($cid, ['a0', 'a1', 'a2', 't'], true))
			$align = $this->t['values_align'];
		if ($band)
			$align = 'L';
		$total = count($lines) * $this->lh;
		$top = $y + $this->t['pad'];
		if ($this->t['valign'] === 'middle' || $head || $band || $mode === 'stacked' || $cid === 'persp')
			$top = $y + max($this->t['pad'], ($h - $total) / 2);
		if ($head && $this->t['head_cell'] && count($lines) === 1) {
			$p->XY($x, $y);
			$p->C($w, $h, $lines[0], 0, 0, 'C');  // Cell() centres its line vertically
			return;
		}
		$p->XY($x, $top);
		if ($this->t['draw'] === 'multicell' && $mode !== 'stacked') {
			$p->MultiCell($p->u($w), $p->u($this->lh), $this->enc($cid, $txt), 0, $align);
			return;
		}
		foreach ($lines as $ln) {
			$p->XY($x, $top);
			$p->C($w, $this->lh, $ln, 0, 0, $align);
			$top += $this->lh;
		}
	}

	private function drawPage(array $rows, array $prev, float $top, bool $withHead, array $hh): float
	{
		$p = $this->p;
		$t = $this->t;
		$cols = $t['cols'];
		$xs = $this->xs;
		[$headH, $grpH] = $hh;
		$boxes = [];  // [x, y, w, h, text, cid, head, band, mode, firstRow]
		$y = $top;
		if ($withHead) {
			$j = 0;
			while ($j < count($cols)) {
				$c = $cols[$j];
				if ($c['group'] !== '') {
					$k = $j;
					while ($k + 1 < count($cols) && $cols[$k + 1]['group'] === $c['group'])
						$k++;
					$boxes[] = [$xs[$j], $y, $xs[$k + 1] - $xs[$j], $grpH, $c['group'], '', true, false, 'h', false];
					for ($m = $j; $m <= $k; $m++)
						$boxes[] = [$xs[$m], $y + $grpH, $xs[$m + 1] - $xs[$m], $headH - $grpH, $cols[$m]['sub'], '', true, false, 'h', false];
					$j = $k + 1;
					continue;
				}
				$boxes[] = [$xs[$j], $y, $xs[$j + 1] - $xs[$j], $headH, $c['label'], '', true, false, 'h', false];
				$j++;
			}
			$y += $headH;
		}
		$ys = $this->layout($rows, $y);
		$x0 = $xs[0];
		$x1 = end($xs);
		foreach ($rows as $i => $r) {
			$first = $i === 0 && !$withHead;
			if ($r['kind'] === 'band') {
				$boxes[] = [$x0, $ys[$i][0], $x1 - $x0, $ys[$i][1] - $ys[$i][0], $r['band'], '', false, true, 'h', $first];
				continue;
			}
			foreach ($cols as $j => $c) {
				$txt = $r['cells'][$c['id']] ?? '';
				if ($this->isLabel($c['id']) && ($t['spans'] || $c['id'] === 'persp' && $t['persp_mode'] !== 'column'))
					continue;
				if ($this->isLabel($c['id']) || $c['id'] === 'obj') {
					// labels repeated per row, or printed in the first row of their run only
					$k = $c['id'];
					$startsRun = $i === 0 || $rows[$i - 1]['kind'] !== 'kpi' || $rows[$i - 1][$k] !== $r[$k];
					if (!$t['repeat_labels'] && !$startsRun)
						$txt = '';
					if ($i === 0 && $t['blank_cont'] && $this->continues($prev, $r, $k))
						$txt = '';
				}
				$boxes[] = [$xs[$j], $ys[$i][0], $xs[$j + 1] - $xs[$j], $ys[$i][1] - $ys[$i][0], $txt, $c['id'], false, false, 'h', $first];
			}
		}
		foreach (['persp', 'obj'] as $key) {
			$jj = array_search($key, array_column($cols, 'id'), true);
			if ($jj === false || !($t['spans'] || ($key === 'persp' && $t['persp_mode'] !== 'column')))
				continue;
			foreach ($this->runs($rows, $key) as [$start, $n]) {
				$r = $rows[$start];
				$txt = $r['cells'][$key] ?? '';
				if ($start === 0 && $t['blank_cont'] && $this->continues($prev, $r, $key))
					$txt = '';
				$mode = $key === 'persp' && $t['persp_mode'] !== 'column' ? $t['persp_mode'] : 'h';
				$last = $start + $n - 1;
				$boxes[] = [$xs[$jj], $ys[$start][0], $xs[$jj + 1] - $xs[$jj], $ys[$last][1] - $ys[$start][0], $txt, $key, false, false, $mode, $start === 0 && !$withHead];
			}
		}
		// fills, then rules, then text
		if ($t['zebra_fill'] !== null) {
			$p->rgb('fill', $t['zebra_fill']);
			foreach ($rows as $i => $r) {
				if ($r['kind'] !== 'kpi')
					continue;
				if ($this->zebra++ % 2 === 1)
					$p->R($x0, $ys[$i][0], $x1 - $x0, $ys[$i][1] - $ys[$i][0], 'F');
			}
		}
		foreach ($boxes as $b) {
			if (($b[6] && $t['head_fill'] !== null) || ($b[7] && $t['band_fill'] !== null)) {
				$p->rgb('fill', $b[6] ? $t['head_fill'] : $t['band_fill']);
				$p->R($b[0], $b[1], $b[2], $b[3], 'F');
			}
		}
		$p->SetLineWidth($p->u($t['rule_w']));
		$p->rgb('draw', $t['rule_color']);
		foreach ($boxes as $b)
			$this->rules($b[0], $b[1], $b[2], $b[3], $b[6], $b[9]);
		foreach ($boxes as $b)
			$this->text($b[5], $b[4], $b[0], $b[1], $b[2], $b[3], $b[6], $b[7], $b[8]);
		return $ys ? end($ys)[1] : $y;
	}

	/** Cut the rows into pages (CheckPageBreak before every row), then draw them. */
	public function draw(float $startY, bool $newPage): void
	{
		$p = $this->p;
		$t = $this->t;
		$H = $p->PH();
		$bottom = $H - $t['bottom'];
		$tableTop = $t['table_top'];
		$hh = $this->headHeight();
		$firstTop = $newPage ? $tableTop : $startY + 14 + ($tableTop - 30);
		$moved = false;  // the theme was to follow on the page before, but its first row does not fit there
		$pages = [];
		$cur = [];
		foreach ($t['rows'] as $r) {
			$trial = array_merge($cur, [$r]);
			$top = $pages ? $tableTop : $firstTop;
			if ($t['repeat_head'] || !$pages)
				$top += $hh[0];
			$ys = $this->layout($trial, $top);
			if (end($ys)[1] > $bottom && $t['paginate']) {
				if (!$cur && !$pages && !$newPage && !$moved) {
					$moved = true;  // not even the first row fits below the theme before: a new page
					$firstTop = $tableTop;
					$cur = [$r];
					continue;
				}
				if ($cur) {
					$carry = [];
					while ($cur && end($cur)['kind'] === 'band')
						array_unshift($carry, array_pop($cur));  // a band row goes with the row after it
					if ($cur)
						$pages[] = $cur;
					$cur = array_merge($carry, [$r]);
					continue;
				}
			}
			$cur = $trial;
		}
		if ($cur)
			$pages[] = $cur;
		foreach ($pages as $i => $rows) {
			$top = $i === 0 ? $firstTop : $tableTop;
			if ($i > 0 || $moved)
				$p->AddPage();
			$title = $t['title'];
			if (count($pages) > 1 && $t['cont_marker'] && $t['cont_title'])
				$title .= '--' . ($i + 1) . '/' . count($pages);
			if (!$t['running'] && ($i === 0 || $t['cont_title']))
				$this->title($title, $top - ($tableTop - 30));
			$withHead = $t['repeat_head'] || $i === 0;
			$end = $this->drawPage($rows, $i ? $pages[$i - 1] : ($t['prev_rows'] ?? []), $top, $withHead, $hh);
			if ($end > $bottom + 0.5)
				$this->overflow = true;
			$p->SetY($p->u($end));
		}
	}
}

function centre(DeckPDF $p, string $s, float $y, float $size): void
{
	$W = $p->PW();
	$p->cjk('B', $size);
	while ($size > 12 && $p->W($p->enc($s)) > $W - 60) {
		$size -= 2;
		$p->cjk('B', $size);
	}
	$p->XY(30, $y - $size);
	$p->C($W - 60, $size * 1.4, $p->enc($s), 0, 0, 'C');
}

function front(DeckPDF $p, array $j): void
{
	$W = $p->PW();
	$H = $p->PH();
	$p->numbered = false;
	$p->AddPage();
	if ($j['title_band']) {
		$p->rgb('fill', $j['accent']);
		$p->R(0, 0, $W, 18, 'F');
	}
	$p->rgb('text', $j['accent']);
	centre($p, $j['org'], $H * 0.38, 30);
	$p->SetTextColor(0, 0, 0);
	centre($p, '策略地圖與平衡計分卡', $H * 0.38 + 50, 26);

	$p->numbered = true;
	$p->AddPage();
	$p->cjk('B', 20);
	$p->rgb('text', $j['accent']);
	$p->T(40, 70, $p->enc($j['org'] . '轄區概況'));
	$p->SetTextColor(0, 0, 0);
	$p->cjk('', 14);
	foreach ($j['profile'] as $i => $ln) {
		$p->T(60, 110 + $i * 32, $p->enc($ln));
	}

	$p->AddPage();
	$p->cjk('B', 20);
	$p->rgb('text', $j['accent']);
	$p->T(40, 60, $p->enc($j['org'] . '策略地圖'));
	$p->SetTextColor(0, 0, 0);
	$p->cjk('', 14);
	$p->T($W - 30 - $p->W($j['map_date']), 60, $j['map_date']);
	$p->cjk('', 9);
	$p->XY(40, 76);
	$p->MultiCell($p->u($W - 80), $p->u(12), $p->enc($j['vision']), 0, 'L');
	$y = 76 + 12 * count($p->textLines($p->u($W - 80), $p->enc($j['vision']))) + 10;
	$band = ($H - $y - 50) / max(1, count($j['map']));
	foreach ($j['map'] as $m) {
		$p->rgb('fill', $j['accent']);
		$p->R(40, $y, 80, $band - 10, 'F');
		$p->SetTextColor(255, 255, 255);
		$p->cjk('B', 10);
		$p->XY(40, $y);
		$p->C(80, $band - 10, $p->enc($m['label']), 0, 0, 'C');
		$p->SetTextColor(0, 0, 0);
		$p->cjk('', 8);
		$x = 130.0;
		foreach ($m['objs'] as $o) {
			$b = $p->enc($o);
			$w = min(150, $p->W($b) + 16);
			if ($x + $w > $W - 30)
				break;
			$p->rgb('draw', $j['accent']);
			$p->SetLineWidth($p->u(0.8));
			$p->SetFillColor(255, 255, 255);
			$p->R($x, $y + 8, $w, $band - 26, 'DF');
			$lines = $p->textLines($p->u($w - 4), $b);
			$ly = $y + 8 + max(2, ($band - 26 - count($lines) * 10) / 2);
			foreach ($lines as $ln) {
				if ($ly + 10 > $y + $band - 18)
					break;
				$p->XY($x + 2, $ly);
				$p->C($w - 4, 10, $ln, 0, 0, 'C');
				$ly += 10;
			}
			$x += $w + 10;
		}
		$y += $band;
	}
}

/** The document in the job's unit and page format, margins and automatic page break set (no font yet) */
function new_deck(array $job): DeckPDF
{
	$pg = $job['page'];
	$pdf = new DeckPDF($pg['orientation'], $job['unit'], $pg['format'] === 'A4' ? 'A4' : $pg['format']);
	$pdf->job = $job;
	$pdf->SetCompression($job['compress']);
	$pdf->SetMargins($pdf->u(30), $pdf->u(30), $pdf->u(30));
	$pdf->SetAutoPageBreak($job['auto_break'], $pdf->u($job['bottom']));
	return $pdf;
}

/** The front pages, the themes' tables and the closing page, once the driver has added its fonts; prints the report */
function write_deck(DeckPDF $pdf, array $job): void
{
	if (str_contains($job['footer']['kind'] ?? '', 'nb') || ($job['footer']['kind'] ?? '') === 'slash')
		$pdf->AliasNbPages();
	$pdf->SetTitle($job['meta']['title'], true);  // FPDF 1.8 writes a UTF-8 title as UTF-16 when told it is UTF-8
	$pdf->SetAuthor($job['meta']['author'], true);
	$pdf->SetCreator($job['meta']['creator'], true);
	$pdf->cjk('', 10);

	$report = ['items' => []];
	front($pdf, $job);
	foreach ($job['themes'] as $n => $t) {
		$first = $pdf->PageNo();
		$pdf->running = $t['running'] ? $t['title'] : '';
		$pdf->marked = true;
		$newPage = $n === 0 || $t['new_page'];
		if ($newPage)
			$pdf->AddPage();
		$pdf->SetFont($job['font']['family'], '', $t['font_pt']);
		$pdf->setCellMargin($t['cell_margin']);
		$tab = new Table($pdf, $t);
		$tab->draw($pdf->yPt(), $newPage);
		$report['items'][] = ['first' => $first + ($newPage ? 1 : 0), 'last' => $pdf->PageNo(), 'overflow' => $tab->overflow];
	}
	$pdf->running = '';
	$pdf->marked = false;
	$pdf->numbered = false;
	$pdf->AddPage();
	$pdf->SetTextColor(0, 0, 0);
	centre($pdf, '敬請指教', $pdf->PH() * 0.45, 36);
	$report['pages'] = $pdf->PageNo();
	$report['lossy'] = array_values(array_unique($pdf->lossy));
	$pdf->Output('F', $job['out']);
	echo json_encode($report, JSON_UNESCAPED_UNICODE), "\n";
}
