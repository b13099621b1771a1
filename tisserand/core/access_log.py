"""The access log: each opening of a person's record is written here, and read back grouped:
the openings of one record by one user acting for one structure that follow each other within
``GROUP_GAP`` are one visit (a count, the first and the last time)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType

from tisserand.core.models import RecordAccess

GROUP_GAP = timedelta(minutes=30)


def log_record_access(request, subject, *, owner_structure, label=None):
    membership = getattr(request, "membership", None)
    return RecordAccess.objects.create(
        user=request.user,
        acting_structure=membership.structure if membership else None,
        owner_structure=owner_structure,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        subject_label=(label or str(subject))[:200],
        path=request.get_full_path()[:300],
    )


def accesses_to_records_of(structure):
    return RecordAccess.objects.filter(owner_structure=structure).select_related(
        "user", "acting_structure", "subject_type"
    )


def accesses_to(subject):
    """Every opening of one record (a person), whoever opened it."""
    return RecordAccess.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    )


@dataclass
class Visit:
    """Consecutive openings of one record by one user for one structure."""

    user_id: int
    user_name: str
    acting_structure: str
    subject_label: str
    first: datetime
    last: datetime
    count: int = 1


_COLUMNS = (
    "user_id",
    "user__first_name",
    "user__last_name",
    "user__email",
    "acting_structure__name",
    "subject_type_id",
    "subject_id",
    "subject_label",
    "accessed_at",
)


def grouped_visits(accesses, gap=GROUP_GAP):
    """The visits of a queryset of ``RecordAccess``, most recent first, in one query whatever
    the number of rows (only the columns shown are read)."""
    visits, open_visits = [], {}
    rows = accesses.order_by("accessed_at", "pk").values_list(*_COLUMNS)
    for user_id, first, last, email, acting, type_id, subject_id, label, at in rows.iterator():
        key = (user_id, acting, type_id, subject_id)
        visit = open_visits.get(key)
        if visit is not None and at - visit.last <= gap:
            visit.last, visit.count = at, visit.count + 1
            continue
        name = f"{first} {last}".strip() or email
        visit = Visit(user_id, name, acting or "", label, first=at, last=at)
        open_visits[key] = visit
        visits.append(visit)
    visits.reverse()
    return visits
