"""The yearly report of a buyer or an operation (figures, SVG charts with their tables, PDF and
XLSX), the certificate of hours of a lot, and the national consolidation export.

Every figure is a grouped SQL query over the year's declarations (hours counted = hours ×
kept coefficient, eligible participants only); a count of participants under 5 is masked in
what leaves the house (« < 5 »). No participant's identity is in a report.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from tisserand.clauses.models import (
    Declaration,
    DeclarationStatus,
    Level,
    Modality,
    Outcome,
    Participant,
    ParticipantCriterion,
)
from tisserand.clauses.progress import COUNTED, ELIGIBLE, ZERO, fmt
from tisserand.people.models import Gender, QpvResidence
from tisserand.referentials.uploads import safe_cell

MASK_UNDER = 5
AGE_BANDS = (("Moins de 26 ans", 0, 25), ("26 à 49 ans", 26, 49), ("50 ans et plus", 50, 200))


def masked(count):
    return "< 5" if 0 < count < MASK_UNDER else str(count)


@dataclass
class Table:
    title: str
    headers: tuple
    rows: list = field(default_factory=list)
    chart: str = ""


@dataclass
class Report:
    title: str
    year: int
    totals: dict
    tables: list


def _declarations(scope, year):
    rows = Declaration.objects.filter(month__year=year)
    return rows.filter(**scope)


def yearly_report(title, scope, year):
    """``scope``: lookups on declarations (``lot__contract__buyer=…`` or
    ``lot__contract__operation=…``). Four grouped queries over the declarations (totals, not
    counted, by modality, by company), then the participants who have counted hours read once
    and counted by sex, age band, QPV, level and outcomes, and their criteria grouped."""
    rows = _declarations(scope, year)
    counted = rows.filter(ELIGIBLE)
    totals = counted.aggregate(
        counted=Sum(COUNTED),
        validated=Sum(COUNTED, filter=Q(status=DeclarationStatus.VALIDATED)),
        qpv=Sum(COUNTED, filter=Q(participant__qpv_at_start=QpvResidence.IN_QPV)),
        contracts=Count("lot__contract", distinct=True),
    )
    not_counted = rows.exclude(ELIGIBLE).aggregate(total=Sum("hours"))["total"] or ZERO
    totals = {key: value or 0 for key, value in totals.items()}
    totals["not_counted"] = not_counted
    ids = counted.order_by().values("participant_id")
    people = list(
        Participant.objects.filter(pk__in=ids).values_list(
            "gender", "qpv_at_start", "level", "birth_date", "starts_on",
            "outcome_at_end", "outcome_6_months",
        )
    )  # fmt: skip
    companies = _by_company(counted)
    totals["participants"] = len(people)
    totals["companies"] = len(companies.rows)
    tables = [
        _by_modality(counted),
        _counted([p[0] for p in people], "Participants par sexe", Gender),
        _by_age(people, year),
        _counted([p[1] for p in people], "Participants résidant en QPV", QpvResidence),
        _by_criterion(ids),
        _counted([p[2] for p in people], "Participants par niveau", Level),
        companies,
        _counted(
            [p[5] for p in people], "Situation à la fin du contrat", Outcome,
            empty="Pas encore connue",
        ),
        _counted(
            [p[6] for p in people], "Situation six mois après", Outcome,
            empty="Pas encore connue",
        ),
    ]  # fmt: skip
    return Report(title=title, year=year, totals=totals, tables=tables)


def _by_modality(rows):
    labels = dict(Modality.choices)
    grouped = rows.values("modality").annotate(total=Sum(COUNTED)).order_by("modality")
    table = Table("Heures par modalité", ("Modalité", "Heures comptées"))
    table.rows = [(labels.get(r["modality"], r["modality"]), r["total"] or ZERO) for r in grouped]
    table.chart = bar_chart(table.title, [(label, value) for label, value in table.rows])
    return table


def _counted(values, title, choices, empty="Non renseigné"):
    """Participants per value, in the order of the choices (the unknown last)."""
    labels = dict(choices.choices)
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    ordered = [key for key in labels if key in counts] + [k for k in counts if k not in labels]
    data = [(labels.get(key, empty) if key else empty, counts[key]) for key in ordered]
    table = Table(title, ("", "Participants"))
    table.chart = bar_chart(title, data, mask=True)
    table.rows = [(label, masked(n)) for label, n in data]
    return table


def _by_age(people, year):
    reference = datetime.date(year, 12, 31)
    ages = []
    for person in people:
        born, start = person[3], min(person[4], reference)
        ages.append(start.year - born.year - ((start.month, start.day) < (born.month, born.day)))
    counts = [
        (label, sum(1 for age in ages if low <= age <= high)) for label, low, high in AGE_BANDS
    ]
    table = Table("Participants par âge au début du contrat", ("Tranche d'âge", "Participants"))
    table.chart = bar_chart(table.title, counts, mask=True)
    table.rows = [(label, masked(n)) for label, n in counts]
    return table


def _by_criterion(ids):
    grouped = (
        ParticipantCriterion.objects.filter(participant_id__in=ids)
        .values(label=F("criterion__label"))
        .annotate(n=Count("participant", distinct=True))
        .order_by("label")
    )
    table = Table("Participants par critère d'éligibilité", ("Critère", "Participants"))
    counts = [(r["label"], r["n"]) for r in grouped]
    table.chart = bar_chart(table.title, counts, mask=True)
    table.rows = [(label, masked(n)) for label, n in counts]
    return table


COMPANIES_TITLE = "Entreprises titulaires"


def _by_company(rows):
    grouped = (
        rows.values("lot__holder__name", "lot__holder__siret")
        .annotate(total=Sum(COUNTED), n=Count("participant", distinct=True))
        .order_by("-total", "lot__holder__name")
    )
    table = Table(
        "Entreprises titulaires", ("Entreprise", "SIRET", "Heures comptées", "Participants")
    )
    table.rows = [
        (r["lot__holder__name"], r["lot__holder__siret"], r["total"] or ZERO, masked(r["n"]))
        for r in grouped
    ]
    return table


def bar_chart(title, data, *, mask=False):
    """A horizontal bar chart as inline SVG (no script), its figures in the table beside it."""
    data = [(label, float(value)) for label, value in data]
    if not data:
        return ""
    top = max(value for _, value in data) or 1
    height = 26 * len(data) + 10
    parts = [
        f'<svg class="chart" role="img" aria-label="{title} (les chiffres sont dans le tableau)" '
        f'viewBox="0 0 520 {height}" width="520" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (label, value) in enumerate(data):
        y = 8 + index * 26
        width = max(1, round(300 * value / top))
        shown = masked(int(value)) if mask else fmt(value)
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="11" fill="#1e1e1e">{_escape(label)[:34]}</text>'
            f'<rect x="200" y="{y}" width="{width}" height="18" fill="#1d4e89"></rect>'
            f'<text x="{206 + width}" y="{y + 14}" font-size="11" fill="#1e1e1e">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- Files -----------------------------------------------------------------------------------


def pdf(template, context):
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# The PDF lists the companies that realised the most hours; the XLSX lists them all.
PDF_COMPANIES = 25


def report_pdf(report):
    tables = []
    for table in report.tables:
        if table.title == COMPANIES_TITLE and len(table.rows) > PDF_COMPANIES:
            rest = table.rows[PDF_COMPANIES:]
            others = (
                f"{len(rest)} autres entreprises (liste complète dans le fichier XLSX)",
                "",
                sum((row[2] for row in rest), ZERO),
                "",
            )
            table = Table(table.title, table.headers, [*table.rows[:PDF_COMPANIES], others])
        tables.append(table)
    shown = Report(report.title, report.year, report.totals, tables)
    return pdf("clauses/pdf/yearly_report.html", {"report": shown, "today": timezone.localdate()})


def report_xlsx(report):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Synthèse"
    sheet.append([_cell(report.title)])
    sheet.append(["Année", report.year])
    for label, key in TOTAL_LABELS:
        sheet.append([label, _cell(report.totals[key])])
    for table in report.tables:
        page = book.create_sheet(table.title[:31])
        page.append([_cell(header) for header in table.headers])
        for row in table.rows:
            page.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TOTAL_LABELS = (
    ("Heures comptées", "counted"),
    ("dont validées", "validated"),
    ("dont habitants des QPV", "qpv"),
    ("Heures non comptées (participants non éligibles)", "not_counted"),
    ("Participants", "participants"),
    ("Entreprises titulaires", "companies"),
    ("Marchés", "contracts"),
)


def _cell(value):
    """A value as a workbook stores it: a number, or a text kept from running as a formula."""
    return float(value) if isinstance(value, Decimal) else safe_cell(value)


def certificate_pdf(lot, figures, by_month, today):
    return pdf(
        "clauses/pdf/certificate.html",
        {"lot": lot, "figures": figures, "by_month": by_month, "today": today},
    )


def aggregates(year):
    """Per programme, over the network: operations, hours owed (lots of the contracts running in
    ``year``), hours counted and validated in ``year``, the QPV part, participants (masked)."""
    from tisserand.clauses.models import Lot, Programme

    labels = dict(Programme.choices)
    running = Q(contract__starts_on__year__lte=year, contract__ends_on__year__gte=year)
    owed = {
        row["programme"]: row
        for row in Lot.objects.filter(running)
        .values(programme=F("contract__operation__programme"))
        .annotate(owed=Sum("hours_owed"), operations=Count("contract__operation", distinct=True))
        .order_by()
    }
    done = {
        row["programme"]: row
        for row in Declaration.objects.filter(ELIGIBLE, month__year=year)
        .values(programme=F("lot__contract__operation__programme"))
        .annotate(
            counted=Sum(COUNTED),
            validated=Sum(COUNTED, filter=Q(status=DeclarationStatus.VALIDATED)),
            qpv=Sum(COUNTED, filter=Q(participant__qpv_at_start=QpvResidence.IN_QPV)),
            participants=Count("participant", distinct=True),
        )
        .order_by()
    }
    rows = []
    for code, label in labels.items():
        if code not in owed and code not in done:
            continue
        o, d = owed.get(code, {}), done.get(code, {})
        rows.append(
            {
                "programme": label,
                "operations": o.get("operations", 0),
                "owed": o.get("owed") or ZERO,
                "counted": d.get("counted") or ZERO,
                "validated": d.get("validated") or ZERO,
                "qpv": d.get("qpv") or ZERO,
                "participants": masked(d.get("participants", 0)),
            }
        )
    return rows


# --- National consolidation ------------------------------------------------------------------

NATIONAL_COLUMNS = (
    ("annee", "Année des heures"),
    ("operation", "Opération"),
    ("programme", "Programme (npnru, charter, other)"),
    ("acheteur_siret", "SIRET du donneur d'ordre"),
    ("marche_reference", "Référence du marché"),
    ("marche_cpv", "Code CPV du marché"),
    ("marche_nature", "Nature (works, services, supplies)"),
    ("titulaire_siret", "SIRET du titulaire du lot"),
    ("participant_id", "Identifiant anonyme du participant (UUID)"),
    ("sexe", "Sexe (female, male, unspecified)"),
    ("annee_naissance", "Année de naissance"),
    ("qpv", "Réside en QPV au début du contrat (in_qpv, not_in_qpv, unknown)"),
    ("niveau", "Niveau de qualification (none, 3, 4, 5, unknown)"),
    ("modalite", "Modalité de réalisation"),
    ("heures_declarees", "Heures déclarées"),
    ("heures_comptees", "Heures comptées (× coefficient, participants éligibles)"),
    ("heures_validees", "Heures comptées et validées"),
    ("situation_fin", "Situation à la fin du contrat"),
    ("situation_6_mois", "Situation six mois après"),
)


def national_rows(structure, year):
    """One row per contract × participant × year."""
    rows = (
        Declaration.objects.filter(lot__contract__operation__structure=structure, month__year=year)
        .values(
            "lot__contract_id",
            "participant_id",
            "modality",
            operation=F("lot__contract__operation__name"),
            programme=F("lot__contract__operation__programme"),
            acheteur_siret=F("lot__contract__buyer__siret"),
            marche_reference=F("lot__contract__reference"),
            marche_cpv=F("lot__contract__cpv_code"),
            marche_nature=F("lot__contract__nature"),
            public=F("participant__public_id"),
            sexe=F("participant__gender"),
            naissance=F("participant__birth_date"),
            qpv=F("participant__qpv_at_start"),
            niveau=F("participant__level"),
            situation_fin=F("participant__outcome_at_end"),
            situation_6_mois=F("participant__outcome_6_months"),
            titulaire_siret=F("lot__holder__siret"),
        )
        .annotate(
            heures_declarees=Sum("hours"),
            heures_comptees=Sum(COUNTED, filter=ELIGIBLE),
            heures_validees=Sum(COUNTED, filter=ELIGIBLE & Q(status=DeclarationStatus.VALIDATED)),
        )
        .order_by("marche_reference", "public", "modality")
    )
    merged = {}
    for row in rows:
        key = (row["lot__contract_id"], row["participant_id"])
        if key in merged:
            for name in ("heures_declarees", "heures_comptees", "heures_validees"):
                merged[key][name] += row[name] or ZERO
            continue
        merged[key] = {
            "annee": year,
            "operation": row["operation"],
            "programme": row["programme"],
            "acheteur_siret": row["acheteur_siret"],
            "marche_reference": row["marche_reference"],
            "marche_cpv": row["marche_cpv"],
            "marche_nature": row["marche_nature"],
            "titulaire_siret": row["titulaire_siret"],
            "participant_id": str(row["public"]),
            "sexe": row["sexe"],
            "annee_naissance": row["naissance"].year,
            "qpv": row["qpv"],
            "niveau": row["niveau"],
            "modalite": row["modality"],
            "heures_declarees": row["heures_declarees"] or ZERO,
            "heures_comptees": row["heures_comptees"] or ZERO,
            "heures_validees": row["heures_validees"] or ZERO,
            "situation_fin": row["situation_fin"],
            "situation_6_mois": row["situation_6_mois"],
        }
    return list(merged.values())


def national_xlsx(structure, year):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"Consolidation {year}"
    sheet.append([name for name, _ in NATIONAL_COLUMNS])
    for row in national_rows(structure, year):
        sheet.append([_cell(row[name]) for name, _ in NATIONAL_COLUMNS])
    doc = book.create_sheet("Colonnes")
    doc.append(["Colonne", "Signification"])
    for name, meaning in NATIONAL_COLUMNS:
        doc.append([name, meaning])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
