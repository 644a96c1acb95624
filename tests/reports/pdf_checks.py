"""Reading the PDF documents back in the tests: text, pages, fonts, text positions."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.test.html import Element, parse_html
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from tests.surveys.helpers import find_all, text


def reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), "not a PDF"
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(data).pages]


def pdf_text(data: bytes) -> str:
    """The whole document's text, whitespace collapsed to single spaces."""
    return " ".join(" ".join(page_texts(data)).split())


def body_text(data: bytes) -> str:
    """The text of the pages without their running header and footer (the imprint and
    "Sida X av N").

    The margin boxes come last in each page's text: a paragraph that flows on to the
    next page reads as one.
    """
    bodies = []
    for page in page_texts(data):
        lines = page.rstrip("\n").split("\n")
        # The foot of the page: the imprint, then "Sida X av N".
        if lines and re.search(r"(^|\s)Sida \d+ av \d+$", lines[-1].strip()):
            lines = lines[:-2]
        bodies.append("\n".join(lines))
    return " ".join(" ".join(bodies).split())


def squeezed(value: str) -> str:
    """Text without any whitespace: compares wrapped text with its source."""
    return re.sub(r"\s+", "", value)


def page_numbers_ok(data: bytes) -> bool:
    """Every page carries its "Sida X av N" footer."""
    texts = page_texts(data)
    total = len(texts)
    return all(
        f"Sida {number} av {total}" in page
        for number, page in enumerate(texts, start=1)
    )


def _fonts(
    resources: DictionaryObject | None, seen: set[int]
) -> list[tuple[str, bool]]:
    """(font name, embedded) of the resources and of the forms (SVG charts) they use."""
    found: list[tuple[str, bool]] = []
    if resources is None:
        return found
    resources = resources.get_object()
    for ref in (resources.get("/Font") or {}).values():
        font = ref.get_object()
        if id(font) in seen:
            continue
        seen.add(id(font))
        if font.get("/Subtype") == "/Type3":
            # Glyphs drawn by the PDF itself: nothing to embed.
            found.append((str(font.get("/Name", "Type3")), True))
            continue
        described = font
        if font.get("/Subtype") == "/Type0":
            described = font["/DescendantFonts"][0].get_object()
        descriptor = described.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        embedded = any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        found.append((str(font.get("/BaseFont")), embedded))
    for ref in (resources.get("/XObject") or {}).values():
        form = ref.get_object()
        if form.get("/Subtype") == "/Form":
            found.extend(_fonts(form.get("/Resources"), seen))
    return found


def fonts(data: bytes) -> list[tuple[str, bool]]:
    """Every font the pages use, with whether its file is embedded."""
    seen: set[int] = set()
    found = []
    for page in reader(data).pages:
        found.extend(_fonts(page.get("/Resources"), seen))
    return found


@dataclass(frozen=True)
class Run:
    page: int
    x: float
    y: float
    text: str
    page_width: float


def text_runs(data: bytes) -> list[Run]:
    """Every piece of text with its start position in page units (points)."""
    runs: list[Run] = []
    for index, page in enumerate(reader(data).pages):
        width = float(page.mediabox.width)

        def visit(value, cm, tm, font, size, index=index, width=width):
            if value.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append(Run(index, x, y, value, width))

        page.extract_text(visitor_text=visit)
    return runs


def landscape_pages(data: bytes) -> list[int]:
    """The (0-based) indexes of the pages wider than high."""
    return [
        index
        for index, page in enumerate(reader(data).pages)
        if page.mediabox.width > page.mediabox.height
    ]


def html(document: str) -> Element:
    return parse_html(document)


def table_rows(table: Element) -> list[list[str]]:
    """The text of every cell, row by row (header rows included)."""
    return [
        [text(cell) for cell in row.children if isinstance(cell, Element)]
        for row in find_all(table, "tr")
    ]


# The structure of a tagged PDF (PDF/UA): the tree of structure elements, the outline
# and the identification in the XMP metadata.

PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
DC_NS = "http://purl.org/dc/elements/1.1/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass
class Tag:
    """A structure element: its type ("H1", "Table", "TH", "Figure"...) and children."""

    role: str
    node: DictionaryObject
    kids: list[Tag]

    @property
    def alt(self) -> str:
        return str(self.node.get("/Alt", ""))

    @property
    def attributes(self) -> dict:
        found = self.node.get("/A")
        return dict(found.get_object()) if found is not None else {}

    def walk(self) -> list[Tag]:
        """This element and every element below it, in document order."""
        found = [self]
        for kid in self.kids:
            found.extend(kid.walk())
        return found

    def find(self, role: str) -> list[Tag]:
        return [tag for tag in self.walk() if tag.role == role]


def _tag(node: DictionaryObject) -> Tag:
    kids = node.get("/K")
    children = []
    for kid in kids if isinstance(kids, list) else [kids]:
        if kid is None or not hasattr(kid, "get_object"):
            continue  # a marked-content id: the page content itself
        element = kid.get_object()
        if isinstance(element, DictionaryObject) and "/S" in element:
            children.append(_tag(element))
    return Tag(str(node["/S"]).lstrip("/"), node, children)


def catalog(data: bytes) -> DictionaryObject:
    return reader(data).trailer["/Root"]


def structure(data: bytes) -> Tag:
    """The root of the structure tree (the Document element)."""
    root = catalog(data)["/StructTreeRoot"].get_object()
    kids = root["/K"]
    (document,) = kids if isinstance(kids, list) else [kids]
    return _tag(document.get_object())


def outline(data: bytes) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), in order; level 1 at the top."""
    found: list[tuple[int, str]] = []

    def visit(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item, level + 1)
            else:
                found.append((level, " ".join(str(item.title).split())))

    visit(reader(data).outline, 1)
    return found


def xmp_values(data: bytes) -> dict[str, list[str]]:
    """Every property of the XMP metadata as {namespace}name → values (attribute or
    element form)."""
    import xml.etree.ElementTree as ET

    stream = catalog(data)["/Metadata"].get_object().get_data()
    rdf = stream[stream.index(b"<x:xmpmeta") : stream.index(b"</x:xmpmeta>") + 12]
    tree = ET.fromstring(rdf)  # noqa: S314 (our own PDF)
    parents = {child: parent for parent in tree.iter() for child in parent}
    values: dict[str, list[str]] = {}
    for element in tree.iter():
        for key, value in element.attrib.items():
            values.setdefault(key, []).append(value)
        if element.text and element.text.strip():
            key = element.tag
            if key == f"{{{RDF_NS}}}li":
                # An item of a list (rdf:Alt, rdf:Seq): the property two levels up.
                key = parents[parents[element]].tag
            values.setdefault(key, []).append(element.text.strip())
    return values
