"""Storing a run's results: rows written straight from the frames, without model objects."""

from __future__ import annotations

import pandas as pd
import pytest

from aggregation import services
from aggregation.compute import compute_results
from aggregation.models import (
    AggregationRun,
    AppendixCell,
    ShareRow,
    StoredAppendixTable,
)
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


def test_the_appendix_is_stored_as_one_row_per_table_and_read_back_cell_by_cell(
    cycle_2024,
):
    run = AggregationRun.objects.create(questionnaire=cycle_2024["region"])
    texts = ["1 516/3 350", 'a "quote"', "back\\slash", "Västra Götaland – Å", ""]
    appendix = pd.DataFrame(
        {
            "question": ["2", "2", "2", "7", "7"],
            "item": ["", "", "", "Barn", "Vuxna"],
            "organisation": ["Riket", "Region Stockholm", "Org/1", "Riket", "Riket"],
            "organisation_code": ["SE", "01", "B1", "SE", "SE"],
            "value": texts,
            "position": pd.array([0, 1, 2, 3, 4], dtype="int64"),
        }
    )

    services._insert_rows(services._appendix_rows(run, appendix))

    assert list(
        StoredAppendixTable.objects.filter(run=run).values_list(
            "question_code", flat=True
        )
    ) == ["2", "7"]
    assert list(
        run.appendix_cells.order_by("position").values_list(
            "question_code",
            "item",
            "organisation",
            "organisation_code",
            "value",
            "position",
        )
    ) == list(appendix.itertuples(index=False, name=None))
    assert run.appendix_cells.filter(question_code="7", item="Vuxna").get().value == ""
    pks = list(run.appendix_cells.values_list("pk", flat=True))
    assert len(set(pks)) == 5
    assert list(run.appendix_cells.values_list("pk", flat=True)) == pks


def test_deleting_a_run_deletes_its_appendix(cycle_2024):
    run = AggregationRun.objects.create(questionnaire=cycle_2024["region"])
    appendix = pd.DataFrame(
        {
            "question": ["2"],
            "item": [""],
            "organisation": ["Riket"],
            "organisation_code": ["SE"],
            "value": ["1/2"],
            "position": pd.array([0], dtype="int64"),
        }
    )
    services._insert_rows(services._appendix_rows(run, appendix))

    run.delete()

    assert not StoredAppendixTable.objects.exists()
    assert not AppendixCell.objects.exists()


def test_packed_cells_are_the_json_of_the_cells_each_value_encoded_alike():
    import json

    run = AggregationRun(pk=7)
    appendix = pd.DataFrame(
        {
            "question": ["1", "1", "1", "2", "1"],
            "item": ["", "Barn", None, "", ""],
            "organisation": ["Riket", 'Region "Öst"', "Sörmland\\", "Riket", "Grant"],
            "organisation_code": ["SE", "01", "04", "SE", 5],
            "value": ["1 600 000", pd.NA, "–", "3/4", "12 %"],
            "position": pd.array([0, 1, 2, 3, 4], dtype="int64"),
        }
    )

    stored = services._appendix_rows(run, appendix)

    expected = {
        "1": [
            ["", "Riket", "SE", "1 600 000", 0],
            ["Barn", 'Region "Öst"', "01", "", 1],
            ["", "Sörmland\\", "04", "–", 2],
            # A code seen again adds to its table; a number is stored as its text.
            ["", "Grant", "5", "12 %", 4],
        ],
        "2": [["", "Riket", "SE", "3/4", 3]],
    }
    assert [(row[0], row[1]) for row in stored.rows] == [(7, "1"), (7, "2")]
    for _run, code, cells in stored.rows:
        assert cells == json.dumps(
            expected[code], ensure_ascii=False, separators=(",", ":")
        )
