"""`manage.py benchmark` at a tiny size: it runs end to end and prints its table."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from benchmarks import table
from benchmarks.runner import Options, Report

NUMBER = r"\d[\d ]*(?:\.\d+)?"


def rows_of(output: str, first: str) -> list[list[str]]:
    """The table rows that start with `first`, split on runs of two or more spaces."""
    return [
        re.split(r"\s{2,}", line.strip())
        for line in output.splitlines()
        if line.startswith(first + " ")
    ]


def test_the_benchmark_prints_aggregation_and_web_figures_beside_their_baselines():
    out = io.StringIO()

    call_command(
        "benchmark",
        "--sizes=1,2",
        "--databases=sqlite",
        "--frame=30",
        "--skip-pdf",
        # Long enough for requests to finish on a machine busy with other tests (a
        # 1-second window once measured none of the trivial view's).
        "--web-seconds=3",
        "--web-warmup=2",
        "--web-workers=2",
        stdout=out,
        stderr=io.StringIO(),
    )

    output = out.getvalue()
    assert "Databases: SQLite " in output
    aggregation = [row for row in rows_of(output, "sqlite") if row[1] in ("1×", "2×")]
    # database, size, orgs, answers, then base s, base MiB, compute s, compute MiB,
    # compute ×base, run s, run MiB, run ×base, target, result (judged from 10×).
    assert [row[:3] for row in aggregation] == [
        ["sqlite", "1×", "30"],
        ["sqlite", "2×", "60"],
    ]
    for row in aggregation:
        assert int(row[3].replace(" ", "")) > 30 * 50  # answers of 30 or 60 responses
        for figure in row[4:12]:
            assert re.fullmatch(NUMBER, figure), row
        assert float(row[4]) > 0 and float(row[6]) > 0 and float(row[9]) > 0
        assert row[12:] == ["≤ 2", "-"]
    (growth,) = [row for row in rows_of(output, "sqlite") if row[1] == "1× → 2×"]
    assert all(re.fullmatch(NUMBER, figure) for figure in growth[2:5])
    assert growth[5] == "≤ 2"
    assert growth[6] == ("PASS" if float(growth[4]) <= 2 else "FAIL")
    assert re.search(
        r"sqlite 1× → 2×: whole run grew \d+\.\d\d×, target ≤ 2: (PASS|FAIL)", output
    )
    assert re.search(
        rf"1-minute load average at the start and the end: {NUMBER} / {NUMBER}", output
    )

    web = {row[1]: row for row in rows_of(output, "sqlite") if len(row) == 8}
    assert set(web) == {"trivial view", "section page", "draft save"}
    for row in web.values():
        assert all(re.fullmatch(NUMBER, figure) for figure in row[2:6]), row
        assert float(row[4]) >= float(row[3])  # p95 >= p50
    assert float(web["trivial view"][2]) > 0
    assert web["trivial view"][6:8] == ["1.00", "1.00"]
    targets = {
        row[1]: row[2:]
        for row in rows_of(output, "sqlite")
        if len(row) == 5 and row[1].endswith(" trivial")
    }
    assert [target[1] for target in targets.values()] == ["≥ 25 %", "≥ 10 %", "≤ 3"]
    assert all(target[2] in ("PASS", "FAIL") for target in targets.values())
    assert re.search(r"sqlite: load average \(1 min\) .*: \d+\.\d / \d+\.\d", output)


def _report(*, page_rps: float, page_p95: float, save_rps: float) -> Report:
    """A run's report with the web figures only, the trivial view at 1000 req/s."""

    def figures(rps: float, p95: float) -> dict:
        return {"rps": rps, "p50_ms": p95 / 2, "p95_ms": p95, "errors": 0}

    report = Report(
        options=Options(sizes=[1], databases=["sqlite"], skip_aggregation=True),
        load=[1.5, 2.5],
    )
    report.web["sqlite"] = {
        "prepared": {
            "sections": 10,
            "questions": 54,
            "largest_section": 3,
            "largest_questions": 13,
        },
        "trivial": figures(1000, 20),
        "page": figures(page_rps, page_p95),
        "save": figures(save_rps, 200),
        "load": [1.2, 3.4],
    }
    return report


def test_the_web_figures_stand_beside_their_targets_with_pass_or_fail():
    passing = table.render(_report(page_rps=250, page_p95=60, save_rps=100))
    failing = table.render(_report(page_rps=249, page_p95=61, save_rps=99))

    def verdicts(output: str) -> dict[str, list[str]]:
        return {row[1]: row[2:] for row in rows_of(output, "sqlite") if len(row) == 5}

    assert verdicts(passing) == {
        "section page req/s ÷ trivial": ["25.0 %", "≥ 25 %", "PASS"],
        "draft save req/s ÷ trivial": ["10.0 %", "≥ 10 %", "PASS"],
        "section page p95 × trivial": ["3.00", "≤ 3", "PASS"],
    }
    assert verdicts(failing) == {
        "section page req/s ÷ trivial": ["24.9 %", "≥ 25 %", "FAIL"],
        "draft save req/s ÷ trivial": ["9.9 %", "≥ 10 %", "FAIL"],
        "section page p95 × trivial": ["3.05", "≤ 3", "FAIL"],
    }
    assert (
        "load average (1 min) at the start and the end of the web part: 1.2 / 3.4"
        in (passing)
    )
    # --skip-aggregation: no aggregation table, only the web part.
    assert "Aggregation of the 2024" not in passing


@pytest.mark.parametrize(
    "arguments",
    [["--sizes=0"], ["--sizes=a"], ["--databases=oracle"], ["--repeat=0"]],
)
def test_the_benchmark_refuses_bad_options(arguments):
    with pytest.raises(CommandError):
        call_command("benchmark", *arguments, stdout=io.StringIO())


def _result(engine: str, size: int, base: float, run: float):
    from benchmarks.runner import AggregationResult, Figure

    figures = {}
    for kind, seconds in (("baseline", base), ("compute", base), ("run", run)):
        figures[kind] = Figure()
        figures[kind].add({"seconds": seconds, "peak_bytes": 0, "rows": 1})
    return AggregationResult(engine, size, 335 * size, 29_000 * size, figures)


def test_the_aggregation_table_judges_the_whole_run_from_10x_and_its_growth():
    from benchmarks.runner import Options, Report
    from benchmarks.table import render

    report = Report(
        options=Options(sizes=[1, 10, 100], databases=["sqlite"]),
        aggregation=[
            _result("sqlite", 1, 0.1, 0.5),
            _result("sqlite", 10, 1.0, 1.9),
            _result("sqlite", 100, 10.0, 25.0),
        ],
        load=[1.5, 2.0],
        machine={"cores": "2"},
    )

    output = render(report)

    runs = {row[1]: row[11:] for row in rows_of(output, "sqlite") if len(row) == 14}
    assert runs == {
        "1×": ["5.00", "≤ 2", "-"],
        "10×": ["1.90", "≤ 2", "PASS"],
        "100×": ["2.50", "≤ 2", "FAIL"],
    }
    growth = {row[1]: row[4:] for row in rows_of(output, "sqlite") if len(row) == 7}
    assert growth == {
        "1× → 10×": ["3.80", "≤ 10", "PASS"],
        "10× → 100×": ["13.16", "≤ 10", "FAIL"],
    }
    assert "sqlite 10×: whole run 1.90 × baseline, target ≤ 2: PASS" in output
    assert "sqlite 100×: whole run 2.50 × baseline, target ≤ 2: FAIL" in output
    assert "sqlite 10× → 100×: whole run grew 13.16×, target ≤ 10: FAIL" in output
    assert (
        "1-minute load average at the start and the end: 1.5 / 2.0 (2 cores)" in output
    )
