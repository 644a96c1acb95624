"""Demo data: deterministic synthetic answers of all organisations to the 2024 cycle.

Generic over question types: the answers are built from each Question's type, options,
items, cells, show_if and validation, so the generator follows the definition files.
"""

from __future__ import annotations

import csv
import random
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from regions.models import Organisation
from regions.services import LoadReport, reference_data_load
from surveys.answers import (
    AnswerError,
    Value,
    check_value,
    exclusive_items,
    is_visible,
    visible_questions,
)
from surveys.models import (
    Answer,
    AnswerChange,
    Membership,
    Question,
    Questionnaire,
    QuestionType,
    Response,
)
from surveys.models.questionnaire import Rule
from surveys.services.compilation import rss_compilation_prefill
from surveys.services.fieldwork import fieldwork_keep_open
from surveys.services.questionnaires import DEFINITIONS_DIR, questionnaires_load
from surveys.services.responses import (
    response_get_or_create,
    response_save_answers,
    response_submit,
)

Key = tuple[str, str]

DEMO_YEAR = 2024
DEMO_PASSWORD = "demo-losen-2024"  # noqa: S105 (printed for everyone: demo only)
SUBMITTED = Response.Status.SUBMITTED
DRAFT = Response.Status.DRAFT
# Audiences in the order they are seeded: the RSS compile the municipal answers.
AUDIENCES = ["region", "municipality", "extra", "statsbidrag", "rss"]
# Submitted and draft responses per questionnaire; the other organisations have not started.
STATUS_MIX = {
    "region": (18, 2),
    "rss": (20, 2),
    "municipality": (247, 20),
    "extra": (70, 3),
    # The grant report: all 290 reported in 2024; the demo is a snapshot before the end.
    "statsbidrag": (283, 6),
}
# Organisations whose status the demo story needs, whatever the seed.
FORCED_STATUS: dict[tuple[str, str], str | None] = {
    ("region", "01"): DRAFT,  # region@demo.se sees the form in progress
    ("rss", "RSS-01"): DRAFT,  # rss@demo.se is still compiling the area
    ("municipality", "0114"): None,  # kommun@demo.se starts from scratch
    ("extra", "0114"): None,
    ("statsbidrag", "0114"): None,  # kommun@demo.se sees it beside the other
}
# Share of submitted municipal responses the RSS entered from paper.
PAPER_SHARE = 0.15
# The implausible counts of 2024 (DOMAIN.md "Traps"): about 179 000 meant.
TRAP_MEANT = 179_000
TRAP_PLACEHOLDER = 999_999
TRAP_PERCENT = 38
TRAP_TEXTS = {
    "thousands": "about 179 000 meant",
    "percent": "its percentage typed into the count field",
    "placeholder": "a placeholder",
}
STATUS_TEXTS: dict[str, str] = {DRAFT: "draft, partly answered", SUBMITTED: "submitted"}


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    role: str
    organisation_code: str | None = None
    membership_role: str | None = None
    staff: bool = False


DEMO_USERS = [
    DemoUser("staff@demo.se", "Sara", "Nilsson", "national staff (admin)", staff=True),
    DemoUser(
        "region@demo.se",
        "Anna",
        "Lindqvist",
        "region respondent",
        "01",
        Membership.Role.RESPONDENT,
    ),
    DemoUser(
        "region2@demo.se",
        "Bo",
        "Ekström",
        "region respondent (colleague)",
        "01",
        Membership.Role.RESPONDENT,
    ),
    DemoUser(
        "rss@demo.se",
        "Frida",
        "Holm",
        "RSS coordinator",
        "RSS-01",
        Membership.Role.COORDINATOR,
    ),
    DemoUser(
        "kommun@demo.se",
        "Dan",
        "Berg",
        "municipality respondent",
        "0114",
        Membership.Role.RESPONDENT,
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str
    status: str


@dataclass(frozen=True)
class DemoTrap:
    organisation: str
    question: str
    value: int | None
    explanation: str


@dataclass
class DemoReport:
    """What a seed did: per questionnaire the statuses, and the logins to try."""

    seed: int
    reset: bool
    reference: LoadReport
    questionnaire_lines: list[str]
    # audience -> {"submitted": n, "draft": n, "not_started": n}, as stored after the seed
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    answers_created: int = 0
    traps: list[DemoTrap] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = DEMO_PASSWORD
    seconds: float = 0.0


def _rng(*parts: object) -> random.Random:
    """A generator seeded by the parts: the same parts give the same stream on any run."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 (demo data)


# ---------------------------------------------------------------------------------------
# Free text: a bank of sentences about god och nära vård. {S} is the subject ("Regionen",
# "Kommunen", "Flera kommuner"), {P} the partner ("kommunerna i länet", "regionen"). A
# sentence starting "R|" fits only a region, "K|" only a municipality.

GENERAL = [
    "{S} har fortsatt att stärka primärvården som navet i vården och omsorgen.",
    "Arbetet med omställningen har under året bedrivits utifrån den länsgemensamma färdplanen.",
    "Fokus har legat på att flytta insatser närmare invånarna och att utgå från personens behov.",
    "Arbetet sker i nära dialog med {P} och följs upp i den politiska samverkansberedningen.",
    "Flera insatser som tidigare drevs som projekt ingår nu i den ordinarie verksamheten.",
    "Det finns fortfarande utmaningar, framför allt när det gäller kompetensförsörjningen.",
    "Erfarenheterna visar att ett gemensamt ledarskap över huvudmannagränserna är avgörande.",
    "Under 2025 planeras arbetet att breddas till fler verksamheter.",
    "{S} har avsatt särskilda utvecklingsmedel för omställningsarbetet.",
    "Arbetet har försenats något av ekonomiska besparingskrav, men inriktningen ligger fast.",
]
THEMES: list[tuple[tuple[str, ...], list[str]]] = [
    (
        ("mobil",),
        [
            "Mobila team med läkare och sjuksköterska gör hembesök hos patienter med stora behov.",
            "Antalet mobila team har utökats och teamen arbetar i dag även på kvällar och helger.",
            "De mobila teamen samarbetar med den kommunala hemsjukvården för att undvika "
            "onödiga sjukhusinläggningar.",
            "Ett mobilt närvårdsteam för äldre med stora behov har startats tillsammans med {P}.",
            "K|Kommunens sjuksköterskor ingår i de mobila teamen och följer upp patienterna "
            "efter hembesöken.",
        ],
    ),
    (
        (
            "läkarkontakt",
            "kontinuitet",
            "fast vårdkontakt",
            "fasta kontakter",
            "omsorgskontakt",
            "relationsskapande",
        ),
        [
            "R|Andelen listade patienter med fast läkarkontakt har ökat under året, främst på "
            "vårdcentraler i tätort.",
            "R|Vårdcentralerna har fått stöd att organisera sig i mindre team runt varje fast "
            "läkarkontakt.",
            "R|Patienter med kroniska sjukdomar och äldre med stora behov prioriteras när fast "
            "läkarkontakt tilldelas.",
            "R|Information om fast vårdkontakt och fast läkarkontakt visas nu för invånaren i "
            "1177.",
            "R|Bristen på specialister i allmänmedicin gör att målet för fast läkarkontakt ännu "
            "inte har nåtts.",
            "R|Fler ST-läkare i allmänmedicin har anställts för att öka kontinuiteten på sikt.",
            "K|Fast omsorgskontakt i hemtjänsten har införts för att öka tryggheten för "
            "brukarna.",
            "K|Hemtjänsten arbetar i mindre grupper så att brukaren möter färre personer.",
            "K|Den fasta vårdkontakten i den kommunala hälso- och sjukvården är i regel en "
            "sjuksköterska.",
        ],
    ),
    (
        ("digital", "distans", "välfärdsteknik", "chatt", "video"),
        [
            "R|Digitala vårdbesök via video erbjuds nu på samtliga vårdcentraler.",
            "R|En digital första linje har införts där invånaren kan chatta med sjuksköterska "
            "dygnet runt.",
            "Distansmonitorering av patienter med hjärtsvikt och KOL ingår nu i ordinarie "
            "verksamhet.",
            "K|Digitala tillsynsbesök och läkemedelsautomater används i hemtjänsten, vilket "
            "frigör tid för fysiska besök hos dem med störst behov.",
        ],
    ),
    (
        ("hälsofrämjande", "förebyggande", "hälsosamtal", "fallprevention", "hembesök"),
        [
            "R|Riktade hälsosamtal erbjuds invånare som fyller 40, 50 och 60 år.",
            "Hälsofrämjande insatser riktas särskilt till områden med sämre hälsoutfall.",
            "Fallprevention och fysisk aktivitet på recept har fått ett större utrymme.",
            "Förebyggande hembesök hos personer över 75 år har införts i samverkan med {P}.",
            "R|Levnadsvanemottagningar stödjer invånare som vill förändra ohälsosamma "
            "levnadsvanor.",
            "K|Träffpunkter för äldre erbjuder både social gemenskap och hälsofrämjande "
            "aktiviteter.",
        ],
    ),
    (
        ("äldre",),
        [
            "R|Äldremottagningar har etablerats på flera vårdcentraler med fokus på multisjuka "
            "äldre.",
            "En gemensam äldrecentral erbjuder samordnade insatser för äldre med stora vård- "
            "och omsorgsbehov.",
            "Läkemedelsgenomgångar görs regelbundet för personer på särskilt boende.",
            "K|En äldrelots hjälper äldre och deras anhöriga att hitta rätt insatser.",
        ],
    ),
    (
        ("barn och unga", "familjecentral", "skola"),
        [
            "Familjecentraler samlar mödrahälsovård, barnhälsovård, öppen förskola och "
            "socialtjänst under samma tak.",
            "En första linje för barn och unga med psykisk ohälsa har byggts upp tillsammans "
            "med elevhälsan.",
            "Samverkan med skola och elevhälsa har formaliserats i en gemensam överenskommelse.",
        ],
    ),
    (
        ("funktionsnedsättning", "särskilda behov", "bildstöd", "verktyg"),
        [
            "R|Mottagningar för vuxna med varaktig funktionsnedsättning har inrättats på "
            "utvalda vårdcentraler.",
            "Bildstöd och tydliggörande pedagogik används för att underlätta kommunikationen.",
            "Personal har utbildats i kommunikation med personer med intellektuell "
            "funktionsnedsättning.",
            "Information om insatserna finns på lättläst svenska och på flera språk.",
        ],
    ),
    (
        ("kronisk",),
        [
            "Personer med kroniska sjukdomar erbjuds en samordnad plan som följs upp av en "
            "fast vårdkontakt.",
            "R|Sjuksköterskeledda mottagningar för diabetes, KOL och hjärtsvikt har "
            "utvecklats.",
            "Egenmonitorering gör att fler personer med kroniska sjukdomar kan följas upp "
            "hemifrån.",
        ],
    ),
    (
        ("samverk", "utskrivning"),
        [
            "{S} har tillsammans med {P} tagit fram gemensamma rutiner för samordnad individuell "
            "plan (SIP).",
            "Samverkan sker i lokala vårdsamverkansgrupper där både region och kommun är "
            "representerade.",
            "En gemensam struktur för samverkan på ledningsnivå har etablerats under året.",
            "Samverkan med socialtjänst och skola har stärkts genom gemensamma arbetsgrupper.",
            "Överenskommelsen om hemsjukvård och läkarmedverkan har reviderats tillsammans "
            "med {P}.",
            "Rutinerna för utskrivning från slutenvården har setts över så att fler kan gå "
            "direkt hem med stöd.",
        ],
    ),
    (
        ("tillgänglig",),
        [
            "R|Telefontillgängligheten i primärvården har förbättrats med ett gemensamt system "
            "för återuppringning.",
            "R|Vårdcentralerna har utökat sina öppettider på kvällar och helger.",
            "En gemensam bedömningsfunktion ser till att invånaren tidigt kommer till rätt "
            "vårdnivå.",
            "K|Kommunens kontaktcenter hänvisar invånarna direkt till rätt verksamhet.",
        ],
    ),
    (
        ("delaktig", "brukarorganisation", "civilsamhälle", "patientutbildning"),
        [
            "Patient- och brukarorganisationer deltar i referensgrupper i omställningsarbetet.",
            "{S} har fört dialog med pensionärsorganisationer och funktionsrättsorganisationer "
            "om prioriteringarna i arbetet.",
            "R|Patientutbildningar har genomförts för personer med diabetes och långvarig "
            "smärta.",
            "Patienter och brukare bjuds in att medverka när planer och den dokumenterade "
            "överenskommelsen tas fram.",
        ],
    ),
    (
        ("medarbetare", "kompetens", "arbetsplats", "utbilda"),
        [
            "En gemensam strategi för kompetensförsörjning har tagits fram tillsammans med {P}.",
            "R|Fler utbildningsplatser för specialistsjuksköterskor i distriktssköterskeyrket "
            "har finansierats.",
            "Arbetet med att minska beroendet av inhyrd personal har gett resultat under året.",
            "Medarbetare har fått utbildning i nära vård och personcentrerat arbetssätt.",
            "K|Ett introduktionsprogram för nyanställda i kommunal hälso- och sjukvård har "
            "tagits fram.",
            "K|Undersköterskor har fått möjlighet att vidareutbilda sig på betald arbetstid.",
        ],
    ),
    (
        ("ambulans",),
        [
            "R|Ambulanssjukvården har utvecklat bedömningsbilar som kan ge vård på plats i "
            "hemmet.",
            "R|Samverkan mellan ambulanssjukvården och de mobila teamen gör att färre patienter "
            "transporteras till akutmottagningen.",
            "R|En ny ambulansstation i länets glesbygd har kortat responstiderna.",
        ],
    ),
    (
        ("uppfölj", "utvärder", "indikator", "nyckeltal", "resultat", "effekter"),
        [
            "Utvecklingen följs med nyckeltal från Kolada och egna indikatorer för nära vård.",
            "En gemensam uppföljningsmodell med indikatorer för tillgänglighet och kontinuitet "
            "har beslutats.",
            "Uppföljningen visar att antalet undvikbara slutenvårdstillfällen för äldre har "
            "minskat något.",
            "Resultaten redovisas två gånger per år för den politiska ledningen.",
            "Uppföljningen visar att invånarna upplever bättre kontinuitet, men att väntetiderna "
            "fortfarande är för långa.",
        ],
    ),
    (
        ("jämställd",),
        [
            "Uppföljningar av insatserna redovisas uppdelat på kön för att upptäcka "
            "omotiverade skillnader.",
            "Hälsofrämjande insatser har riktats till grupper av män som sällan söker vård.",
            "Arbetet med jämställd hälsa har integrerats i verksamhetsplanerna.",
        ],
    ),
    (
        ("landsbygd", "glesbygd"),
        [
            "R|Mobila vårdcentraler besöker orter i glesbygden på fasta tider.",
            "Digitala vårdrum har öppnats på flera mindre orter där vårdcentral saknas.",
            "Samverkan med den kommunala hemsjukvården är särskilt viktig på landsbygden.",
        ],
    ),
    (
        ("överenskommelse",),
        [
            "Den dokumenterade överenskommelsen har prövats i två närområden och ska "
            "breddinföras under 2025.",
            "Rutiner för den dokumenterade överenskommelsen har lagts in i journalsystemet.",
            "Personal har utbildats i hur den dokumenterade överenskommelsen upprättas "
            "tillsammans med patienten.",
        ],
    ),
    (
        ("breddinf", "projektform"),
        [
            "Arbetssättet med mobila närvårdsteam har breddinförts i hela länet.",
            "Digitala hembesök, som tidigare prövades i ett projekt, ingår nu i ordinarie "
            "verksamhet.",
        ],
    ),
    (
        ("resurs", "budget"),
        [
            "R|Primärvårdens andel av hälso- och sjukvårdskostnaderna har ökat jämfört med "
            "föregående år.",
            "R|Ersättningsmodellen i vårdvalet har ändrats för att premiera kontinuitet.",
            "R|Vårdcentralernas uppdrag har förtydligats för att frigöra tid för patienter med "
            "stora behov.",
        ],
    ),
]
RSS_OWN = [
    "RSS har samordnat ett länsgemensamt nätverk för kommunernas arbete med nära vård.",
    "Under året har RSS anordnat utbildningsdagar om nära vård för chefer i kommunerna.",
    "RSS har stöttat kommunerna i arbetet med gemensamma rutiner för utskrivning från "
    "slutenvården.",
    "I ett gemensamt forum för region och kommuner håller RSS i samordningen.",
    "RSS har tagit fram en regional lägesbild av omställningen som underlag för den "
    "politiska samverkansberedningen.",
    "RSS har samlat in och spridit goda exempel från kommunerna i länet.",
]
SUMMARY_SUBJECTS = ["Flera kommuner", "Många kommuner", "Några kommuner", "Kommunerna"]
FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Johan",
    "Karin",
    "Lars",
    "Eva",
    "Mikael",
    "Sara",
    "Anders",
    "Lena",
    "Per",
    "Elin",
    "Fredrik",
    "Maja",
    "Ahmed",
    "Sofia",
    "Jonas",
    "Ingrid",
    "Nils",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Åkesson",
    "Öberg",
    "Hassan",
    "Lundqvist",
    "Sjöberg",
    "Holmström",
    "Ekdahl",
    "Bergqvist",
    "Wallin",
]


def _ascii(text: str) -> str:
    """Lower-case ASCII for an e-mail address: "Åkesson" -> "akesson"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.lower().replace(" ", "")


def _fits(sentence: str, kind: str) -> str | None:
    """The sentence without its tag if it fits the kind of organisation, else None."""
    tag, bar, rest = sentence.partition("|")
    if not bar:
        return sentence
    wanted = "R" if kind == Organisation.Kind.REGION else "K"
    return rest if tag == wanted else None


def _themed(text: str, kind: str) -> list[str]:
    """The sentences of every theme named in the text, for the kind of organisation."""
    lowered = text.casefold()
    pool: list[str] = []
    for keywords, sentences in THEMES:
        if any(k in lowered for k in keywords):
            for sentence in sentences:
                fitting = _fits(sentence, kind)
                if fitting is not None and fitting not in pool:
                    pool.append(fitting)
    return pool


def _fit(sentences: list[str], limit: int | None) -> str:
    """Join sentences into a paragraph, dropping the last ones until it fits the limit."""
    while True:
        text = " ".join(sentences)
        if limit is None or len(text) <= limit or len(sentences) == 1:
            return text if limit is None else text[:limit]
        sentences = sentences[:-1]


# ---------------------------------------------------------------------------------------
# One organisation's answers.


@dataclass
class _Area:
    """An RSS area: its municipalities and their submitted municipal answers."""

    municipalities: list[Organisation]
    answered: set[str] = field(default_factory=set)


class _Writer:
    """Builds the answers of one organisation to one questionnaire."""

    def __init__(
        self,
        *,
        seed: int,
        audience: str,
        organisation: Organisation,
        area: _Area | None,
        preceding: dict[str, str | None],
        amounts: dict[str, int] | None = None,
    ) -> None:
        self.seed = seed
        # Money answers by rule (the grant report's published amounts).
        self.amounts = amounts or {}
        self.preceding = preceding
        self.audience = audience
        self.organisation = organisation
        self.area = area
        self.rng = _rng(seed, audience, organisation.code)
        kind = organisation.kind
        self.subject = {"region": "Regionen", "rss": "RSS"}.get(kind, "Kommunen")
        self.partner = (
            "kommunerna i länet" if kind == Organisation.Kind.REGION else "regionen"
        )
        first = self.rng.choice(FIRST_NAMES)
        last = self.rng.choice(LAST_NAMES)
        self.contact = {
            "name": f"{first} {last}",
            "email": f"{_ascii(first)}.{_ascii(last)}@example.se",
            "phone": f"010-{self.rng.randint(100, 999)} "
            f"{self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
        }

    # Per-question parameters are shared by all organisations, so national shares vary
    # by question as real ones do.
    def _share(self, code: str, item: str) -> float:
        return _rng(self.seed, "share", self.audience, code, item).uniform(0.5, 0.92)

    def answers(
        self, questions: list[Question], *, cutoff: int | None
    ) -> dict[Key, Value]:
        """Answers in question order; follow-ups only when shown; a draft stops at cutoff."""
        answers: dict[Key, Value] = {}
        shown: set[str] = set()
        for index, question in enumerate(questions):
            if cutoff is not None and index >= cutoff:
                break
            condition = question.show_if
            if condition and condition["question"] not in shown:
                continue
            if not is_visible(question, answers):
                continue
            shown.add(question.code)
            if not question.required and self.rng.random() < 0.3:
                continue
            answers.update(self._values(question, answers))
        visible = {q.code for q in visible_questions(questions, answers)}
        return {key: value for key, value in answers.items() if key[0] in visible}

    def _values(
        self, question: Question, answers: dict[Key, Value]
    ) -> dict[Key, Value]:
        code, qtype = question.code, question.type
        if qtype in (
            QuestionType.YES_NO,
            QuestionType.YES_PARTLY_NO,
            QuestionType.SINGLE_CHOICE,
        ):
            return {(code, ""): Value(text=self._pick(question, "", code))}
        if qtype == QuestionType.MATRIX:
            return {
                (code, item): Value(text=self._pick(question, item, code))
                for item in question.items
            }
        if qtype == QuestionType.MULTIPLE_CHOICE:
            return self._ticks(question)
        if qtype == QuestionType.PERCENTAGE:
            return {(code, ""): self._percentage(question)}
        if qtype == QuestionType.COUNT:
            return {(code, ""): self._count(question, answers)}
        if qtype == QuestionType.INTEGER:
            return {(code, ""): self._integer(question)}
        if qtype == QuestionType.MONEY:
            number = self.amounts.get(question.rule)
            if number is None:
                number = self.rng.randint(100, 5000) * 1000
            return {(code, ""): Value(number=number)}
        if qtype == QuestionType.COUNT_PER_OPTION:
            # Filled in afterwards by the RSS compilation (_compile), as in the web form.
            return {}
        return {
            (code, item): Value(text=self._text(question, item))
            for item in question.answer_items
        }

    def _pick(self, question: Question, item: str, code: str) -> str:
        """One option of a choice (or of a matrix row)."""
        options = question.choice_options
        if options[:5] == ["1", "2", "3", "4", "5"]:
            # A 1–5 grid leans to the upper end, as the grant report's answers do.
            weights = [0.05, 0.12, 0.3, 0.3, 0.2] + [0.03] * (len(options) - 5)
            return self.rng.choices(options, weights=weights)[0]
        share = self._share(code, item)
        # The first option (mostly "Ja") gets the share, the others less and less.
        rest = [0.6**i for i in range(len(options) - 1)]
        weights = [share] + [(1 - share) * w / sum(rest) for w in rest]
        return self.rng.choices(options, weights=weights)[0]

    def _ticks(self, question: Question) -> dict[Key, Value]:
        """Every alternative of a multiple choice, ticked or not; at least one ticked.

        An exclusive alternative ("Inget av ovanstående") is ticked alone, when no
        other is.
        """
        exclusive = exclusive_items(question)
        ticked = []
        for item in question.items:
            if item in exclusive:
                ticked.append(False)
                continue
            chance = self._share(question.code, item) - 0.15
            if item.casefold().startswith(("annat", "andra", "övrig", "på annat")):
                chance *= 0.4
            ticked.append(self.rng.random() < chance)
        if not any(ticked):
            ticked[question.items.index(exclusive[0]) if exclusive else 0] = True
        return {
            (question.code, item): Value(text="Ja" if tick else "")
            for item, tick in zip(question.items, ticked, strict=True)
        }

    def _limited(self, question: Question, number: int) -> int:
        limits = question.validation or {}
        return max(limits.get("min", number), min(limits.get("max", number), number))

    def _percentage(self, question: Question) -> Value:
        params = _rng(self.seed, "percentage", self.audience, question.code)
        centre, cannot = params.uniform(55, 85), params.uniform(0.02, 0.12)
        if self.rng.random() < cannot:
            return Value(cannot_estimate=True)
        number = min(95, max(40, round(self.rng.gauss(centre, 12))))
        return Value(number=self._limited(question, number))

    def _count(self, question: Question, answers: dict[Key, Value]) -> Value:
        if self.rng.random() < 0.04:
            return Value(cannot_estimate=True)
        population = self.organisation.population
        if not population:
            return Value(number=self._limited(question, self.rng.randint(50, 5000)))
        # Persons = population x the share given in the nearest percentage question before.
        share = self.rng.uniform(0.55, 0.85)
        given = answers.get((self.preceding.get(question.code) or "", ""))
        if given is not None and given.number is not None:
            share = given.number / 100
        number = round(population * share * self.rng.uniform(0.97, 1.03))
        return Value(number=self._limited(question, number))

    def _integer(self, question: Question) -> Value:
        if self.area is not None:
            # The RSS questionnaire's number: municipalities of the area that answered.
            return Value(number=len(self.area.answered))
        limits = question.validation or {}
        low = limits.get("min", 0)
        return Value(number=self.rng.randint(low, limits.get("max", low + 50)))

    def _text(self, question: Question, item: str) -> str:
        limit = (question.validation or {}).get("max_length")
        if question.personal_data:
            lowered = item.casefold()
            if "post" in lowered or "mail" in lowered:
                return self.contact["email"]
            if "telefon" in lowered:
                return self.contact["phone"]
            return self.contact["name"]
        lowered = question.text.casefold()
        if self.area is not None and "inte besvarat" in lowered:
            missing = [
                m.name
                for m in self.area.municipalities
                if m.code not in self.area.answered
            ]
            if not missing:
                return "Samtliga kommuner har svarat."
            return ", ".join(missing) + " har inte besvarat kommunenkäten."
        return _fit(self._paragraph(question, item), limit)

    def _paragraph(self, question: Question, item: str) -> list[str]:
        rng = self.rng
        # Summaries of an RSS speak of the municipalities' work.
        kind = self.organisation.kind
        if kind == Organisation.Kind.RSS:
            kind = Organisation.Kind.MUNICIPALITY
        pool = _themed(item, kind) or _themed(question.text, kind)
        summary = (
            self.area is not None and "kommunernas svar" in question.text.casefold()
        )
        subject, partner = self.subject, self.partner
        if self.area is not None:
            subject = "Kommunerna i området"
            if not summary:
                pool = RSS_OWN + pool[:4]
        chosen = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        chosen += rng.sample(GENERAL, 2 if len(chosen) < 2 else rng.randint(0, 1))
        sentences = []
        for sentence in chosen:
            who = rng.choice(SUMMARY_SUBJECTS) if summary else subject
            sentences.append(sentence.replace("{S}", who).replace("{P}", partner))
        if summary and self.area is not None:
            area = self.area.municipalities
            names = [m.name for m in area if m.code in self.area.answered]
            if len(names) < 2:
                names = [m.name for m in area]
            sentences.insert(
                0, "Svaren från kommunerna i området visar några tydliga teman."
            )
            if len(names) >= 2:
                a, b = rng.sample(names, 2)
                sentences.append(f"Exempel finns bland annat från {a} och {b}.")
        return sentences


def _preceding_percentages(questions: list[Question]) -> dict[str, str | None]:
    """Each count question's nearest percentage question before it (its share)."""
    preceding: dict[str, str | None] = {}
    last: str | None = None
    for question in questions:
        if question.type == QuestionType.PERCENTAGE:
            last = question.code
        elif question.type == QuestionType.COUNT:
            preceding[question.code] = last
    return preceding


# ---------------------------------------------------------------------------------------
# The plan: which organisation answers what, and how far.


def _plan(
    seed: int, organisations: dict[str, list[Organisation]]
) -> dict[str, dict[str, str | None]]:
    """Status per audience and organisation code (None: not started); seed-determined."""
    plan: dict[str, dict[str, str | None]] = {}
    for audience in AUDIENCES:
        orgs = organisations[audience]
        statuses: dict[str, str | None] = {}
        submitted, drafts = STATUS_MIX[audience]
        for (forced_audience, code), status in FORCED_STATUS.items():
            if forced_audience == audience and any(o.code == code for o in orgs):
                statuses[code] = status
                submitted -= status == SUBMITTED
                drafts -= status == DRAFT
        free = [o.code for o in orgs if o.code not in statuses]
        _rng(seed, "plan", audience).shuffle(free)
        if audience == "extra":
            # The municipalities that answered the extra question mostly also answered the
            # municipal questionnaire.
            answered = plan["municipality"]
            free.sort(key=lambda code: answered.get(code) != SUBMITTED)
        for index, code in enumerate(free):
            if index < submitted:
                statuses[code] = SUBMITTED
            elif index < submitted + drafts:
                statuses[code] = DRAFT
            else:
                statuses[code] = None
        plan[audience] = statuses
    return plan


def _trap_regions(
    seed: int, regions: list[Organisation], plan: dict[str, str | None]
) -> dict[str, str]:
    """Three submitted regions that enter the implausible counts of 2024."""
    candidates = [r for r in regions if plan.get(r.code) == SUBMITTED]
    _rng(seed, "traps").shuffle(candidates)
    traps: dict[str, str] = {}
    # "179 where about 179 000 is meant" only reads true where 179 000 is 40-95 % of
    # the population.
    for region in candidates:
        if region.population and 0.4 <= TRAP_MEANT / region.population <= 0.95:
            traps[region.code] = "thousands"
            break
    others = [r for r in candidates if r.code not in traps]
    for region, kind in zip(others, ["percent", "placeholder"], strict=False):
        traps[region.code] = kind
    return traps


def _apply_trap(
    kind: str,
    region: Organisation,
    questions: list[Question],
    answers: dict[Key, Value],
) -> None:
    """Overwrite the region's first count (and its percentage) with a 2024 trap."""
    count = next((q for q in questions if q.type == QuestionType.COUNT), None)
    if count is None:
        return
    percentage = _preceding_percentages(questions)[count.code]
    if kind == "thousands":
        if percentage and region.population:
            share = round(100 * TRAP_MEANT / region.population)
            answers[(percentage, "")] = Value(number=share)
        answers[(count.code, "")] = Value(number=TRAP_MEANT // 1000)
    elif kind == "percent":
        if percentage:
            answers[(percentage, "")] = Value(number=TRAP_PERCENT)
        answers[(count.code, "")] = Value(number=TRAP_PERCENT)
    else:
        answers[(count.code, "")] = Value(number=TRAP_PLACEHOLDER)
    for key in [(count.code, ""), (percentage or "", "")]:
        question = next((q for q in questions if q.code == key[0]), None)
        if question is not None and key in answers:
            try:
                check_value(question, answers[key])
            except AnswerError as exc:
                raise ValidationError(
                    f"demo trap {kind} for {region}: {exc}; the questionnaire's limits "
                    "no longer allow it"
                ) from exc


def _areas(municipal: Questionnaire) -> dict[int | None, _Area]:
    """Per RSS id: its municipalities and which of them submitted the municipal form."""
    areas: dict[int | None, _Area] = {}
    for municipality in Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY
    ).order_by("code"):
        areas.setdefault(municipality.rss_id, _Area(municipalities=[]))
        areas[municipality.rss_id].municipalities.append(municipality)
    submitted = Response.objects.filter(questionnaire=municipal, status=SUBMITTED)
    for rss_id, code in submitted.values_list(
        "organisation__rss_id", "organisation__code"
    ):
        areas[rss_id].answered.add(code)
    return areas


def _compile(
    response: Response, questions: list[Question], by: User | None
) -> Response:
    """An RSS's counts per option from its area's submitted answers (the hjälpenkät).

    An area where no municipality submitted has nothing to compile: its RSS reports
    zero everywhere, as an RSS typing the counts of an empty paper pile would.
    """
    try:
        return rss_compilation_prefill(
            response=response, by=by, confirmed=True
        ).response
    except ValidationError:
        zeros = {
            (question.code, cell["label"]): Value(number=0)
            for question in questions
            if question.type == QuestionType.COUNT_PER_OPTION
            for cell in question.cells
        }
        return response_save_answers(
            response=response,
            values=zeros,
            by=by,
            version=None,
            source=AnswerChange.Source.SYSTEM,
        )


# ---------------------------------------------------------------------------------------


def _demo_users() -> dict[str, User]:
    """Create or refresh the demo logins and their memberships; by e-mail."""
    users: dict[str, User] = {}
    for demo in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=demo.email)
        user.email = demo.email
        user.first_name, user.last_name = demo.first_name, demo.last_name
        user.is_active = True
        user.is_staff = user.is_superuser = demo.staff
        user.set_password(DEMO_PASSWORD)
        user.save()
        if demo.organisation_code:
            Membership.objects.update_or_create(
                user=user,
                defaults={
                    "organisation": Organisation.objects.get(
                        code=demo.organisation_code
                    ),
                    "role": demo.membership_role,
                },
            )
        else:
            Membership.objects.filter(user=user).delete()
        users[demo.email] = user
    return users


@transaction.atomic
def demo_seed(*, seed: int = 2024, reset: bool = False) -> DemoReport:
    """Load reference data and the 2024 questionnaires, write demo answers and logins.

    Deterministic for a seed. Organisations that already have a response are left
    alone, so a second run adds nothing; reset first deletes every response of the
    2024 cycle and writes the demo answers anew.
    """
    started = time.monotonic()
    reference = reference_data_load()
    if reset:
        Response.objects.filter(questionnaire__cycle__year=DEMO_YEAR).delete()
    loaded = questionnaires_load(year=DEMO_YEAR)
    report = DemoReport(
        seed=seed,
        reset=reset,
        reference=reference,
        questionnaire_lines=loaded.lines,
    )
    users = _demo_users()
    questionnaires = {
        q.key: q
        for q in Questionnaire.objects.filter(cycle__year=DEMO_YEAR, is_current=True)
    }
    # A snapshot of the 2024 fieldwork: kept open after its real closing day, so that the
    # demo answers can be written and visitors can try the forms.
    fieldwork_keep_open(questionnaires=questionnaires.values())
    organisations = {
        audience: list(
            Organisation.objects.filter(
                kind=questionnaires[audience].organisation_kind
            ).order_by("code")
        )
        for audience in AUDIENCES
    }
    plan = _plan(seed, organisations)
    traps = _trap_regions(seed, organisations["region"], plan["region"])
    coordinators: dict[int | None, User] = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(role=Membership.Role.COORDINATOR)
    }
    # The first demo user of an organisation is the one who saved its answers.
    authors: dict[str, User] = {}
    for demo in DEMO_USERS:
        if demo.organisation_code:
            authors.setdefault(demo.organisation_code, users[demo.email])

    for audience in AUDIENCES:
        questionnaire = questionnaires[audience]
        questions = list(
            questionnaire.questions.select_related("source").order_by("position")
        )
        preceding = _preceding_percentages(questions)
        existing = set(
            Response.objects.filter(
                questionnaire__cycle__year=DEMO_YEAR,
                questionnaire__key=audience,
            ).values_list("organisation__code", flat=True)
        )
        areas = _areas(questionnaires["municipality"]) if audience == "rss" else {}
        published = _published_amounts(questionnaire)
        created = kept = 0
        for organisation in organisations[audience]:
            status = plan[audience][organisation.code]
            if organisation.code in existing:
                kept += 1
                continue
            if status is None:
                continue
            writer = _Writer(
                seed=seed,
                audience=audience,
                organisation=organisation,
                area=areas.get(organisation.pk),
                preceding=preceding,
                amounts=published.get(organisation.code),
            )
            cutoff = None
            if status == DRAFT:
                cutoff = max(1, round(len(questions) * writer.rng.uniform(0.3, 0.7)))
            answers = writer.answers(questions, cutoff=cutoff)
            if organisation.code in traps:
                _apply_trap(traps[organisation.code], organisation, questions, answers)
            paper = (
                audience == "municipality"
                and status == SUBMITTED
                and writer.rng.random() < PAPER_SHARE
            )
            user = authors.get(organisation.code)
            source = AnswerChange.Source.WEB if user else AnswerChange.Source.SYSTEM
            if paper:
                user = coordinators.get(organisation.rss_id)
                source = AnswerChange.Source.PAPER
            response = response_get_or_create(
                questionnaire=questionnaire, organisation=organisation
            )
            if paper:
                Response.objects.filter(pk=response.pk).update(
                    source=Response.Source.PAPER
                )
            response = response_save_answers(
                response=response, values=answers, by=user, version=None, source=source
            )
            if status == SUBMITTED:
                if audience == "rss":
                    response = _compile(response, questions, user)
                # Synthetic answers: nobody is e-mailed a confirmation, and the
                # receipt is built when first asked for.
                response_submit(
                    response=response,
                    by=user,
                    version=None,
                    confirm_by_email=False,
                    receipt=False,
                )
            created += 1
            report.answers_created += len(answers)
        report.created[audience] = created
        report.kept[audience] = kept
        counts = Counter(
            Response.objects.filter(questionnaire=questionnaire).values_list(
                "status", flat=True
            )
        )
        report.statuses[audience] = {
            "submitted": counts[SUBMITTED],
            "draft": counts[DRAFT],
            "not_started": len(organisations[audience]) - sum(counts.values()),
        }

    report.traps = _trap_report(questionnaires["region"], traps)
    report.logins = _logins(questionnaires)
    report.seconds = time.monotonic() - started
    return report


def _published_amounts(questionnaire: Questionnaire) -> dict[str, dict[str, int]]:
    """The grant report's real amounts per municipality code, by the rule of the money
    question they answer: the requisitioned amount (the whole allocation: every
    municipality requisitioned it in 2024) and the unused one, from the reference file
    beside the definition (Bilaga 1 Tabell 1). Empty for other questionnaires."""
    amounts: dict[str, dict[str, int]] = {}
    folder = DEFINITIONS_DIR / questionnaire.source_file.rsplit("/", 1)[0]
    for reference in questionnaire.references or []:
        path = folder / reference["file"]
        if not path.is_file():
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if not row.get("unused"):
                    continue
                amounts[row["municipality_code"]] = {
                    Rule.GRANT_REQUISITIONED: int(row["allocation"]),
                    Rule.GRANT_UNUSED: int(row["unused"]),
                }
    return amounts


def _trap_report(questionnaire: Questionnaire, traps: dict[str, str]) -> list[DemoTrap]:
    """The trap regions with the count they have stored now."""
    count = (
        questionnaire.questions.filter(type=QuestionType.COUNT)
        .order_by("position")
        .first()
    )
    if count is None:
        return []
    values = dict(
        Answer.objects.filter(
            question=count, response__organisation__code__in=traps
        ).values_list("response__organisation__code", "number")
    )
    regions = {o.code: o for o in Organisation.objects.filter(code__in=traps)}
    return [
        DemoTrap(
            organisation=str(regions[code]),
            question=count.code,
            value=values.get(code),
            explanation=TRAP_TEXTS[kind],
        )
        for code, kind in sorted(
            traps.items(), key=lambda t: list(TRAP_TEXTS).index(t[1])
        )
    ]


def _logins(questionnaires: dict[str, Questionnaire]) -> list[DemoLogin]:
    """The demo logins with the status of their organisation's questionnaire."""
    logins = []
    for demo in DEMO_USERS:
        if demo.organisation_code is None:
            logins.append(DemoLogin(demo.email, demo.role, "all organisations", "-"))
            continue
        organisation = Organisation.objects.get(code=demo.organisation_code)
        audience = organisation.kind
        response = Response.objects.filter(
            questionnaire=questionnaires[audience], organisation=organisation
        ).first()
        status = "not started" if response is None else STATUS_TEXTS[response.status]
        logins.append(DemoLogin(demo.email, demo.role, str(organisation), status))
    return logins
