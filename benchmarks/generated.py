"""Many distinct decks for scale benchmarks, drawn by tests/deckmaker.py and kept under /tmp.

`decks(n)` returns n deck files: 100 offices (臺北市第N區公所), ten plan years each, two theme tables
of three KPIs with values that differ from deck to deck, so every file is a distinct deck that a
correct parse reads whole. They are drawn once and kept in a folder named for the generator's
own code, so a change to it (or to deckmaker) draws them again.
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from deckmaker import Deck, Kpi, Table, build_deck  # noqa: E402

CACHE = Path("/tmp/scorecards-bench")


def _values(rng: random.Random, percent: bool) -> tuple[str, str, str, str]:
    if percent:
        return tuple(f"{rng.randint(60, 99)}%" for _ in range(4))
    return tuple(f"{rng.randint(1, 9)},{rng.randint(100, 999)}" for _ in range(4))


def deck_for(n: int) -> Deck:
    """The n-th deck: office n // 10, plan year 101 + n % 10."""
    rng = random.Random(n)
    plan_year = 101 + n % 10
    years = (plan_year - 3, plan_year - 2, plan_year - 1, plan_year)
    customers = [
        Kpi("顧客", "AC1提升服務品質", "AC1.1民眾滿意度", _values(rng, True), ("AC1.1.1辦理滿意度調查",)),
        Kpi("顧客", "AC1提升服務品質", "AC1.2平均等候時間", _values(rng, False), ("AC1.2.1增設服務窗口",)),
        Kpi("內部流程", "AP1精進行政效率", "AP1.1公文處理件數", _values(rng, False), ("AP1.1.1推動線上簽核",)),
    ]
    learning = [
        Kpi("顧客", "BC1推動社區參與", "BC1.1社區活動場次", _values(rng, False), ("BC1.1.1辦理社區活動",)),
        Kpi("學習成長", "BL1強化專業能力", "BL1.1同仁受訓比率", _values(rng, True), ("BL1.1.1開設專業課程",)),
        Kpi("學習成長", "BL1強化專業能力", "BL1.2數位學習時數", _values(rng, False), ("BL1.2.1推廣數位學習",)),
    ]
    return Deck(
        org=f"臺北市第{n // 10 + 1}區公所",
        map_date=f"{plan_year}.0{1 + n % 9}.{10 + n % 19}",
        pages=[
            [Table("策略主題：(A)精進服務品質", customers, years=years)],
            [Table("策略主題：(B)建構學習型組織", learning, years=years)],
        ],
    )


def _folder() -> Path:
    code = (Path(__file__).read_bytes(), (ROOT / "tests" / "deckmaker.py").read_bytes())
    return CACHE / f"decks-{hashlib.sha256(b''.join(code)).hexdigest()[:12]}"


def decks(count: int) -> list[Path]:
    """`count` distinct deck files (drawn the first time they are asked for)."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"gen-{n:04}.pdf"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            build_deck(deck_for(n), tmp)
            tmp.rename(path)
        paths.append(path)
    return paths
