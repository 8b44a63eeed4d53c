"""KPI identities across an office's decks: renumbered, reworded, retired, overridden."""

from pipeline.warehouse.lineage import KpiRef, Link, assign_keys


def _deck(year: int, *kpis: tuple[str, str, dict]) -> list[KpiRef]:
    return [KpiRef(f"d{year}", year, code, name, actuals) for code, name, actuals in kpis]


def test_renumbered_after_a_sibling_retires():
    old = _deck(
        112,
        ("BL2.1", "社交工程演練結果，未開啟信件率", {110: 91.0}),
        ("BL2.2", "社交工程演練結果，未點擊信件連結率", {110: 95.0}),
    )
    new = _deck(113, ("BL2.1", "社交工程演練結果，未點擊信件連結率", {110: 95.0, 111: 96.0}))
    keys = assign_keys(old + new)
    assert keys[("d113", "BL2.1")] == keys[("d112", "BL2.2")]
    assert keys[("d113", "BL2.1")] != keys[("d112", "BL2.1")]


def test_reworded_under_the_same_code():
    keys = assign_keys(
        _deck(111, ("BC1.1", "社區關懷據點服務人次", {110: 21195.0}))
        + _deck(112, ("BC1.1", "社區關懷據點服務人次(含共餐)", {110: 21195.0}))
    )
    assert keys[("d111", "BC1.1")] == keys[("d112", "BC1.1")]


def test_a_new_kpi_under_a_recycled_code_is_new():
    keys = assign_keys(_deck(111, ("AC3.1", "洽公民眾滿意度", {})) + _deck(112, ("AC3.1", "線上申辦案件數", {})))
    assert keys[("d111", "AC3.1")] != keys[("d112", "AC3.1")]


def test_two_kpis_of_one_deck_never_share_a_key():
    keys = assign_keys(
        _deck(111, ("AC1.1", "滿意度", {})) + _deck(112, ("AC1.1", "滿意度", {}), ("AC1.2", "滿意度", {}))
    )
    assert keys[("d112", "AC1.1")] != keys[("d112", "AC1.2")]
    assert keys[("d112", "AC1.1")] == keys[("d111", "AC1.1")]


def test_config_links_override_the_matcher():
    decks = _deck(111, ("AC1.1", "公民會館場地使用率", {})) + _deck(112, ("AC9.9", "會館租借效率", {}))
    assert assign_keys(decks)[("d112", "AC9.9")] != assign_keys(decks)[("d111", "AC1.1")]
    linked = assign_keys(decks, [Link(112, "AC9.9", (111, "AC1.1"))])
    assert linked[("d112", "AC9.9")] == linked[("d111", "AC1.1")]
    same = _deck(111, ("AC1.1", "滿意度", {})) + _deck(112, ("AC1.1", "滿意度", {}))
    cut = assign_keys(same, [Link(112, "AC1.1", None)])
    assert cut[("d112", "AC1.1")] != cut[("d111", "AC1.1")]
