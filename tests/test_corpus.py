"""The parser against the corpus decks copied into tests/corpus, field by field: the sample decks,
and tests/corpus/realtools, small decks made by the tools offices use, one per failure class of
unseen decks (their README and manifest say which class each covers); the files it must reject
(tests/corpus/bad), and the decks it must hold back, each by the check its manifest names
(tests/corpus/held)."""

import json

import pytest
from truth import CORPUS, deck_differences, deck_field_differences, deck_for, load_truth, parsed_kpis, truth_files

from pipeline.extract.parse import RejectedDeck, parse_pdf
from pipeline.model import Severity


@pytest.mark.parametrize("truth_path", truth_files("public", "public2", "realtools"), ids=lambda p: p.stem)
def test_deck_matches_truth(truth_path, parse_once):
    truth = load_truth(truth_path)
    deck = parse_once(deck_for(truth_path)).deck
    assert deck_field_differences(truth, deck) == []
    assert deck_differences(truth, parsed_kpis(deck)) == []
    assert [f for f in deck.findings if f.severity == Severity.ERROR] == [], "read right, so published"


@pytest.mark.parametrize(
    "entry", json.loads((CORPUS / "bad" / "manifest.json").read_text())["files"], ids=lambda e: e["file"]
)
def test_bad_files_are_rejected_with_a_reason(entry):
    with pytest.raises(RejectedDeck) as err:
        parse_pdf(CORPUS / "bad" / entry["file"])
    expected_words = {
        "truncated_pdf": "truncated",
        "not_a_scorecard": "no scorecard tables",
        "garbled_text_layer": "unreadable text layer",
    }[entry["kind"]]
    assert expected_words in str(err.value)


@pytest.mark.parametrize(
    "entry", json.loads((CORPUS / "held" / "manifest.json").read_text())["files"], ids=lambda e: e["file"]
)
def test_decks_read_short_are_held_back_by_their_check(entry):
    deck = parse_pdf(CORPUS / "held" / entry["file"])
    assert entry["check"] in {f.check for f in deck.findings if f.severity == Severity.ERROR}
