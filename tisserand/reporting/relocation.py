"""Non-relocatable jobs: the share of hirings in activities of the sphère présentielle
(``NafSphere``, by NAF division). Today on the national hirings per NAF sub-class of the
referential (``referentials.rome.Hiring``); beside them, with the same division → sphere
table, the job offers (by the establishment's NAF, else the offer's sector) and the clause jobs
(the NAF of the lot holder of their declarations). One aggregate each."""

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf, Substr

from tisserand.clauses.models import Declaration
from tisserand.opportunities.models import JobOffer
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


def _presentielle():
    return NafSphere.objects.filter(sphere=Sphere.PRESENTIELLE).values("division")


def offers_share():
    """(offers in présentielle activities, offers whose activity is known): the establishment's
    NAF, else the offer's sector code (its first two characters: the division)."""
    division = Substr(
        Coalesce(NullIf("establishment__naf__code", Value("")), NullIf("sector_code", Value(""))),
        1,
        2,
    )
    row = (
        JobOffer.objects.annotate(division=division)
        .filter(division__isnull=False)
        .aggregate(total=Count("id"), local=Count("id", filter=Q(division__in=_presentielle())))
    )
    return row["local"] or 0, row["total"] or 0


def clause_jobs_share():
    """(eligible clause participants working for a lot holder in a présentielle activity,
    eligible participants whose lot holder's NAF is known), from their declarations."""
    row = (
        Declaration.objects.filter(participant__is_eligible=True, lot__holder__naf__isnull=False)
        .annotate(division=Substr("lot__holder__naf__code", 1, 2))
        .aggregate(
            total=Count("participant_id", distinct=True),
            local=Count("participant_id", distinct=True, filter=Q(division__in=_presentielle())),
        )
    )
    return row["local"] or 0, row["total"] or 0


def sources_table(hirings):
    """The présentielle share of hirings (``hirings``: (local, total)), offers and clause jobs."""
    lines = []
    for label, (local, total) in (
        ("Embauches (France Travail, données nationales)", hirings),
        ("Offres d'emploi", offers_share()),
        ("Emplois des clauses sociales", clause_jobs_share()),
    ):
        lines.append([label, total, local, _percent(local, total)])
    return Table(
        "Part présentielle des embauches, des offres et des emplois des clauses",
        ["Source", "Ensemble (activité connue)", "dont activités présentielles", "Part"],
        lines,
        note="Offres : division NAF de l'établissement, à défaut le secteur d'activité de "
        "l'offre ; une offre sans activité connue n'est pas comptée. Clauses : participants "
        "éligibles, par la division NAF du titulaire du lot de leurs déclarations.",
        key="presentielle-sources",
    )
