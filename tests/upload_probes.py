"""Malformed variants of every upload format, and what every refusal must be: a page (no 500),
a French message (no traceback, no English), nothing written.

A format's tests describe one valid file (``TableSpec`` for CSV/XLSX, a value for JSON); the
variants below spoil it in every way a file arrives spoilt. Each variant says whether the
import must still read it (a BOM, CRLF, a tab separator…) or must refuse it.
"""

import codecs
import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

READ, REFUSED, EITHER = "read", "refused", "either"  # EITHER: read or refused, never a 500
BIG = 140_000  # over the csv module's 131 072 characters a field
ENGLISH = re.compile(
    r"Traceback|Exception|\bError\b|Expecting|invalid start byte|codec|field larger|"
    r"\bline \d|No file was submitted|The submitted file|is empty|Ensure this|"
    r"not a zip|KeyError|NoneType|object has no"
)


@dataclass
class Variant:
    name: str
    data: bytes
    expected: str
    file_name: str = ""


@dataclass
class TableSpec:
    """One valid file of a tabular format: its columns and one or more valid rows."""

    columns: list
    rows: list  # dicts, one per line
    required: str  # a column the import cannot do without
    text_column: str  # a column stored in a model field with a max_length
    text_limit: int
    bad_values: dict = field(default_factory=dict)  # column → values the import must refuse
    delimiter: str = ";"
    file_name: str = "fichier.csv"

    def csv_text(self, *, columns=None, rows=None, delimiter=None, newline="\n"):
        buffer = io.StringIO()
        delimiter = delimiter or self.delimiter
        columns = columns or self.columns
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
        writer.writerow(columns)
        for row in self.rows if rows is None else rows:
            writer.writerow([row.get(name, "") for name in columns])
        return buffer.getvalue()

    def csv(self, **kwargs):
        return self.csv_text(**kwargs).encode()

    def changed(self, column, value):
        return [{**self.rows[0], column: value}, *self.rows[1:]]

    def xlsx(self, *, rows=None, sheets=(), cells=None):
        book = Workbook()
        sheet = book.active
        sheet.append(self.columns)
        for row in self.rows if rows is None else rows:
            sheet.append([row.get(name, "") for name in self.columns])
        for name, value in (cells or {}).items():
            sheet[name] = value
        for title in sheets:
            book.create_sheet(title).append(["autre", "feuille"])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def empty_workbook():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


BINARY = bytes(range(256)) * 4
NOT_XLSX_ZIP = _zip({"lisez-moi.txt": "bonjour", "data.csv": "a;b\n1;2\n"})


def file_variants():
    """What is wrong whatever the format: empty, binary, a damaged archive."""
    return [
        Variant("vide", b"", REFUSED),
        Variant("blancs", b"  \n\r\n  \n", REFUSED),
        Variant("binaire", BINARY, REFUSED),
        Variant("gzip", b"\x1f\x8b\x08\x00" + BINARY, REFUSED),
        Variant("zip-tronque", NOT_XLSX_ZIP[:60], REFUSED),
        Variant("zip-pas-xlsx", NOT_XLSX_ZIP, REFUSED),
        Variant("nul", b"\x00" * 64, REFUSED),
    ]


def csv_variants(spec):
    text = spec.csv_text()
    header, _, body = text.partition("\n")
    first_row = body.split("\n", 1)[0]
    other = "," if spec.delimiter != "," else ";"
    without = [name for name in spec.columns if name != spec.required]
    variants = [
        *file_variants(),
        Variant("en-tete-seul", (header + "\n").encode(), REFUSED),
        Variant("bom", codecs.BOM_UTF8 + text.encode(), READ),
        Variant("utf16", text.encode("utf-16"), READ),
        Variant("utf16-sans-bom", text.encode("utf-16-le"), REFUSED),
        Variant("crlf", text.replace("\n", "\r\n").encode(), READ),
        Variant("cr", text.replace("\n", "\r").encode(), READ),
        Variant("tabulation", spec.csv(delimiter="\t"), READ),
        Variant("autre-separateur", spec.csv(delimiter=other), READ),
        Variant(
            "separateurs-melanges",
            (header + "\n" + first_row.replace(spec.delimiter, other) + "\n").encode(),
            REFUSED,
        ),
        Variant("colonne-absente", spec.csv(columns=without), REFUSED),
        Variant("colonne-en-double", spec.csv(columns=[*spec.columns, spec.required]), REFUSED),
        Variant("colonnes-inconnues", spec.csv(columns=[*spec.columns, "inconnue", "autre"]), READ),
        Variant(
            "guillemet-non-ferme", (text + '"ouvert' + spec.delimiter + "x\n").encode(), REFUSED
        ),
        Variant(
            "guillemet-mal-place", (header + '\n"a"b' + spec.delimiter + "c\n").encode(), REFUSED
        ),
        Variant("nul-dans-une-valeur", text.replace("\n", "\x00\n", 2).encode(), REFUSED),
        Variant(
            "valeur-de-140-ko", spec.csv(rows=spec.changed(spec.text_column, "x" * BIG)), REFUSED
        ),
        Variant(
            "trop-long-pour-la-colonne",
            spec.csv(rows=spec.changed(spec.text_column, "é" * (spec.text_limit + 1))),
            REFUSED,
        ),
        Variant(
            "latin1",
            spec.csv(rows=spec.changed(spec.text_column, "Hélène")).decode().encode("latin-1"),
            REFUSED,
        ),
        Variant(
            "cp1252",
            spec.csv(rows=spec.changed(spec.text_column, "Œuvre – été")).decode().encode("cp1252"),
            REFUSED,
        ),
    ]
    for column, values in spec.bad_values.items():
        for value in values:
            variants.append(
                Variant(
                    f"{column}={value[:20]}", spec.csv(rows=spec.changed(column, value)), REFUSED
                )
            )
    return variants


def xlsx_variants(spec, *, date_column=None, date_serial_ok=True):
    """XLSX files: not a zip, a zip that is not XLSX, empty, several sheets, formulas."""
    xlsx_name = spec.file_name.rsplit(".", 1)[0] + ".xlsx"
    formula_cell = f"{chr(ord('A') + spec.columns.index(spec.text_column))}2"
    variants = [
        Variant("xlsx", spec.xlsx(), READ, xlsx_name),
        Variant("xlsx-texte", spec.csv(), EITHER, xlsx_name),
        Variant("xlsx-binaire", BINARY, REFUSED, xlsx_name),
        Variant("xlsx-zip-pas-xlsx", NOT_XLSX_ZIP, REFUSED, xlsx_name),
        Variant("xlsx-tronque", spec.xlsx()[:300], REFUSED, xlsx_name),
        Variant("xlsx-vide", empty_workbook(), REFUSED, xlsx_name),
        Variant("xlsx-en-tete-seul", spec.xlsx(rows=[]), REFUSED, xlsx_name),
        Variant("xlsx-plusieurs-feuilles", spec.xlsx(sheets=["Aide", "Autre"]), READ, xlsx_name),
        Variant("xlsx-formule", spec.xlsx(cells={formula_cell: "=1+1"}), EITHER, xlsx_name),
        Variant(
            "xlsx-trop-long",
            spec.xlsx(rows=spec.changed(spec.text_column, "é" * (spec.text_limit + 1))),
            REFUSED,
            xlsx_name,
        ),
    ]
    if date_column:
        cell = f"{chr(ord('A') + spec.columns.index(date_column))}2"
        variants.append(
            Variant(
                "xlsx-date-en-nombre",
                spec.xlsx(cells={cell: 46022}),
                READ if date_serial_ok else REFUSED,
                xlsx_name,
            )
        )
    return variants


def xlsx_value_variants(spec):
    """The spec's bad values, in a workbook's cells."""
    xlsx_name = spec.file_name.rsplit(".", 1)[0] + ".xlsx"
    return [
        Variant(
            f"xlsx-{column}={value!s:.20}",
            spec.xlsx(rows=spec.changed(column, value)),
            REFUSED,
            xlsx_name,
        )
        for column, values in spec.bad_values.items()
        for value in values
    ]


def json_variants(valid, *, records_key=None, required_key, text_key, text_limit):
    """JSON files: not JSON, the wrong top-level type, keys missing, nulls, wrong types,
    deep nesting, NaN and infinite numbers. ``valid`` is a list of records (dicts)."""

    def wrap(records):
        return {records_key: records} if records_key else records

    def dump(records):
        return json.dumps(wrap(records), ensure_ascii=False).encode()

    first = valid[0]
    missing = {key: value for key, value in first.items() if key != required_key}
    text = dump(valid).decode()
    variants = [
        *file_variants(),
        Variant("bom", codecs.BOM_UTF8 + dump(valid), READ),
        Variant("utf16", text.encode("utf-16"), READ),
        Variant("crlf", json.dumps(wrap(valid), indent=1).replace("\n", "\r\n").encode(), READ),
        Variant("pas-du-json", b"ceci n'est pas du JSON", REFUSED),
        Variant("json-tronque", text[: len(text) // 2].encode(), REFUSED),
        Variant(
            "virgule-en-trop",
            text[:-1].encode() + b",]" if text.endswith("]") else text[:-1].encode() + b",}",
            REFUSED,
        ),
        Variant("texte", b'"une offre"', REFUSED),
        Variant("nombre", b"12", REFUSED),
        Variant("null", b"null", REFUSED),
        Variant("liste-de-nombres", dump([1, 2, 3]), REFUSED),
        Variant("liste-de-listes", dump([[first]]), REFUSED),
        Variant("cle-absente", dump([missing]), REFUSED),
        Variant("cle-nulle", dump([{**first, required_key: None}]), REFUSED),
        Variant("cle-liste", dump([{**first, required_key: ["a", "b"]}]), REFUSED),
        Variant("cle-objet", dump([{**first, required_key: {"a": 1}}]), REFUSED),
        Variant("tout-nul", dump([dict.fromkeys(first)]), REFUSED),
        Variant("trop-long", dump([{**first, text_key: "é" * (text_limit + 1)}]), REFUSED),
        Variant("valeur-de-140-ko", dump([{**first, text_key: "x" * BIG}]), REFUSED),
        Variant("nul-dans-un-texte", dump([{**first, text_key: "a\u0000b"}]), REFUSED),
        Variant("nul-brut", text.replace(",", ",\x00", 1).encode(), REFUSED),
        Variant("imbrication", b"[" * 100_000 + b"]" * 100_000, REFUSED),
        Variant("nan", text.replace("[", "[NaN, ", 1).encode(), REFUSED),
        Variant("infini", text.replace("[", "[1e309, ", 1).encode(), REFUSED),
        Variant(
            "latin1",
            dump([{**first, text_key: "Hélène"}]).decode().encode("latin-1", "replace"),
            REFUSED,
        ),
    ]
    if records_key:
        variants.append(
            Variant("cle-racine-absente", json.dumps({"autre": valid}).encode(), REFUSED)
        )
        variants.append(
            Variant("racine-pas-liste", json.dumps({records_key: "x"}).encode(), REFUSED)
        )
    return variants


def upload(variant, default_name):
    return SimpleUploadedFile(variant.file_name or default_name, variant.data)


def assert_french_page(response):
    """A page, not an error: status 200 or a redirect, and no English error in it."""
    assert response.status_code in (200, 302), response.status_code
    page = response.content.decode()
    found = ENGLISH.search(_visible(page))
    assert found is None, f"anglais dans la page : {found.group(0)!r}"
    return page


def _visible(page):
    """The text of a page without its tags, scripts and attributes."""
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def assert_french(message):
    assert message and ENGLISH.search(message) is None, message


def ids(variants):
    return [variant.name for variant in variants]
