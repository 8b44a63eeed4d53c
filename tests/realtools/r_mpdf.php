<?php

// Driver of tests/realtools/r_mpdf.py: `php r_mpdf.php JOB.json` prints the deck's HTML to a PDF with mPDF.
// The job names the autoloader of an mPDF installation, the HTML file, the output file and what a PHP author
// would set around WriteHTML: constructor options, TrueType faces added to fontdata, a LanguageToFont that
// sends Chinese runs to one of those faces, SetHeader/SetFooter strings, the watermark and the metadata.

declare(strict_types=1);

$job = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
require $job['autoload'];

/** Chinese runs marked by autoScriptToLang (und-Hans, zh-TW, ...) drawn in a face registered in fontdata. */
class DeckLanguageToFont extends \Mpdf\Language\LanguageToFont
{
	public static $font = '';

	public function getLanguageOptions($llcc, $adobeCJK)
	{
		$tags = explode('-', strtolower((string) $llcc));
		if ($tags[0] === 'zh' || ($tags[0] === 'und' && in_array($tags[1] ?? '', ['hans', 'hant'], true))) {
			return [false, self::$font];
		}
		return parent::getLanguageOptions($llcc, $adobeCJK);
	}
}

$config = $job['config'];
if (!empty($job['fonts'])) {
	$defaults = (new \Mpdf\Config\ConfigVariables())->getDefaults();
	$fontdata = (new \Mpdf\Config\FontVariables())->getDefaults()['fontdata'];
	$config['fontDir'] = array_merge($defaults['fontDir'], [$job['font_dir']]);
	foreach ($job['fonts'] as $key => $styles) {
		$fontdata[$key] = $styles;
	}
	$config['fontdata'] = $fontdata;
}
if (!empty($job['script_font'])) {
	DeckLanguageToFont::$font = $job['script_font'];
	$config['languageToFont'] = new DeckLanguageToFont();
}

$mpdf = new \Mpdf\Mpdf($config);
$mpdf->SetTitle($job['meta']['title']);
$mpdf->SetAuthor($job['meta']['author']);
$mpdf->SetCreator($job['meta']['creator']);
if (!empty($job['header'])) {
	$mpdf->SetHeader($job['header']);
}
if (!empty($job['footer'])) {
	$mpdf->SetFooter($job['footer']);
}
if (!empty($job['watermark'])) {
	$mpdf->SetWatermarkText($job['watermark']['text'], $job['watermark']['alpha']);
	$mpdf->watermark_font = $job['watermark']['font'];
	$mpdf->showWatermarkText = true;
}
$mpdf->WriteHTML(file_get_contents($job['html']));
$mpdf->Output($job['out'], \Mpdf\Output\Destination::FILE);
echo json_encode(['pages' => $mpdf->page]), "\n";
