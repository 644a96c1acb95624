"""Published figures of an earlier year: reading and checking an import file.

A year that was not run in the system (2023) exists only as the numbers the report
published. They are imported from a CSV file with the header
`question,item,option,level,unit,percent` and optionally `count,denominator`
(any order, comma or semicolon, UTF-8), one figure a row:

- question: a code of this cycle's questionnaire; item: a matrix item or a multiple
  choice's alternative, else empty; option: the answer option (for a multiple choice
  "Ja", ticked), empty for a percentage or count question;
- level and unit as export_shares writes them: riket/SE, county/<county code>,
  rss/<RSS code> (regions: riket and county only);
- percent: a whole percent 0–100 (a percentage question: the national mean); count and
  denominator: whole numbers (a count question: the national sum in count, no percent).

Every row is checked against the questions, items and options; the errors name the row
(as Excel numbers rows, header = 1) and the field. Error messages are Swedish: they are
read by the staff who correct the file. aggregation.services.published_values_import
writes a checked file, all or nothing.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from aggregation.models import ShareRow
from aggregation.rules.formatting import CLOSED_TYPES, MULTIPLE_CHOICE, TICKED
from regions.models import County, Organisation
from surveys.answers import DEFAULT_MAX_NUMBER
from surveys.models import Question, Questionnaire, QuestionType
from surveys.numbers import NotAWholeNumber, parse_whole_number, percent_of
from surveys.services.imports import ImportFile, import_delimiter, import_text

REQUIRED_COLUMNS = ("question", "item", "option", "level", "unit", "percent")
OPTIONAL_COLUMNS = ("count", "denominator")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
NATIONAL_UNIT = "SE"
Level = ShareRow.Level
# The levels of each audience's shares (aggregation.rules.shares).
AUDIENCE_LEVELS: dict[str, tuple[str, ...]] = {
    Questionnaire.Audience.REGION: (Level.RIKET, Level.COUNTY),
    Questionnaire.Audience.RSS: (Level.RIKET, Level.COUNTY, Level.RSS),
    Questionnaire.Audience.MUNICIPALITY: (Level.RIKET, Level.COUNTY, Level.RSS),
    Questionnaire.Audience.EXTRA: (Level.RIKET, Level.COUNTY, Level.RSS),
}
# Question types whose published figure is a number with no option.
PERCENT_TYPES = (QuestionType.PERCENTAGE,)
NUMBER_TYPES = (QuestionType.COUNT, QuestionType.INTEGER)
# The earliest year a published figure may be of.
FIRST_YEAR = 2000
# A count or denominator above this is no published figure (the bound answers have).
MAX_NUMBER = DEFAULT_MAX_NUMBER
# Shares count organisations: their counts fit the stored columns with room to spare.
MAX_ORGANISATIONS = 1_000_000


@dataclass(frozen=True)
class PublishedRow:
    """One checked row of a published-values file."""

    row: int
    question: Question
    item: str
    option: str
    level: str
    unit: str
    percent: int | None
    count: int | None
    denominator: int | None


def _hint(value: str, candidates: Iterable[str]) -> str:
    """' – menade du ”X”?' for a near miss, else ''."""
    candidates = list(candidates)
    folded = [c for c in candidates if c.casefold() == value.casefold()]
    close = folded or difflib.get_close_matches(value, candidates, n=1, cutoff=0.8)
    return f" – menade du ”{close[0]}”?" if close else ""


def _records(text: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """The header's column positions and the data rows (row number, fields)."""
    if not text.strip():
        raise ValidationError(["Filen är tom."])
    delimiter = import_delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ValidationError(
            [f"Rad {reader.line_num}: filen kan inte läsas som CSV ({exc})."]
        ) from exc
    names = [name.strip().casefold() for name in records[0]]
    while names and names[-1] == "":
        names.pop()
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if missing or unknown or repeated:
        details = []
        if missing:
            details.append("saknas: " + ", ".join(missing))
        if unknown:
            details.append(
                "okända: " + ", ".join(f"”{u}”" if u else "(tom)" for u in unknown)
            )
        if repeated:
            details.append("två gånger: " + ", ".join(repeated))
        raise ValidationError(
            [
                "Rad 1: rubrikraden ska ha kolumnerna "
                f"{','.join(REQUIRED_COLUMNS)} och kan ha {','.join(OPTIONAL_COLUMNS)} "
                f"({'; '.join(details)})."
            ]
        )
    position = {name: names.index(name) for name in names}
    rows = []
    errors = []
    for number, record in enumerate(records[1:], start=2):
        fields = [value.strip() for value in record]
        if not any(fields):
            continue
        if len(fields) > len(names) and any(fields[len(names) :]):
            errors.append(
                f"Rad {number}: {len(fields)} kolumner, men rubrikraden har {len(names)}."
            )
            continue
        fields += [""] * (len(names) - len(fields))
        rows.append(
            (number, [fields[position[c]] if c in position else "" for c in COLUMNS])
        )
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(["Filen innehåller rubrikraden men inga värden."])
    return position, rows


def _number(
    raw: str, *, row: int, field: str, percent: bool, errors: list[str]
) -> int | None:
    """A whole number of the field, None when empty; an error for anything else."""
    if not raw:
        return None
    try:
        value = parse_whole_number(raw, percent=percent)
    except NotAWholeNumber as exc:
        hint = (
            f" (till exempel {exc.rounded} i stället för {raw})"
            if exc.rounded is not None
            else ""
        )
        errors.append(f"Rad {row}, {field}: ”{raw}” är inte ett heltal{hint}.")
        return None
    if value < 0:
        errors.append(f"Rad {row}, {field}: {value} är negativt.")
        return None
    if percent and value > 100:
        errors.append(f"Rad {row}, {field}: {value} är över 100 procent.")
        return None
    if value > MAX_NUMBER:
        errors.append(f"Rad {row}, {field}: {raw} är orimligt stort.")
        return None
    return value


class _Units:
    """The units a level names: counties and RSS by code (2 queries)."""

    def __init__(self) -> None:
        self.counties = set(County.objects.values_list("code", flat=True))
        self.rss = set(
            Organisation.objects.filter(kind=Organisation.Kind.RSS).values_list(
                "code", flat=True
            )
        )

    def problem(self, level: str, unit: str) -> str:
        """Why the unit is not one of the level's, or ""."""
        if level == Level.RIKET:
            return "" if unit == NATIONAL_UNIT else "nivån riket har enheten SE"
        if level == Level.COUNTY:
            if unit in self.counties:
                return ""
            return f"länskoden ”{unit}” finns inte (01–25, t.ex. 01 för Stockholm)"
        if unit in self.rss:
            return ""
        return f"RSS-koden ”{unit}” finns inte{_hint(unit, self.rss)}"

    def normalised(self, level: str, unit: str) -> str:
        # Excel drops the leading zero of "01" when it opens a CSV file.
        if level == Level.COUNTY and unit.isdigit() and len(unit) == 1:
            return unit.zfill(2)
        return unit


def _checked_row(
    number: int,
    fields: list[str],
    *,
    questions: dict[str, Question],
    levels: tuple[str, ...],
    units: _Units,
    errors: list[str],
) -> PublishedRow | None:
    """The row as a PublishedRow, or None after adding its errors."""
    code, item, option, level, unit, raw_percent, raw_count, raw_denominator = fields
    before = len(errors)
    question = questions.get(code)
    if question is None:
        errors.append(
            f"Rad {number}, question: frågan ”{code}” finns inte i enkäten"
            f"{_hint(code, questions)}."
        )
        return None
    kind = str(question.type)
    if kind == QuestionType.COUNT_PER_OPTION:
        source = question.source.code if question.source else ""
        errors.append(
            f"Rad {number}, question: fråga {code} sammanställer kommunernas svar; "
            f"importera kommunernas andelar till kommunenkäten (fråga {source})."
        )
        return None
    if kind not in (*CLOSED_TYPES, *PERCENT_TYPES, *NUMBER_TYPES):
        errors.append(
            f"Rad {number}, question: fråga {code} har inga publicerade siffror "
            "(fritext)."
        )
        return None
    has_items = kind in (QuestionType.MATRIX, MULTIPLE_CHOICE) and bool(question.items)
    if has_items and item not in question.items:
        errors.append(
            f"Rad {number}, item: ”{item}” är inte en delfråga till fråga {code}"
            f"{_hint(item, question.items)}; välj en av: "
            + "; ".join(f"”{i}”" for i in question.items)
            + "."
        )
    elif not has_items and item:
        errors.append(
            f"Rad {number}, item: fråga {code} har inga delfrågor; lämna item tomt."
        )
    if kind == MULTIPLE_CHOICE:
        if option != TICKED:
            errors.append(
                f"Rad {number}, option: fråga {code} är en flervalsfråga; option ska "
                f"vara ”{TICKED}” (andelen som markerat alternativet)."
            )
    elif kind in CLOSED_TYPES:
        options = question.choice_options
        if option not in options:
            errors.append(
                f"Rad {number}, option: ”{option}” är inte ett svarsalternativ till "
                f"fråga {code}{_hint(option, options)}; välj en av: "
                + "; ".join(f"”{o}”" for o in options)
                + "."
            )
    elif option:
        errors.append(
            f"Rad {number}, option: fråga {code} har inga svarsalternativ; lämna "
            "option tomt."
        )
    if level not in levels:
        errors.append(
            f"Rad {number}, level: ”{level}” är ingen nivå för den här enkäten; välj "
            + ", ".join(levels)
            + "."
        )
    else:
        unit = units.normalised(level, unit)
        if problem := units.problem(level, unit):
            errors.append(f"Rad {number}, unit: {problem}.")
    percent = _number(
        raw_percent, row=number, field="percent", percent=True, errors=errors
    )
    count = _number(raw_count, row=number, field="count", percent=False, errors=errors)
    denominator = _number(
        raw_denominator, row=number, field="denominator", percent=False, errors=errors
    )
    if len(errors) > before:
        return None
    if kind in NUMBER_TYPES:
        if count is None:
            errors.append(
                f"Rad {number}, count: fråga {code} är en antalsfråga; ange summan "
                "i count."
            )
        if percent is not None or denominator is not None:
            errors.append(
                f"Rad {number}, percent: fråga {code} är en antalsfråga; lämna percent "
                "och denominator tomma."
            )
    elif percent is None:
        errors.append(f"Rad {number}, percent: ange andelen i hela procent (0–100).")
    if kind in CLOSED_TYPES:
        too_many = [
            (name, value)
            for name, value in (("count", count), ("denominator", denominator))
            if value is not None and value > MAX_ORGANISATIONS
        ]
        if too_many:
            name, value = too_many[0]
            errors.append(
                f"Rad {number}, {name}: {value} är fler organisationer än det finns."
            )
        elif (count is None) != (denominator is None):
            errors.append(
                f"Rad {number}, count: ange både count och denominator, eller ingen "
                "av dem."
            )
        elif count is not None and denominator is not None:
            if count > denominator:
                errors.append(
                    f"Rad {number}, count: {count} är fler än nämnaren {denominator}."
                )
            elif percent is not None and percent_of(count, denominator) != percent:
                errors.append(
                    f"Rad {number}, percent: {percent} % stämmer inte med {count} av "
                    f"{denominator} ({percent_of(count, denominator)} %)."
                )
    elif kind in PERCENT_TYPES and (count is not None or denominator is not None):
        errors.append(
            f"Rad {number}, count: fråga {code} är en procentfråga; ange bara medelvärdet "
            "i percent."
        )
    if len(errors) > before:
        return None
    return PublishedRow(
        number, question, item, option, level, unit, percent, count, denominator
    )


def published_rows(
    *, questionnaire: Questionnaire, year: int, file: ImportFile
) -> list[PublishedRow]:
    """The file's rows checked against the questionnaire; ValidationError listing
    every problem (nothing is partly accepted)."""
    cycle_year = questionnaire.cycle.year
    if not FIRST_YEAR <= year < cycle_year:
        raise ValidationError(
            [
                f"Året {year} är inte ett tidigare år än omgången {cycle_year}; "
                f"publicerade värden gäller år {FIRST_YEAR}–{cycle_year - 1}."
            ]
        )
    _position, records = _records(import_text(file))
    questions = {
        q.code: q
        for q in questionnaire.questions.select_related("source").order_by("position")
    }
    levels = AUDIENCE_LEVELS.get(questionnaire.audience, (Level.RIKET,))
    units = _Units()
    errors: list[str] = []
    rows: list[PublishedRow] = []
    seen: dict[tuple[str, str, str, str, str], int] = {}
    for number, fields in records:
        row = _checked_row(
            number,
            fields,
            questions=questions,
            levels=levels,
            units=units,
            errors=errors,
        )
        if row is None:
            continue
        key = (row.question.code, row.item, row.option, row.level, row.unit)
        if key in seen:
            errors.append(
                f"Rad {number}: samma värde som rad {seen[key]} (fråga "
                f"{row.question.code}, {row.item or '–'}, {row.option or '–'}, "
                f"{row.level} {row.unit})."
            )
            continue
        seen[key] = number
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows
