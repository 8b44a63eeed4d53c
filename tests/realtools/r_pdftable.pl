#!/usr/bin/perl
# Draws one deck with PDF::Table 1.003 on PDF::API2 (or PDF::Builder), the way Perl back-office code prints a
# report: a few strings placed by hand on the page, the tables laid out, wrapped and paginated by
# PDF::Table->table().
#     perl r_pdftable.pl job.json
# job: {engine, compress, info, out, report, page: [w, h], named, fonts: {body, head}, furniture: {header, org,
# title, footer, footer_pass, footer_align}, blocks}.  fonts.*: {kind: "ttf", file, subset} ($pdf->ttfont) or
# {kind: "cjk", name} ($pdf->cjkfont).  Blocks, y measured from the top of the page:
#   {t: "page", furniture}                      a new page (running header and footer unless furniture is 0)
#   {t: "text", x, y, s, size, font, color, align}
#   {t: "fill", x, y, w, h, color}
#   {t: "table", x, w, y, bottom, top, data, props, keep_rows, flow, gap, title, cont_title}  (y: the title's top)
#       props: PDF::Table settings; the strings "body"/"head" as a font are replaced by the font objects.
#       flow: the table starts below what the page holds so far (a new page when its title, head and first row
#       do not fit) and PDF::Table continues it on new pages (new_page_func: running header, title again).
#       keep_rows: every row's min_rh set to the height a dry run of the same table gave it, so that
#       PDF::Table moves a row to the next page whole instead of cutting its text.
# report: {tables: [{pages, final_y, warnings}], pages}.
use utf8;  # the footer joins org and title with a literal "｜": without it Perl writes its UTF-8 bytes as Latin-1
use strict;
use warnings;
use JSON::PP;
use PDF::Table;

my $ENGINE;
my $PDF;
my %FONTS;
my $JOB;
my @WARN;
my $PAGE;
my $Y;
my $NPAGES = 0;
my @FOOTED;

$SIG{__WARN__} = sub { push @WARN, $_[0]; };

sub slurp {
    my ($path) = @_;
    open(my $fh, '<:raw', $path) or die "$path: $!";
    local $/;
    my $s = <$fh>;
    close($fh);
    return JSON::PP->new->utf8->decode($s);
}

sub load_font {
    my ($pdf, $spec) = @_;
    return undef unless $spec;
    return $pdf->cjkfont($spec->{'name'}) if $spec->{'kind'} eq 'cjk';
    my %opts;
    $opts{'-nosubset'} = 1 unless $spec->{'subset'};
    return $pdf->ttfont($spec->{'file'}, %opts);
}

sub fonts_for {
    my ($pdf) = @_;
    my %f;
    $f{'body'} = load_font($pdf, $JOB->{'fonts'}{'body'});
    $f{'head'} = $JOB->{'fonts'}{'head'} ? load_font($pdf, $JOB->{'fonts'}{'head'}) : $f{'body'};
    return %f;
}

sub H { return $JOB->{'page'}[1]; }
sub W { return $JOB->{'page'}[0]; }

sub put_text {
    my ($page, $x, $ytop, $s, $size, $font, $color, $align) = @_;
    my $t = $page->text();
    $t->font($FONTS{$font || 'body'}, $size);
    $t->fillcolor($color || '#000000');
    $t->translate($x, H() - $ytop);
    if    (($align || '') eq 'center') { $t->text_center($s); }
    elsif (($align || '') eq 'right')  { $t->text_right($s); }
    else                               { $t->text($s); }
}

sub new_page {
    my ($furniture) = @_;
    my $page = $PDF->page();
    if ($JOB->{'named'}) { $page->mediabox($JOB->{'named'}); }
    else                 { $page->mediabox(W(), H()); }
    $NPAGES++;
    my $f = $JOB->{'furniture'};
    if ($furniture) {
        if ($f->{'header'}) {
            put_text($page, 30, 20, $f->{'org'}, 8, 'body', '#1f3b69');
            put_text($page, W() - 30, 20, $f->{'title'}, 8, 'body', '#1f3b69', 'right');
            my $g = $page->gfx();
            $g->strokecolor('#1f3b69');
            $g->linewidth(0.5);
            $g->move(30, H() - 25);
            $g->hline(W() - 30);
            $g->stroke();
        }
        if ($f->{'footer'}) {
            push @FOOTED, $NPAGES;
            foot($page, $NPAGES, 0) if $f->{'footer_pass'} eq 'page';
        }
    }
    $PAGE = $page;
    $Y = H() - ($f->{'header'} && $furniture ? 40 : 30);
    return $page;
}

sub foot {
    my ($page, $n, $total) = @_;
    my $f = $JOB->{'furniture'};
    my $s = $f->{'footer'} eq 'of' ? "$n / $total" : "- $n -";
    my $y = H() - 16;
    put_text($page, 30, $y, "$f->{'org'}｜$f->{'title'}", 7, 'body', '#666666') if $f->{'footer_org'};
    if ($f->{'footer_align'} eq 'right') { put_text($page, W() - 30, $y, $s, 7, 'body', '#666666', 'right'); }
    else                                 { put_text($page, W() / 2, $y, $s, 7, 'body', '#666666', 'center'); }
}

sub with_fonts {
    # a deep copy of a settings structure with "body"/"head" font names replaced by font objects
    my ($v, $fonts) = @_;
    if (ref $v eq 'HASH') {
        my %h;
        foreach my $k (keys %$v) {
            if ($k eq 'font') { $h{$k} = $fonts->{$v->{$k}}; }
            else              { $h{$k} = with_fonts($v->{$k}, $fonts); }
        }
        return \%h;
    }
    if (ref $v eq 'ARRAY') {
        return [map { with_fonts($_, $fonts) } @$v];
    }
    return $v;
}

sub copy_data {
    my ($data) = @_;
    return [map { [@$_] } @$data];
}

sub measure {
    # the height PDF::Table gives each row, from a dry run of the same table on a scratch document
    my ($b) = @_;
    my $pdf = $ENGINE->new();
    my %f = fonts_for($pdf);
    my $page = $pdf->page();
    $page->mediabox(W(), 20000);
    my %h;
    my $props = with_fonts($b->{'props'}, \%f);
    my $tab = PDF::Table->new();
    $tab->table(
        $pdf, $page, copy_data($b->{'data'}), %$props,
        x => $b->{'x'}, w => $b->{'w'}, y => 19990, h => 19980,
        cell_render_hook => sub {
            my ($pg, $first, $row, $col, $x, $y, $w, $hh) = @_;
            $h{$row} = $hh if !defined $h{$row} or $hh > $h{$row};
        },
    );
    return [map { $h{$_} } 0 .. $#{$b->{'data'}}];
}

sub table_block {
    my ($b) = @_;
    my $props = with_fonts($b->{'props'}, \%FONTS);
    my @w0 = @WARN;
    my $heights;
    if ($b->{'keep_rows'}) {
        $heights = measure($b);
        my $rp = $props->{'row_props'} || [];
        for my $i (0 .. $#$heights) {
            $rp->[$i] = {%{$rp->[$i] || {}}, min_rh => $heights->[$i] + 0.5};
        }
        $props->{'row_props'} = $rp;
        $props->{'header_props'}{'min_rh'} = $heights->[0] + 0.5 if $props->{'header_props'};
    }
    my $bottom = $b->{'bottom'};    # PDF y of the lowest table edge (the bottom margin)
    my $title = $b->{'title'};
    my $th = $title ? $title->{'size'} * 1.6 + 4 : 0;
    my $top = $b->{'top'};                  # from the page top, continuation pages
    if ($b->{'flow'}) {
        my $need = $th + ($heights ? $heights->[0] + ($heights->[1] || 0) : 60);
        new_page(1) if $Y - $need < $bottom;
    }
    else {
        $Y = H() - $b->{'y'};
    }
    if ($title) {
        put_text($PAGE, $b->{'x'}, H() - $Y + $title->{'size'}, $title->{'s'}, $title->{'size'}, $title->{'font'},
            $title->{'color'});
        $Y -= $th;
    }
    my $ct = $b->{'cont_title'};
    my $next_y = H() - $top - ($ct ? $ct->{'size'} * 1.6 + 4 : 0);
    my $tab = PDF::Table->new();
    my ($page, $pages, $final_y) = $tab->table(
        $PDF, $PAGE, copy_data($b->{'data'}), %$props,
        x => $b->{'x'}, w => $b->{'w'}, y => $Y, h => $Y - $bottom,
        next_y => $next_y, next_h => $next_y - $bottom,
        new_page_func => sub {
            my $p = new_page(1);
            put_text($p, $b->{'x'}, $top + $ct->{'size'}, $ct->{'s'}, $ct->{'size'}, $ct->{'font'}, $ct->{'color'})
                if $ct;
            return $p;
        },
    );
    $PAGE = $page;
    $Y = $final_y - ($b->{'gap'} || 0);
    my @w = @WARN[scalar(@w0) .. $#WARN];
    return {pages => $pages, final_y => $final_y, warnings => \@w, heights => $heights};
}

sub run {
    $ENGINE = $JOB->{'engine'};
    eval "require $ENGINE" or die $@;
    if ($ENGINE eq 'PDF::API2') { $PDF = $ENGINE->new(compress => $JOB->{'compress'} ? 1 : 0); }
    else                        { $PDF = $ENGINE->new(compress => $JOB->{'compress'} ? 'flate' : 'none'); }
    %FONTS = fonts_for($PDF);
    my @tables;
    foreach my $b (@{$JOB->{'blocks'}}) {
        my $t = $b->{'t'};
        if ($t eq 'page') { new_page($b->{'furniture'}); }
        elsif ($t eq 'text') {
            put_text($PAGE, $b->{'x'}, $b->{'y'}, $b->{'s'}, $b->{'size'}, $b->{'font'}, $b->{'color'}, $b->{'align'});
        }
        elsif ($t eq 'fill') {
            my $g = $PAGE->gfx();
            $g->fillcolor($b->{'color'});
            $g->rect($b->{'x'}, H() - $b->{'y'} - $b->{'h'}, $b->{'w'}, $b->{'h'});
            $g->fill();
        }
        elsif ($t eq 'table') { push @tables, table_block($b); }
    }
    my $f = $JOB->{'furniture'};
    if ($f->{'footer'} and $f->{'footer_pass'} eq 'second') {
        # page numbers once the count is known: each numbered page opened again
        foreach my $n (@FOOTED) { foot($PDF->openpage($n), $n, $NPAGES); }
    }
    $PDF->info(%{$JOB->{'info'}}) if $JOB->{'info'};
    $PDF->saveas($JOB->{'out'});
    $PDF->end();
    open(my $fh, '>:raw', $JOB->{'report'}) or die $!;
    print $fh JSON::PP->new->utf8->canonical->encode({tables => \@tables, pages => $NPAGES, warnings => \@WARN});
    close($fh);
}

$JOB = slurp($ARGV[0]);
run();
