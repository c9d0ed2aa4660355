"""Progress lines: each step's count, its rate across workers, and the time left."""

from __future__ import annotations

import io

import pytest

from presslens import progress
from presslens.progress import Reporter


def test_plain_lines_show_rate_and_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([100.0, 100.0, 110.0, 110.0, 130.0, 130.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    out = io.StringIO()
    reporter = Reporter(stream=out)
    reporter.update("quotes", 0, 100)
    reporter.update("quotes", 20, 100)  # 2 stories a second, 80 to go
    reporter.update("quotes", 100, 100)
    lines = out.getvalue().splitlines()
    assert lines[0] == "presslens: quotes: 0/100"
    assert lines[1] == "presslens: quotes: 20/100 (2.0/s, about 40s left)"
    assert lines[2] == "presslens: quotes: 100/100 (3.3/s)"


def test_quiet_prints_nothing() -> None:
    out = io.StringIO()
    Reporter(quiet=True, stream=out).update("read", 1, 2)
    assert out.getvalue() == ""
