"""The satisfaction question put to a company's leader once their need is closed.

The daily check (``tasks.check_due``) finds each need closed (with help, without help, or not
reachable) since at least a day, without a question yet, whose contact consented to be
contacted and has an e-mail address, and sends them a personal link. The token travels in the
link only: its SHA-256 digest is stored (``SatisfactionRequest.token_digest``); the link works
once (``answered_at``) and expires after ``VALID_DAYS`` days. A wrong, used or expired token
is refused with the same French message, and nothing changes.

The answers (contacted? useful? what it led to) are aggregated per structure
(``by_structure``): a need's answer counts for each structure that closed its assignment.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tisserand.companies.models import (
    AssignmentStatus,
    Need,
    NeedAssignment,
    NeedStatus,
    SatisfactionRequest,
)
from tisserand.companies.needs import CLOSED_NEED_STATUSES, filter_status, with_status
from tisserand.companies.services import CompanyError
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.core.site import site_url

VALID_DAYS = 30
# Closed since at least this long (the leader is not asked the same minute).
DELAY = timedelta(days=1)
# Needs closed longer ago than this are not asked any more.
HORIZON = timedelta(days=60)
ANSWERING_STATUSES = (
    AssignmentStatus.DONE,
    AssignmentStatus.DONE_NO_HELP,
    AssignmentStatus.NOT_REACHABLE,
)


class SatisfactionRefused(CompanyError):
    """A wrong, used or expired link."""


REFUSED = "Ce lien n'est pas valable : il a déjà servi, il a expiré ou il est incorrect."


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def due(now=None):
    """Needs whose leader should now be asked (closed, no question yet, a consenting contact
    with an e-mail address)."""
    now = now or timezone.now()
    last_closed = NeedAssignment.objects.filter(status__in=ANSWERING_STATUSES)
    return (
        filter_status(Need.objects.all(), *CLOSED_NEED_STATUSES)
        .filter(
            satisfaction__isnull=True,
            contact__consents_to_contact=True,
            contact__is_active=True,
        )
        .exclude(contact__email="")
        .filter(
            pk__in=last_closed.filter(
                closed_at__lte=now - DELAY, closed_at__gte=now - HORIZON
            ).values("need")
        )
        .order_by("pk")
    )


def issue(need_id, now=None):
    """Sends the question for one need if still due (never twice: the one-to-one row is the
    claim); returns the token, or None."""
    now = now or timezone.now()
    need = due(now).select_related("contact", "subject", "establishment").filter(pk=need_id).first()
    if need is None:
        return None
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            request = SatisfactionRequest.objects.create(
                need=need,
                email=need.contact.email,
                token_digest=digest(token),
                sent_at=now,
                expires_at=now + timedelta(days=VALID_DAYS),
            )
    except IntegrityError:
        return None
    link = site_url() + reverse("companies:satisfaction_answer", args=[token])
    context = {"need": need, "contact": need.contact, "link": link, "days": VALID_DAYS}
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Votre avis sur l'aide reçue",
        message=render_to_string("companies/needs/email/satisfaction.txt", context),
        from_email=None,
        recipient_list=[request.email],
    )
    timeline.record(
        need,
        TimelineEvent.Verb.ACTION,
        f"Question de satisfaction envoyée pour le besoin « {need.subject} »",
        about=need.establishment,
    )
    return token


def find(token, now=None):
    """The open request of ``token``, or raises ``SatisfactionRefused``."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        raise SatisfactionRefused(REFUSED)
    request = (
        SatisfactionRequest.objects.select_related("need__subject", "need__establishment")
        .filter(token_digest=digest(token), answered_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if request is None:
        raise SatisfactionRefused(REFUSED)
    return request


@transaction.atomic
def answer(token, *, data, now=None):
    """Records the leader's answer (``data``: contacted, useful, outcome), once."""
    now = now or timezone.now()
    request = find(token, now)
    updated = SatisfactionRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(
        answered_at=now,
        contacted=data.get("contacted"),
        useful=data.get("useful"),
        outcome=(data.get("outcome") or "").strip(),
    )
    if not updated:
        raise SatisfactionRefused(REFUSED)
    timeline.record(
        request.need,
        TimelineEvent.Verb.ACTION,
        f"Le dirigeant a répondu à la question de satisfaction (« {request.need.subject} »)",
        about=request.need.establishment,
    )
    request.refresh_from_db()
    return request


@dataclass(frozen=True)
class StructureSatisfaction:
    structure_id: int
    name: str
    asked: int
    answered: int
    contacted: int
    useful: int

    def rate(self, count):
        return round(100 * count / self.answered) if self.answered else None


def by_structure(structure_ids=None):
    """Per structure that closed assignments: questions sent, answers, « contacted » and
    « useful » counts (one query)."""
    rows = NeedAssignment.objects.filter(
        status__in=ANSWERING_STATUSES, need__satisfaction__isnull=False
    )
    if structure_ids is not None:
        rows = rows.filter(structure_id__in=structure_ids)
    answered = Q(need__satisfaction__answered_at__isnull=False)
    rows = (
        rows.values("structure_id", "structure__name")
        .annotate(
            asked=Count("pk"),
            answered=Count("pk", filter=answered),
            contacted=Count("pk", filter=answered & Q(need__satisfaction__contacted=True)),
            useful=Count("pk", filter=answered & Q(need__satisfaction__useful=True)),
        )
        .order_by("structure__name")
    )
    return [
        StructureSatisfaction(
            row["structure_id"],
            row["structure__name"],
            row["asked"],
            row["answered"],
            row["contacted"],
            row["useful"],
        )
        for row in rows
    ]


def status_counts(structure_ids=None):
    """How many needs at each status (computed), for the needs routed to ``structure_ids``
    (all when None)."""
    needs = Need.objects.all()
    if structure_ids is not None:
        routed = NeedAssignment.objects.filter(structure_id__in=structure_ids).values("need")
        needs = needs.filter(pk__in=routed)
    counts = dict(
        with_status(needs)
        .order_by()
        .values("computed_status")
        .annotate(n=Count("pk"))
        .values_list("computed_status", "n")
    )
    return [(status, counts.get(status.value, 0)) for status in NeedStatus]
