<?php

// tFPDF's TrueType reader and subsetter (font/unifont/ttfonts.php, class TTFontFile, by Ian Back after mPDF's),
// written for r_tfpdf.php since tFPDF is not packaged: getMetrics() reads head, hhea, maxp, OS/2, post, name, the
// Unicode cmap (format 4 only: platform 3 encoding 1, or platform 0) and hmtx, giving the metrics for the font
// descriptor and charWidths, a binary string of 2 bytes per BMP code point (widths in 1/1000 em, 0 written as
// 65535, glyph 0's width the MissingWidth); makeSubset() keeps glyph 0 and the glyphs of the used code points (plus
// the components of composite glyphs), renumbers them in the order of their original ids, and writes a new
// TrueType file: cmap (format 4, the used codes), glyf/loca (short offsets unless too long), hmtx for every glyph,
// hhea/maxp with the new counts, post format 3, head (checkSumAdjustment), name, OS/2 and cvt/fpgm/prep/gasp
// copied.  codeToGlyph maps each kept code point to its new glyph id (the CIDToGIDMap).  Collections (.ttc) and
// CFF outlines are refused, as are fonts whose OS/2 fsType forbids embedding.

declare(strict_types=1);

const TT_GF_WORDS = 1 << 0;
const TT_GF_SCALE = 1 << 3;
const TT_GF_MORE = 1 << 5;
const TT_GF_XYSCALE = 1 << 6;
const TT_GF_TWOBYTWO = 1 << 7;

class TTFontFile
{
	public int $maxUni = 0;
	public string $filename = '';
	private string $data = '';
	private int $pos = 0;
	/** @var array<string, array{offset: int, length: int}> */
	private array $tables = [];
	/** @var array<string, string> */
	private array $otables = [];
	public float $ascent = 0;
	public float $descent = 0;
	public float $capHeight = 0;
	public float $italicAngle = 0;
	public float $underlinePosition = 0;
	public float $underlineThickness = 0;
	public float $stemV = 0;
	public int $flags = 4;
	/** @var list<float> */
	public array $bbox = [0, 0, 0, 0];
	public float $defaultWidth = 0;
	public string $name = '';
	public string $fullName = '';
	public string $familyName = '';
	public string $charWidths = '';
	/** @var array<int, int> */
	public array $codeToGlyph = [];
	/** @var array<int, int> */
	private array $charToGlyph = [];
	/** @var array<int, list<int>> */
	private array $glyphToChar = [];
	/** @var list<int> */
	private array $glyphPos = [];
	private int $numGlyphs = 0;
	private int $numberOfHMetrics = 0;
	private int $unitsPerEm = 1000;

	private function open(string $file): void
	{
		$this->filename = $file;
		$data = @file_get_contents($file);
		if ($data === false)
			throw new RuntimeException("Can't open file $file");
		$this->data = $data;
		$this->pos = 0;
		$version = $this->read_ulong();
		if ($version === 0x4F54544F)
			throw new RuntimeException('Postscript outlines are not supported');
		if ($version === 0x74746366)
			throw new RuntimeException('ERROR - TrueType Fonts Collections not supported');
		if (!in_array($version, [0x00010000, 0x74727565], true))
			throw new RuntimeException("Not a TrueType font: version=$version");
		$numTables = $this->read_ushort();
		$this->skip(6);
		$this->tables = [];
		for ($i = 0; $i < $numTables; $i++) {
			$tag = substr($this->data, $this->pos, 4);
			$this->skip(8);
			$offset = $this->read_ulong();
			$length = $this->read_ulong();
			$this->tables[$tag] = ['offset' => $offset, 'length' => $length];
		}
	}

	private function seek(int $pos): void
	{
		$this->pos = $pos;
	}

	private function skip(int $n): void
	{
		$this->pos += $n;
	}

	private function read_ushort(): int
	{
		$a = unpack('n', $this->data, $this->pos)[1];
		$this->pos += 2;
		return $a;
	}

	private function read_short(): int
	{
		$a = $this->read_ushort();
		return $a >= 0x8000 ? $a - 0x10000 : $a;
	}

	private function read_ulong(): int
	{
		$a = unpack('N', $this->data, $this->pos)[1];
		$this->pos += 4;
		return $a;
	}

	private function seek_table(string $tag, int $offset = 0): int
	{
		if (!isset($this->tables[$tag]))
			throw new RuntimeException("Table $tag not found in {$this->filename}");
		$this->pos = $this->tables[$tag]['offset'] + $offset;
		return $this->pos;
	}

	private function get_table(string $tag): string
	{
		$t = $this->tables[$tag];
		return substr($this->data, $t['offset'], $t['length']);
	}

	private function get_ushort(int $pos): int
	{
		return unpack('n', $this->data, $pos)[1];
	}

	private static function set_ushort(string $s, int $pos, int $v): string
	{
		return substr($s, 0, $pos) . pack('n', $v) . substr($s, $pos + 2);
	}

	private static function splice(string $s, int $pos, string $v): string
	{
		return substr($s, 0, $pos) . $v . substr($s, $pos + strlen($v));
	}

	private static function calcChecksum(string $data): int
	{
		if (strlen($data) % 4)
			$data .= str_repeat("\0", 4 - strlen($data) % 4);
		$sum = 0;
		foreach (unpack('N*', $data) as $v)
			$sum = ($sum + $v) & 0xFFFFFFFF;
		return $sum;
	}

	/** the font's names: PostScript name (6), family (1), full name (4); Windows Unicode first, then Macintosh */
	private function getNames(): void
	{
		$base = $this->seek_table('name');
		$this->skip(2);
		$count = $this->read_ushort();
		$strings = $base + $this->read_ushort();
		$names = [];
		for ($i = 0; $i < $count; $i++) {
			$platform = $this->read_ushort();
			$encoding = $this->read_ushort();
			$language = $this->read_ushort();
			$id = $this->read_ushort();
			$len = $this->read_ushort();
			$off = $this->read_ushort();
			if (!in_array($id, [1, 4, 6], true))
				continue;
			$raw = substr($this->data, $strings + $off, $len);
			if ($platform === 3 && $encoding === 1 && $language === 0x409)
				$names[$id] = mb_convert_encoding($raw, 'UTF-8', 'UTF-16BE');
			elseif ($platform === 1 && $encoding === 0 && $language === 0 && !isset($names[$id]))
				$names[$id] = $raw;
		}
		if (!isset($names[6]) || $names[6] === '')
			throw new RuntimeException('Could not find PostScript font name');
		$this->name = preg_replace('/[^\x21-\x7e]/', '', $names[6]);
		$this->familyName = $names[1] ?? $this->name;
		$this->fullName = $names[4] ?? $this->name;
	}

	/** the Unicode cmap, format 4: code point => glyph, glyph => code points */
	private function getCMAP4(): void
	{
		$base = $this->seek_table('cmap');
		$this->skip(2);
		$n = $this->read_ushort();
		$offset = 0;
		for ($i = 0; $i < $n; $i++) {
			$platform = $this->read_ushort();
			$encoding = $this->read_ushort();
			$off = $this->read_ulong();
			$fmt = $this->get_ushort($base + $off);
			if ($fmt === 4 && (($platform === 3 && $encoding === 1) || $platform === 0)) {
				$offset = $base + $off;
				if ($platform === 3)
					break;
			}
		}
		if ($offset === 0)
			throw new RuntimeException('Font (' . $this->filename . ') does not have cmap for Unicode (platform 3, encoding 1, format 4, or platform 0, any encoding, format 4)');
		$this->seek($offset + 6);
		$segX2 = $this->read_ushort();
		$this->skip(6);
		$ends = [];
		for ($i = 0; $i < $segX2 / 2; $i++)
			$ends[] = $this->read_ushort();
		$this->skip(2);
		$starts = [];
		for ($i = 0; $i < $segX2 / 2; $i++)
			$starts[] = $this->read_ushort();
		$deltas = [];
		for ($i = 0; $i < $segX2 / 2; $i++)
			$deltas[] = $this->read_short();
		$rangeBase = $this->pos;
		$ranges = [];
		for ($i = 0; $i < $segX2 / 2; $i++)
			$ranges[] = $this->read_ushort();
		$this->charToGlyph = [];
		$this->glyphToChar = [];
		$this->maxUni = 0;
		foreach ($starts as $n => $start) {
			$end = $ends[$n];
			for ($u = $start; $u <= $end; $u++) {
				if ($u === 0xFFFF)
					break;
				if ($ranges[$n] === 0) {
					$g = ($u + $deltas[$n]) & 0xFFFF;
				} else {
					$at = $rangeBase + 2 * $n + $ranges[$n] + 2 * ($u - $start);
					$g = $this->get_ushort($at);
					if ($g !== 0)
						$g = ($g + $deltas[$n]) & 0xFFFF;
				}
				if ($g === 0)
					continue;
				$this->charToGlyph[$u] = $g;
				$this->glyphToChar[$g][] = $u;
				if ($u > $this->maxUni)
					$this->maxUni = $u;
			}
		}
	}

	public function getMetrics(string $file): void
	{
		$this->open($file);
		// head
		$this->seek_table('head');
		$this->skip(18);
		$this->unitsPerEm = $this->read_ushort();
		$scale = 1000 / $this->unitsPerEm;
		$this->skip(16);
		$this->bbox = [$this->read_short() * $scale, $this->read_short() * $scale, $this->read_short() * $scale, $this->read_short() * $scale];
		// hhea
		$this->seek_table('hhea', 4);
		$this->ascent = $this->read_short() * $scale;
		$this->descent = $this->read_short() * $scale;
		$this->seek_table('hhea', 34);
		$this->numberOfHMetrics = $this->read_ushort();
		$this->seek_table('maxp', 4);
		$this->numGlyphs = $this->read_ushort();
		// OS/2
		$weight = 500;
		if (isset($this->tables['OS/2'])) {
			$this->seek_table('OS/2');
			$version = $this->read_ushort();
			$this->skip(2);
			$weight = $this->read_ushort();
			$this->skip(2);
			$fsType = $this->read_ushort();
			if ($fsType === 0x0002 || ($fsType & 0x0300) !== 0)
				throw new RuntimeException('ERROR - Font file ' . $this->filename . ' cannot be embedded due to copyright restrictions.');
			if ($version >= 2) {
				$this->seek_table('OS/2', 88);
				$this->capHeight = $this->read_short() * $scale;
			} else
				$this->capHeight = $this->ascent;
		} else
			$this->capHeight = $this->ascent;
		$this->stemV = 50 + intval(pow($weight / 65.0, 2));
		// post
		$this->seek_table('post', 4);
		$this->italicAngle = $this->read_short() + $this->read_ushort() / 65536.0;
		$this->underlinePosition = $this->read_short() * $scale;
		$this->underlineThickness = $this->read_short() * $scale;
		$fixed = $this->read_ulong();
		$this->flags = 4;
		if ($this->italicAngle != 0)
			$this->flags |= 64;
		if ($weight >= 600)
			$this->flags |= 262144;
		if ($fixed)
			$this->flags |= 1;
		$this->getNames();
		$this->getCMAP4();
		// hmtx: widths by code point, 2 bytes each
		$cw = str_repeat("\0", 2 * ($this->maxUni + 1));
		$this->seek_table('hmtx');
		$aw = 0;
		for ($g = 0; $g < $this->numGlyphs; $g++) {
			if ($g < $this->numberOfHMetrics) {
				$aw = $this->get_ushort($this->pos);
				$this->skip(4);
			}
			if ($g === 0) {
				$this->defaultWidth = $scale * $aw;
				continue;
			}
			if (!isset($this->glyphToChar[$g]))
				continue;
			$w = (int)round($scale * $aw);
			if ($w === 0)
				$w = 65535;
			foreach ($this->glyphToChar[$g] as $u) {
				if ($u !== 0 && $u !== 65535) {
					$cw[$u * 2] = chr($w >> 8);
					$cw[$u * 2 + 1] = chr($w & 0xFF);
				}
			}
		}
		$this->charWidths = $cw;
	}

	private function glyphPositions(): void
	{
		$this->seek_table('head', 50);
		$long = $this->read_short() === 1;
		$this->seek_table('loca');
		$this->glyphPos = [];
		for ($i = 0; $i <= $this->numGlyphs; $i++)
			$this->glyphPos[] = $long ? $this->read_ulong() : 2 * $this->read_ushort();
	}

	/** glyphs of a composite glyph, added to $glyphs (depth first) */
	private function getGlyphs(int $g, array &$glyphs): void
	{
		$start = $this->tables['glyf']['offset'] + $this->glyphPos[$g];
		if ($this->glyphPos[$g + 1] === $this->glyphPos[$g])
			return;
		if ($this->get_ushort($start) !== 0xFFFF && $this->get_ushort($start) < 0x8000)
			return;  // simple glyph
		$pos = $start + 10;
		do {
			$flags = $this->get_ushort($pos);
			$comp = $this->get_ushort($pos + 2);
			if (!isset($glyphs[$comp])) {
				$glyphs[$comp] = 1;
				$this->getGlyphs($comp, $glyphs);
			}
			$pos += 4 + (($flags & TT_GF_WORDS) ? 4 : 2);
			if ($flags & TT_GF_SCALE)
				$pos += 2;
			elseif ($flags & TT_GF_XYSCALE)
				$pos += 4;
			elseif ($flags & TT_GF_TWOBYTWO)
				$pos += 8;
		} while ($flags & TT_GF_MORE);
	}

	/** @param array<int, int> $subset code points to keep */
	public function makeSubset(string $file, array &$subset): string
	{
		$this->open($file);
		$this->seek_table('maxp', 4);
		$this->numGlyphs = $this->read_ushort();
		$this->seek_table('hhea', 34);
		$this->numberOfHMetrics = $this->read_ushort();
		$this->getCMAP4();
		$this->glyphPositions();
		$glyphs = [0 => 0];
		$subsetCharToGlyph = [];
		foreach ($subset as $code) {
			if (isset($this->charToGlyph[$code])) {
				$glyphs[$this->charToGlyph[$code]] = $code;
				$subsetCharToGlyph[$code] = $this->charToGlyph[$code];
			}
		}
		foreach (array_keys($glyphs) as $g)
			$this->getGlyphs($g, $glyphs);
		ksort($glyphs);
		$glyphMap = [];
		$n = 0;
		foreach (array_keys($glyphs) as $old)
			$glyphMap[$old] = $n++;
		$numGlyphs = $n;
		$this->codeToGlyph = [];
		foreach ($subsetCharToGlyph as $code => $old)
			$this->codeToGlyph[$code] = $glyphMap[$old];
		ksort($this->codeToGlyph);

		$this->otables = [];
		foreach (['name', 'cvt ', 'fpgm', 'prep', 'gasp', 'OS/2'] as $tag)
			if (isset($this->tables[$tag]))
				$this->otables[$tag] = $this->get_table($tag);

		// cmap: format 4, one segment per run of consecutive codes with consecutive glyphs
		$segs = [];
		foreach ($this->codeToGlyph as $code => $g) {
			if ($code > 0xFFFE)
				continue;
			$k = count($segs) - 1;
			if ($k >= 0 && $segs[$k][1] === $code - 1 && $segs[$k][2] + ($code - $segs[$k][0]) === $g)
				$segs[$k][1] = $code;
			else
				$segs[] = [$code, $code, $g];
		}
		$segs[] = [0xFFFF, 0xFFFF, 0];
		$segCount = count($segs);
		$searchRange = 2 * (1 << (int)floor(log($segCount, 2)));
		$ends = $starts = $deltas = $offs = '';
		foreach ($segs as [$s, $e, $g]) {
			$ends .= pack('n', $e);
			$starts .= pack('n', $s);
			$deltas .= pack('n', ($s === 0xFFFF ? 1 : ($g - $s)) & 0xFFFF);
			$offs .= pack('n', 0);
		}
		$sub = pack('nnnnnnn', 4, 16 + 8 * $segCount, 0, 2 * $segCount, $searchRange, (int)log($searchRange / 2, 2), 2 * $segCount - $searchRange)
			. $ends . pack('n', 0) . $starts . $deltas . $offs;
		$this->otables['cmap'] = pack('nnnnN', 0, 1, 3, 1, 12) . $sub;

		// glyf, loca, hmtx
		$glyf = '';
		$offsets = [];
		$hmtx = '';
		$hm = $this->tables['hmtx']['offset'];
		foreach (array_keys($glyphs) as $old) {
			if ($old < $this->numberOfHMetrics) {
				$aw = $this->get_ushort($hm + 4 * $old);
				$lsb = $this->get_ushort($hm + 4 * $old + 2);
			} else {
				$aw = $this->get_ushort($hm + 4 * ($this->numberOfHMetrics - 1));
				$lsb = $this->get_ushort($hm + 4 * $this->numberOfHMetrics + 2 * ($old - $this->numberOfHMetrics));
			}
			$hmtx .= pack('nn', $aw, $lsb);
			$offsets[] = strlen($glyf);
			$len = $this->glyphPos[$old + 1] - $this->glyphPos[$old];
			$data = $len > 0 ? substr($this->data, $this->tables['glyf']['offset'] + $this->glyphPos[$old], $len) : '';
			if ($len > 0 && $this->get_ushort($this->tables['glyf']['offset'] + $this->glyphPos[$old]) >= 0x8000) {
				// composite: component glyph ids renumbered
				$p = 10;
				do {
					$flags = unpack('n', $data, $p)[1];
					$comp = unpack('n', $data, $p + 2)[1];
					$data = self::set_ushort($data, $p + 2, $glyphMap[$comp]);
					$p += 4 + (($flags & TT_GF_WORDS) ? 4 : 2);
					if ($flags & TT_GF_SCALE)
						$p += 2;
					elseif ($flags & TT_GF_XYSCALE)
						$p += 4;
					elseif ($flags & TT_GF_TWOBYTWO)
						$p += 8;
				} while ($flags & TT_GF_MORE);
			}
			$glyf .= $data;
			if (strlen($glyf) % 4)
				$glyf .= str_repeat("\0", 4 - strlen($glyf) % 4);
		}
		$offsets[] = strlen($glyf);
		$long = (strlen($glyf) + 1) >> 1 > 0xFFFF;
		$loca = '';
		foreach ($offsets as $o)
			$loca .= $long ? pack('N', $o) : pack('n', $o >> 1);
		$this->otables['glyf'] = $glyf;
		$this->otables['loca'] = $loca;
		$this->otables['hmtx'] = $hmtx;

		$hhea = self::set_ushort($this->get_table('hhea'), 34, $numGlyphs);
		$this->otables['hhea'] = $hhea;
		$maxp = self::set_ushort($this->get_table('maxp'), 4, $numGlyphs);
		$this->otables['maxp'] = $maxp;
		$post = $this->get_table('post');
		$this->otables['post'] = "\x00\x03\x00\x00" . substr($post, 4, 12) . str_repeat("\0", 16);
		$head = $this->get_table('head');
		$head = self::splice($head, 8, "\0\0\0\0");
		$head = self::set_ushort($head, 50, $long ? 1 : 0);
		$this->otables['head'] = $head;
		return $this->endTTFile();
	}

	private function endTTFile(): string
	{
		$tags = array_keys($this->otables);
		sort($tags, SORT_STRING);
		$numTables = count($tags);
		$searchRange = 1;
		$entrySelector = 0;
		while ($searchRange * 2 <= $numTables) {
			$searchRange *= 2;
			$entrySelector++;
		}
		$searchRange *= 16;
		$rangeShift = $numTables * 16 - $searchRange;
		$out = pack('Nnnnn', 0x00010000, $numTables, $searchRange, $entrySelector, $rangeShift);
		$offset = 12 + $numTables * 16;
		$body = '';
		$headStart = 0;
		foreach ($tags as $tag) {
			$data = $this->otables[$tag];
			if ($tag === 'head')
				$headStart = $offset;
			$out .= $tag . pack('NNN', self::calcChecksum($data), $offset, strlen($data));
			$padded = $data . str_repeat("\0", (4 - strlen($data) % 4) % 4);
			$body .= $padded;
			$offset += strlen($padded);
		}
		$font = $out . $body;
		$adjust = (0xB1B0AFBA - self::calcChecksum($font)) & 0xFFFFFFFF;
		return self::splice($font, $headStart + 8, pack('N', $adjust));
	}
}
