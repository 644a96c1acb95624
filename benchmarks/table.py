"""The benchmark's printed tables: each figure beside its baseline and their ratio."""

from __future__ import annotations

import itertools

from benchmarks.runner import AggregationResult, Figure, Report
from surveys.numbers import format_thousands

MIB = 1024 * 1024
AGGREGATION_TARGET = 2.0
# The whole run's target holds from this size of the national frame up.
AGGREGATION_TARGET_FROM = 10
# Growth of the whole run's time: at most proportional to the data (10 per 10×).
GROWTH_TARGET = 10.0
PDF_TARGET = 1.2
# The section page and the draft save against the trivial view of the same run.
PAGE_RPS_TARGET = 0.25
PAGE_P95_TARGET = 3.0
SAVE_RPS_TARGET = 0.10


def _grid(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(str(cell)) for cell in column)
        for column in zip(headers, *rows, strict=True)
    ]
    lines = []
    for index, row in enumerate([headers, *rows]):
        cells = [
            str(cell).ljust(width) if position < 2 else str(cell).rjust(width)
            for position, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _mib(value: int) -> str:
    return f"{value / MIB:.0f}"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}" if base > 0 else "-"


def _rate(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _number(value: int) -> str:
    return format_thousands(value)


def aggregation_lines(report: Report) -> list[str]:
    options = report.options
    lines = [
        "Aggregation of the 2024 region questionnaire (54 questions), every "
        "organisation submitted",
        f"time: median of {options.repeat} run(s), each in a fresh process; memory: "
        "peak resident set growth (MiB), largest of the runs",
        "baseline: one SQL query + pandas groupby; compute: compute_results; "
        "run: aggregation_run_execute (compute + store + swap)",
        "",
    ]
    headers = [
        "database",
        "size",
        "orgs",
        "answers",
        "base s",
        "base MiB",
        "compute s",
        "compute MiB",
        "compute ×base",
        "run s",
        "run MiB",
        "run ×base",
        "target",
        "result",
    ]
    rows = []
    for result in report.aggregation:
        base, compute, run = (
            result.figures["baseline"],
            result.figures["compute"],
            result.figures["run"],
        )
        rows.append(
            [
                result.engine,
                f"{result.size}×",
                _number(result.organisations),
                _number(result.answers),
                _seconds(base.median_seconds),
                _mib(base.peak),
                _seconds(compute.median_seconds),
                _mib(compute.peak),
                _ratio(compute.median_seconds, base.median_seconds),
                _seconds(run.median_seconds),
                _mib(run.peak),
                _ratio(run.median_seconds, base.median_seconds),
                f"≤ {AGGREGATION_TARGET:g}",
                _verdict(run.median_seconds <= AGGREGATION_TARGET * base.median_seconds)
                if result.size >= AGGREGATION_TARGET_FROM
                else "-",
            ]
        )
    lines += _grid(headers, rows)
    lines.append(
        f"result: the whole run ≤ {AGGREGATION_TARGET:g}× the baseline, from "
        f"{AGGREGATION_TARGET_FROM}× up (PASS or FAIL)"
    )
    growth = _growth_rows(report)
    if growth:
        lines += [
            "",
            "Growth of the time from one size to the next; target for the run: at most "
            f"the growth of the data ({GROWTH_TARGET:g} per 10×)",
        ]
        lines += _grid(
            ["database", "step", "baseline", "compute", "run", "target", "result"],
            growth,
        )
    lines += ["", *_aggregation_summary(report)]
    return lines


def _verdict(met: bool) -> str:
    return "PASS" if met else "FAIL"


def _aggregation_summary(report: Report) -> list[str]:
    """Each aggregation target once, with its figure and PASS or FAIL; the load."""
    lines = ["Aggregation targets"]
    for result in report.aggregation:
        if result.size < AGGREGATION_TARGET_FROM:
            continue
        base = result.figures["baseline"].median_seconds
        run = result.figures["run"].median_seconds
        lines.append(
            f"  {result.engine} {result.size}×: whole run "
            f"{_ratio(run, base)} × baseline, target ≤ {AGGREGATION_TARGET:g}: "
            f"{_verdict(base > 0 and run <= AGGREGATION_TARGET * base)}"
        )
    for engine, smaller, larger in _steps(report):
        factor = larger.size / smaller.size
        growth = (
            larger.figures["run"].median_seconds / smaller.figures["run"].median_seconds
        )
        lines.append(
            f"  {engine} {smaller.size}× → {larger.size}×: whole run grew "
            f"{growth:.2f}×, target ≤ {factor:g}: {_verdict(growth <= factor)}"
        )
    lines.append(
        "  1-minute load average at the start and the end: "
        + " / ".join(f"{value:.1f}" for value in report.load)
        + f" ({report.machine.get('cores', '?')} cores)"
    )
    return lines


def _steps(report: Report) -> list[tuple[str, AggregationResult, AggregationResult]]:
    """(engine, smaller, larger) for each pair of consecutive sizes measured."""
    by_engine: dict[str, list[AggregationResult]] = {}
    for result in report.aggregation:
        by_engine.setdefault(result.engine, []).append(result)
    return [
        (engine, smaller, larger)
        for engine, results in by_engine.items()
        for smaller, larger in itertools.pairwise(sorted(results, key=lambda r: r.size))
    ]


def _growth_rows(report: Report) -> list[list[str]]:
    rows = []
    for engine, smaller, larger in _steps(report):
        factor = larger.size / smaller.size
        run_growth = (
            larger.figures["run"].median_seconds / smaller.figures["run"].median_seconds
        )
        rows.append(
            [
                engine,
                f"{smaller.size}× → {larger.size}×",
                *(
                    _ratio(
                        larger.figures[kind].median_seconds,
                        smaller.figures[kind].median_seconds,
                    )
                    for kind in ("baseline", "compute", "run")
                ),
                f"≤ {factor:g}",
                _verdict(run_growth <= factor),
            ]
        )
    return rows


def web_lines(report: Report) -> list[str]:
    options = report.options
    if not report.web:
        return []
    facts = next(iter(report.web.values()))["prepared"]
    lines = [
        f"Web: gunicorn on loopback, {options.web_workers} sync workers, 20 concurrent "
        f"clients, {options.web_seconds:g} s per scenario after {options.web_warmup:g} s "
        "of warm-up",
        f"page: the {facts['sections']} section pages of the region questionnaire "
        f"({facts['questions']} questions) in turn; save: the largest section "
        f"({facts['largest_questions']} questions) as a draft, up to its redirect",
        "",
    ]
    headers = [
        "database",
        "scenario",
        "req/s",
        "p50 ms",
        "p95 ms",
        "errors",
        "req/s ÷ trivial",
        "p95 × trivial",
    ]
    rows = []
    names = {
        "trivial": "trivial view",
        "page": "section page",
        "save": "draft save",
    }
    for engine, results in report.web.items():
        trivial = results["trivial"]
        for scenario, name in names.items():
            measured = results[scenario]
            rows.append(
                [
                    engine,
                    name,
                    _rate(measured["rps"]),
                    f"{measured['p50_ms']:.0f}",
                    f"{measured['p95_ms']:.0f}",
                    str(measured["errors"]),
                    _ratio(measured["rps"], trivial["rps"]),
                    _ratio(measured["p95_ms"], trivial["p95_ms"]),
                ]
            )
    lines += _grid(headers, rows)
    lines += ["", "Web targets (ratios to the trivial view of the same run)"]
    lines += _grid(
        ["database", "figure", "measured", "target", "result"],
        [row for results in report.web.items() for row in web_target_rows(*results)],
    )
    for engine, results in report.web.items():
        load = results.get("load") or []
        if load:
            lines.append(
                f"{engine}: load average (1 min) at the start and the end of the web "
                "part: " + " / ".join(f"{value:.1f}" for value in load)
            )
    for engine, results in report.web.items():
        for error, count in sorted(results.get("server_errors", {}).items()):
            lines.append(f"{engine}: {count} server errors: {error}")
    return lines


def web_target_rows(engine: str, results: dict) -> list[list[str]]:
    """Each web figure of one database beside its target, and whether it meets it."""
    trivial, page, save = results["trivial"], results["page"], results["save"]
    rows = []
    checks = [
        ("section page req/s ÷ trivial", page["rps"], trivial["rps"], PAGE_RPS_TARGET),
        ("draft save req/s ÷ trivial", save["rps"], trivial["rps"], SAVE_RPS_TARGET),
    ]
    for name, value, base, target in checks:
        ratio = value / base if base > 0 else 0.0
        rows.append(
            [
                engine,
                name,
                f"{100 * ratio:.1f} %",
                f"≥ {100 * target:g} %",
                _verdict(base > 0 and ratio >= target),
            ]
        )
    p95 = page["p95_ms"] / trivial["p95_ms"] if trivial["p95_ms"] > 0 else float("inf")
    rows.append(
        [
            engine,
            "section page p95 × trivial",
            f"{p95:.2f}",
            f"≤ {PAGE_P95_TARGET:g}",
            _verdict(p95 <= PAGE_P95_TARGET),
        ]
    )
    return rows


def pdf_lines(report: Report) -> list[str]:
    if report.options.skip_pdf:
        return []
    if report.pdf_missing:
        return [f"PDF: not measured ({report.pdf_missing})."]
    lines = [
        "Appendix PDF of the 21 regions: reports.documents.appendix.appendix_pdf against "
        "WeasyPrint rendering the same HTML (appendix_html, built beforehand)",
        "",
    ]
    rows = []
    for engine, result in report.pdf.items():
        figures: dict[str, Figure] = result["figures"]
        app, base = figures["appendix_pdf"], figures["weasyprint"]
        rows.append(
            [
                engine,
                f"{result['prepared'].get('pages', '-')} pages",
                _seconds(base.median_seconds),
                _mib(base.peak),
                _seconds(app.median_seconds),
                _mib(app.peak),
                _ratio(app.median_seconds, base.median_seconds),
                f"≤ {PDF_TARGET:g}",
            ]
        )
    headers = [
        "database",
        "document",
        "weasyprint s",
        "weasyprint MiB",
        "app s",
        "app MiB",
        "app ×base",
        "target",
    ]
    return lines + _grid(headers, rows)


def render(report: Report) -> str:
    facts = report.machine
    lines = [
        f"Machine: {facts.get('cpu', '?')}, {facts.get('cores', '?')} cores, "
        f"{facts.get('memory', '?')}; {facts.get('system', '?')}; "
        f"Python {facts.get('python', '?')}",
        f"Databases: {', '.join(report.versions.values())}",
        "Load average (1 min) at the start and the end: "
        + " / ".join(f"{value:.1f}" for value in report.load),
        "",
    ]
    if report.aggregation:
        lines += aggregation_lines(report)
    for part in (web_lines(report), pdf_lines(report)):
        if part:
            lines += ["", *part]
    return "\n".join(lines) + "\n"
