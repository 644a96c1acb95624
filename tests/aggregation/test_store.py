"""Storing a run's results: rows written straight from the frames, without model objects."""

from __future__ import annotations

import pandas as pd
import pytest

from aggregation import services
from aggregation.compute import compute_results
from aggregation.models import AggregationRun, AppendixCell, ShareRow
from aggregation.rules.appendix import APPENDIX_COLUMNS
from aggregation.rules.previous import PREVIOUS_SHARE_COLUMNS
from aggregation.rules.shares import SHARE_COLUMNS
from aggregation.services import APPENDIX_FIELDS, SHARE_FIELDS
from tests.aggregation.test_aggregation_run import submit

pytestmark = pytest.mark.django_db


def _stored_fields(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if not f.primary_key}


def test_every_column_of_the_result_tables_is_written():
    assert {"run", *APPENDIX_FIELDS} == _stored_fields(AppendixCell)
    assert {"run", *SHARE_FIELDS} == _stored_fields(ShareRow)
    assert {column for column, _ in APPENDIX_FIELDS.values()} == set(APPENDIX_COLUMNS)
    assert {column for column, _ in SHARE_FIELDS.values()} == {
        *SHARE_COLUMNS,
        *PREVIOUS_SHARE_COLUMNS,
    }


def test_missing_texts_are_stored_empty_and_a_missing_percent_as_null(cycle_2024):
    run = AggregationRun.objects.create(questionnaire=cycle_2024["region"])
    appendix = pd.DataFrame(
        {
            "question": ["1", "1"],
            "item": [None, float("nan")],
            "organisation": ["Riket", "Region Stockholm"],
            "organisation_code": ["SE", "01"],
            "value": ["1 600 000", pd.NA],
            "position": pd.array([0, 1], dtype="int64"),
        }
    )
    shares = pd.DataFrame(
        {
            "question": ["2", "2"],
            "item": ["", "Barn"],
            "option": ["Ja", "Nej"],
            "level": ["riket", "county"],
            "unit": ["SE", "01"],
            "counted": ["regions", "regions"],
            "count": pd.array([19, 0], dtype="int64"),
            "denominator": pd.array([21, 0], dtype="int64"),
            "percent": pd.array([90, None], dtype="Int64"),
            "position": pd.array([0, 1], dtype="int64"),
            "source": ["answers", None],
            "municipalities": pd.array([None, 3], dtype="Int64"),
        }
    )

    services._insert_rows(services._appendix_rows(run, appendix))
    services._insert_rows(services._share_rows(run, shares))

    assert list(
        run.appendix_cells.order_by("position").values_list(
            "question_code", "item", "organisation", "organisation_code", "value"
        )
    ) == [
        ("1", "", "Riket", "SE", "1 600 000"),
        ("1", "", "Region Stockholm", "01", ""),
    ]
    assert list(
        run.share_rows.order_by("position").values_list(
            "item",
            "option",
            "level",
            "unit",
            "count",
            "denominator",
            "percent",
            "source",
            "municipalities",
        )
    ) == [
        ("", "Ja", "riket", "SE", 19, 21, 90, "answers", None),
        ("Barn", "Nej", "county", "01", 0, 0, None, "", 3),
    ]


def test_an_empty_frame_writes_nothing(cycle_2024):
    run = AggregationRun.objects.create(questionnaire=cycle_2024["region"])

    services._insert_rows(
        services._appendix_rows(run, pd.DataFrame(columns=APPENDIX_COLUMNS))
    )

    assert not AppendixCell.objects.filter(run=run).exists()


def test_the_stored_rows_are_the_computed_results(
    cycle_2024, staff, django_capture_on_commit_callbacks
):
    region = cycle_2024["region"]
    with django_capture_on_commit_callbacks(execute=True):
        submit(region, "01", staff, **{"2": "Ja"})
        submit(region, "03", staff, **{"2": "Nej"})
    run = AggregationRun.objects.get(questionnaire=region, is_current=True)
    results = compute_results(questionnaire=region)

    appendix = pd.DataFrame.from_records(
        list(run.appendix_cells.order_by("position").values_list(*APPENDIX_FIELDS)),
        columns=APPENDIX_COLUMNS,
    )
    shares = pd.DataFrame.from_records(
        list(
            run.share_rows.order_by("position").values_list(
                *(f for f, (c, _) in SHARE_FIELDS.items() if c in SHARE_COLUMNS)
            )
        ),
        columns=SHARE_COLUMNS,
    )
    assert len(appendix) > 100 and len(shares) > 100
    expected_appendix = results.appendix.fillna("").astype({"position": "int64"})
    pd.testing.assert_frame_equal(
        appendix, expected_appendix, check_dtype=False, check_index_type=False
    )
    expected_shares = results.shares[SHARE_COLUMNS].astype(
        {c: "int64" for c in ("count", "denominator", "position")}
    )
    assert shares.drop(columns="percent").to_dict("records") == (
        expected_shares.drop(columns="percent").to_dict("records")
    )
    assert [None if pd.isna(p) else int(p) for p in shares["percent"]] == [
        None if pd.isna(p) else int(p) for p in expected_shares["percent"]
    ]
