"""The GPEC toolkit's pages, served twice: to officers from the company record
(``/entreprises/<uuid>/gpec/…``, ``MANAGE_COMPANIES``) and to the company's leaders in the
portal (``/portail/<uuid>/gpec/…``, loaded by ``portal.leader_establishment``: 404 for anyone
else). Each page is written once (``_pages``) and declared with each side's rule."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

from tisserand.companies import gpec, portal, portal_perms
from tisserand.companies import gpec_analysis as analysis
from tisserand.companies.gpec_charts import pyramid_svg
from tisserand.companies.gpec_exports import (
    XLSX_CONTENT_TYPE,
    file_response,
    matrix_workbook,
    synthesis_pdf,
)
from tisserand.companies.gpec_forms import (
    OPTIONS,
    EmployeeForm,
    PositionForm,
    PositionSkillForm,
    RetirementForm,
    cell_name,
    cell_select,
    matrix_cells,
    picker_url,
)
from tisserand.companies.models import GpecEmployee, GpecPosition, GpecPositionSkill
from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.forms import model_values
from tisserand.core.permissions import rule

T = "companies/gpec/"
PAGES = (
    "home",
    "retirement",
    "positions",
    "position",
    "position_remove",
    "position_skill_remove",
    "employees",
    "employee",
    "employee_remove",
    "matrix",
    "pdf",
    "xlsx",
)


def company_page(establishment):
    """The company record's URL when the company page exists (companies-core builds it)."""
    try:
        return reverse("companies:detail", args=[establishment.public_id])
    except NoReverseMatch:
        return None


class Side:
    """Officer or portal: URL names, breadcrumbs, and the picker's endpoint."""

    def __init__(self, prefix, portal_side):
        self.prefix = prefix
        self.portal = portal_side

    def name(self, page):
        suffix = "" if page == "home" else f"_{page}"
        return f"companies:{self.prefix}{suffix}"

    def urls(self):
        return {page: self.name(page) for page in PAGES}

    def url(self, page, establishment, *args):
        return reverse(self.name(page), args=[establishment.public_id, *args])

    def crumbs(self, establishment, *more):
        if self.portal:
            head = [
                ("Portail", reverse("companies:portal_company", args=[establishment.public_id])),
            ]
        else:
            head = [(establishment.display_name, company_page(establishment))]
        return [*head, ("Outil GPEC", self.url("home", establishment)), *more]

    def context(self, establishment, **more):
        return {
            "establishment": establishment,
            "urls": self.urls(),
            "portal_side": self.portal,
            **more,
        }


OFFICER = Side("gpec", portal_side=False)
PORTAL = Side("portal_gpec", portal_side=True)


def _position(establishment, position_id):
    return get_object_or_404(GpecPosition, establishment=establishment, public_id=position_id)


def _employee(establishment, employee_id):
    return get_object_or_404(GpecEmployee, establishment=establishment, public_id=employee_id)


def home(request, side, establishment):
    data = analysis.load(establishment)
    bands = analysis.pyramid(data)
    return render(
        request,
        T + "home.html",
        side.context(
            establishment,
            data=data,
            summary=analysis.summary(data),
            bands=bands,
            pyramid=pyramid_svg(bands),
            departures=analysis.departures(data),
            anticipation=analysis.anticipation(data),
            position_gaps=[analysis.position_gaps(data, p) for p in data.positions],
            person_gaps=[analysis.person_gaps(data, e) for e in data.employees],
            training_plan=analysis.training_plan(data),
            horizon=analysis.HORIZON_YEARS,
            retirement_form=RetirementForm(initial={"retirement_age": data.retirement_age}),
            breadcrumbs=side.crumbs(establishment)[:-1] + [("Outil GPEC", None)],
        ),
    )


def retirement(request, side, establishment):
    form = RetirementForm(request.POST)
    if form.is_valid():
        try:
            gpec.set_retirement_age(
                establishment, data=form.cleaned_data, actor=Actor.from_request(request)
            )
            messages.success(request, "Âge de départ retenu enregistré.")
        except gpec.GpecError as error:
            report(error, request=request)
    else:
        messages.error(request, "L'âge de départ retenu va de 55 à 70 ans.")
    return redirect(side.url("home", establishment))


def positions(request, side, establishment):
    url = picker_url(establishment.public_id) if side.portal else None
    form = PositionForm(request.POST or None, picker_url=url)
    if request.method == "POST" and form.is_valid():
        try:
            position = gpec.add_position(
                establishment, data=form.cleaned_data, actor=Actor.from_request(request)
            )
        except gpec.GpecError as error:
            report(error, form=form, field="title")
        else:
            messages.success(
                request,
                f"Poste « {position} » décrit : {position.skills.count()} compétences "
                "pré-remplies depuis la fiche ROME, à ajuster.",
            )
            return redirect(side.url("position", establishment, position.public_id))
    rows = GpecPosition.objects.filter(establishment=establishment).select_related(
        "appellation__fiche"
    )
    return render(
        request,
        T + "positions.html",
        side.context(
            establishment,
            form=form,
            positions=rows.order_by("title"),
            breadcrumbs=side.crumbs(establishment, ("Postes", None)),
        ),
    )


def position(request, side, establishment, position_id):
    found = _position(establishment, position_id)
    links = list(found.skills.select_related("skill").order_by("-is_core", "order", "skill__label"))
    add_form = PositionSkillForm(request.POST if "ajouter" in request.POST else None)
    actor = Actor.from_request(request)
    if request.method == "POST" and "ajouter" in request.POST:
        if add_form.is_valid():
            try:
                gpec.add_position_skill(found, data=add_form.cleaned_data, actor=actor)
            except gpec.GpecError as error:
                report(error, form=add_form, field="label")
            else:
                messages.success(request, "Compétence ajoutée au poste.")
                return redirect(side.url("position", establishment, found.public_id))
    elif request.method == "POST":
        changes = {}
        for link in links:
            raw = request.POST.get(f"attendu-{link.pk}", str(link.required_level))
            changes[link.pk] = (
                int(raw) if raw.isdigit() else -1,
                request.POST.get(f"coeur-{link.pk}") == "on",
            )
        try:
            gpec.update_position_skills(found, data=changes, actor=actor)
        except gpec.GpecError as error:
            report(error, request=request)
        else:
            messages.success(request, "Niveaux attendus enregistrés.")
        return redirect(side.url("position", establishment, found.public_id))
    return render(
        request,
        T + "position.html",
        side.context(
            establishment,
            position=found,
            links=links,
            add_form=add_form,
            required_choices=[1, 2, 3],
            breadcrumbs=side.crumbs(
                establishment, ("Postes", side.url("positions", establishment)), (found.title, None)
            ),
        ),
    )


def position_remove(request, side, establishment, position_id):
    found = _position(establishment, position_id)
    gpec.remove_position(found, actor=Actor.from_request(request))
    messages.success(request, f"Poste « {found} » supprimé.")
    return redirect(side.url("positions", establishment))


def position_skill_remove(request, side, establishment, position_id, link_id):
    found = _position(establishment, position_id)
    link = get_object_or_404(
        GpecPositionSkill.objects.select_related("skill"), position=found, pk=link_id
    )
    gpec.remove_position_skill(link, actor=Actor.from_request(request))
    messages.success(request, f"« {link.skill} » retirée du poste.")
    return redirect(side.url("position", establishment, found.public_id))


def _employee_form_page(request, side, establishment, instance=None):
    form = EmployeeForm(request.POST or None, instance=instance, establishment=establishment)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            if instance is None:
                employee = gpec.add_employee(establishment, data=model_values(form), actor=actor)
            else:
                employee = gpec.update_employee(instance, data=model_values(form), actor=actor)
        except gpec.GpecError as error:
            report(error, form=form)
        else:
            messages.success(request, f"« {employee} » enregistré·e.")
            return redirect(side.url("employees", establishment))
    return form


def employees(request, side, establishment):
    form = _employee_form_page(request, side, establishment)
    if not hasattr(form, "is_bound"):
        return form
    rows = GpecEmployee.objects.filter(establishment=establishment).select_related("position")
    data = analysis.load(establishment)
    leaving = {d.employee.pk: d for d in analysis.departures(data)}
    return render(
        request,
        T + "employees.html",
        side.context(
            establishment,
            form=form,
            employees=[
                (e, leaving.get(e.pk), analysis.age(data, e), data.today.year - e.hire_year)
                for e in rows.order_by("alias")
            ],
            breadcrumbs=side.crumbs(establishment, ("Salarié·es", None)),
        ),
    )


def employee(request, side, establishment, employee_id):
    found = _employee(establishment, employee_id)
    form = _employee_form_page(request, side, establishment, instance=found)
    if not hasattr(form, "is_bound"):
        return form
    return render(
        request,
        T + "employee.html",
        side.context(
            establishment,
            form=form,
            employee=found,
            breadcrumbs=side.crumbs(
                establishment,
                ("Salarié·es", side.url("employees", establishment)),
                (found.alias, None),
            ),
        ),
    )


def employee_remove(request, side, establishment, employee_id):
    found = _employee(establishment, employee_id)
    gpec.remove_employee(found, actor=Actor.from_request(request))
    messages.success(request, f"« {found} » retiré·e de l'outil.")
    return redirect(side.url("employees", establishment))


# Above this many cells the grid opens on one position (a filter chooses which).
MATRIX_MAX_CELLS = 600


def _matrix_scope(request, data):
    """(position or None, employees, skills) the grid shows: one position's employees and
    skills when ``poste`` names it (or, by default, when the whole grid would be too large:
    the first position), else — or with ``poste=tous`` — every employee and skill."""
    chosen = request.GET.get("poste") or request.POST.get("poste") or ""
    position = next((p for p in data.positions if str(p.public_id) == chosen), None)
    everything = len(data.employees) * len(data.skills) <= MATRIX_MAX_CELLS
    if position is None and (chosen == "tous" or everything or not data.positions):
        return None, data.employees, list(data.skills.values())
    position = position or data.positions[0]
    return (
        position,
        [e for e in data.employees if e.position_id == position.pk],
        [link.skill for link in position.skills.all()],
    )


def matrix(request, side, establishment):
    data = analysis.load(establishment)
    position_filter, employees_shown, skills = _matrix_scope(request, data)
    errors = []
    if request.method == "POST":
        cells, errors = matrix_cells(request.POST, employees_shown, skills)
        if not errors:
            try:
                touched, cleared = gpec.save_matrix(
                    establishment, data=cells, actor=Actor.from_request(request)
                )
            except gpec.GpecError as error:
                errors = [str(error)]
            else:
                messages.success(
                    request,
                    f"Matrice enregistrée : {touched} niveau(x) saisi(s), {cleared} effacé(s).",
                )
                url = side.url("matrix", establishment)
                if position_filter is not None:
                    url += f"?poste={position_filter.public_id}"
                return redirect(url)
    required = {}
    for pos in data.positions:
        for link in pos.skills.all():
            required[(pos.pk, link.skill_id)] = link.required_level
    rows = []
    for emp in employees_shown:
        cells = []
        for skill in skills:
            level = data.level(emp, skill.pk)
            value = "" if level is None else str(level)
            if request.method == "POST":  # a refused grid shows what was typed
                value = request.POST.get(cell_name(emp, skill), value)
                value = value if value in OPTIONS else ""
            cells.append(cell_select(emp, skill, value, required.get((emp.position_id, skill.pk))))
        rows.append((emp, cells))
    return render(
        request,
        T + "matrix.html",
        side.context(
            establishment,
            skills=skills,
            rows=rows,
            errors=errors,
            positions=data.positions,
            position_filter=position_filter,
            breadcrumbs=side.crumbs(establishment, ("Matrice des compétences", None)),
        ),
        status=400 if errors else 200,
    )


def pdf(request, side, establishment):
    content = synthesis_pdf(analysis.load(establishment), request=request)
    name = slugify(establishment.display_name) or "entreprise"
    return file_response(content, "application/pdf", f"gpec-{name}.pdf")


def xlsx(request, side, establishment):
    content = matrix_workbook(analysis.load(establishment))
    name = slugify(establishment.display_name) or "entreprise"
    return file_response(content, XLSX_CONTENT_TYPE, f"matrice-competences-{name}.xlsx")


# Actions: posted from a form; asked in GET, they show the page the form is on.
ACTIONS = {
    "retirement": lambda establishment, **_: ("home", []),
    "position_remove": lambda establishment, position_id, **_: ("position", [position_id]),
    "position_skill_remove": lambda establishment, position_id, **_: ("position", [position_id]),
    "employee_remove": lambda establishment, employee_id, **_: ("employee", [employee_id]),
}


def _declare(side, page, predicate, loader):
    body = globals()[page]

    def view(request, public_id, record, **kwargs):
        if page in ACTIONS and request.method != "POST":
            target, args = ACTIONS[page](record, **kwargs)
            return redirect(side.url(target, record, *args))
        return body(request, side, record, **kwargs)

    view.__name__ = view.__qualname__ = f"{side.prefix}_{page}"
    view.__module__ = __name__
    return rule(predicate, load=loader)(view)


officer_views = {
    page: _declare(OFFICER, page, portal_perms.may_manage_gpec, portal_perms.establishment_record)
    for page in PAGES
}
portal_views = {
    page: _declare(PORTAL, page, portal_perms.leader, portal.leader_establishment) for page in PAGES
}
