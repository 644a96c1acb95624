"""Writes of reference data."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from regions.models import County, Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"

REGION_COLUMNS = [
    "county_code",
    "county",
    "short_name",
    "organisation",
    "population_approx",
]
RSS_COLUMNS = ["rss_code", "name", "county_code"]
MUNICIPALITY_COLUMNS = ["municipality_code", "municipality", "county_code", "rss_code"]


@dataclass
class LoadReport:
    """What a load created, updated and left unchanged, per kind."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, kind: str) -> None:
        target = getattr(self, bucket)
        target[kind] = target.get(kind, 0) + 1


def _read_csv(
    path: Path, columns: list[str], errors: list[str]
) -> list[tuple[int, dict]]:
    """Rows of a CSV file with their line numbers; missing columns go to errors."""
    if not path.exists():
        errors.append(f"{path.name}: file not found in {path.parent}")
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(f"{path.name}: missing column(s) {', '.join(missing)}")
            return []
        rows = []
        for row in reader:
            cleaned = {k: (v or "").strip() for k, v in row.items() if k}
            if any(cleaned.values()):
                rows.append((reader.line_num, cleaned))
        return rows


class _Upserter:
    """Creates and updates rows of one model by a key, in a fixed number of queries."""

    def __init__(self, model: type[models.Model], key: str, report: LoadReport) -> None:
        self.model, self.key, self.report = model, key, report
        self.existing = {getattr(o, key): o for o in model._default_manager.all()}
        self.new: list[models.Model] = []
        self.changed: dict[str, models.Model] = {}
        self.fields: set[str] = set()

    def put(self, key_value: str, values: dict, kind: str) -> object:
        obj = self.existing.get(key_value)
        if obj is None:
            obj = self.model(**{self.key: key_value}, **values)
            self.existing[key_value] = obj
            self.new.append(obj)
            self.report.count("created", kind)
            return obj
        if obj in self.new:
            return obj
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            self.fields.update(changed)
            self.changed[key_value] = obj
            self.report.count("updated", kind)
        elif key_value not in self.changed:
            self.report.count("unchanged", kind)
        return obj

    def flush(self) -> None:
        self.model._default_manager.bulk_create(self.new)
        if self.changed:
            self.model._default_manager.bulk_update(
                list(self.changed.values()), sorted(self.fields)
            )
        self.new, self.changed, self.fields = [], {}, set()


@transaction.atomic
def reference_data_load(*, directory: Path = DATA_DIR) -> LoadReport:
    """Load counties, regions, RSS and municipalities from the three CSV files.

    Idempotent: existing rows (matched by code) are updated, never duplicated. Every problem
    in the files is collected first; if there is any, ValidationError lists them all (file
    and line) and nothing is written.
    """
    errors: list[str] = []
    regions = _read_csv(directory / "regions.csv", REGION_COLUMNS, errors)
    rss_rows = _read_csv(directory / "rss.csv", RSS_COLUMNS, errors)
    municipalities = _read_csv(
        directory / "municipalities.csv", MUNICIPALITY_COLUMNS, errors
    )

    county_codes: set[str] = set()
    for line, row in regions:
        code = row["county_code"]
        if not (len(code) == 2 and code.isdigit()):
            errors.append(
                f"regions.csv line {line}: county code {code!r} is not two digits"
            )
        elif code in county_codes:
            errors.append(f"regions.csv line {line}: county code {code} appears twice")
        county_codes.add(code)
        for column in ("county", "short_name", "organisation"):
            if not row[column]:
                errors.append(f"regions.csv line {line}: {column} is empty")
        if row["population_approx"] and not row["population_approx"].isdigit():
            errors.append(
                f"regions.csv line {line}: population {row['population_approx']!r} "
                "is not a whole number"
            )
    rss_county: dict[str, str] = {}
    for line, row in rss_rows:
        if row["county_code"] not in county_codes:
            errors.append(
                f"rss.csv line {line}: unknown county code {row['county_code']!r} "
                f"for {row['rss_code']}"
            )
        if not row["rss_code"] or not row["name"]:
            errors.append(f"rss.csv line {line}: rss_code and name are required")
        if row["rss_code"] in rss_county:
            errors.append(
                f"rss.csv line {line}: RSS code {row['rss_code']} appears twice"
            )
        rss_county[row["rss_code"]] = row["county_code"]
    seen_municipalities: set[str] = set()
    for line, row in municipalities:
        code = row["municipality_code"]
        if not (len(code) == 4 and code.isdigit()):
            errors.append(
                f"municipalities.csv line {line}: municipality code {code!r} "
                "is not four digits"
            )
        if code in seen_municipalities:
            errors.append(f"municipalities.csv line {line}: code {code} appears twice")
        seen_municipalities.add(code)
        if row["county_code"] not in county_codes:
            errors.append(
                f"municipalities.csv line {line}: unknown county code "
                f"{row['county_code']!r} for {row['municipality'] or code}"
            )
        if row["rss_code"] not in rss_county:
            errors.append(
                f"municipalities.csv line {line}: unknown RSS code {row['rss_code']!r} "
                f"for {row['municipality'] or code}"
            )
        elif rss_county[row["rss_code"]] != row["county_code"]:
            errors.append(
                f"municipalities.csv line {line}: {row['municipality']} is in county "
                f"{row['county_code']} but its RSS {row['rss_code']} is in county "
                f"{rss_county[row['rss_code']]}"
            )
    if errors:
        raise ValidationError(errors)

    report = LoadReport()
    county_rows = _Upserter(County, "code", report)
    for _line, row in regions:
        county_rows.put(row["county_code"], {"name": row["county"]}, "county")
    county_rows.flush()
    counties = county_rows.existing
    organisations = _Upserter(Organisation, "code", report)
    for _line, row in regions:
        code = row["county_code"]
        organisations.put(
            code,
            {
                "kind": Organisation.Kind.REGION,
                "name": row["short_name"],
                "full_name": row["organisation"],
                "county": counties[code],
                "rss": None,
                "population": int(row["population_approx"])
                if row["population_approx"]
                else None,
            },
            "region",
        )
    for _line, row in rss_rows:
        organisations.put(
            row["rss_code"],
            {
                "kind": Organisation.Kind.RSS,
                "name": row["name"],
                "full_name": row["name"],
                "county": counties[row["county_code"]],
                "rss": None,
                "population": None,
            },
            "rss",
        )
    organisations.flush()
    for _line, row in municipalities:
        organisations.put(
            row["municipality_code"],
            {
                "kind": Organisation.Kind.MUNICIPALITY,
                "name": row["municipality"],
                "full_name": row["municipality"],
                "county": counties[row["county_code"]],
                "rss": organisations.existing[row["rss_code"]],
                "population": None,
            },
            "municipality",
        )
    organisations.flush()
    return report
