<?php

// Driver of tests/realtools/r_fpdfbig5.py: `php r_fpdfbig5.php JOB.json` draws the deck with FPDF 1.8.4 and the
// Big5 add-on (chinese.php of fpdf.org's scripts, which is not packaged: written out below as sites copy it into
// their code), as older Taiwanese government and school PHP systems print reports: text converted from UTF-8 to
// Big5 with mb_convert_encoding, the non-embedded MSungStd-Light-Acro in ETenms-B5-H (proportional Latin) or
// ETen-B5-H (half-width Latin), the add-on's MBMultiCell breaking at any double-byte character, tables by the
// classic "Table with MultiCells" recipe (NbLines, each row as tall as its tallest cell, CheckPageBreak), the
// rotate add-on for turned labels and the watermark, Header()/Footer() with AliasNbPages.  All geometry in the job
// is in points; the document may be in mm or pt (FPDF converts, the author's code divides by k).  Prints a JSON
// report: pages each item took, overflow of slides, text that Big5 could not hold.

declare(strict_types=1);

$job = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
require_once $job['fpdf'];
if (FPDF_VERSION !== $job['version']) {
	fwrite(STDERR, 'FPDF ' . $job['version'] . ' is wanted, found ' . FPDF_VERSION . "\n");
	exit(2);
}

// ---- the Big5 add-on (chinese.php): CID fonts, multi-byte widths and line breaking ------------------------------

$Big5_widths = [' ' => 250, '!' => 250, '"' => 408, '#' => 668, '$' => 490, '%' => 875, '&' => 698, '\'' => 250,
	'(' => 240, ')' => 240, '*' => 417, '+' => 667, ',' => 250, '-' => 313, '.' => 250, '/' => 520, '0' => 500, '1' => 500,
	'2' => 500, '3' => 500, '4' => 500, '5' => 500, '6' => 500, '7' => 500, '8' => 500, '9' => 500, ':' => 250, ';' => 250,
	'<' => 667, '=' => 667, '>' => 667, '?' => 396, '@' => 921, 'A' => 677, 'B' => 615, 'C' => 719, 'D' => 760, 'E' => 625,
	'F' => 552, 'G' => 771, 'H' => 802, 'I' => 354, 'J' => 354, 'K' => 781, 'L' => 604, 'M' => 927, 'N' => 750, 'O' => 823,
	'P' => 563, 'Q' => 823, 'R' => 729, 'S' => 542, 'T' => 698, 'U' => 771, 'V' => 729, 'W' => 948, 'X' => 771, 'Y' => 677,
	'Z' => 635, '[' => 344, '\\' => 520, ']' => 344, '^' => 469, '_' => 500, '`' => 250, 'a' => 469, 'b' => 521, 'c' => 427,
	'd' => 521, 'e' => 438, 'f' => 271, 'g' => 469, 'h' => 531, 'i' => 250, 'j' => 250, 'k' => 458, 'l' => 240, 'm' => 802,
	'n' => 531, 'o' => 500, 'p' => 521, 'q' => 521, 'r' => 365, 's' => 333, 't' => 292, 'u' => 521, 'v' => 458, 'w' => 677,
	'x' => 479, 'y' => 458, 'z' => 427, '{' => 480, '|' => 496, '}' => 480, '~' => 667];

class PDF_Chinese extends FPDF
{
	function AddCIDFont($family, $style, $name, $cw, $CMap, $registry)
	{
		$fontkey = strtolower($family) . strtoupper($style);
		if (isset($this->fonts[$fontkey]))
			$this->Error("Font already added: $family $style");
		$i = count($this->fonts) + 1;
		$name = str_replace(' ', '', $name);
		// 'subsetted' => false: FPDF 1.8 reads the key for every font (PHP 8 warns about the add-on's arrays without it)
		$this->fonts[$fontkey] = ['i' => $i, 'type' => 'Type0', 'name' => $name, 'up' => -130, 'ut' => 40, 'cw' => $cw,
			'CMap' => $CMap, 'registry' => $registry, 'subsetted' => false];
	}

	function AddCIDFonts($family, $name, $cw, $CMap, $registry)
	{
		$this->AddCIDFont($family, '', $name, $cw, $CMap, $registry);
		$this->AddCIDFont($family, 'B', $name . ',Bold', $cw, $CMap, $registry);
		$this->AddCIDFont($family, 'I', $name . ',Italic', $cw, $CMap, $registry);
		$this->AddCIDFont($family, 'BI', $name . ',BoldItalic', $cw, $CMap, $registry);
	}

	function AddBig5Font($family = 'Big5', $name = 'MSungStd-Light-Acro')
	{
		// proportional Latin
		$this->AddCIDFonts($family, $name, $GLOBALS['Big5_widths'], 'ETenms-B5-H', ['ordering' => 'CNS1', 'supplement' => 0]);
	}

	function AddBig5hwFont($family = 'Big5-hw', $name = 'MSungStd-Light-Acro')
	{
		// half-width Latin
		$cw = [];
		for ($i = 32; $i <= 126; $i++)
			$cw[chr($i)] = 500;
		$this->AddCIDFonts($family, $name, $cw, 'ETen-B5-H', ['ordering' => 'CNS1', 'supplement' => 0]);
	}

	function GetStringWidth($s)
	{
		if ($this->CurrentFont['type'] == 'Type0')
			return $this->GetMBStringWidth($s);
		return parent::GetStringWidth($s);
	}

	function GetMBStringWidth($s)
	{
		$l = 0;
		$cw = &$this->CurrentFont['cw'];
		$nb = strlen($s);
		$i = 0;
		while ($i < $nb) {
			$c = $s[$i];
			if (ord($c) < 128) {
				$l += $cw[$c];
				$i++;
			} else {
				$l += 1000;
				$i += 2;
			}
		}
		return $l * $this->FontSize / 1000;
	}

	function MultiCell($w, $h, $txt, $border = 0, $align = 'L', $fill = false)
	{
		if ($this->CurrentFont['type'] == 'Type0')
			$this->MBMultiCell($w, $h, $txt, $border, $align, $fill);
		else
			parent::MultiCell($w, $h, $txt, $border, $align, $fill);
	}

	/**
	 * The lines MBMultiCell prints (its loop, without the Cell calls): a break before any double-byte character
	 * or at a space; a run of single bytes with neither is cut where it overflows.
	 *
	 * @return list<string>
	 */
	function MBLines($w, $txt)
	{
		$cw = &$this->CurrentFont['cw'];
		$wmax = ($w - 2 * $this->cMargin) * 1000 / $this->FontSize;
		$s = str_replace("\r", '', $txt);
		$nb = strlen($s);
		if ($nb > 0 && $s[$nb - 1] == "\n")
			$nb--;
		$out = [];
		$sep = -1;
		$i = 0;
		$j = 0;
		$l = 0;
		while ($i < $nb) {
			$c = $s[$i];
			$ascii = (ord($c) < 128);
			if ($c == "\n") {
				$out[] = substr($s, $j, $i - $j);
				$i++;
				$sep = -1;
				$j = $i;
				$l = 0;
				continue;
			}
			if (!$ascii || $c == ' ')
				$sep = $i;
			$l += $ascii ? $cw[$c] : 1000;
			if ($l > $wmax) {
				// as published, a line starting with a double-byte character and going on in single bytes
				// (≧ before a long number) breaks at that first character: an empty line, again and again, until
				// the script times out; sites patch it to cut such a line where it overflows ($sep == $j)
				if ($sep == -1 || $sep == $j || $i == $j) {
					if ($i == $j)
						$i += $ascii ? 1 : 2;
					$out[] = substr($s, $j, $i - $j);
				} else {
					$out[] = substr($s, $j, $sep - $j);
					$i = ($s[$sep] == ' ') ? $sep + 1 : $sep;
				}
				$sep = -1;
				$j = $i;
				$l = 0;
			} else
				$i += $ascii ? 1 : 2;
		}
		$out[] = substr($s, $j, $i - $j);
		return $out;
	}

	function MBMultiCell($w, $h, $txt, $border = 0, $align = 'L', $fill = false)
	{
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
				if (is_int(strpos($border, 'L')))
					$b2 .= 'L';
				if (is_int(strpos($border, 'R')))
					$b2 .= 'R';
				$b = is_int(strpos($border, 'T')) ? $b2 . 'T' : $b2;
			}
		}
		$lines = $this->MBLines($w, $txt);
		$n = count($lines);
		foreach ($lines as $k => $line) {
			if ($k == $n - 1 && $border && is_int(strpos($border, 'B')))
				$b .= 'B';
			$this->Cell($w, $h, $line, $b, 2, $align, $fill);
			if ($border)
				$b = $b2;
		}
		$this->x = $this->lMargin;
	}

	function _putType0($font)
	{
		// Type0
		$this->_newobj();
		$this->_put('<</Type /Font');
		$this->_put('/Subtype /Type0');
		$this->_put('/BaseFont /' . $font['name'] . '-' . $font['CMap']);
		$this->_put('/Encoding /' . $font['CMap']);
		$this->_put('/DescendantFonts [' . ($this->n + 1) . ' 0 R]');
		$this->_put('>>');
		$this->_put('endobj');
		// CIDFont
		$this->_newobj();
		$this->_put('<</Type /Font');
		$this->_put('/Subtype /CIDFontType0');
		$this->_put('/BaseFont /' . $font['name']);
		$this->_put('/CIDSystemInfo <</Registry ' . $this->_textstring('Adobe') . ' /Ordering ' . $this->_textstring($font['registry']['ordering']) . ' /Supplement ' . $font['registry']['supplement'] . '>>');
		$this->_put('/FontDescriptor ' . ($this->n + 1) . ' 0 R');
		if ($font['CMap'] == 'ETen-B5-H')
			$W = '13648 13742 500';
		else
			$W = '1 [' . implode(' ', $font['cw']) . ']';
		$this->_put('/W [' . $W . ']>>');
		$this->_put('endobj');
		// Font descriptor
		$this->_newobj();
		$this->_put('<</Type /FontDescriptor');
		$this->_put('/FontName /' . $font['name']);
		$this->_put('/Flags 6');
		$this->_put('/FontBBox [0 -200 1000 900]');
		$this->_put('/ItalicAngle 0');
		$this->_put('/Ascent 800');
		$this->_put('/Descent -200');
		$this->_put('/CapHeight 800');
		$this->_put('/StemV 50');
		$this->_put('>>');
		$this->_put('endobj');
	}
}

require_once __DIR__ . '/fpdf_deck.php';

// ---- the deck -----------------------------------------------------------------------------------------------------

class DeckPDF extends PDF_Chinese
{
	use DeckPages;

	/** UTF-8 to Big5, as the site's code does before every Cell/MultiCell */
	public function enc(string $s): string
	{
		$b = mb_convert_encoding($s, 'BIG-5', 'UTF-8');
		if (mb_convert_encoding($b, 'UTF-8', 'BIG-5') !== $s)
			$this->lossy[] = $s;
		return $b;
	}

	/** @return list<string> the lines MBMultiCell prints */
	public function textLines(float $w, string $txt): array
	{
		return $this->MBLines($w, $txt);
	}
}

$pdf = new_deck($job);
if ($job['font']['family'] === 'big5-hw')
	$pdf->AddBig5hwFont('big5-hw');
else
	$pdf->AddBig5Font('big5');
write_deck($pdf, $job);
