"""Reading an uploaded file, the one way every import does it, refusing in French.

Each concern is decided once here, for every importer of the product:

- size: ``ImportFileField`` refuses a file over its limit (and an empty one) next to the field,
  and keeps only the last part of the file's name (no folder, no control character);
- text: ``decode`` reads UTF-8 (with or without BOM) and UTF-16 with its BOM, refuses another
  encoding or a NUL character naming the line and the column;
- CSV: ``csv_table`` guesses the separator (``;``, ``,`` or tab), reads strictly and names the
  line and the column of an unclosed quote or an oversized value, refuses a duplicated column;
- XLSX: ``workbook_rows`` opens the first sheet, refusing what is not a workbook, and
  ``xlsx_table`` gives its cells as text (numbers without « .0 », dates ISO, booleans oui/non);
- JSON: ``load_json`` names the line and the column of a syntax error, refuses ``NaN`` and
  ``Infinity`` and a nesting too deep to read;
- exports: ``safe_cell`` keeps a value that starts like a formula from being run by a
  spreadsheet (CSV/XLSX formula injection).

Every refusal is an ``UnreadableFile`` whose message is French; each importer turns it into its
own refusal.
"""

import codecs
import csv
import io
import json
import math
import re
import zipfile
from datetime import date, datetime, time

from django import forms

from tisserand.referentials.csv_records import unreadable_record

MEGABYTE = 1024 * 1024
DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
MAX_NAME = 200
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnreadableFile(Exception):
    """The file cannot be read: ``str(error)`` says why, in French."""


# --- Upload ---------------------------------------------------------------------------------


def size_label(limit):
    return f"{limit // MEGABYTE} Mo" if limit >= MEGABYTE else f"{limit // 1024} Ko"


def too_big_message(limit):
    return f"Le fichier est trop volumineux ({size_label(limit)} au plus)."


def clean_file_name(name):
    """« ..\\..\\dossier/offres.csv » → « offres.csv »: no folder, no control character."""
    name = re.split(r"[\\/]", str(name or ""))[-1]
    name = CONTROL.sub("", name).strip().lstrip(".")
    return name[-MAX_NAME:] or "fichier"


class ImportFileField(forms.FileField):
    """A file to import: not empty, not over ``max_bytes``, its name cleaned."""

    def __init__(self, *, max_bytes, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault("label", "Fichier")
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choisissez le fichier à importer.",
                "empty": "Le fichier est vide.",
                "invalid": "Aucun fichier n'a été envoyé : choisissez le fichier à importer.",
            },
        )
        super().__init__(**kwargs)
        self.help_text = " ".join(
            part for part in (self.help_text, f"{size_label(max_bytes)} au plus.") if part
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > self.max_bytes:
            raise forms.ValidationError(too_big_message(self.max_bytes), code="too_big")
        if upload:
            upload.name = clean_file_name(upload.name)
        return upload


def check_size(data, limit):
    if len(data) > limit:
        raise UnreadableFile(too_big_message(limit))


# --- Text -----------------------------------------------------------------------------------


def _position(text, index):
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _undecodable(data, error):
    line = data.count(b"\n", 0, error.start) + 1
    column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
    byte = data[error.start : error.start + 1].hex().upper()
    return UnreadableFile(
        f"Ligne {line}, position {column} : caractère illisible en UTF-8 (octet 0x{byte}) ; "
        "le fichier est peut-être enregistré en Latin-1 ou Windows-1252, ou n'est pas un "
        "fichier texte : enregistrez-le en UTF-8 (« CSV UTF-8 »)."
    )


def decode(data):
    """The text of ``data``: UTF-8 (BOM or not) or UTF-16 with its BOM; no NUL character."""
    if not data:
        raise UnreadableFile("Le fichier est vide.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(
                "Le fichier commence comme un texte UTF-16 mais est tronqué ou endommagé : "
                "enregistrez-le en UTF-8 (« CSV UTF-8 »)."
            ) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _undecodable(data, error) from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _position(text, nul)
        raise UnreadableFile(
            f"Ligne {line}, position {column} : caractère nul (0x00) ; le fichier n'est pas un "
            "texte lisible (fichier binaire, ou encodage inattendu)."
        )
    if not text.strip():
        raise UnreadableFile("Le fichier est vide.")
    return text


# --- CSV ------------------------------------------------------------------------------------


def sniff_delimiter(text):
    """The separator the first line uses most: ``;``, ``,`` or a tab (``,`` when none)."""
    first = text.splitlines()[0] if text else ""
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def check_unique_columns(header):
    """Refuses a header that names a column twice (which value would count?)."""
    first = {}
    for position, name in enumerate(header, start=1):
        if not name:
            continue
        if name in first:
            raise UnreadableFile(
                f"Ligne 1 : la colonne « {name} » figure deux fois dans l'en-tête "
                f"(colonnes {first[name]} et {position}) ; gardez-en une seule."
            )
        first[name] = position


def csv_table(text, *, delimiter=None, lower=False):
    """``(header, rows)``: the header's names stripped, each row ``(line, values)`` where
    ``line`` is the line of the file the record starts on; blank records left out."""
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        header = next(reader, [])
        start = reader.line_num + 1
        for values in reader:
            if any(value.strip() for value in values):
                rows.append((start, values))
            start = reader.line_num + 1
    except csv.Error:
        problem = unreadable_record(text, delimiter)
        raise UnreadableFile(
            f"Ligne {problem.line}, colonne {problem.field + 1} : {problem.reason}"
        ) from None
    header = [name.strip().lower() if lower else name.strip() for name in header]
    if not any(header):
        raise UnreadableFile("Le fichier est vide : la ligne d'en-tête manque.")
    check_unique_columns(header)
    return header, rows


def missing_columns_message(missing, header, delimiter=None):
    """« Ligne 1 : colonnes obligatoires absentes : … », with a hint when the separator found
    in the header is not the one the file seems to use."""
    message = "Ligne 1 : colonne(s) obligatoire(s) absente(s) : « " + " », « ".join(missing) + " »"
    if len(header) == 1 and delimiter is not None:
        message += (
            f" ; l'en-tête ne forme qu'une colonne : le séparateur attendu est le point-virgule, "
            f"la virgule ou la tabulation (trouvé : {DELIMITER_NAMES.get(delimiter, delimiter)})"
        )
    return message + "."


# --- XLSX -----------------------------------------------------------------------------------


def is_zip(data):
    return data[:4] == b"PK\x03\x04"


def workbook_rows(data):
    """The rows (tuples of raw cell values) of the first sheet of an XLSX workbook."""
    from openpyxl import load_workbook

    if not is_zip(data):
        raise UnreadableFile(
            "Ce fichier n'est pas un classeur XLSX (Excel 2007 ou plus récent, ou LibreOffice "
            "enregistré au format .xlsx)."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise UnreadableFile("Le classeur XLSX est tronqué ou endommagé.") from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnreadableFile("Cette archive ZIP n'est pas un classeur XLSX.")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = book.worksheets
        if not sheets:
            raise UnreadableFile("Le classeur n'a aucune feuille.")
        rows = list(sheets[0].iter_rows(values_only=True))
        book.close()
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 - openpyxl and its XML parser raise many kinds
        raise UnreadableFile("Le classeur XLSX est illisible ou endommagé.") from None
    if not rows or not any(cell not in (None, "") for cell in rows[0]):
        raise UnreadableFile(
            "La première feuille du classeur est vide : la ligne d'en-tête manque."
        )
    return rows


def cell_text(value):
    """A cell as the text a CSV would hold: 2.0 → « 2 », a date → « 2026-12-31 »."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def xlsx_table(data, *, lower=False):
    """``(header, rows)`` of the first sheet, as ``csv_table`` gives them, cells as text; each
    row as wide as the header (cells past the last named column are left out)."""
    rows = workbook_rows(data)
    header = [cell_text(value) for value in rows[0]]
    header = [name.lower() if lower else name for name in header]
    while header and not header[-1]:
        header.pop()
    check_unique_columns(header)
    table = []
    for line, values in enumerate(rows[1:], start=2):
        cells = [cell_text(value) for value in values][: len(header)]
        cells += [""] * (len(header) - len(cells))
        if any(cells):
            table.append((line, cells))
    return header, table


def table(data, file_name="", *, lower=False):
    """``(header, rows)`` of a CSV or XLSX file, recognised by its content."""
    if is_zip(data) or file_name.lower().endswith(".xlsx"):
        return xlsx_table(data, lower=lower)
    return csv_table(decode(data), lower=lower)


# --- JSON -----------------------------------------------------------------------------------

JSON_REASONS = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de propriété entre guillemets "
    "doubles attendu",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Unterminated string starting at": "texte entre guillemets non terminé",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
    "Extra data": "données en trop après la fin du JSON",
    "Illegal trailing comma before end of object": "virgule en trop avant « } »",
    "Illegal trailing comma before end of array": "virgule en trop avant « ] »",
}


ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _refuse_constant(name):
    raise ValueError(name)


def _finite(text):
    """A JSON number as a float, refused when too large to be one (« 1e309 »)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def load_json(data):
    """The value of a JSON file (bytes or text), or ``UnreadableFile`` naming where it stops."""
    text = decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    if not text.strip():
        raise UnreadableFile("Le fichier est vide.")
    escaped_nul = ESCAPED_NUL.search(text)
    if escaped_nul:
        line, column = _position(text, escaped_nul.start())
        raise UnreadableFile(
            f"JSON refusé, ligne {line}, colonne {column} : un texte contient le caractère nul "
            "(\\u0000), qu'aucune valeur ne peut contenir."
        )
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError as error:
        reason = JSON_REASONS.get(error.msg, "syntaxe JSON invalide")
        raise UnreadableFile(
            f"JSON illisible, ligne {error.lineno}, colonne {error.colno} : {reason}."
        ) from None
    except ValueError as error:  # NaN, Infinity, or an integer too long to read
        raise UnreadableFile(
            f"JSON refusé : « {str(error)[:20]} » n'est pas une valeur JSON acceptée "
            "(nombre infini, non défini, ou trop long)."
        ) from None
    except RecursionError:
        raise UnreadableFile(
            "JSON refusé : les valeurs sont imbriquées trop profondément pour être lues."
        ) from None


# --- Exports --------------------------------------------------------------------------------


def safe_cell(value):
    """A text an export writes, kept from running as a spreadsheet formula: a value starting
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    """``safe_cell`` of every value of a row."""
    return [safe_cell(value) for value in values]
