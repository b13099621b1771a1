"""Non-relocatable jobs: the share of hirings in activities of the sphère présentielle
(``NafSphere``, by NAF division). Today on the national hirings per NAF sub-class of the
referential (``referentials.rome.Hiring``); the offers and the clause jobs join when their
modules land (the same division → sphere table)."""

from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr

from tisserand.referentials.rome.models import Hiring, NafSection
from tisserand.reporting.models import NafSphere, Sphere
from tisserand.reporting.tables import Table


def _sphere_of_naf(naf_path):
    return Subquery(
        NafSphere.objects.filter(division=Substr(OuterRef(naf_path), 1, 2)).values("sphere")[:1]
    )


def hirings_by_section():
    """One GROUP BY: hirings per NAF section, of which in présentielle divisions."""
    presentielle = NafSphere.objects.filter(sphere=Sphere.PRESENTIELLE).values("division")
    rows = (
        Hiring.objects.annotate(division=Substr("naf__code", 1, 2))
        .values("naf__section__code")
        .annotate(
            total=Sum("count"),
            local=Sum("count", filter=Q(division__in=presentielle)),
        )
        .order_by("naf__section__code")
    )
    labels = dict(NafSection.objects.values_list("code", "label"))
    return [
        (
            row["naf__section__code"],
            labels.get(row["naf__section__code"], ""),
            row["total"] or 0,
            row["local"] or 0,
        )
        for row in rows
    ]


def share_table():
    sections = hirings_by_section()
    total = sum(row[2] for row in sections)
    local = sum(row[3] for row in sections)
    lines = [
        [f"{code} — {label}", all_, part, _percent(part, all_)]
        for code, label, all_, part in sections
    ]
    lines.append(["Ensemble", total, local, _percent(local, total)])
    return Table(
        "Embauches dans les activités présentielles, par section NAF",
        ["Section NAF", "Embauches", "dont activités présentielles", "Part présentielle"],
        lines,
        note="Embauches par code APE et code ROME (France Travail, données nationales) ; une "
        "embauche est présentielle quand la division NAF de l'établissement est classée "
        "« présentielle » dans la classification revue par la Maison de l'Emploi.",
        key="presentielle",
    ), (local, total)


def _percent(part, total):
    return f"{round(100 * part / total, 1)} %" if total else "—"
