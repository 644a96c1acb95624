"""The coded themes as key figures ("nyckeltal"), registered with aggregation's
providers in CodingConfig.ready().

Every theme of a codebook is named per riket, county and RSS as the theme counts page
counts it (coding.selectors.theme_counts: submitted answers, disputed themes not
counted):

    <questionnaire>.<question>[.<item>].tema.<theme>.<level>[.<measure>]

for example region.3.tema.samverkan.riket ("11/21", "11 av 21 regioner") and
municipality.K02.tema.hemsjukvård.riket.percent ("48 %", "48 procent av kommunerna").
The figures are counted from the codings as they are now, not from an aggregation run.
"""

from __future__ import annotations

from collections.abc import Iterator

from aggregation.key_figures import questionnaire_prefix
from aggregation.models import AggregationRun
from aggregation.rules.key_figures import KeyFigure, Namer, ShareRecord, share_figures
from aggregation.rules.shares import NATIONAL_UNIT, RIKET
from coding.models import Codebook
from coding.selectors import theme_counts
from surveys.models import Questionnaire


def theme_figures(
    questionnaire: Questionnaire, run: AggregationRun | None
) -> Iterator[KeyFigure]:
    """The key figures of every theme of the questionnaire's codebooks (the run is not
    used: codings are not part of it)."""
    codebooks = Codebook.objects.filter(
        question__questionnaire=questionnaire
    ).select_related("question__questionnaire")
    namer = Namer(questionnaire_prefix(questionnaire), ())
    for codebook in codebooks:
        counts = theme_counts(codebook=codebook)
        names: dict[ShareRecord, str] = {}
        for theme in counts.themes:
            if theme.riket is None:
                # Nobody has answered yet: the national figure is named, and missing.
                record = ShareRecord(
                    codebook.question.code,
                    codebook.item,
                    theme.theme,
                    RIKET,
                    NATIONAL_UNIT,
                    counts.counted,
                    0,
                    0,
                    None,
                )
                names[record] = f"{theme.key_figure}.{Namer.level(RIKET, '')}"
            shares = [theme.riket] if theme.riket else []
            for share in [*shares, *theme.counties, *theme.areas]:
                record = ShareRecord(
                    question=codebook.question.code,
                    item=codebook.item,
                    option=theme.theme,
                    level=share.level,
                    unit=share.unit,
                    counted=counts.counted,
                    count=share.count,
                    denominator=share.denominator,
                    percent=share.percent,
                )
                names[record] = share.key_figure
        yield from share_figures(namer, names, name_of=names.__getitem__)
