"""Sécurisation des parcours: an employee's reconversion map (public, nothing stored) and the
collective map of a company in difficulty (members, nothing stored)."""

from functools import wraps

from django.shortcuts import render
from django.urls import reverse

from tisserand.core.permissions import public, rule
from tisserand.guidance import exports, perms, ratelimit, securing
from tisserand.guidance.engine.errors import GuidanceError
from tisserand.guidance.forms import CollectiveFormSet, CollectiveSiteForm, ReconversionForm
from tisserand.guidance.loading import ReferentialMissing
from tisserand.guidance.views.common import error_page

SUBMITTED = "voir"
EXPORT, EXPORTS = "format", ("xlsx", "pdf")


def _guarded(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ReferentialMissing as error:
            return error_page(request, str(error), status=503)

    return wrapped


@public
@ratelimit.rate_limited("pages", ratelimit.PAGES)
@_guarded
def reconversion(request):
    """From the current job, the occupations in demand nearby and the schemes that fund them."""
    is_member = perms.can_use_guidance(getattr(request, "membership", None))
    submitted = SUBMITTED in request.GET
    form = ReconversionForm(request.GET if submitted else None, public=not is_member)
    result = None
    if submitted and form.is_valid():
        try:
            result = securing.reconversion_map(form.profile_data())
        except GuidanceError as error:
            form.add_error(None, str(error))
    return render(
        request,
        "guidance/reconversion.html",
        {
            "form": form,
            "result": result,
            "submitted": SUBMITTED,
            "breadcrumbs": [("Se reconvertir", None)],
        },
    )


@rule(perms.can_use_guidance)
@_guarded
def collective(request):
    """A company's jobs and headcounts → aggregated reconversion map and training needs."""
    submitted = SUBMITTED in request.POST or request.POST.get(EXPORT) in EXPORTS
    formset = CollectiveFormSet(request.POST if submitted else None, prefix="postes")
    site = CollectiveSiteForm(request.POST if submitted else None, prefix="site")
    result = None
    if submitted and formset.is_valid() and site.is_valid():
        commune = site.cleaned_data.get("commune")
        try:
            result = securing.collective_map(
                formset.rows(),
                commune.insee_code if commune is not None else "",
                site.cleaned_data.get("rayon"),
            )
        except GuidanceError as error:
            site.add_error(None, str(error))
    if result is not None and request.POST.get(EXPORT) in EXPORTS:
        return exports.collective_response(result, request.POST[EXPORT], request)
    return render(
        request,
        "guidance/collective.html",
        {
            "formset": formset,
            "site": site,
            "result": result,
            "submitted": SUBMITTED,
            "export": EXPORT,
            "breadcrumbs": [
                ("Orientation", reverse("guidance:hub")),
                ("Reconversion collective", None),
            ],
        },
    )
