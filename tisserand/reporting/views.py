"""Pages of the pilotage: dashboards, equal opportunity, conventions and objectives, ESF+,
non-relocatable jobs, the observatory, the monthly report. Views stay thin: the figures come
from ``indicators`` (SQL aggregates), the rules from ``perms`` and ``scopes``."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.permissions import rule
from tisserand.core.timeline import events_for
from tisserand.reporting import (
    charts,
    dashboards,
    equality,
    esf,
    indicators,
    monthly,
    observatory,
    perms,
    progress,
    relocation,
    scopes,
    services,
)
from tisserand.reporting.forms import ConventionForm, NafSphereForm, ObjectiveForm, PeriodForm
from tisserand.reporting.indicators import Period
from tisserand.reporting.masking import SMALL, masked_count
from tisserand.reporting.models import NafSphere, ReportedFigure, Sphere, Target
from tisserand.reporting.tables import Table, xlsx_response

T = "reporting/"


def _period_and_scope(request):
    """(form, perimeter, scope, period) of the request's filters."""
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), today
    kind = code = ""
    programme = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["debut"] or start
        end = form.cleaned_data["fin"] or end
        kind, code = form.cleaned_data["territoire"], form.cleaned_data["code"]
        programme = form.cleaned_data["programme"]
    if end < start:
        start, end = date(today.year, 1, 1), today
    perimeter = scopes.chosen(request.membership, request.GET.get("perimetre", ""))
    if perimeter is None:
        return form, None, None, Period(start, end)
    scope = scopes.with_programme(scopes.with_territory(perimeter.scope, kind, code), programme)
    return form, perimeter, scope, Period(start, end)


def _filters_query(request):
    query = request.GET.copy()
    return query.urlencode()


@rule(perms.reads_indicators)
def dashboard(request):
    form, perimeter, scope, period = _period_and_scope(request)
    context = {
        "form": form,
        "perimeter": perimeter,
        "perimeters": scopes.perimeters(request.membership),
        "period": period,
        "query": _filters_query(request),
        "breadcrumbs": [("Pilotage", None)],
    }
    if perimeter is not None:
        figures = dashboards.key_figures(request.membership, scope, period)
        table, chart = dashboards.quarterly(scope, period)
        progressions = []
        if perimeter.convention is not None:
            progressions = progress.convention_progress(
                perimeter.convention, scope=scope, mask=perms.masks_small_counts(request.membership)
            )
        context.update(figures=figures, quarters=table, chart=chart, progressions=progressions)
    return render(request, T + "dashboard.html", context)


@rule(perms.reads_indicators)
def dashboard_export(request):
    _, perimeter, scope, period = _period_and_scope(request)
    if perimeter is None:
        raise Http404
    tables = [
        dashboards.key_figures(request.membership, scope, period),
        dashboards.quarterly(scope, period)[0],
    ]
    return xlsx_response(
        tables, heading=f"{perimeter.label} — {period.label}", filename="tableau-de-bord.xlsx"
    )


@rule(perms.reads_indicators)
def equality_view(request):
    form, perimeter, scope, period = _period_and_scope(request)
    context = {
        "form": form,
        "perimeter": perimeter,
        "perimeters": scopes.perimeters(request.membership),
        "period": period,
        "query": _filters_query(request),
        "breadcrumbs": [
            ("Pilotage", reverse("reporting:dashboard")),
            ("Égalité des chances", None),
        ],
    }
    if perimeter is not None:
        view = equality.view(scope, period)
        gaps = view["gaps"][:-1]
        chart = charts.bar_chart(
            "chart-gap",
            "Taux de sorties positives par trimestre : QPV et hors QPV",
            [label for label, _, _ in gaps],
            [
                ("QPV", [rates[0] for _, _, rates in gaps]),
                ("Hors QPV", [rates[1] for _, _, rates in gaps]),
            ],
            unit=" %",
        )
        context.update(view=view, chart=chart)
    return render(request, T + "equality.html", context)


@rule(perms.reads_indicators)
def equality_export(request):
    _, perimeter, scope, period = _period_and_scope(request)
    if perimeter is None:
        raise Http404
    view = equality.view(scope, period)
    tables = [*view["counts"], *view["rates"], view["evolution"]]
    return xlsx_response(
        tables, heading=f"{perimeter.label} — {period.label}", filename="egalite-des-chances.xlsx"
    )


# --- Conventions and objectives ----------------------------------------------------------------


@rule(perms.reads_indicators)
def conventions(request):
    rows = scopes.conventions_for(request.membership)
    return render(
        request,
        T + "conventions.html",
        {
            "conventions": rows,
            "may_create": perms.creates_conventions(request.membership),
            "breadcrumbs": [("Pilotage", reverse("reporting:dashboard")), ("Conventions", None)],
        },
    )


@rule(perms.creates_conventions)
def convention_create(request):
    form = ConventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            convention = services.create_convention(
                data=form.values(), actor=Actor.from_request(request)
            )
        except services.ReportingError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Convention « {convention} » créée.")
            return redirect("reporting:convention", public_id=convention.public_id)
    return render(
        request,
        T + "convention_form.html",
        {
            "form": form,
            "breadcrumbs": [
                ("Pilotage", reverse("reporting:dashboard")),
                ("Conventions", reverse("reporting:conventions")),
                ("Nouvelle convention", None),
            ],
        },
    )


@rule(perms.may_view_convention, load=perms.convention_record)
def convention_detail(request, public_id, record):
    membership = request.membership
    scope = scopes.convention_scope(
        record,
        within=None
        if perms.sees_network(membership) or perms.is_funder(membership)
        else membership.structure_id,
    )
    progressions = progress.convention_progress(
        record, scope=scope, mask=perms.masks_small_counts(membership)
    )
    figures = [
        _figure_row(figure, masked=perms.masks_small_counts(membership))
        for figure in ReportedFigure.objects.filter(objective__convention=record)[:10]
    ]
    return render(
        request,
        T + "convention.html",
        {
            "convention": record,
            "progressions": progressions,
            "behind": [p for p in progressions if p.is_behind],
            "figures": figures,
            "may_edit": perms.may_edit_convention(membership, record),
            "events": events_for(record)[:20],
            "breadcrumbs": [
                ("Pilotage", reverse("reporting:dashboard")),
                ("Conventions", reverse("reporting:conventions")),
                (str(record), None),
            ],
        },
    )


def _progress_table(convention, progressions):
    def shown(item, value):
        if item.masked:
            return SMALL
        return "—" if value is None else value

    return Table(
        f"Objectifs de la convention « {convention} »",
        [
            "Indicateur",
            "Version",
            "Début",
            "Fin",
            "Cible",
            "Réalisé",
            "Avancement (%)",
            "Projection linéaire",
            "État",
        ],
        [
            [
                item.indicator.label,
                item.indicator.version,
                item.target.starts_on,
                item.target.ends_on,
                float(item.target.value),
                shown(item, item.realised),
                shown(item, item.percent),
                shown(item, item.projection),
                item.status_label,
            ]
            for item in progressions
        ],
        note="Réalisé calculé par la version de la définition fixée avec l'objectif ; "
        "projection : le rythme observé prolongé jusqu'à la fin de la période.",
        key="objectifs",
    )


@rule(perms.may_view_convention, load=perms.convention_record)
def convention_export(request, public_id, record):
    membership = request.membership
    within = None
    if not (perms.sees_network(membership) or perms.is_funder(membership)):
        within = membership.structure_id
    progressions = progress.convention_progress(
        record,
        scope=scopes.convention_scope(record, within=within),
        mask=perms.masks_small_counts(membership),
    )
    return xlsx_response(
        [_progress_table(record, progressions)], heading=str(record), filename="objectifs.xlsx"
    )


def _figure_row(figure, *, masked):
    indicator = indicators.get(figure.indicator_code, figure.indicator_version)
    try:
        now = services.reproduce(figure)
    except services.DefinitionMismatch:
        now = "définition modifiée"

    def shown(value):
        if value is None:
            return "—"
        number = int(value) if value == int(value) else value
        small = masked_count(number) is None
        if masked and indicator.kind == "count" and indicator.counts_persons and small:
            return SMALL
        return number

    return {
        "figure": figure,
        "label": indicator.label,
        "reported": shown(figure.value),
        "now": shown(now) if not isinstance(now, str) else now,
    }


@rule(perms.may_edit_convention, load=perms.convention_record)
def objective_create(request, public_id, record):
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_objective(
                record, data=form.cleaned_data, actor=Actor.from_request(request)
            )
        except services.ReportingError as error:
            report(error, form=form)
        else:
            messages.success(request, "Objectif ajouté.")
            return redirect("reporting:convention", public_id=record.public_id)
    return render(
        request,
        T + "objective_form.html",
        {
            "form": form,
            "convention": record,
            "definitions": indicators.current(),
            "breadcrumbs": [
                ("Pilotage", reverse("reporting:dashboard")),
                ("Conventions", reverse("reporting:conventions")),
                (str(record), reverse("reporting:convention", args=[record.public_id])),
                ("Nouvel objectif", None),
            ],
        },
    )


@rule(perms.may_report_objective, load=perms.objective_record)
def objective_report(request, public_id, record):
    """POST: reports the realised figure of a target; GET goes back to the convention."""
    if request.method != "POST":
        return redirect("reporting:convention", public_id=record.convention.public_id)
    chosen = request.POST.get("cible", "")
    target = (
        Target.objects.filter(objective=record, pk=chosen).first() if chosen.isdigit() else None
    )
    if target is None:
        messages.error(request, "Choisissez la cible dont le chiffre est déclaré.")
        return redirect("reporting:convention", public_id=record.convention.public_id)
    try:
        figure = services.report_figure(record, target, actor=Actor.from_request(request))
    except services.ReportingError as error:
        report(error, request=request)
    else:
        messages.success(
            request, f"Chiffre déclaré : {figure.value} (v{figure.indicator_version})."
        )
    return redirect("reporting:convention", public_id=record.convention.public_id)


# --- ESF+ ---------------------------------------------------------------------------------------


@rule(perms.reads_indicators)
def esf_view(request):
    form, perimeter, scope, period = _period_and_scope(request)
    context = {
        "form": form,
        "perimeter": perimeter,
        "perimeters": scopes.perimeters(request.membership),
        "period": period,
        "query": _filters_query(request),
        "exports_participants": perms.exports_participants(request.membership),
        "breadcrumbs": [("Pilotage", reverse("reporting:dashboard")), ("FSE+", None)],
    }
    if perimeter is not None:
        context["tables"] = esf.tables(scope, period)
        context["columns"] = esf.PARTICIPANT_COLUMNS
    return render(request, T + "esf.html", context)


@rule(perms.reads_indicators)
def esf_export(request):
    _, perimeter, scope, period = _period_and_scope(request)
    if perimeter is None:
        raise Http404
    return xlsx_response(
        esf.tables(scope, period),
        heading=f"{perimeter.label} — {period.label}",
        filename="fse-plus.xlsx",
    )


@rule(perms.exports_participants)
def esf_participants(request):
    form, _, _, period = _period_and_scope(request)
    structure = request.membership.structure
    columns = [label for label, _ in esf.PARTICIPANT_COLUMNS]
    tables = [
        Table(
            f"Participants FSE+ — {structure}",
            columns,
            list(esf.participant_rows(structure, period)),
            note=f"Un participant par ligne et par opération, entrés {period.label}.",
            key="participants",
        ),
        Table(
            "Colonnes",
            ["Colonne", "Contenu"],
            [list(pair) for pair in esf.PARTICIPANT_COLUMNS],
            key="colonnes",
        ),
    ]
    return xlsx_response(
        tables, heading=f"{structure} — {period.label}", filename="fse-plus-participants.xlsx"
    )


# --- Non-relocatable jobs -----------------------------------------------------------------------


@rule(perms.reads_relocation)
def relocation_view(request):
    table, (local, total) = relocation.share_table()
    return render(
        request,
        T + "relocation.html",
        {
            "table": table,
            "sources": relocation.sources_table((local, total)),
            "local": local,
            "total": total,
            "share": round(100 * local / total, 1) if total else None,
            "reviews": perms.reviews_naf_classification(request.membership),
            "breadcrumbs": [
                ("Pilotage", reverse("reporting:dashboard")),
                ("Emplois non délocalisables", None),
            ],
        },
    )


@rule(perms.reads_relocation)
def relocation_export(request):
    table, hirings = relocation.share_table()
    return xlsx_response(
        [table, relocation.sources_table(hirings)],
        heading="Emplois non délocalisables",
        filename="emplois-non-delocalisables.xlsx",
    )


@rule(perms.reviews_naf_classification)
def naf_review(request):
    rows = list(NafSphere.objects.all())
    chosen = None
    form = None
    division = request.POST.get("division") or request.GET.get("division")
    if division:
        chosen = get_object_or_404(NafSphere, division=division)
        form = NafSphereForm(
            request.POST or None,
            instance=None,
            initial={"sphere": chosen.sphere, "explanation": chosen.explanation},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.review_naf(
                    chosen, data=form.cleaned_data, actor=Actor.from_request(request)
                )
            except services.ReportingError as error:
                report(error, form=form)
            else:
                messages.success(request, f"Division {chosen.division} revue.")
                return redirect("reporting:naf_review")
    elif request.method == "POST":
        messages.error(request, "Choisissez la division à revoir.")
    return render(
        request,
        T + "naf_review.html",
        {
            "rows": rows,
            "chosen": chosen,
            "form": form,
            "spheres": dict(Sphere.choices),
            "breadcrumbs": [
                ("Pilotage", reverse("reporting:dashboard")),
                ("Emplois non délocalisables", reverse("reporting:relocation")),
                ("Classification NAF", None),
            ],
        },
    )


# --- Observatory --------------------------------------------------------------------------------


def _territory(request):
    value = request.GET.get("territoire") or f"bassin:{observatory.DEFAULT_BASSIN}"
    kind, _, code = value.partition(":")
    if kind not in ("bassin", "epci", "commune") or not code:
        raise Http404("Territoire inconnu.")
    return value, kind, code


def _observatory_tables(kind, code):
    bassin = observatory.bassin_of(kind, code)
    tables = []
    if bassin:
        tables.append(observatory.tension_table(bassin))
    tables.append(observatory.hirings_table())
    tables.append(observatory.trainings_table(kind, code, since=timezone.localdate()))
    tables.append(observatory.offers_table(kind, code))
    return tables


@rule(perms.reads_observatory)
def observatory_view(request):
    value, kind, code = _territory(request)
    bassins, epcis, communes = observatory.territories()
    return render(
        request,
        T + "observatory.html",
        {
            "tables": _observatory_tables(kind, code),
            "territory": value,
            "bassins": bassins,
            "epcis": epcis,
            "communes": communes,
            "breadcrumbs": [("Observatoire du territoire", None)],
        },
    )


@rule(perms.reads_observatory)
def observatory_export(request):
    value, kind, code = _territory(request)
    return xlsx_response(
        _observatory_tables(kind, code), heading=f"Territoire {value}", filename="observatoire.xlsx"
    )


# --- Monthly report -----------------------------------------------------------------------------


@rule(perms.reads_indicators)
def monthly_report(request, year, month):
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    pdf = monthly.render_pdf(request.membership, year, month)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-{year}-{month:02d}.pdf"'
    return response
