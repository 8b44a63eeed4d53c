<?php

// Driver of tests/realtools/r_tfpdf.py: `php r_tfpdf.php JOB.json` draws the deck with tFPDF, the UTF-8 port of FPDF
// (Ian Back's tfpdf.php and font/unifont/ttfonts.php, not packaged: written here as a layer over Debian 12's FPDF
// 1.8.4 and in r_tfpdf_ttfonts.php), as newer PHP systems print Chinese reports with FPDF: AddFont($family, $style,
// $file, true) for a TrueType file, UTF-8 strings straight into Cell/MultiCell/Text, each font written at the end as
// a Type0 'MPDFAA+<full name>' over a CIDFontType2 subset (Identity-H, codes = Unicode code points, a CIDToGIDMap
// stream, /W from the font's hmtx for the codes below 256 and the used ones, ToUnicode the identity bfrange).  The
// deck itself (tables by the "Table with MultiCells" recipe, Header()/Footer(), watermark) is fpdf_deck.php's, shared
// with r_fpdfbig5.php.  Prints a JSON report: pages each item took, overflow of slides.

declare(strict_types=1);

$job = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
require_once $job['fpdf'];
if (FPDF_VERSION !== $job['version']) {
	fwrite(STDERR, 'FPDF ' . $job['version'] . ' is wanted, found ' . FPDF_VERSION . "\n");
	exit(2);
}
require_once __DIR__ . '/r_tfpdf_ttfonts.php';

const tFPDF_VERSION = '1.33';

// ---- tFPDF: UTF-8 text in TrueType subsets --------------------------------------------------------------------------

class tFPDF extends FPDF
{
	protected bool $unifontSubset = false;

	function AddFont($family, $style = '', $file = '', $uni = false)
	{
		if (!$uni) {
			parent::AddFont($family, $style, $file);
			return;
		}
		$family = strtolower($family);
		$style = strtoupper($style);
		if ($style == 'IB')
			$style = 'BI';
		$fontkey = $family . $style;
		if (isset($this->fonts[$fontkey]))
			return;
		$ttf = new TTFontFile();
		$ttf->getMetrics($file);
		$name = preg_replace('/[ ()]/', '', $ttf->fullName);
		$desc = ['Ascent' => round($ttf->ascent), 'Descent' => round($ttf->descent), 'CapHeight' => round($ttf->capHeight),
			'Flags' => $ttf->flags, 'FontBBox' => '[' . round($ttf->bbox[0]) . ' ' . round($ttf->bbox[1]) . ' ' . round($ttf->bbox[2]) . ' ' . round($ttf->bbox[3]) . ']',
			'ItalicAngle' => $ttf->italicAngle, 'StemV' => round($ttf->stemV), 'MissingWidth' => round($ttf->defaultWidth)];
		$i = count($this->fonts) + 1;
		// the codes the subset always holds: up to the space, or the digits too when AliasNbPages was called first
		$sbarr = !empty($this->AliasNbPages) ? range(0, 57) : range(0, 32);
		$this->fonts[$fontkey] = ['i' => $i, 'type' => 'TTF', 'name' => $name, 'desc' => $desc,
			'up' => round($ttf->underlinePosition), 'ut' => round($ttf->underlineThickness), 'cw' => $ttf->charWidths,
			'ttffile' => $file, 'fontkey' => $fontkey, 'subset' => $sbarr, 'maxUni' => $ttf->maxUni, 'subsetted' => false];
	}

	function SetFont($family, $style = '', $size = 0)
	{
		parent::SetFont($family, $style, $size);
		$this->unifontSubset = $this->CurrentFont['type'] === 'TTF';
	}

	function GetStringWidth($s)
	{
		$s = (string)$s;
		if (!$this->unifontSubset)
			return parent::GetStringWidth($s);
		$cw = &$this->CurrentFont['cw'];
		$w = 0;
		foreach ($this->UTF8StringToArray($s) as $char) {
			if (isset($cw[2 * $char + 1]))
				$w += (ord($cw[2 * $char]) << 8) + ord($cw[2 * $char + 1]);
			elseif (isset($this->CurrentFont['desc']['MissingWidth']))
				$w += $this->CurrentFont['desc']['MissingWidth'];
			else
				$w += 500;
		}
		return $w * $this->FontSize / 1000;
	}

	/** the string as the content stream holds it: UTF-16BE in a subset font (its characters noted), else bytes */
	protected function textString(string $txt): string
	{
		if (!$this->unifontSubset)
			return '(' . $this->_escape($txt) . ')';
		foreach ($this->UTF8StringToArray($txt) as $uni)
			$this->CurrentFont['subset'][$uni] = $uni;
		return '(' . $this->_escape($this->UTF8ToUTF16BE($txt, false)) . ')';
	}

	function Text($x, $y, $txt)
	{
		if (!isset($this->CurrentFont))
			$this->Error('No font has been set');
		$s = sprintf('BT %.2F %.2F Td %s Tj ET', $x * $this->k, ($this->h - $y) * $this->k, $this->textString((string)$txt));
		if ($this->underline && $txt != '')
			$s .= ' ' . $this->_dounderline($x, $y, $txt);
		if ($this->ColorFlag)
			$s = 'q ' . $this->TextColor . ' ' . $s . ' Q';
		$this->_out($s);
	}

	function Cell($w, $h = 0, $txt = '', $border = 0, $ln = 0, $align = '', $fill = false, $link = '')
	{
		$k = $this->k;
		$txt = (string)$txt;
		if ($this->y + $h > $this->PageBreakTrigger && !$this->InHeader && !$this->InFooter && $this->AcceptPageBreak()) {
			$x = $this->x;
			$this->AddPage($this->CurOrientation, $this->CurPageSize, $this->CurRotation);
			$this->x = $x;
		}
		if ($w == 0)
			$w = $this->w - $this->rMargin - $this->x;
		$s = '';
		if ($fill || $border == 1) {
			if ($fill)
				$op = ($border == 1) ? 'B' : 'f';
			else
				$op = 'S';
			$s = sprintf('%.2F %.2F %.2F %.2F re %s ', $this->x * $k, ($this->h - $this->y) * $k, $w * $k, -$h * $k, $op);
		}
		if (is_string($border)) {
			$x = $this->x;
			$y = $this->y;
			if (strpos($border, 'L') !== false)
				$s .= sprintf('%.2F %.2F m %.2F %.2F l S ', $x * $k, ($this->h - $y) * $k, $x * $k, ($this->h - ($y + $h)) * $k);
			if (strpos($border, 'T') !== false)
				$s .= sprintf('%.2F %.2F m %.2F %.2F l S ', $x * $k, ($this->h - $y) * $k, ($x + $w) * $k, ($this->h - $y) * $k);
			if (strpos($border, 'R') !== false)
				$s .= sprintf('%.2F %.2F m %.2F %.2F l S ', ($x + $w) * $k, ($this->h - $y) * $k, ($x + $w) * $k, ($this->h - ($y + $h)) * $k);
			if (strpos($border, 'B') !== false)
				$s .= sprintf('%.2F %.2F m %.2F %.2F l S ', $x * $k, ($this->h - ($y + $h)) * $k, ($x + $w) * $k, ($this->h - ($y + $h)) * $k);
		}
		if ($txt !== '') {
			if (!isset($this->CurrentFont))
				$this->Error('No font has been set');
			if ($align == 'R')
				$dx = $w - $this->cMargin - $this->GetStringWidth($txt);
			elseif ($align == 'C')
				$dx = ($w - $this->GetStringWidth($txt)) / 2;
			else
				$dx = $this->cMargin;
			if ($this->ColorFlag)
				$s .= 'q ' . $this->TextColor . ' ';
			$s .= sprintf('BT %.2F %.2F Td %s Tj ET', ($this->x + $dx) * $k, ($this->h - ($this->y + .5 * $h + .3 * $this->FontSize)) * $k, $this->textString($txt));
			if ($this->underline)
				$s .= ' ' . $this->_dounderline($this->x + $dx, $this->y + .5 * $h + .3 * $this->FontSize, $txt);
			if ($this->ColorFlag)
				$s .= ' Q';
			if ($link)
				$this->Link($this->x + $dx, $this->y + .5 * $h - .5 * $this->FontSize, $this->GetStringWidth($txt), $this->FontSize, $link);
		}
		if ($s)
			$this->_out($s);
		$this->lasth = $h;
		if ($ln > 0) {
			$this->y += $h;
			if ($ln == 1)
				$this->x = $this->lMargin;
		} else
			$this->x += $w;
	}

	/**
	 * The lines tFPDF's MultiCell prints (its loop, without the Cell calls): characters counted by mb_substr, a
	 * break at the last space of the line, else before the character that overflows (any character: inside a
	 * number, before a full-width comma).
	 *
	 * @return list<string>
	 */
	function UniLines($w, $txt)
	{
		if ($w == 0)
			$w = $this->w - $this->rMargin - $this->x;
		$wmax = $w - 2 * $this->cMargin;
		$s = str_replace("\r", '', (string)$txt);
		$nb = mb_strlen($s, 'UTF-8');
		while ($nb > 0 && mb_substr($s, $nb - 1, 1, 'UTF-8') == "\n")
			$nb--;
		$out = [];
		$sep = -1;
		$i = 0;
		$j = 0;
		$l = 0;
		while ($i < $nb) {
			$c = mb_substr($s, $i, 1, 'UTF-8');
			if ($c == "\n") {
				$out[] = mb_substr($s, $j, $i - $j, 'UTF-8');
				$i++;
				$sep = -1;
				$j = $i;
				$l = 0;
				continue;
			}
			if ($c == ' ')
				$sep = $i;
			$l += $this->GetStringWidth($c);
			if ($l > $wmax) {
				if ($sep == -1) {
					if ($i == $j)
						$i++;
					$out[] = mb_substr($s, $j, $i - $j, 'UTF-8');
				} else {
					$out[] = mb_substr($s, $j, $sep - $j, 'UTF-8');
					$i = $sep + 1;
				}
				$sep = -1;
				$j = $i;
				$l = 0;
			} else
				$i++;
		}
		$out[] = mb_substr($s, $j, $i - $j, 'UTF-8');
		return $out;
	}

	function MultiCell($w, $h, $txt, $border = 0, $align = 'J', $fill = false)
	{
		if (!$this->unifontSubset) {
			parent::MultiCell($w, $h, $txt, $border, $align, $fill);
			return;
		}
		if ($w == 0)
			$w = $this->w - $this->rMargin - $this->x;
		$b = 0;
		$b2 = '';
		if ($border) {
			if ($border == 1) {
				$border = 'LTRB';
				$b = 'LRT';
				$b2 = 'LR';
			} else {
				if (strpos($border, 'L') !== false)
					$b2 .= 'L';
				if (strpos($border, 'R') !== false)
					$b2 .= 'R';
				$b = (strpos($border, 'T') !== false) ? $b2 . 'T' : $b2;
			}
		}
		$lines = $this->UniLines($w, $txt);
		$n = count($lines);
		foreach ($lines as $k => $line) {
			if ($k == $n - 1 && $border && strpos($border, 'B') !== false)
				$b .= 'B';
			// 'J' lines are justified by word spacing in tFPDF; the decks align L, C or R
			$this->Cell($w, $h, $line, $b, 2, $align == 'J' ? 'L' : $align, $fill);
			if ($border)
				$b = $b2;
		}
		$this->x = $this->lMargin;
	}

	protected function _putpage($n)
	{
		if (!empty($this->AliasNbPages)) {
			// the alias as a subset font writes it (UTF-16BE), then as the core fonts do (in the parent)
			$alias = $this->UTF8ToUTF16BE($this->AliasNbPages, false);
			$r = $this->UTF8ToUTF16BE((string)$this->page, false);
			$this->pages[$n] = str_replace($alias, $r, $this->pages[$n]);
		}
		parent::_putpage($n);
	}

	/** a TTF font: FPDF 1.8's _putfonts() calls _put + its type */
	protected function _putttf($font)
	{
		$ttf = new TTFontFile();
		$fontname = 'MPDFAA' . '+' . $font['name'];
		$subset = $font['subset'];
		unset($subset[0]);
		$ttfontstream = $ttf->makeSubset($font['ttffile'], $subset);
		$ttfontsize = strlen($ttfontstream);
		$fontstream = gzcompress($ttfontstream);
		$codeToGlyph = $ttf->codeToGlyph;
		unset($codeToGlyph[0]);
		// Type0 Font
		$this->_newobj();
		$this->_put('<</Type /Font');
		$this->_put('/Subtype /Type0');
		$this->_put('/BaseFont /' . $fontname);
		$this->_put('/Encoding /Identity-H');
		$this->_put('/DescendantFonts [' . ($this->n + 1) . ' 0 R]');
		$this->_put('/ToUnicode ' . ($this->n + 2) . ' 0 R');
		$this->_put('>>');
		$this->_put('endobj');
		// CIDFontType2
		$this->_newobj();
		$this->_put('<</Type /Font');
		$this->_put('/Subtype /CIDFontType2');
		$this->_put('/BaseFont /' . $fontname);
		$this->_put('/CIDSystemInfo ' . ($this->n + 2) . ' 0 R');
		$this->_put('/FontDescriptor ' . ($this->n + 3) . ' 0 R');
		if (isset($font['desc']['MissingWidth']))
			$this->_put('/DW ' . $font['desc']['MissingWidth']);
		$this->_putTTfontwidths($font, $font['maxUni']);
		$this->_put('/CIDToGIDMap ' . ($this->n + 4) . ' 0 R');
		$this->_put('>>');
		$this->_put('endobj');
		// ToUnicode: the codes are the code points
		$this->_newobj();
		$toUni = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend";
		$this->_put('<</Length ' . strlen($toUni) . '>>');
		$this->_putstream($toUni);
		$this->_put('endobj');
		// CIDSystemInfo dictionary
		$this->_newobj();
		$this->_put('<</Registry (Adobe)');
		$this->_put('/Ordering (UCS)');
		$this->_put('/Supplement 0');
		$this->_put('>>');
		$this->_put('endobj');
		// Font descriptor
		$this->_newobj();
		$this->_put('<</Type /FontDescriptor');
		$this->_put('/FontName /' . $fontname);
		foreach ($font['desc'] as $kd => $v) {
			if ($kd == 'Flags') {
				$v = $v | 4;
				$v = $v & ~32;  // SYMBOLIC font flag
			}
			$this->_put(' /' . $kd . ' ' . $v);
		}
		$this->_put('/FontFile2 ' . ($this->n + 2) . ' 0 R');
		$this->_put('>>');
		$this->_put('endobj');
		// the font's code point to glyph map
		$cidtogidmap = str_pad('', 256 * 256 * 2, "\x00");
		foreach ($codeToGlyph as $cc => $glyph) {
			$cidtogidmap[$cc * 2] = chr($glyph >> 8);
			$cidtogidmap[$cc * 2 + 1] = chr($glyph & 0xFF);
		}
		$cidtogidmap = gzcompress($cidtogidmap);
		$this->_newobj();
		$this->_put('<</Length ' . strlen($cidtogidmap));
		$this->_put('/Filter /FlateDecode');
		$this->_put('>>');
		$this->_putstream($cidtogidmap);
		$this->_put('endobj');
		// Font file
		$this->_newobj();
		$this->_put('<</Length ' . strlen($fontstream));
		$this->_put('/Filter /FlateDecode');
		$this->_put('/Length1 ' . $ttfontsize);
		$this->_put('>>');
		$this->_putstream($fontstream);
		$this->_put('endobj');
	}

	/** /W: every code below 256 the font has, then the subset's, in runs of equal widths or arrays */
	protected function _putTTfontwidths($font, $maxUni)
	{
		$rangeid = 0;
		$range = [];
		$prevcid = -2;
		$prevwidth = -1;
		$interval = false;
		$cw = $font['cw'];
		for ($cid = 1; $cid <= $maxUni; $cid++) {
			if (!isset($cw[$cid * 2 + 1]) || ($cw[$cid * 2] == "\00" && $cw[$cid * 2 + 1] == "\00"))
				continue;
			$width = (ord($cw[$cid * 2]) << 8) + ord($cw[$cid * 2 + 1]);
			if ($width == 65535)
				$width = 0;
			if ($cid > 255 && (!isset($font['subset'][$cid]) || !$font['subset'][$cid]))
				continue;
			if ($cid == ($prevcid + 1)) {
				if ($width == $prevwidth) {
					if ($width == $range[$rangeid][0]) {
						$range[$rangeid][] = $width;
					} else {
						array_pop($range[$rangeid]);
						// new range
						$rangeid = $prevcid;
						$range[$rangeid] = [];
						$range[$rangeid][] = $prevwidth;
						$range[$rangeid][] = $width;
					}
					$interval = true;
					$range[$rangeid]['interval'] = true;
				} else {
					if ($interval) {
						// new range
						$rangeid = $cid;
						$range[$rangeid] = [];
						$range[$rangeid][] = $width;
					} else {
						$range[$rangeid][] = $width;
					}
					$interval = false;
				}
			} else {
				$rangeid = $cid;
				$range[$rangeid] = [];
				$range[$rangeid][] = $width;
				$interval = false;
			}
			$prevcid = $cid;
			$prevwidth = $width;
		}
		$prevk = -1;
		$nextk = -1;
		$prevint = false;
		foreach ($range as $k => $ws) {
			$cws = count($ws);
			if (($k == $nextk) && (!$prevint) && ((!isset($ws['interval'])) || ($cws < 4))) {
				if (isset($range[$k]['interval']))
					unset($range[$k]['interval']);
				$range[$prevk] = array_merge($range[$prevk], $range[$k]);
				unset($range[$k]);
			} else
				$prevk = $k;
			$nextk = $k + $cws;
			if (isset($ws['interval'])) {
				$prevint = $cws > 3;
				unset($range[$k]['interval']);
				--$nextk;
			} else
				$prevint = false;
		}
		$w = '';
		foreach ($range as $k => $ws) {
			if (count(array_count_values($ws)) == 1)
				$w .= ' ' . $k . ' ' . ($k + count($ws) - 1) . ' ' . $ws[0];
			else
				$w .= ' ' . $k . ' [ ' . implode(' ', $ws) . ' ]' . "\n";
		}
		$this->_put('/W [' . $w . ' ]');
	}

	protected function _putinfo()
	{
		$this->metadata['Producer'] = 'tFPDF ' . tFPDF_VERSION;
		$this->metadata['CreationDate'] = 'D:' . @date('YmdHis');
		foreach ($this->metadata as $key => $value)
			$this->_put('/' . $key . ' ' . $this->_textstring($value));
	}

	function UTF8ToUTF16BE($str, $setbom = true)
	{
		$outstr = '';
		if ($setbom)
			$outstr .= "\xFE\xFF";
		$outstr .= mb_convert_encoding($str, 'UTF-16BE', 'UTF-8');
		return $outstr;
	}

	/** @return list<int> the code points of a UTF-8 string */
	function UTF8StringToArray($str)
	{
		$out = [];
		$len = strlen($str);
		for ($i = 0; $i < $len; $i++) {
			$uni = -1;
			$h = ord($str[$i]);
			if ($h <= 0x7F)
				$uni = $h;
			elseif ($h >= 0xC2) {
				if (($h <= 0xDF) && ($i < $len - 1))
					$uni = ($h & 0x1F) << 6 | (ord($str[++$i]) & 0x3F);
				elseif (($h <= 0xEF) && ($i < $len - 2))
					$uni = ($h & 0x0F) << 12 | (ord($str[++$i]) & 0x3F) << 6 | (ord($str[++$i]) & 0x3F);
				elseif (($h <= 0xF4) && ($i < $len - 3))
					$uni = ($h & 0x0F) << 18 | (ord($str[++$i]) & 0x3F) << 12 | (ord($str[++$i]) & 0x3F) << 6 | (ord($str[++$i]) & 0x3F);
			}
			if ($uni >= 0)
				$out[] = $uni;
		}
		return $out;
	}
}

require_once __DIR__ . '/fpdf_deck.php';

// ---- the deck -----------------------------------------------------------------------------------------------------

class DeckPDF extends tFPDF
{
	use DeckPages;

	/** tFPDF takes UTF-8 as it is */
	public function enc(string $s): string
	{
		return $s;
	}

	/** @return list<string> the lines tFPDF's MultiCell prints */
	public function textLines(float $w, string $txt): array
	{
		return $this->UniLines($w, $txt);
	}
}

$pdf = new_deck($job);
$f = $job['font'];
if ($job['alias_first'])
	$pdf->AliasNbPages();  // before AddFont: tFPDF's subsets then hold the digits (codes 0-57) whatever is printed
$pdf->AddFont($f['family'], '', $f['file'], true);
if ($f['bold_file'] !== null)
	$pdf->AddFont($f['family'], 'B', $f['bold_file'], true);  // a bold face, or the same file again under 'B'
write_deck($pdf, $job);
