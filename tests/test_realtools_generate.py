"""The evaluation-set generator stops, with a reason, when a producer cannot render anything."""

from __future__ import annotations

import pytest

from tests.realtools import generate


def test_a_producer_that_renders_nothing_stops_the_draw(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    calls = []
    monkeypatch.setattr(generate, "_one", lambda *args: calls.append(args[2]))
    with pytest.raises(SystemExit, match="in a row failed to render"):
        generate.main(["--family", "more69", "--count", "3", "--seed", "1", "--out", str(tmp_path)])
    assert len(calls) == generate.MAX_FAILED_IN_A_ROW


def test_a_deck_that_renders_resets_the_count_of_failures(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    results = iter([None] * (generate.MAX_FAILED_IN_A_ROW - 1) + [{"kpis": 1, "pages": 1, "problems": []}] * 2)
    monkeypatch.setattr(generate, "_one", lambda *args: next(results))
    assert generate.main(["--family", "more69", "--count", "2", "--seed", "1", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "manifest.json").exists()
