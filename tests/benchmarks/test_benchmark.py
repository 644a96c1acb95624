"""`manage.py benchmark` at a tiny size: it runs end to end and prints its table."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

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
        "--web-seconds=1",
        "--web-warmup=2",
        "--web-workers=2",
        stdout=out,
        stderr=io.StringIO(),
    )

    output = out.getvalue()
    assert "Databases: SQLite " in output
    aggregation = [row for row in rows_of(output, "sqlite") if row[1] in ("1×", "2×")]
    # database, size, orgs, answers, then base s, base MiB, compute s, compute MiB,
    # compute ×base, run s, run MiB, run ×base, target.
    assert [row[:3] for row in aggregation] == [
        ["sqlite", "1×", "30"],
        ["sqlite", "2×", "60"],
    ]
    for row in aggregation:
        assert int(row[3].replace(" ", "")) > 30 * 50  # answers of 30 or 60 responses
        for figure in row[4:12]:
            assert re.fullmatch(NUMBER, figure), row
        assert float(row[4]) > 0 and float(row[6]) > 0 and float(row[9]) > 0
        assert row[12] == "≤ 2"
    (growth,) = [row for row in rows_of(output, "sqlite") if row[1] == "1× → 2×"]
    assert all(re.fullmatch(NUMBER, figure) for figure in growth[2:5])

    web = {row[1]: row for row in rows_of(output, "sqlite") if len(row) == 8}
    assert set(web) == {"trivial view", "section page", "draft save"}
    for row in web.values():
        assert all(re.fullmatch(NUMBER, figure) for figure in row[2:6]), row
        assert float(row[4]) >= float(row[3])  # p95 >= p50
    assert float(web["trivial view"][2]) > 0
    assert web["trivial view"][6:8] == ["1.00", "1.00"]


@pytest.mark.parametrize(
    "arguments",
    [["--sizes=0"], ["--sizes=a"], ["--databases=oracle"], ["--repeat=0"]],
)
def test_the_benchmark_refuses_bad_options(arguments):
    with pytest.raises(CommandError):
        call_command("benchmark", *arguments, stdout=io.StringIO())
