"""The observatory of a territory: the labour-market figures the project holds, on one page —
tension per occupation in the bassin (``BassinTension``), hirings by sector (``Hiring``,
national), trainings offered in the territory's communes (the LHÉO catalogue), the open job
offers of the territory by occupation and contract. Same masking: an average of job seekers
under 5 is not shown, nor a number of offers under 5."""

from django.db.models import Count, Max, Q, Sum

from tisserand.opportunities.models import CONTRACT_TYPES, JobOffer
from tisserand.referentials.geo.models import BassinEmploi, Commune, Epci
from tisserand.referentials.rome.models import BassinTension, Hiring
from tisserand.referentials.trainings.models import Session
from tisserand.reporting.masking import SMALL, masked_count
from tisserand.reporting.tables import Table

DEFAULT_BASSIN = "3217"


def territories():
    """The territories offered: the bassins, EPCI and communes of the demo territory's bassin
    (those the project holds figures for)."""
    bassins = list(BassinEmploi.objects.filter(code=DEFAULT_BASSIN))
    communes = list(Commune.objects.filter(bassin__code=DEFAULT_BASSIN, is_former=False))
    epcis = list(Epci.objects.filter(communes__bassin__code=DEFAULT_BASSIN).distinct())
    return bassins, epcis, communes


def communes_of(kind, code):
    rows = Commune.objects.filter(is_former=False)
    if kind == "bassin":
        return rows.filter(bassin__code=code)
    if kind == "epci":
        return rows.filter(epci__siren=code)
    return rows.filter(insee_code=code)


def bassin_of(kind, code):
    if kind == "bassin":
        return code
    commune = communes_of(kind, code).exclude(bassin=None).select_related("bassin").first()
    return commune.bassin.code if commune else None


def tension_table(bassin_code, *, limit=25):
    year = BassinTension.objects.filter(bassin_code=bassin_code).aggregate(y=Max("year"))["y"]
    rows = (
        BassinTension.objects.filter(bassin_code=bassin_code, year=year)
        .exclude(tension=None)
        .select_related("fiche")
        .order_by("-tension", "-job_offers", "fiche__code")[:limit]
    )
    lines = []
    for row in rows:
        seekers = masked_count(round(row.job_seekers) if row.job_seekers is not None else None)
        lines.append(
            [
                f"{row.fiche.code} — {row.fiche.label}",
                row.tension,
                row.tension_level,
                round(row.job_offers) if row.job_offers is not None else "—",
                SMALL if seekers is None else seekers,
            ]
        )
    return Table(
        f"Métiers les plus en tension du bassin {bassin_code}" + (f" ({year})" if year else ""),
        [
            "Métier (ROME)",
            "Indice de tension (1 à 5)",
            "Tension",
            "Offres (moyenne)",
            "Demandeurs d'emploi (moyenne)",
        ],
        lines,
        note="France Travail / DARES, « Les tensions sur le marché du travail » ; "
        "moyennes annuelles du bassin d'emploi.",
        key="tension",
    )


def hirings_table(*, limit=15):
    rows = (
        Hiring.objects.values("naf__section__code", "naf__section__label")
        .annotate(total=Sum("count"))
        .order_by("-total")[:limit]
    )
    return Table(
        "Embauches par secteur (sections NAF)",
        ["Section NAF", "Embauches"],
        [[f"{r['naf__section__code']} — {r['naf__section__label']}", r["total"]] for r in rows],
        note="Embauches par code APE et code ROME (France Travail) : données nationales, "
        "faute d'un fichier par territoire.",
        key="embauches",
    )


def trainings_table(kind, code, *, since, limit=20):
    communes = communes_of(kind, code).values("insee_code")
    rows = (
        Session.objects.filter(commune_insee__in=communes)
        .filter(Q(start_date__isnull=True) | Q(start_date__gte=since))
        .values("action__training__title")
        .annotate(sessions=Count("id"))
        .order_by("-sessions", "action__training__title")[:limit]
    )
    return Table(
        "Formations proposées sur le territoire",
        ["Formation", "Sessions à venir"],
        [[r["action__training__title"], r["sessions"]] for r in rows],
        note="Catalogue LHÉO chargé dans Tisserand : sessions dans les communes du territoire, "
        "à venir ou sans date communiquée.",
        key="formations",
    )


def offers_table(kind, code, *, limit=25):
    """The open offers (not past their end of publication) whose workplace is in the
    territory, by ROME occupation and contract type: one GROUP BY."""
    communes = communes_of(kind, code).values("pk")
    rows = (
        JobOffer.objects.searchable()
        .filter(commune__in=communes)
        .values("fiche__code", "fiche__label", "contract_type")
        .annotate(offers=Count("id"), positions=Sum("positions"))
        .order_by("-offers", "fiche__code", "contract_type")[:limit]
    )
    lines = []
    for row in rows:
        offers, positions = masked_count(row["offers"]), masked_count(row["positions"])
        occupation = (
            f"{row['fiche__code']} — {row['fiche__label']}"
            if row["fiche__code"]
            else "Métier non identifié"
        )
        lines.append(
            [
                occupation,
                CONTRACT_TYPES.get(row["contract_type"], row["contract_type"] or "Non précisé"),
                SMALL if offers is None else offers,
                SMALL if positions is None else positions,
            ]
        )
    return Table(
        "Offres d'emploi ouvertes sur le territoire, par métier et contrat",
        ["Métier (ROME)", "Contrat", "Offres", "Postes"],
        lines,
        note="Offres ouvertes aujourd'hui dans Tisserand (propres, France Travail, "
        "partenaires) dont le lieu de travail est une commune du territoire ; un nombre de "
        "1 à 4 est affiché « < 5 ».",
        key="offres",
    )
