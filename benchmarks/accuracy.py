"""Extraction accuracy per deck folder, in-process and in parallel: the figures score.py gives,
without building a warehouse. For iterating on the extractor.

    python benchmarks/accuracy.py DIR [DIR ...] [--verbose] [--jobs N]

Each DIR holds decks with `<stem>.truth.json` beside them (schema: tests/corpus). Prints per folder
`exact` (truth KPIs read exactly, in decks that would be published), `trust` (exact among the KPIs
of decks that would be published: parsed and without ERROR findings), `fields_wrong` (published
decks whose office, plan year or map date differs from the truth: no KPI counts it, but it files
the deck under another identity or dates it wrong) and the decks held back with their reasons;
--verbose lists every difference.
"""

from __future__ import annotations

import argparse
import logging
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from truth import deck_field_differences, kpi_differences, load_truth, parsed_kpis  # noqa: E402

from pipeline import RejectedDeck, parse_pdf  # noqa: E402


def score_deck(truth_path: Path) -> tuple[str, int, int, bool, str, list[str]]:
    """(deck, exact KPIs, truth KPIs, published, why held back, differences)."""
    truth = load_truth(truth_path)
    pdf = truth_path.with_name(truth_path.name.replace(".truth.json", ".pdf"))
    try:
        deck = parse_pdf(pdf)
    except RejectedDeck as exc:
        return pdf.name, 0, len(truth["kpis"]), False, f"rejected: {exc}", []
    except Exception as exc:  # noqa: BLE001 - a crash is a finding here, not a stop
        return pdf.name, 0, len(truth["kpis"]), False, f"CRASH {type(exc).__name__}: {exc}", []
    wrong = []
    wrong += [f"deck: {d}" for d in deck_field_differences(truth, deck)]
    themes = {t["code"]: t["name"] for t in truth["themes"]}
    got = {}
    for k in parsed_kpis(deck):
        got.setdefault(k["kpi_code"], k)
    exact = 0
    for want in truth["kpis"]:
        k = got.get(want["kpi_code"])
        if k is None:
            wrong.append(f"{want['kpi_code']} missing")
            continue
        diffs = kpi_differences(want, themes.get(want["theme_code"]), k, k["values"], k["plans"])
        exact += not diffs
        wrong += [f"{want['kpi_code']} {d}" for d in diffs]
    extra = sorted(set(got) - {k["kpi_code"] for k in truth["kpis"]}, key=str)
    if extra:
        wrong.append(f"KPIs not in the truth: {extra}")
    errors = [f"{f.check}: {f.detail}" for f in getattr(deck, "errors", [])]
    held = "quarantined: " + "; ".join(errors) if errors else ""
    return pdf.name, exact, len(truth["kpis"]), not errors, held, wrong


def main() -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    with ProcessPoolExecutor(args.jobs) as pool:
        for folder in args.folders:
            results = list(pool.map(score_deck, sorted(folder.glob("*.truth.json"))))
            exact = sum(r[1] for r in results if r[3])  # as score.py: a deck held back counts nothing
            total = sum(r[2] for r in results)
            pub_exact = sum(r[1] for r in results if r[3])
            pub_total = sum(r[2] for r in results if r[3])
            for name, ok, n, _published, held, wrong in results:
                if held or wrong:
                    print(f"  {name}: {ok}/{n} {held}")
                    for w in wrong if args.verbose else []:
                        print(f"      {w}")
            trust = pub_exact / pub_total if pub_total else 1.0
            published = sum(r[3] for r in results)
            fields = sum(r[3] and any(w.startswith("deck:") for w in r[5]) for r in results)
            print(
                f"{folder}: exact={exact / max(total, 1):.4f} ({exact}/{total}) trust={trust:.4f} "
                f"published={published}/{len(results)} fields_wrong={fields}"
            )


if __name__ == "__main__":
    main()
