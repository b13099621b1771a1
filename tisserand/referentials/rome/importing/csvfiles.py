"""Reading official CSV files strictly, with French errors naming file, line and column.

A file is read whole (they are a few MB), decoded strictly, split by the csv module, and each
record keeps the physical line where it starts. Anything unexpected raises
``ImportFileError`` before the database is touched.
"""

import bz2
import csv
import gc
import gzip
import io
import lzma
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tisserand.core.errors import DomainError

DELIMITER_NAMES = {",": "virgule", ";": "point-virgule", "|": "barre verticale", "\t": "tabulation"}
DECOMPRESSORS = {".gz": gzip.decompress, ".xz": lzma.decompress, ".bz2": bz2.decompress}


@contextmanager
def bulk_work():
    """Pauses the cyclic garbage collector while an import builds its hundreds of thousands
    of small, acyclic objects: each collection would walk them all again (a third of the
    import time on the ROME pack)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ImportRefused(DomainError):
    """An import that must not run (e.g. an older version than the one in place)."""


class ImportFileError(ImportRefused):
    """Bad input: stops the import; the message names the file, the line and the column."""

    def __init__(self, file, message, line=None, column=None):
        self.file, self.message, self.line, self.column = file, message, line, column
        super().__init__(str(self))

    def __str__(self):
        where = [f"fichier « {self.file} »"]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}"


@dataclass(frozen=True)
class SourceFile:
    """A file on disk or inside a zip archive, possibly compressed (.gz, .xz, .bz2)."""

    path: Path
    member: str = ""

    @property
    def name(self):
        return Path(self.member).name if self.member else self.path.name

    def read_bytes(self):
        if self.member:
            with zipfile.ZipFile(self.path) as archive:
                data = archive.read(self.member)
        else:
            data = self.path.read_bytes()
        decompress = DECOMPRESSORS.get(Path(self.name).suffix)
        if decompress is None:
            return data
        try:
            return decompress(data)
        except (OSError, EOFError, lzma.LZMAError):
            raise ImportFileError(self.name, "archive compressée illisible ou tronquée.") from None


def _decode(name, data, delimiter, encoding):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        prefix = data[start : error.start].decode(encoding, errors="replace")
        field_index = len(next(csv.reader([prefix], delimiter=delimiter), [""])) - 1
        column = _column_name(data, encoding, delimiter, field_index) if line > 1 else None
        raise ImportFileError(
            name,
            f"caractère invalide (octet 0x{data[error.start]:02X}) : le fichier doit être encodé "
            f"en {encoding.upper()} ; il semble encodé autrement (ISO-8859-15 / Windows-1252 ?). "
            "Réenregistrez-le en UTF-8.",
            line=line,
            column=column or f"n° {field_index + 1}",
        ) from None


def _column_name(data, encoding, delimiter, index):
    first_line = data.split(b"\n", 1)[0].decode(encoding, errors="replace").lstrip("\ufeff")
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    return header[index] if 0 <= index < len(header) else None


class Table:
    """The records of a CSV file (lists of fields), columns by name.

    Records are addressed by their index; the physical line where a record starts (quoted
    fields may span lines) is computed only when an error has to name it.
    """

    def __init__(self, name, header, rows, text, delimiter):
        self.name = name
        self.header = header
        self.rows = rows
        self.text = text
        self.delimiter = delimiter
        self.positions = {column: index for index, column in enumerate(header)}
        self._lines = None

    def __len__(self):
        return len(self.rows)

    def index(self, column):
        return self.positions[column]

    def line(self, index):
        """The line number (1 = header) where record ``index`` starts."""
        if self._lines is None:
            self._lines = _record_lines(self.text, self.delimiter)
        return self._lines[index]

    def error(self, index, column, message):
        return ImportFileError(self.name, message, line=self.line(index), column=column)

    # Whole-column checks: set operations at C speed; the slow search for the faulty record
    # only runs when there is one. ``indices`` maps a sub-list of values back to records.

    def column(self, name, indices=None):
        position = self.positions[name]
        rows = self.rows if indices is None else map(self.rows.__getitem__, indices)
        return [row[position] for row in rows]

    def _fail(self, name, values, is_bad, indices, message):
        at = next(i for i, value in enumerate(values) if is_bad(value))
        raise self.error(at if indices is None else indices[at], name, message(values[at]))

    def integers(self, name, values, indices=None):
        """``values`` as integers; refuses anything but digits."""
        if not all(map(str.isdigit, values)):
            self._fail(
                name,
                values,
                lambda value: not value.isdigit(),
                indices,
                lambda value: f"« {value} » n'est pas un nombre entier positif.",
            )
        return list(map(int, values))

    def matching(self, name, values, pattern, explanation, indices=None):
        if not all(map(pattern.fullmatch, values)):
            self._fail(
                name,
                values,
                lambda value: not pattern.fullmatch(value),
                indices,
                lambda value: f"« {value} » n'est pas valide : {explanation}",
            )
        return values

    def known(self, name, values, known, what, indices=None):
        """Every value must be a key of ``known``."""
        unknown = set(values).difference(known)
        if unknown:
            self._fail(
                name,
                values,
                unknown.__contains__,
                indices,
                lambda value: f"{what} « {value} » inconnu du référentiel.",
            )
        return values

    def choices(self, name, values, mapping, indices=None):
        """``values`` translated through ``mapping``; refuses values it does not have."""
        if not set(values).issubset(mapping):
            allowed = ", ".join(f"« {choice} »" for choice in mapping)
            self._fail(
                name,
                values,
                lambda value: value not in mapping,
                indices,
                lambda value: f"valeur « {value} » inattendue (valeurs permises : {allowed}).",
            )
        return list(map(mapping.__getitem__, values))

    def unique(self, name, keys, indices=None):
        if len(set(keys)) == len(keys):
            return keys
        first = {}
        for at, key in enumerate(keys):
            if key in first:
                shown = " – ".join(map(str, key)) if isinstance(key, tuple) else key
                row = at if indices is None else indices[at]
                earlier = first[key] if indices is None else indices[first[key]]
                raise self.error(
                    row, name, f"« {shown} » en double (déjà ligne {self.line(earlier)})."
                )
            first[key] = at
        return keys


def _record_lines(text, delimiter):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader, None)
    lines, start = [], reader.line_num + 1
    for fields in reader:
        if fields:
            lines.append(start)
        start = reader.line_num + 1
    return lines


def _failing_record(text, delimiter):
    """(line, number of fields read) of the record a strict reader cannot finish."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        pass
    rest = "\n".join(text.split("\n")[start - 1 :])
    fields = next(csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter), [])
    return start, len(fields)


def read_table(source, columns, delimiter=",", encoding="utf-8"):
    """The whole file as a ``Table``, checked: encoding, header, shape of every record."""
    name = source.name
    text = _decode(name, source.read_bytes(), delimiter, encoding).lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = _read_header(name, reader, columns, delimiter, text.split("\n", 1)[0])
    try:
        rows = list(filter(None, reader))
    except csv.Error:
        line, count = _failing_record(text, delimiter)
        raise ImportFileError(
            name,
            "fichier tronqué ou guillemet non fermé : la valeur commencée ici ne se termine pas.",
            line=line,
            column=header[min(max(count, 1), len(header)) - 1],
        ) from None
    table = Table(name, header, rows, text, delimiter)
    width = len(header)
    for index, size in enumerate(map(len, rows)):
        if size != width:
            _wrong_width(table, rows[index], index)
    return table


def _read_header(name, reader, columns, delimiter, first_line):
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise ImportFileError(name, "le fichier est vide.", line=1) from None
    except csv.Error:
        header = None
        problem = "en-tête illisible (guillemets mal placés ?)."
    missing = [column for column in columns if header is None or column not in header]
    if not missing:
        return header
    other = _delimiter_used(first_line, columns, delimiter)
    if other:
        raise ImportFileError(
            name,
            f"séparateur de colonnes inattendu : le fichier utilise le caractère « {other} » "
            f"({DELIMITER_NAMES.get(other, other)}), le séparateur attendu est « {delimiter} » "
            f"({DELIMITER_NAMES.get(delimiter, delimiter)}).",
            line=1,
            column=missing[0],
        )
    if header is None:
        raise ImportFileError(name, problem, line=1, column=columns[0])
    raise ImportFileError(
        name,
        f"colonne obligatoire absente de l'en-tête (colonnes attendues : {', '.join(columns)}).",
        line=1,
        column=missing[0],
    )


def _delimiter_used(first_line, columns, delimiter):
    """Another delimiter with which the header line holds the expected columns, if any."""
    for other in DELIMITER_NAMES:
        if other == delimiter:
            continue
        header = next(csv.reader([first_line], delimiter=other), [])
        if len(header) > 1 and columns[0] in [column.strip() for column in header]:
            return other
    return None


def _other_delimiter(header, delimiter):
    if len(header) > 1:
        return None
    joined = header[0] if header else ""
    return next((d for d in DELIMITER_NAMES if d != delimiter and d in joined), None)


def _wrong_width(table, fields, index):
    header, delimiter = table.header, table.delimiter
    if len(fields) < len(header):
        other = _other_delimiter(fields, delimiter) if len(fields) == 1 else None
        if other:
            message = f"séparateur « {other} » au lieu de « {delimiter} »."
        else:
            message = (
                f"{len(fields)} colonne(s) au lieu de {len(header)} : ligne incomplète "
                "(fichier tronqué ?)."
            )
        raise table.error(index, header[len(fields)], message)
    raise table.error(
        index,
        header[-1],
        f"{len(fields)} colonnes au lieu de {len(header)} : valeur en trop après la dernière "
        "colonne (séparateur ou guillemet mal placé ?).",
    )
