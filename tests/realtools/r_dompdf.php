<?php

// Driver of tests/realtools/r_dompdf.py: `php r_dompdf.php JOB.json` prints the deck's HTML to a PDF with Dompdf
// (the CPDF backend).  The job holds what a PHP author sets around loadHtml/render: the Options (font and temp
// folders, chroot, subsetting, DPI, default font, embedded PHP), the paper, faces registered through FontMetrics
// (rather than @font-face in the CSS), and what is drawn on the canvas after render(): page numbers by page_text
// or a page_script callback, a watermark, the metadata.

declare(strict_types=1);

$job = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
require_once $job['autoload'];

use Dompdf\Dompdf;
use Dompdf\Options;

$options = new Options($job['options']);
$dompdf = new Dompdf($options);
$metrics = $dompdf->getFontMetrics();
foreach ($job['fonts'] as $face) {
	$style = ['family' => $face['family'], 'weight' => $face['weight'], 'style' => 'normal'];
	if (!$metrics->registerFont($style, 'file://' . $face['file'])) {
		fwrite(STDERR, "registerFont failed: {$face['file']}\n");
		exit(2);
	}
}
if ($job['paper']) {
	$dompdf->setPaper($job['paper'][0], $job['paper'][1]);
}
$dompdf->loadHtml(file_get_contents($job['html']), 'UTF-8');
$dompdf->render();

$canvas = $dompdf->getCanvas();
$w = $canvas->get_width();
$h = $canvas->get_height();

// page numbers: page_text (every page, the text centred on its widest form) or a callback skipping the cover
$foot = $job['footer'];
if ($foot) {
	$font = $metrics->getFont($foot['family']);
	$size = (float) $foot['size'];
	$widest = str_replace(['{PAGE_NUM}', '{PAGE_COUNT}'], ['99', '99'], $foot['text']);
	$x = $foot['align'] === 'right'
		? $w - $foot['margin'] - $metrics->getTextWidth($widest, $font, $size)
		: ($w - $metrics->getTextWidth($widest, $font, $size)) / 2;
	$y = $h - $foot['bottom'];
	if ($foot['kind'] === 'page_text') {
		$canvas->page_text($x, $y, $foot['text'], $font, $size, $foot['color']);
	} else {
		$canvas->page_script(function (int $pageNumber, int $pageCount, $canvas, $fontMetrics) use ($foot, $font, $size, $x, $y) {
			if ($pageNumber < $foot['from']) {
				return;
			}
			$text = str_replace(['{PAGE_NUM}', '{PAGE_COUNT}'], [$pageNumber, $pageCount], $foot['text']);
			$canvas->text($x, $y, $text, $font, $size, $foot['color']);
		});
	}
}

// watermark on the canvas: translucent turned text over every page
$mark = $job['watermark'];
if ($mark) {
	$font = $metrics->getFont($mark['family']);
	$size = (float) $mark['size'];
	$tw = $metrics->getTextWidth($mark['text'], $font, $size);
	$canvas->page_script(function (int $pageNumber, int $pageCount, $canvas, $fontMetrics) use ($mark, $font, $size, $tw, $w, $h) {
		$canvas->set_opacity((float) $mark['opacity'], 'Multiply');
		$canvas->text(($w - $tw * 0.87) / 2, $h / 2 + $tw * 0.25, $mark['text'], $font, $size, $mark['color'], 0.0, 0.0, (float) $mark['angle']);
		$canvas->set_opacity(1.0);
	});
}

foreach ($job['meta'] as $key => $value) {
	$dompdf->addInfo($key, $value);
}
file_put_contents($job['out'], $dompdf->output(['compress' => $job['compress']]));
echo json_encode(['pages' => $canvas->get_page_count()]), "\n";
