"""Strict reading of the published files: compressed or not, right encoding, right columns.

Any problem raises ``ImportFailed`` with a French message naming the file, the line and the
column, so that an import stops before writing anything.
"""

import csv
import gzip
import io
import lzma
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from tisserand.referentials.csv_records import unreadable_record
from tisserand.referentials.lengths import length_problem

COMPRESSED_SUFFIXES = (".xz", ".gz")
CANDIDATE_DELIMITERS = (";", ",", "|", "\t")
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "|": "barre verticale", "\t": "tabulation"}


class ImportFailed(Exception):
    """A file cannot be imported. The message is French and names where the problem is."""

    def __init__(self, filename, message, line=None, column=None, column_word="colonne"):
        self.filename = filename
        self.line = line
        self.column = column
        self.column_word = column_word
        self.reason = message
        super().__init__(self._describe())

    def _describe(self):
        where = [f"Fichier {self.filename}"]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if isinstance(self.column, int):
            where.append(f"colonne {self.column}")
        elif self.column is not None:
            where.append(f"{self.column_word} « {self.column} »")
        return ", ".join(where) + f" : {self.reason}"


@dataclass(frozen=True)
class CsvFormat:
    filename: str
    delimiter: str
    # The columns the import needs; others are allowed and ignored.
    columns: tuple
    # Lines to skip when they appear among the rows (e.g. a header repeated by a concatenation).
    ignored_rows: tuple = field(default=())
    # Other delimiters accepted as well (files saved by a spreadsheet use either).
    accepted_delimiters: tuple = field(default=())

    def with_delimiter(self, delimiter):
        return replace(self, delimiter=delimiter, accepted_delimiters=())


@dataclass(frozen=True)
class Row:
    line: int
    values: dict
    filename: str

    def __getitem__(self, column):
        return self.values[column]

    def fail(self, column, message):
        return ImportFailed(self.filename, message, line=self.line, column=column)

    def text(self, column, field, value=None):
        """The column's value (or ``value`` made from it), refused when too long for ``field``."""
        value = self[column] if value is None else value
        problem = length_problem(value, field)
        if problem:
            raise self.fail(column, problem)
        return value


def find_file(directory, filename):
    """``directory/filename``, or its ``.xz`` / ``.gz`` compressed version."""
    directory = Path(directory)
    for candidate in [filename, *(filename + suffix for suffix in COMPRESSED_SUFFIXES)]:
        path = directory / candidate
        if path.is_file():
            return path
    raise ImportFailed(filename, f"fichier introuvable dans {directory}.")


def read_bytes(path):
    """The file's content, decompressed when it ends with ``.xz`` or ``.gz``."""
    path = Path(path)
    try:
        if path.suffix == ".xz":
            return lzma.decompress(path.read_bytes())
        if path.suffix == ".gz":
            return gzip.decompress(path.read_bytes())
        return path.read_bytes()
    except (EOFError, lzma.LZMAError, gzip.BadGzipFile, zlib.error):
        raise ImportFailed(path.name, "fichier compressé illisible ou tronqué.") from None
    except FileNotFoundError:
        raise ImportFailed(path.name, "fichier introuvable.") from None
    except IsADirectoryError:
        raise ImportFailed(path.name, "c'est un dossier, pas un fichier.") from None
    except PermissionError:
        raise ImportFailed(path.name, "lecture refusée (droits du fichier).") from None
    except OSError:
        raise ImportFailed(path.name, "lecture impossible.") from None


def decode(data, filename, encoding="utf-8", delimiter=None, header=None):
    """Text of ``data``; on a wrong encoding, names the line (and the column for a CSV)."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = None
        if delimiter and header:
            index = data.count(delimiter.encode(), line_start, error.start)
            column = header[index] if index < len(header) else None
        byte = data[error.start : error.start + 1].hex().upper()
        raise ImportFailed(
            filename,
            f"caractère illisible en {encoding.upper()} (octet 0x{byte}) ; "
            f"le fichier doit être enregistré en {encoding.upper()}.",
            line=line,
            column=column,
        ) from None
    return text.removeprefix("\ufeff")


def _raw_header(data):
    first_line = data.split(b"\n", 1)[0]
    return first_line.decode("latin-1").removeprefix("ï»¿").rstrip("\r")


def _check_header(fmt, header_line):
    if not header_line.strip():
        raise ImportFailed(fmt.filename, "fichier vide : la ligne d'en-tête manque.", line=1)
    try:
        header = next(csv.reader([header_line], delimiter=fmt.delimiter))
    except csv.Error:
        record = unreadable_record(header_line, fmt.delimiter)
        raise ImportFailed(fmt.filename, record.reason, line=1, column=record.field + 1) from None
    header = [name.strip() for name in header]
    missing = [name for name in fmt.columns if name not in header]
    if not missing:
        return fmt, header
    found = _other_delimiter(fmt, header_line)
    if found in fmt.accepted_delimiters:
        return _check_header(fmt.with_delimiter(found), header_line)
    if found:
        raise ImportFailed(
            fmt.filename,
            f"séparateur « {found} » ({DELIMITER_NAMES[found]}) trouvé, "
            f"« {fmt.delimiter} » ({DELIMITER_NAMES[fmt.delimiter]}) attendu.",
            line=1,
        )
    raise ImportFailed(
        fmt.filename,
        "colonne obligatoire absente de l'en-tête (colonnes attendues : "
        + ", ".join(fmt.columns)
        + ").",
        line=1,
        column=missing[0],
    )


def _other_delimiter(fmt, header_line):
    for delimiter in CANDIDATE_DELIMITERS:
        if delimiter == fmt.delimiter:
            continue
        names = {name.strip() for name in header_line.split(delimiter)}
        if all(column in names for column in fmt.columns):
            return delimiter
    return None


def read_csv(path, fmt, encoding="utf-8"):
    """The rows of a CSV file as ``Row`` objects, after checking its encoding and header."""
    data = read_bytes(path)
    fmt, header = _check_header(fmt, _raw_header(data))
    text = decode(data, fmt.filename, encoding, fmt.delimiter, header)
    return list(_rows(text, fmt, header))


def _rows(text, fmt, header):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=fmt.delimiter, strict=True)
    ignored = {tuple(row) for row in fmt.ignored_rows}
    try:
        next(reader)
        for values in reader:
            line = reader.line_num
            if not values or tuple(v.strip() for v in values) in ignored:
                continue
            _check_width(fmt, header, values, line)
            yield Row(
                line, {n: v.strip() for n, v in zip(header, values, strict=True)}, fmt.filename
            )
    except csv.Error:
        record = unreadable_record(text, fmt.delimiter)
        raise ImportFailed(
            fmt.filename,
            record.reason,
            line=record.line,
            column=header[min(record.field, len(header) - 1)],
        ) from None


def _check_width(fmt, header, values, line):
    if len(values) < len(header):
        raise ImportFailed(
            fmt.filename,
            f"{len(values)} valeur(s) au lieu de {len(header)} : valeur manquante "
            "(fichier tronqué ou séparateur erroné ?).",
            line=line,
            column=header[len(values)],
        )
    if len(values) > len(header):
        raise ImportFailed(
            fmt.filename,
            f"{len(values)} valeurs au lieu de {len(header)} : valeur en trop "
            "(séparateur dans une valeur non protégée par des guillemets ?).",
            line=line,
        )
