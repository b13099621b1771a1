"""What both formats produce: one draft per offer (a dict of ``JobOffer`` field values plus
the clues used to tie it to the ROME, the company record and the commune), checked against
the model's lengths (a text too long is an error, never cut)."""

from datetime import date, datetime

from django.utils import timezone

from tisserand.opportunities.models import JobOffer

CLUES = ("appellation_code", "siret", "commune_insee")


def max_lengths():
    return {
        field.name: field.max_length
        for field in JobOffer._meta.get_fields()
        if getattr(field, "max_length", None) and not field.is_relation
    }


LENGTHS = max_lengths()


def length_errors(draft):
    """(field, message) for every text longer than its column."""
    return [
        (name, f"texte trop long ({len(value)} caractères, {LENGTHS[name]} au plus)")
        for name, value in draft.items()
        if name in LENGTHS and isinstance(value, str) and len(value) > LENGTHS[name]
    ]


def parse_datetime(value):
    """ISO 8601 (« 2026-11-30T10:12:00.000Z »), aware; raises ValueError."""
    if not isinstance(value, str) or not value:
        raise ValueError("date attendue au format ISO (AAAA-MM-JJTHH:MM:SS)")
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"date illisible « {value} » (format ISO attendu)") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_day(value):
    """« 31/12/2026 » or « 2026-12-31 »; raises ValueError."""
    text = str(value or "").strip()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"date illisible « {text} » (jj/mm/aaaa attendu)")
