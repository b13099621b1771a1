"""Indicators of the companies: establishments supported and needs recorded.

A company is « supported » in a period when a structure of the scope recorded one of its needs
in that period. The territory is the establishment's commune (or QPV).

A need is « handled » in a period when its status, computed from its assignments
(``companies.needs``), is « clôturé avec aide » (done) and an assignment of a structure of the
scope was closed « done » in that period.
"""

from django.db.models import Count, F

from tisserand.companies.models import AssignmentStatus, Need, NeedAssignment, NeedStatus
from tisserand.companies.needs import filter_status
from tisserand.reporting.indicators import Indicator, quarter_of, register

MODULE = "Entreprises"


def needs_rows(scope, period):
    rows = Need.objects.filter(created_at__date__range=(period.start, period.end))
    return scope.restrict(
        rows,
        structure="created_by_structure_id",
        commune="establishment__commune",
        qpv="establishment__qpv_code",
    )


def needs_handled_rows(scope, period):
    closed = scope.restrict(
        NeedAssignment.objects.filter(
            status=AssignmentStatus.DONE, closed_at__date__range=(period.start, period.end)
        ),
        structure="structure_id",
    )
    rows = filter_status(Need.objects.filter(pk__in=closed.values("need_id")), NeedStatus.DONE)
    return scope.restrict(rows, commune="establishment__commune", qpv="establishment__qpv_code")


def _establishments():
    return Count("establishment_id", distinct=True)


def _needs():
    return Count("id")


def register_all():
    dimensions = {
        "quarter": lambda: quarter_of("created_at__date"),
        "need_kind": lambda: F("subject__kind"),
    }
    register(
        Indicator(
            code="companies_supported",
            version=1,
            label="Entreprises accompagnées",
            description_fr="Établissements (SIRET) dont un besoin a été enregistré pendant la "
            "période par une structure retenue ; un établissement compte une fois.",
            unit="entreprises",
            rows=needs_rows,
            measure=_establishments,
            dimensions=dimensions,
            module=MODULE,
            counts_persons=False,
            order=60,
        )
    )
    register(
        Indicator(
            code="needs_recorded",
            version=1,
            label="Besoins d'entreprises enregistrés",
            description_fr="Besoins (recrutement, RH, compétences…) enregistrés pendant la "
            "période par une structure retenue, quel que soit leur traitement.",
            unit="besoins",
            rows=needs_rows,
            measure=_needs,
            dimensions=dimensions,
            module=MODULE,
            counts_persons=False,
            order=61,
        )
    )
    register(
        Indicator(
            code="needs_handled",
            version=1,
            label="Besoins d'entreprises traités",
            description_fr="Besoins dont le statut, calculé d'après leurs orientations, est "
            "« clôturé avec aide », et qu'une structure retenue a clôturés avec aide pendant "
            "la période (date de clôture de son orientation) ; un besoin compte une fois.",
            unit="besoins",
            rows=needs_handled_rows,
            measure=_needs,
            dimensions={"need_kind": lambda: F("subject__kind")},
            module=MODULE,
            counts_persons=False,
            order=62,
        )
    )
