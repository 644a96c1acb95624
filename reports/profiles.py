"""One region's published values beside the national ones: the region profile as read
from the stored appendix tables, for its page (reports.selectors) and its PDF
(reports.documents.region_profile).

The region's row is found by its code (the name printed in a table is the name the
region had when the run was computed); the national rows are Riket and Riket of earlier
years (aggregation.rules.appendix.is_national).
"""

from __future__ import annotations

from dataclasses import dataclass

from aggregation.models import AggregationRun
from aggregation.rules.appendix import is_national
from aggregation.selectors import AppendixTable, appendix_row_codes, appendix_tables
from regions.models import Organisation


@dataclass
class RegionProfileTable:
    table: AppendixTable
    # The region's row as printed (its name and values); None where it has none.
    region_name: str | None
    values: list[str] | None
    # The national rows (name, values): Riket, then Riket of earlier years.
    national: list[tuple[str, list[str]]]


def region_profile_tables(
    *, run: AggregationRun, organisation: Organisation
) -> list[RegionProfileTable]:
    """Per appendix table of the run: the region's row and the national rows."""
    codes = appendix_row_codes(run=run)
    profile = []
    for table in appendix_tables(run=run):
        region_name: str | None = None
        values: list[str] | None = None
        national = []
        for name, row in table.rows:
            if is_national(name):
                national.append((name, row))
            elif codes.get((table.code, name)) == organisation.code:
                region_name, values = name, row
        profile.append(RegionProfileTable(table, region_name, values, national))
    return profile
