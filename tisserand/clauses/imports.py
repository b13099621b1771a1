"""Import of a lot's monthly declarations from the XLSX template: a preview of what will be
created, updated or left unchanged, with a French error naming each refused line and field; a
file with any error writes nothing; importing the same file again changes nothing.

The preview carries the rows it read in a signed token, so the confirmation writes exactly what
was previewed (checked again, in one transaction).
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.db import transaction
from django.db.models import Q

from tisserand.clauses import services
from tisserand.clauses.models import Declaration, DeclarationSource, DeclarationStatus, Participant
from tisserand.referentials import uploads

COLUMNS = ("identifiant", "prénom", "nom", "mois (aaaa-mm)", "heures")
SALT = "clauses.declarations.import"
MAX_ROWS = 5000


@dataclass
class Line:
    number: int
    participant: object = None
    month: datetime.date | None = None
    hours: Decimal | None = None
    action: str = ""
    errors: list = field(default_factory=list)

    @property
    def action_label(self):
        return {"create": "à créer", "update": "à mettre à jour", "same": "inchangée"}.get(
            self.action, "refusée"
        )


@dataclass
class Preview:
    lines: list
    file_error: str = ""

    @property
    def errors(self):
        return [line for line in self.lines if line.errors]

    @property
    def accepted(self):
        return not self.file_error and not self.errors and bool(self.lines)

    def count(self, action):
        return sum(1 for line in self.lines if line.action == action and not line.errors)

    @property
    def counts(self):
        return {
            "create": self.count("create"),
            "update": self.count("update"),
            "same": self.count("same"),
            "rejected": len(self.errors),
        }

    def token(self):
        return signing.dumps(
            [
                [str(line.participant.public_id), line.month.isoformat(), str(line.hours)]
                for line in self.lines
            ],
            salt=SALT,
            compress=True,
        )


def template_xlsx(lot, participants):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Déclarations"
    sheet.append(list(COLUMNS))
    for participant in participants:
        sheet.append(
            uploads.safe_row(
                [str(participant.public_id), participant.first_name, participant.last_name]
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(lot, data, participants):
    """The preview of ``data`` (the bytes of an XLSX file) for ``lot``."""
    try:
        rows = uploads.workbook_rows(data)
    except uploads.UnreadableFile as error:
        return Preview([], str(error))
    header = tuple(uploads.cell_text(cell).lower() for cell in rows[0][: len(COLUMNS)])
    if header != COLUMNS:
        return Preview([], f"Ligne 1 : la première ligne doit être : {', '.join(COLUMNS)}.")
    if len(rows) - 1 > MAX_ROWS:
        return Preview([], f"Au plus {MAX_ROWS} lignes par fichier.")
    raw = [
        (number, row[0], row[3], row[4])
        for number, row in enumerate(rows[1:], start=2)
        if len(row) >= len(COLUMNS)
        and any(cell not in (None, "") for cell in row[:5])
        and row[4] not in (None, "")
    ]
    if not raw:
        return Preview([], "Le classeur n'a aucune ligne d'heures après la ligne d'en-tête.")
    return check(lot, raw, participants)


MONTH = re.compile(r"\d{4}-\d{2}(-\d{2})?")  # « 2025-03 », or a day of the month


def _month(value):
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = str(value).strip()
    if not MONTH.fullmatch(text):
        return None
    try:
        return datetime.datetime.strptime(text[:7], "%Y-%m").date()
    except ValueError:
        return None


HOURS = Declaration._meta.get_field("hours")
HOURS_LIMIT = Decimal(10 ** (HOURS.max_digits - HOURS.decimal_places)) - 1


def _hours(value):
    """« 12,5 », 12.5 or « 12.5 » → Decimal("12.5"); None when not a number of hours the
    declaration can store (negative, infinite, too many digits or decimals)."""
    if isinstance(value, bool):
        return None
    try:
        hours = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None
    if not hours.is_finite() or hours < 0 or hours > HOURS_LIMIT:
        return None
    if hours != hours.quantize(Decimal(1).scaleb(-HOURS.decimal_places)):
        return None
    return hours


def check(lot, raw, participants):
    """Lines from ``(line number, participant id, month, hours)``, each checked."""
    by_id = {str(p.public_id): p for p in participants}
    existing = {
        (d.participant_id, d.month): d
        for d in Declaration.objects.filter(lot=lot).only(
            "participant_id", "month", "hours", "status"
        )
    }
    lines, seen = [], set()
    for number, identifier, month_value, hours_value in raw:
        line = Line(number)
        line.participant = by_id.get(str(identifier or "").strip())
        if line.participant is None:
            line.errors.append(
                f"ligne {number}, colonne identifiant : participant inconnu sur ce lot."
            )
        line.month = _month(month_value)
        if line.month is None:
            line.errors.append(
                f"ligne {number}, colonne mois : « {month_value} » n'est pas un mois aaaa-mm."
            )
        line.hours = _hours(hours_value)
        if line.hours is None:
            line.errors.append(
                f"ligne {number}, colonne heures : « {str(hours_value)[:20]} » n'est pas un "
                f"nombre d'heures positif (au plus {HOURS_LIMIT}, une décimale)."
            )
        if not line.errors:
            try:
                services.check_declaration(line.participant, lot, line.month, line.hours)
            except services.ClauseError as error:
                line.errors.append(f"ligne {number}, colonne {_column_of(error)} : {error}")
        if not line.errors:
            key = (line.participant.pk, line.month)
            if key in seen:
                line.errors.append(
                    f"ligne {number} : ce participant et ce mois figurent deux fois."
                )
            seen.add(key)
            current = existing.get(key)
            if current is None:
                line.action = "create"
            elif current.hours == line.hours:
                line.action = "same"
            elif current.status == DeclarationStatus.VALIDATED:
                line.errors.append(
                    f"ligne {number}, colonne heures : les heures de {line.month:%m/%Y} sont "
                    "validées ; rouvrez la déclaration pour les modifier."
                )
            else:
                line.action = "update"
        lines.append(line)
    return Preview(lines)


def _column_of(error):
    if isinstance(error, services.MonthOutsideContract):
        return "mois"
    if isinstance(error, services.NotEligible):
        return "identifiant"
    return "heures"


def from_token(lot, token, participants):
    try:
        rows = signing.loads(token, salt=SALT, max_age=3600)
    except signing.BadSignature:
        return Preview([], "L'aperçu a expiré : déposez le fichier à nouveau.")
    return check(lot, [(i, p, m, h) for i, (p, m, h) in enumerate(rows, start=2)], participants)


@transaction.atomic
def write(lot, preview, *, actor):
    """Writes an accepted preview; returns the number of lines created or updated."""
    if not preview.accepted:
        raise services.ClauseError("Le fichier comporte des erreurs : rien n'a été enregistré.")
    written = 0
    for line in preview.lines:
        if line.action == "same":
            continue
        services.declare(
            data={
                "participant": line.participant,
                "lot": lot,
                "month": line.month,
                "hours": line.hours,
            },
            actor=actor,
            source=DeclarationSource.IMPORT,
        )
        written += 1
    return written


def lot_participants(lot):
    """Participants who may be declared on ``lot``: those of the operation's structure employed
    by the holder, a co-contractor or a subcontractor of the lot (or by no company recorded),
    and those already declared on it."""
    companies = [lot.holder_id, *lot.co_contractors.values_list("pk", flat=True)]
    companies += list(lot.subcontractors.values_list("pk", flat=True))
    on_lot = Declaration.objects.filter(lot=lot).values("participant_id")
    return (
        Participant.objects.filter(structure_id=lot.contract.operation.structure_id)
        .filter(Q(employer_id__in=companies) | Q(employer__isnull=True) | Q(pk__in=on_lot))
        .order_by("last_name", "first_name", "id")
    )
