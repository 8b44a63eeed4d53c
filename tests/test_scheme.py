"""Perspectives the page left unclear, read from the deck's own code scheme."""

from __future__ import annotations

from pipeline.extract.scheme import code_scheme, fill_unread_perspectives, letter_perspectives
from pipeline.model import Kpi


def _kpi(code: str, perspective: str | None, theme: str = "A") -> Kpi:
    return Kpi(theme, "主題", perspective, code[:3], "目標", code, "指標", page=3)


def _deck() -> list[Kpi]:
    return [
        _kpi("AC1.1", "顧客"),
        _kpi("AC1.2", "顧客"),
        _kpi("AP1.1", "內部流程"),
        _kpi("AP1.2", "內部流程"),
        _kpi("AP2.1", "內部流程"),
        _kpi("AF1.1", "財務"),  # one KPI: too few to tie F to 財務
    ]


def test_letters_tied_to_one_perspective_by_at_least_two_kpis():
    assert code_scheme(_deck()) == {"C": "顧客", "P": "內部流程"}


def test_a_letter_read_under_two_perspectives_alike_names_neither():
    kpis = [*_deck(), _kpi("AP3.1", "顧客"), _kpi("AP3.2", "顧客")]
    assert code_scheme(kpis)["P"] == "內部流程", "3 of 5 is the share"
    kpis.append(_kpi("AP3.3", "顧客"))
    assert "P" not in code_scheme(kpis), "3 of 6 is not"


def test_two_letters_naming_one_perspective_name_none():
    kpis = [_kpi("AC1.1", "顧客"), _kpi("AC1.2", "顧客"), _kpi("AX1.1", "顧客"), _kpi("AX1.2", "顧客")]
    assert code_scheme(kpis) == {}


def test_unread_and_neighbouring_labels_are_set_by_the_scheme():
    kpis = _deck()
    kpis.insert(2, _kpi("AC1.3", None))  # a blank cell on a continued page
    kpis.insert(3, _kpi("AC1.4", "內部流程"))  # the next block's label, at the edge of two blocks
    kpis.insert(4, _kpi("AP1.3", "構"))  # a label read in pieces
    fill_unread_perspectives(kpis)
    assert [k.perspective for k in kpis[2:5]] == ["顧客", "顧客", "內部流程"]


def test_a_disagreement_away_from_the_block_edge_is_left_for_the_checks():
    kpis = [*_deck(), _kpi("AF1.2", "財務"), _kpi("AF1.3", "財務"), _kpi("AC2.1", "財務")]
    kpis.append(_kpi("AF1.4", "財務"))
    fill_unread_perspectives(kpis)
    assert kpis[-2].perspective == "財務", "a KPI read under a label no neighbour has stays as read"


def test_a_label_read_in_part_is_the_one_name_its_letters_belong_to():
    """A stacked label clipped by its cell shows '習成'; no code scheme settles it (one L KPI)."""
    kpis = [_kpi("EP1.1", "內部流學程"), _kpi("EL1.1", "習成"), _kpi("EC1.1", "客")]
    fill_unread_perspectives(kpis)
    assert [k.perspective for k in kpis] == ["內部流學程", "學習成長", "客"], (
        "letters of two names, or one letter: as read"
    )


def test_the_last_kpi_of_a_theme_given_its_neighbour_s_label_takes_its_own():
    """EF1.1, alone in its block at the end of the theme, shows the label of the block above it
    (its own 財務 label fell outside the table); the letter F names 財務 in this deck."""
    kpis = [*_deck(), _kpi("BF1.1", "財務"), _kpi("EP1.1", "內部流程", "E"), _kpi("EF1.1", "內部流程", "E")]
    fill_unread_perspectives(kpis)
    assert kpis[-1].perspective == "財務" and kpis[-2].perspective == "內部流程"


def test_a_deck_lettered_by_the_initials_names_the_letters_its_own_kpis_do_not_tie():
    """AF1.1 is the deck's one F KPI, too few to tie F to 財務 by the deck alone; its other KPIs
    bear their perspectives' initials, so F is 財務's (and L 學習成長's). A deck lettered
    otherwise gets no initials."""
    assert letter_perspectives(_deck()) == {"C": "顧客", "P": "內部流程", "L": "學習成長", "F": "財務"}
    other = [_kpi("AA1.1", "顧客"), _kpi("AA1.2", "顧客"), _kpi("AB1.1", "內部流程"), _kpi("AB1.2", "內部流程")]
    assert letter_perspectives(other) == {"A": "顧客", "B": "內部流程"}


def test_a_label_carried_on_over_a_blank_cell_into_the_next_block_is_set_by_the_initials():
    """BF1.1's 財務 label is not printed (Apache POI's HSLF renderer lost it): the 學習成長 label
    of the block above carried on over its blank cell. F is the initial of 財務."""
    kpis = [*_deck()[:5], _kpi("BL1.1", "學習成長"), _kpi("BL1.2", "學習成長"), _kpi("BF1.1", "學習成長")]
    fill_unread_perspectives(kpis)
    assert [k.perspective for k in kpis[-3:]] == ["學習成長", "學習成長", "財務"]
