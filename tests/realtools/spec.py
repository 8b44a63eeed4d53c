"""Random but realistic deck content, seeded, with the exact truth JSON of the corpus schema.

An `Office` holds what stays fixed across plan years (org, KPIs, their yearly actuals, status notes), so
decks of one office for consecutive years repeat their actuals and keep kpi_key.  `Office.deck(year)`
gives a `Deck`: the printed text of every cell (radical lookalikes, full-width digits, comparators,
notes) next to its truth.  Renderers only print `Deck`; they never decide what the truth is, except the
page number, which they report from the PDF they produced.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from . import pools

PERSP_LETTER = {"顧客": "C", "內部流程": "P", "學習成長": "L", "財務": "F"}
BSC_ORDER = ["顧客", "內部流程", "學習成長", "財務"]
# lookalikes a font's text layer may print instead of the ideograph; truth always holds the ideograph
SUPPLEMENT = {"民": "\u2ea0", "長": "\u2ed1", "西": "\u2ec4", "青": "\u2ed8"}
KANGXI = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0x2F00, 0x2FD6)}
COMPAT = {"率": "\uf961", "利": "\uf9dd", "理": "\uf9e4", "數": "\uf969", "量": "\uf97e", "度": "\ufa01"}
FOLD = {v: k for k, v in SUPPLEMENT.items()}
FULLWIDTH = str.maketrans("0123456789%", "０１２３４５６７８９％")
LOWER_BETTER = {"wait_time", "petition_late", "doc_days", "household_err"}


def fold(text: str) -> str:
    """Map lookalikes back to ideographs (NFKC plus the Supplement radicals NFKC leaves alone)."""
    return unicodedata.normalize("NFKC", "".join(FOLD.get(c, c) for c in text))


@dataclass
class Value:
    """One value cell: `text` as printed (may hold '\\n' for a forced wrap) and its truth fields."""

    text: str
    year: int
    kind: str
    value: float | None = None
    unit: str | None = None
    comparator: str | None = None
    status: str = "reported"
    note: str | None = None

    def truth(self) -> dict:
        keys = ("year", "kind", "value", "unit", "comparator", "status", "note")
        return {k: getattr(self, k) for k in keys}


@dataclass
class Plan:
    code: str | None
    name: str
    shown: str


@dataclass
class Kpi:
    code: str
    name: str
    shown: str
    key: str
    values: list[Value]
    plans: list[Plan]
    weight: str = ""
    remark: str = ""
    method: str = ""
    page: int | None = None


@dataclass
class Objective:
    code: str
    name: str
    shown: str
    perspective: str
    kpis: list[Kpi]


@dataclass
class Theme:
    letter: str
    name: str
    shown: str
    objectives: list[Objective]


@dataclass
class Deck:
    """What one PDF shows; `style` holds presentation choices renderers may honour."""

    stem: str
    org: str
    short: str
    plan_year: int
    map_date: str
    profile: dict
    profile_lines: list[str]
    themes: list[Theme]
    style: dict = field(default_factory=dict)
    map_dated: bool = True  # False: the date printed elsewhere (the cover), none on the strategy map

    def kpis(self) -> list[tuple[Theme, Objective, Kpi]]:
        return [(t, o, k) for t in self.themes for o in t.objectives for k in o.kpis]

    def to_truth(self) -> dict:
        """The corpus truth JSON (shared/corpus/README.md); pages must have been set by the renderer."""
        kpis = []
        for t, o, k in self.kpis():
            if k.page is None:
                raise ValueError(f"{self.stem}: no page for {k.code}")
            kpis.append(
                {
                    "theme_code": t.letter,
                    "perspective": o.perspective,
                    "objective_code": o.code,
                    "objective_name": o.name,
                    "kpi_code": k.code,
                    "kpi_name": k.name,
                    "page": k.page,
                    "values": [v.truth() for v in k.values],
                    "action_plans": [{"code": p.code, "name": p.name} for p in k.plans],
                    "kpi_key": k.key,
                }
            )
        return {
            "file": f"{self.stem}.pdf",
            "org": self.org,
            "plan_year": self.plan_year,
            "map_date": self.map_date if self.map_dated else None,
            "profile": self.profile,
            "themes": [{"code": t.letter, "name": t.name} for t in self.themes],
            "kpis": kpis,
        }


def choose_style(rng: random.Random) -> dict:
    """Presentation choices shared by all renderers (each honours what its tool can do)."""
    return {
        "kpi_header": rng.choice(["KPI(關鍵績效指標)", "關鍵績效指標", "衡量指標"]),
        "obj_header": rng.choice(["策略目標", "策略性目標"]),
        "plan_header": rng.choice(["行動方案", "行動計畫"]),
        "year_header": rng.choice(["pre", "post", "two_row", "stacked"]),
        "extras": rng.sample(["權重", "備註", "衡量方式"], rng.choice([0, 0, 1, 1, 2])),
        "extras_pos": rng.choice(["end", "before_values", "after_kpi"]),
        "plans_first": rng.random() < 0.2,
        "persp_mode": rng.choice(["column", "rotated", "stacked", "band"]),
        "persp_label": rng.choice(["{p}構面", "{p}"]),
        "blank_cont": rng.random() < 0.5,
        "title_variant": rng.randrange(3),
        "cont_marker": rng.random() < 0.7,
        "radical_rate": rng.choice([0.0, 0.1, 0.3]),
        "compat_rate": rng.choice([0.0, 0.0, 0.2]),
        "fullwidth_digits": rng.random() < 0.15,
        "wrap_values": rng.random() < 0.3,
        "kpi_code_style": rng.choice(["newline", "fused", "space", "mixed"]),
        "plan_style": rng.choice(["lines", "fused", "code_own_line", "mixed"]),
        "uncoded_plans": rng.random() < 0.2,
        "rules": rng.choice(["grid", "grid", "hrules", "none", "zebra"]),
        "valign": rng.choice(["top", "middle"]),
        "halign": rng.choice(["left", "center"]),
        "font": rng.choice(["Noto Sans CJK TC", "Noto Serif CJK TC", "WenQuanYi Zen Hei", "AR PL UMing TW"]),
        "font_pt": rng.choice([7, 8, 9, 10]),
        "page": rng.choice(["4:3", "16:9", "A4L"]),
        "logo": rng.random() < 0.3,
        "watermark": rng.random() < 0.2,
        "max_rows": rng.choice([3, 4, 5, 6, 8]),
    }


class Office:
    """An organisation's scorecard across plan years: structure, actuals and notes fixed by one seed."""

    def __init__(
        self, seed: int, slug: str, org: tuple[str, str, str] | None = None, outside_taipei: bool = False
    ) -> None:
        rng = random.Random(seed)
        self.seed, self.slug = seed, slug
        choices = [o for o in pools.ORGS if not (outside_taipei and o[0] == "臺北市")]
        city, kind, names = rng.choice(choices)
        name = rng.choice(names)
        if org:
            city, kind, name = org
        self.kind = kind
        self.org, self.short, self.city = _org_name(city, kind, name)
        self.pct_decimals = rng.choice([0, 1, 1])
        self.thousands = rng.random() < 0.85
        self.pop = rng.randrange(20000, 330000)
        self.area = round(rng.uniform(5, 120), 2)
        self.li = rng.randrange(8, 60)
        self.lin = self.li * rng.randrange(10, 25)
        themes = rng.sample(pools.THEMES, rng.choice([2, 3, 3, 4]))
        letters = sorted(rng.sample("ABCDE", len(themes))) if rng.random() < 0.3 else list("ABCD"[: len(themes)])
        by_persp = {p: [t for t in pools.KPIS if t[1] == p] for p in BSC_ORDER}
        used: set[str] = set()
        objective_pool = {p: rng.sample(v, len(v)) for p, v in pools.OBJECTIVES.items()}
        self.tree = []  # (letter, theme, [(persp, objective, [template...])])
        for letter, theme in zip(letters, themes):
            persps = [p for p in BSC_ORDER if rng.random() < 0.75] or ["顧客", "內部流程"]
            if rng.random() < 0.2 and "財務" in persps:
                persps = ["財務"] + [p for p in persps if p != "財務"]
            objs = []
            for p in persps:
                for _ in range(rng.choice([1, 1, 2])):
                    if not objective_pool[p]:
                        break
                    oname = objective_pool[p].pop()
                    free = [t for t in by_persp[p] if t[0] not in used]
                    if not free:
                        continue
                    picks = rng.sample(free, min(len(free), rng.choice([1, 1, 2])))
                    used.update(t[0] for t in picks)
                    objs.append((p, oname, picks))
            self.tree.append((letter, theme, objs))
        self._fill(rng)

    def with_tree(self, tree: list[tuple[str, str, list[tuple[str, str, list[str]]]]]) -> Office:
        """Replace the random structure by a chosen one: [(letter, theme, [(persp, objective, [kpi key])])];
        per-KPI data are drawn again from the office seed.  Used for fixtures that need given KPIs."""
        by_key = {t[0]: t for t in pools.KPIS}
        self.tree = [(L, name, [(p, o, [by_key[k] for k in keys]) for p, o, keys in objs]) for L, name, objs in tree]
        self._fill(random.Random(self.seed + 1))
        return self

    def _fill(self, rng: random.Random) -> None:
        self.series = {t[0]: self._series(rng, t) for _, _, objs in self.tree for _, _, ts in objs for t in ts}
        self.intro = {k: (rng.randrange(103, 114) if rng.random() < 0.2 else 0) for k in self.series}
        self.units = {k: rng.random() < 0.8 for k in self.series}
        templates = [t for _, _, objs in self.tree for _, _, ts in objs for t in ts]
        self.plans = {t[0]: self._plans(rng, t[1]) for t in templates}
        self.cellnote = {}  # (key, year) -> ('na', note) | ('missing',) | ('note', text)
        for k in self.series:
            for y in range(100, 117):
                r = rng.random()
                if r < 0.05:
                    self.cellnote[(k, y)] = ("na", rng.choice(pools.NA_NOTES))
                elif r < 0.07:
                    self.cellnote[(k, y)] = ("missing",)
                elif r < 0.10:
                    self.cellnote[(k, y)] = ("note", rng.choice(pools.VALUE_NOTES))
        self.typo_year = rng.randrange(100, 117)

    @staticmethod
    def _series(rng: random.Random, t: tuple) -> dict[int, float]:
        _, _, _, kind, _, lo, hi = t
        x = rng.uniform(lo, hi)
        out = {}
        for y in range(100, 117):
            x = min(hi, max(lo, x + rng.uniform(-(hi - lo) / 6, (hi - lo) / 6)))
            out[y] = x
        return out

    def _plans(self, rng: random.Random, persp: str) -> list[str]:
        n = rng.choice([1, 1, 2, 2, 3])
        return [p.format(city=self.city) for p in rng.sample(pools.PLANS[persp], n)]

    def deck(self, year: int, stem: str, style: dict | None = None, style_seed: int | None = None) -> Deck:
        """The deck of plan year `year`; `style` overrides randomly chosen presentation choices."""
        rng = random.Random(style_seed if style_seed is not None else self.seed * 1000 + year)
        st = choose_style(rng)
        if "extras" not in (style or {}):  # drawn apart, so that the rest of a seed's deck stays as it was
            wording = random.Random(f"{style_seed}:{self.seed}:{year}:extras")
            st["extra_labels"] = {e: wording.choice(pools.EXTRA_WORDINGS[e]) for e in st["extras"]}
            st["numbered"] = wording.choice([None, None, None, *pools.NUMBERING_LABELS])
        st.update(style or {})
        ink = _Ink(rng, st)
        themes = []
        for letter, tname, objs in self.tree:
            objectives = []
            counters: dict[str, int] = {}
            for persp, oname, templates in objs:
                shown = [t for t in templates if not self.intro[t[0]] or self.intro[t[0]] <= year]
                if not shown:
                    continue
                pl = PERSP_LETTER[persp]
                counters[pl] = counters.get(pl, 0) + 1
                ocode = f"{letter}{pl}{counters[pl]}"
                kpis = [self._kpi(rng, st, ink, year, f"{ocode}.{i}", t) for i, t in enumerate(shown, 1)]
                objectives.append(Objective(ocode, oname, ink.names(oname), persp, kpis))
            if objectives:
                themes.append(Theme(letter, tname, ink.names(tname), objectives))
        month = rng.randrange(1, 4)
        as_of_m = rng.choice([12, 12, 6, 10])
        pop = self.pop + (year - 110) * rng.randrange(-900, 900)
        profile = {
            "area_km2": self.area,
            "population": pop,
            "population_as_of": f"{year - 1}-{as_of_m:02d}",
            "li_count": self.li,
            "lin_count": self.lin,
        }
        unit = "村" if self.kind == "鄉公所" else "里"
        pop_txt = f"{pop // 10000}萬{pop % 10000:,}人" if rng.random() < 0.3 and pop >= 10000 else f"{pop:,}人"
        lines = [
            f"地理位置：位於{self.city}{rng.choice(['東北部', '西南側', '中心地帶', '北端'])}",
            f"面積：{self.area}平方公里",
            f"人口：{pop_txt}（{year - 1}年{as_of_m}月止）",
            f"{unit}鄰數：{self.li}{unit}/{self.lin}鄰",
        ]
        return Deck(
            stem,
            self.org,
            self.short,
            year,
            f"{year}.{month:02d}.{rng.randrange(1, 29):02d}",
            profile,
            lines,
            themes,
            st,
        )

    def _kpi(self, rng: random.Random, st: dict, ink: _Ink, year: int, code: str, t: tuple) -> Kpi:
        key, persp, name, kind, unit, lo, hi = t
        values = [self._value(rng, st, key, kind, unit, y, "actual") for y in range(year - 3, year)]
        values.append(self._value(rng, st, key, kind, unit, year, "target"))
        plans = []
        if st["uncoded_plans"] and rng.random() < 0.3:
            n = self.plans[key][0]
            plans.append(Plan(None, n, ink.names(n)))
        else:
            for i, n in enumerate(self.plans[key], 1):
                plans.append(Plan(f"{code}.{i}", n, ink.names(n)))
        weight = f"{rng.choice([5, 10, 10, 15, 20])}%"
        return Kpi(
            code,
            name,
            ink.names(name),
            f"{self.slug}:{key}",
            values,
            plans,
            weight,
            rng.choice(pools.REMARKS),
            rng.choice(pools.MEASURES),
        )

    def _value(self, rng: random.Random, st: dict, key: str, kind: str, unit: str | None, y: int, vk: str) -> Value:
        intro = self.intro[key]
        if vk == "actual" and intro and y < intro:
            return Value("新指標不適用", y, vk, status="not_applicable", note="新指標")
        note = self.cellnote.get((key, y)) if vk == "actual" else None
        if note and note[0] == "na":
            typo = note[1] == "換屆" and y == self.typo_year
            return Value(f"{note[1] or ''}不適用{'用' if typo else ''}", y, vk, status="not_applicable", note=note[1])
        if note and note[0] == "missing":
            return Value("", y, vk, status="missing")
        x = self.series[key][y]
        if vk == "target":
            x = self.series[key][y - 1] * rng.uniform(0.98, 1.03)
        shown_unit = unit if self.units[key] or unit == "%" else None
        if kind == "pct":
            v = float(round(min(x, 100.0), self.pct_decimals))
            num = f"{v:.{self.pct_decimals}f}"
        elif kind == "dec":
            v = float(round(x, 1))
            num = f"{v:.1f}"
        else:
            v = float(round(x))
            num = f"{int(v):,}" if self.thousands else str(int(v))
        comp = None
        if vk == "target" and rng.random() < 0.35:
            comp = "<=" if key in LOWER_BETTER else ">="
        sym = {">=": rng.choice("≧≥"), "<=": rng.choice("≦≤")}.get(comp, "")
        text = f"{sym}{num}{shown_unit or ''}"
        vnote = None
        if note and note[0] == "note":
            vnote = note[1]
            text += rng.choice(["", " ", "\n"]) + f"({vnote})"
        if st["fullwidth_digits"]:
            text = text.translate(FULLWIDTH)
        if st["wrap_values"] and rng.random() < 0.12 and len(text) > 3 and "\n" not in text:
            cut = rng.randrange(2, len(text))
            text = text[:cut] + "\n" + text[cut:]
        return Value(text, y, vk, v, shown_unit, comp, "reported", vnote)


class _Ink:
    """Prints names the way a deck's text layer shows them: some ideographs as lookalikes."""

    def __init__(self, rng: random.Random, st: dict) -> None:
        self.rng, self.rad, self.comp = rng, st["radical_rate"], st["compat_rate"]

    def names(self, text: str) -> str:
        out = []
        for c in text:
            r = self.rng.random()
            if c in SUPPLEMENT and r < self.rad:
                out.append(SUPPLEMENT[c])
            elif c in KANGXI and r < self.rad:
                out.append(KANGXI[c])
            elif c in COMPAT and r < self.comp:
                out.append(COMPAT[c])
            else:
                out.append(c)
        return "".join(out)


def _org_name(city: str, kind: str, name: str) -> tuple[str, str, str]:
    """(org as printed on the title page, short name for a logo caption, city used in plan names)."""
    if kind == "區公所":
        return f"{city}{name}區公所", name, city
    if kind == "鄉公所":
        return f"{city}{name}鄉公所", name, city
    if kind == "戶政事務所":
        return f"{city}{name}戶政事務所", f"{name}戶政", city
    if kind == "縣政府":
        return f"{name}政府", name, name
    return f"{city}{name}{kind}", f"{name}{kind}", city.removesuffix("政府")
