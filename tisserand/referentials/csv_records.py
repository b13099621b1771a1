"""Why a strict CSV reader stopped, in French: the record, the field and the reason.

The csv module stops with an English message and no position when a quote is not closed or
misplaced, or when a field exceeds its size limit (131 072 characters). The importers call
``unreadable_record`` on their error path to name the line and the field instead.
"""

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass

UNCLOSED_QUOTE = (
    "fichier tronqué ou guillemet non fermé : la valeur commencée ici ne se termine pas."
)
MISPLACED_QUOTE = (
    "guillemet mal placé : une valeur entre guillemets doit être suivie du séparateur ou de la "
    "fin de la ligne (doublez les guillemets qui font partie de la valeur)."
)


@dataclass(frozen=True)
class Unreadable:
    line: int  # where the record starts (1 = first line of the file)
    field: int  # index of the faulty field in the record
    reason: str


def _reader(text, delimiter, strict):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)


@contextmanager
def _unlimited_fields():
    previous = csv.field_size_limit(2**31 - 1)
    try:
        yield previous
    finally:
        csv.field_size_limit(previous)


def _closes_with_a_quote(rest, delimiter):
    """Whether the record reads once a quote is added at the end: the file stops inside it."""
    try:
        next(_reader(rest + '"', delimiter, strict=True), None)
    except csv.Error:
        return False
    return True


def unreadable_record(text, delimiter):
    """The first record of ``text`` that a strict reader cannot read."""
    reader = _reader(text, delimiter, strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        pass
    rest = "\n".join(text.split("\n")[start - 1 :])
    with _unlimited_fields() as limit:
        try:
            fields = next(_reader(rest, delimiter, strict=True), [])
        except csv.Error:
            fields = next(_reader(rest, delimiter, strict=False), [])
            reason = UNCLOSED_QUOTE if _closes_with_a_quote(rest, delimiter) else MISPLACED_QUOTE
            return Unreadable(start, max(len(fields), 1) - 1, reason)
    at = next((at for at, value in enumerate(fields) if len(value) > limit), None)
    if at is None:
        return Unreadable(start, max(len(fields), 1) - 1, MISPLACED_QUOTE)
    return Unreadable(
        start,
        at,
        f"valeur de {len(fields[at])} caractères : le lecteur en accepte {limit} au plus "
        "(guillemet mal placé ?).",
    )
