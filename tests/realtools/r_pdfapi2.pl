#!/usr/bin/perl
# Draws one deck laid out by r_pdfapi2.py with PDF::API2 (or its fork PDF::Builder), the way Perl back-office
# code writes reports by hand:
#     perl r_pdfapi2.pl job.json
#     perl r_pdfapi2.pl --metrics Ming out.json     (the widths and code points of a cjkfont, for the layout)
# job: {engine, compress, info, fonts, pages, out}.  fonts.cjk / fonts.bold / fonts.fallback: {kind: "ttf", file,
# subset} ($pdf->ttfont, Type0 Identity-H, CIDs = glyph ids) or {kind: "cjk", name} ($pdf->cjkfont, the
# non-embedded Adobe CJK fonts); fonts.latin: "Helvetica" (a core font) or null.  pages: [{w, h, named, rot, ops,
# over, under}]: `ops` drawn as the page is made, each text op into a text object ($page->text) and each path
# into a graphics object ($page->gfx), a {t: "new"} op starting fresh objects (a drawing helper that asks the page
# for its own); then, in a second pass over the finished document ($pdf->openpage), `over` appended and `under`
# prepended ($page->gfx(1)) as graphics objects wrapped in save/restore.  A page with rot 90 or 270 is stored
# portrait ($page->rotate) and its drawing turned by a matrix in a stream of its own.  Ops, in PDF points from the
# bottom left of the landscape drawing: text {x, y, size, runs: [[font key, string]], color, angle, fake, alpha,
# center, label}, line {x0, y0, x1, y1, w, color}, rect {x, y, w, h, fill, stroke, lw}.
use strict;
use warnings;
use JSON::PP;

my $ENGINE;
my %FONTS;
my $PDF;
my %EG;

sub slurp {
    my ($path) = @_;
    open(my $fh, '<:raw', $path) or die "$path: $!";
    local $/;
    my $s = <$fh>;
    close($fh);
    return JSON::PP->new->utf8->decode($s);
}

sub metrics {
    # what the layout must know of a cjkfont: its code points (characters it lacks print as CID 0) and widths
    my ($name, $out) = @_;
    require PDF::API2;
    my $pdf = PDF::API2->new();
    my $font = $pdf->cjkfont($name);
    my $u2g = $font->data->{'u2g'};
    my %w;
    foreach my $u (keys %$u2g) {
        $w{$u} = $font->wxByCId($u2g->{$u});
    }
    open(my $fh, '>:raw', $out) or die "$out: $!";
    print $fh JSON::PP->new->utf8->canonical->encode({widths => \%w, missing => $font->missingwidth()});
    close($fh);
}

sub load_font {
    my ($spec) = @_;
    return undef unless $spec;
    if ($spec->{'kind'} eq 'cjk') {
        # non-embedded Adobe CJK font (Adobe-CNS1 CIDs under Identity-H; no ToUnicode: PDF::API2 leaves it to
        # the reader's knowledge of the character collection)
        return $PDF->cjkfont($spec->{'name'});
    }
    my %opts;
    $opts{'-nosubset'} = 1 unless $spec->{'subset'};
    return $PDF->ttfont($spec->{'file'}, %opts);
}

sub alpha_state {
    my ($a) = @_;
    my $key = sprintf('%.2f', $a);
    unless ($EG{$key}) {
        my $eg = $PDF->egstate();
        $eg->transparency(1 - $a);    # PDF::API2's transparency is 1 - alpha (ca and CA)
        $EG{$key} = $eg;
    }
    return $EG{$key};
}

sub line_width {
    my ($size, $runs) = @_;
    my $w = 0;
    foreach my $r (@$runs) {
        $w += $FONTS{$r->[0]}->width($r->[1]) * $size;
    }
    return $w;
}

# Text into $c, a text object or (in_text false) a graphics object that opens its own BT/ET.
sub draw_text {
    my ($c, $op, $is_text) = @_;
    my ($x, $y, $size, $runs) = ($op->{'x'}, $op->{'y'}, $op->{'size'}, $op->{'runs'});
    my @color = @{$op->{'color'}};
    if ($op->{'label'} and @$runs == 1 and not $is_text) {
        # PDF::API2's textlabel: q, BT, Tm, Tf, Tj, ET, Q inside the graphics stream.  Its -color takes an array
        # reference in scalar context (`my $color = ref(...) ? @{...} : ...`): [r, g, b] is written '3 g', white
        # text; a '#rrggbb' string is what works.
        my $hex = sprintf('#%02x%02x%02x', map { int($_ * 255 + 0.5) } @color);
        my %o = (-color => $hex);
        $o{'-rotate'} = $op->{'angle'} if $op->{'angle'};
        if ($op->{'center'}) {
            $o{'-align'} = 'center';
            $x += $op->{'center'} / 2;
        }
        if ($op->{'fake'}) {
            # synthetic bold; textlabel sets no line width, so the label's q inherits one set before it
            $o{'-render'} = 2;
            $o{'-strokecolor'} = $hex;
            $c->linewidth($size / 30);
        }
        $c->textlabel($x, $y, $FONTS{$runs->[0][0]}, $size, $runs->[0][1], %o);
        return;
    }
    $c->textstart() unless $is_text;
    if (defined $op->{'alpha'}) {
        $c->egstate(alpha_state($op->{'alpha'}));
    }
    $c->fillcolor(@color);
    if ($op->{'fake'}) {
        # synthetic bold: the glyphs filled and stroked
        $c->strokecolor(@color);
        $c->linewidth($size / 30);
        $c->render(2);
    }
    my %first;
    if ($op->{'center'}) {
        # centred on x + (the layout's width)/2 by PDF::API2's own measure: a TJ displacement before the glyphs
        $x += $op->{'center'} / 2;
        $first{'-indent'} = -line_width($size, $runs) / 2;
    }
    if ($op->{'angle'}) {
        $c->transform(-translate => [$x, $y], -rotate => $op->{'angle'});
    }
    else {
        $c->translate($x, $y);
    }
    foreach my $r (@$runs) {
        $c->font($FONTS{$r->[0]}, $size);
        $c->text($r->[1], %first);
        %first = ();
    }
    $c->render(0) if $op->{'fake'};
    if (defined $op->{'alpha'}) {
        # an ExtGState set in a content stream outlives it (the next stream starts in the same state)
        $c->egstate(alpha_state(1));
    }
    $c->textend() unless $is_text;
}

sub draw_path {
    my ($g, $op) = @_;
    if ($op->{'t'} eq 'line') {
        $g->strokecolor(@{$op->{'color'}});
        $g->linewidth($op->{'w'});
        $g->move($op->{'x0'}, $op->{'y0'});
        $g->line($op->{'x1'}, $op->{'y1'});
        $g->stroke();
        return;
    }
    $g->rect($op->{'x'}, $op->{'y'}, $op->{'w'}, $op->{'h'});
    $g->fillcolor(@{$op->{'fill'}}) if $op->{'fill'};
    if ($op->{'stroke'}) {
        $g->strokecolor(@{$op->{'stroke'}});
        $g->linewidth($op->{'lw'});
        if   ($op->{'fill'}) { $g->fillstroke(); }
        else                 { $g->stroke(); }
    }
    else {
        $g->fill();
    }
}

sub turn {
    # the landscape drawing turned into a page stored portrait
    my ($g, $pg) = @_;
    my ($w, $h) = ($pg->{'w'}, $pg->{'h'});
    if ($pg->{'rot'} == 90) {
        $g->matrix(0, 1, -1, 0, $h, 0);
    }
    elsif ($pg->{'rot'} == 270) {
        $g->matrix(0, -1, 1, 0, 0, $w);
    }
}

sub page_ops {
    my ($page, $pg, $layers) = @_;
    my ($gfx, $text);
    if ($layers) {
        # the usual PDF::API2 page: one graphics and one text object, all text over all paths
        $gfx  = $page->gfx();
        $text = $page->text();
    }
    foreach my $op (@{$pg->{'ops'}}) {
        my $t = $op->{'t'};
        if ($t eq 'new') {
            ($gfx, $text) = (undef, undef) unless $layers;
            next;
        }
        if ($t eq 'text') {
            if ($op->{'label'} and $ENGINE eq 'PDF::API2' and @{$op->{'runs'}} == 1) {
                $gfx //= $page->gfx();
                draw_text($gfx, $op, 0);
            }
            else {
                $text //= $page->text();
                draw_text($text, $op, 1);
            }
        }
        else {
            $gfx //= $page->gfx();
            draw_path($gfx, $op);
        }
    }
}

sub layer {
    my ($page, $pg, $name) = @_;
    return unless @{$pg->{$name}};
    my $g = $page->gfx($name eq 'under' ? 1 : 0);
    $g->save();
    turn($g, $pg);
    foreach my $op (@{$pg->{$name}}) {
        if   ($op->{'t'} eq 'text') { draw_text($g, {%$op, label => 0}, 0); }
        else                        { draw_path($g, $op); }
    }
    $g->restore();
}

sub run {
    my ($job) = @_;
    $ENGINE = $job->{'engine'};
    eval "require $ENGINE" or die $@;
    if ($ENGINE eq 'PDF::API2') {
        $PDF = $ENGINE->new(compress => $job->{'compress'} ? 1 : 0);
    }
    else {
        $PDF = $ENGINE->new(compress => $job->{'compress'} ? 'flate' : 'none');
    }
    my $fs = $job->{'fonts'};
    $FONTS{'cjk'} = load_font($fs->{'cjk'});
    $FONTS{'bold'} = $fs->{'bold'} ? load_font($fs->{'bold'}) : $FONTS{'cjk'};
    $FONTS{'fallback'} = load_font($fs->{'fallback'}) if $fs->{'fallback'};
    if ($fs->{'latin'}) {
        $FONTS{'latin'} = $PDF->corefont($fs->{'latin'});
    }
    my @pages;
    foreach my $pg (@{$job->{'pages'}}) {
        my $page = $PDF->page();
        my ($w, $h) = ($pg->{'w'}, $pg->{'h'});
        if ($pg->{'named'}) {
            $page->mediabox($pg->{'named'});
        }
        elsif ($pg->{'rot'}) {
            $page->mediabox($h, $w);
        }
        else {
            $page->mediabox($w, $h);
        }
        if ($pg->{'rot'}) {
            $page->rotate($pg->{'rot'});
            my $g = $page->gfx();
            $g->save();
            turn($g, $pg);
        }
        page_ops($page, $pg, $job->{'order'} eq 'layers');
        $page->gfx()->restore() if $pg->{'rot'};
        push @pages, $pg;
    }
    # the second pass: headers, footers and watermarks over (or under) the finished pages
    for my $n (1 .. scalar @pages) {
        my $pg = $pages[$n - 1];
        next unless @{$pg->{'over'}} or @{$pg->{'under'}};
        my $page = $PDF->openpage($n);
        layer($page, $pg, 'under');
        layer($page, $pg, 'over');
    }
    if (my $info = $job->{'info'}) {
        $PDF->info(%$info);
    }
    $PDF->saveas($job->{'out'});
    $PDF->end();
}

if (@ARGV == 3 and $ARGV[0] eq '--metrics') {
    metrics($ARGV[1], $ARGV[2]);
}
else {
    run(slurp($ARGV[0]));
}
