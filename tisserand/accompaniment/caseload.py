"""The caseload (*file active*): the accompaniments a member follows, filtered, counted,
sorted and paginated in the database, with their alerts.

A référent sees the accompaniments they are the référent of in the structure they act for; an
administrator or a director sees their structure's (``selectors.caseload_scope``). Every row is
also restricted to the persons ``people.selectors.visible_persons`` lets the member see. The
page and the XLSX export use the same ``Caseload``: the export holds exactly the filtered,
sorted list.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from tisserand.accompaniment import perms, selectors
from tisserand.accompaniment.models import Accompaniment, Programme, Status
from tisserand.people.hooks import last_contact_subquery
from tisserand.people.models import (
    CARING_ROLES,
    FollowUpMember,
    PublicStatus,
    PublicStatusKind,
    in_qpv_on,
    known_not_in_qpv,
)

PAGE_SIZE = 25
NO_CONTACT_DAYS = 30
RQTH_WARNING_DAYS = 90
FOLLOW_UP_WARNING_DAYS = 14

STATUSES = {
    "en-cours": ("En cours", Q(status=Status.OPEN)),
    "suivi": (
        "Sortis, suivi à 6 mois à faire",
        Q(status=Status.CLOSED, six_month_follow_up__recorded_at__isnull=True),
    ),
    "sortis": (
        "Sortis, suivi à 6 mois fait",
        Q(status=Status.CLOSED, six_month_follow_up__recorded_at__isnull=False),
    ),
    "tous": ("Tous", Q()),
}
DEFAULT_STATUS = "en-cours"

QPV_CHOICES = {"oui": "Résidents QPV", "non": "Hors QPV", "indetermine": "Statut QPV indéterminé"}
CONTACT_CHOICES = {
    "recent": f"Contact depuis moins de {NO_CONTACT_DAYS} jours",
    "ancien": f"Sans contact depuis {NO_CONTACT_DAYS} jours ou plus",
    "jamais": "Aucun rendez-vous honoré",
}
ALERTS = {
    "sans-contact": f"Sans contact depuis {NO_CONTACT_DAYS} jours",
    "rqth": "RQTH arrivant à échéance",
    "suivi-a-faire": "Suivi à 6 mois à faire",
    "sortie-a-qualifier": "Sortie à enregistrer (fin prévue dépassée)",
}
SORTS = {
    "nom": ("Nom", ["person__last_name", "person__first_name", "pk"]),
    "programme": ("Programme", ["programme__order", "person__last_name", "pk"]),
    "entree": ("Date d'entrée", ["entry_date", "pk"]),
    "contact": ("Dernier contact", [F("last_contact_at"), "pk"]),
    "referent": ("Référent", ["referent__last_name", "referent__first_name", "pk"]),
}
DEFAULT_SORT = "nom"


def _last_contact_subquery():
    """The last attended appointment of the row's person: the appointments app provides it
    through people's hook (NULL, so no contact, without that app)."""
    return last_contact_subquery("person_id")


@dataclass
class Filters:
    programme: str = ""
    qpv: str = ""
    status: str = DEFAULT_STATUS
    contact: str = ""
    alert: str = ""
    referent: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False
    errors: list = field(default_factory=list)

    @classmethod
    def from_query(cls, query, *, programmes, referents, alerts=ALERTS):
        """Filters read from a GET query; unknown values fall back to the default."""

        def pick(name, allowed, default=""):
            value = query.get(name, default)
            return value if value in allowed else default

        sort = query.get("tri", DEFAULT_SORT)
        descending = sort.startswith("-")
        return cls(
            programme=pick("programme", programmes),
            qpv=pick("qpv", QPV_CHOICES),
            status=pick("statut", STATUSES, DEFAULT_STATUS),
            contact=pick("contact", CONTACT_CHOICES),
            alert=pick("alerte", alerts),
            referent=pick("referent", referents),
            sort=sort.lstrip("-") if sort.lstrip("-") in SORTS else DEFAULT_SORT,
            descending=descending and sort.lstrip("-") in SORTS,
        )

    def as_query(self, **overrides):
        values = {
            "programme": self.programme,
            "qpv": self.qpv,
            "statut": self.status,
            "contact": self.contact,
            "alerte": self.alert,
            "referent": self.referent,
            "tri": ("-" if self.descending else "") + self.sort,
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value}


class Caseload:
    """The caseload of one membership, for a set of filters, on a given day."""

    def __init__(self, membership, query, today=None):
        self.membership = membership
        self.today = today or timezone.localdate()
        self.sees_structure = perms.sees_structure_caseload(membership)
        self.programmes = list(
            Programme.objects.filter(is_active=True).values_list("code", "label")
        )
        self.referents = self._referents() if self.sees_structure else []
        self.alerts = self._readable_alerts()
        self.filters = Filters.from_query(
            query,
            programmes=dict(self.programmes),
            referents={str(public_id) for public_id, _ in self.referents},
            alerts=self.alerts,
        )

    def _readable_alerts(self):
        """The alerts this reader can count. Over the whole structure, the RQTH alert is not
        one: it is special-category data, seen only on the persons one follows, so its count
        would read 0 (or a part) where the référents see more — hidden rather than a lie."""
        if self.sees_structure:
            return {key: label for key, label in ALERTS.items() if key != "rqth"}
        return dict(ALERTS)

    # --- Querysets ---------------------------------------------------------------------------

    def _scope(self):
        return selectors.caseload_scope(self.membership, whole_structure=self.sees_structure)

    def _referents(self):
        rows = (
            Accompaniment.objects.filter(structure_id=self.membership.structure_id)
            .values_list("referent__public_id", "referent__first_name", "referent__last_name")
            .order_by("referent__last_name", "referent__first_name")
            .distinct()
        )
        return [(public_id, f"{first} {last}".strip()) for public_id, first, last in rows]

    def _cutoff(self):
        day = self.today - timedelta(days=NO_CONTACT_DAYS)
        return day, timezone.make_aware(datetime.combine(day, time.min))

    def _alert_conditions(self):
        cutoff_day, cutoff_at = self._cutoff()
        return {
            "sans-contact": Q(status=Status.OPEN)
            & (
                Q(last_contact_at__lt=cutoff_at)
                | Q(last_contact_at__isnull=True, entry_date__lt=cutoff_day)
            ),
            "rqth": Q(rqth_ending=True),
            "suivi-a-faire": Q(
                status=Status.CLOSED,
                six_month_follow_up__recorded_at__isnull=True,
                six_month_follow_up__due_on__lte=self.today
                + timedelta(days=FOLLOW_UP_WARNING_DAYS),
            ),
            "sortie-a-qualifier": Q(status=Status.OPEN, planned_end_date__lt=self.today),
        }

    def _rqth_ending(self):
        """RQTH ending soon: special-category data, flagged only to the référent and team."""
        ending = PublicStatus.objects.filter(
            person_id=OuterRef("person_id"),
            kind=PublicStatusKind.RQTH,
            valid_until__gte=self.today,
            valid_until__lte=self.today + timedelta(days=RQTH_WARNING_DAYS),
        )
        caring = FollowUpMember.objects.filter(
            person_id=OuterRef("person_id"),
            user_id=self.membership.user_id,
            structure_id=self.membership.structure_id,
            is_active=True,
            role__in=CARING_ROLES,
        )
        return Exists(ending) & Exists(caring)

    def _computed(self):
        return {"last_contact_at": _last_contact_subquery(), "rqth_ending": self._rqth_ending()}

    def annotated(self):
        """The scope with the last contact and the RQTH alert selected on each row."""
        return self._scope().annotate(**self._computed())

    def _lean(self):
        """The scope with the same values usable in filters and sorts, but not selected."""
        return self._scope().alias(**self._computed())

    def _qpv_filter(self, answer):
        """« non » only where the person is known not to live in a QPV; the rest is unknown."""
        in_qpv = in_qpv_on(self.today, prefix="person__")
        not_in_qpv = known_not_in_qpv(prefix="person__")
        return {"oui": in_qpv, "non": not_in_qpv, "indetermine": ~in_qpv & ~not_in_qpv}[answer]

    def _filter(self, rows, *, status=True):
        f = self.filters
        if status:
            rows = rows.filter(STATUSES[f.status][1])
        if f.programme:
            rows = rows.filter(programme__code=f.programme)
        if f.qpv:
            rows = rows.filter(self._qpv_filter(f.qpv))
        if f.referent:
            rows = rows.filter(referent__public_id=f.referent)
        if f.contact:
            rows = rows.filter(self._contact_condition(f.contact))
        if f.alert:
            rows = rows.filter(self._alert_conditions()[f.alert])
        return rows

    def _contact_condition(self, contact):
        _, cutoff_at = self._cutoff()
        return {
            "recent": Q(last_contact_at__gte=cutoff_at),
            "ancien": Q(last_contact_at__lt=cutoff_at) | Q(last_contact_at__isnull=True),
            "jamais": Q(last_contact_at__isnull=True),
        }[contact]

    def _ordering(self):
        """The sort's fields, reversed when descending; no contact counts as the oldest."""
        descending = self.filters.descending
        ordering = []
        for key in SORTS[self.filters.sort][1]:
            if isinstance(key, F):
                ordering.append(
                    key.desc(nulls_last=True) if descending else key.asc(nulls_first=True)
                )
            else:
                ordering.append(f"-{key}" if descending else key)
        return ordering

    def rows(self):
        """The filtered, sorted accompaniments, with what the page and the export show."""
        rows = self._filter(self.annotated())
        return rows.select_related(
            "person", "programme", "referent", "six_month_follow_up"
        ).order_by(*self._ordering())

    # --- What the page shows -----------------------------------------------------------------

    def counts(self):
        """Counts of the filtered list by status and by alert, in one query."""
        rows = self._filter(self._lean(), status=False)
        aggregates = {
            key: Count("pk", filter=condition) for key, (_, condition) in STATUSES.items()
        }
        conditions = self._alert_conditions()
        for key in self.alerts:
            aggregates[f"alert:{key}"] = Count(
                "pk", filter=STATUSES[self.filters.status][1] & conditions[key]
            )
        totals = rows.aggregate(**aggregates)
        return {
            "statuses": [(key, label, totals[key]) for key, (label, _) in STATUSES.items()],
            "alerts": [(key, label, totals[f"alert:{key}"]) for key, label in self.alerts.items()],
            "shown": totals[self.filters.status],
        }

    def page(self, number, count=None):
        """One page of rows. The page's ids are sorted and sliced without computing the
        displayed values, then only the page's rows are loaded with them. ``count`` (from
        ``counts()["shown"]``) spares the paginator its count query."""
        ids = self._filter(self._lean()).order_by(*self._ordering()).values_list("pk", flat=True)
        paginator = Paginator(ids, PAGE_SIZE)
        if count is not None:
            paginator.count = count
        page = paginator.get_page(number)
        page_ids = list(page.object_list)
        loaded = (
            self.annotated()
            .filter(pk__in=page_ids)
            .select_related("person", "programme", "referent", "six_month_follow_up")
        )
        by_id = {accompaniment.pk: accompaniment for accompaniment in loaded}
        page.object_list = [Row(by_id[pk], self) for pk in page_ids]
        return page


class Row:
    """One line of the caseload: the accompaniment and its alerts."""

    def __init__(self, accompaniment, caseload):
        self.accompaniment = accompaniment
        self.person = accompaniment.person
        last = accompaniment.last_contact_at
        self.last_contact = timezone.localdate(last) if last else None
        self.alerts = self._alerts(accompaniment, caseload)

    def _alerts(self, accompaniment, caseload):
        today = caseload.today
        alerts = []
        if accompaniment.is_open:
            baseline = self.last_contact or accompaniment.entry_date
            if baseline < today - timedelta(days=NO_CONTACT_DAYS):
                alerts.append(("sans-contact", ALERTS["sans-contact"], "warning"))
            if accompaniment.exit_is_overdue(today):
                alerts.append(("sortie-a-qualifier", ALERTS["sortie-a-qualifier"], "danger"))
        else:
            follow_up = getattr(accompaniment, "six_month_follow_up", None)
            if (
                follow_up is not None
                and not follow_up.is_recorded
                and follow_up.due_on <= today + timedelta(days=FOLLOW_UP_WARNING_DAYS)
            ):
                alerts.append(("suivi-a-faire", ALERTS["suivi-a-faire"], "info"))
        if accompaniment.rqth_ending:
            alerts.append(("rqth", ALERTS["rqth"], "warning"))
        return alerts

    @property
    def follow_up(self):
        return getattr(self.accompaniment, "six_month_follow_up", None)
