from __future__ import annotations

from reports.management.commands._export import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Write the shares of a questionnaire (computed first when missing or stale). "
        "csv/csv-excel: question,item,option,level,unit,count,denominator,percent,"
        "previous_percent with level riket, county or rss, unit SE, the county code or "
        "the RSS code, percent a whole number rounded half up, empty when nobody in the "
        "unit answered, previous_percent the earlier year's (computed or published), "
        "empty where there is none; xlsx: a "
        "sheet per question and item with the options as columns plus the long table; "
        "pdf: the charts and tables per county and RSS."
    )
    document = "shares"
