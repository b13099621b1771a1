"""The public self-service pages: no account, nothing stored (the profile travels in a signed
token of the page's links), rate-limited per address. Only a consented contact request is kept.
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from tisserand.core import views as core_views
from tisserand.core.breadcrumbs import trail
from tisserand.core.permissions import public
from tisserand.core.pickers import get_picker
from tisserand.guidance import pdf, ratelimit, services
from tisserand.guidance.engine.errors import GuidanceError, UnknownCodeError
from tisserand.guidance.forms import ContactRequestForm
from tisserand.guidance.loading import ReferentialMissing
from tisserand.guidance.pickers import PUBLIC_NAMES
from tisserand.guidance.profiles import ProfileData
from tisserand.guidance.views.common import error_page, form_context, listed, profile_step

TOKEN, TARGET = "p", "cible"
ROOT_CRUMB = ("Orientation : trouver un métier", None)


def _crumbs(*steps):
    return trail(("Trouver un métier", reverse("guidance:explore")), *steps)


def _with_token(url_name, token, *args, **extra):
    query = {TOKEN: token, **extra}
    return f"{reverse(url_name, args=args)}?{urlencode(query, doseq=True)}"


def _token_data(request):
    token = request.GET.get(TOKEN) or request.POST.get(TOKEN, "")
    if not token:
        raise GuidanceError("Aucun profil : commencez par décrire votre parcours.")
    return token, ProfileData.from_token(token)


def _guarded(view):
    """Bad input and a missing referential give a French page, never a crash."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ReferentialMissing as error:
            return error_page(request, str(error), status=503)
        except GuidanceError as error:
            return error_page(request, str(error), back_url=reverse("guidance:explore"))

    return wrapped


@public
@ratelimit.rate_limited("pages", ratelimit.PAGES)
@_guarded
def explore(request):
    """Describe your path: jobs, skills, interests, constraints (a GET form)."""
    data = ProfileData.from_token(request.GET[TOKEN]) if TOKEN in request.GET else None
    step = profile_step(request.GET, public=True, data=data)
    if step.wants_results:
        try:
            services.explore(step.data, count=1)
        except GuidanceError as error:
            step.form.add_error(None, str(error))
        else:
            return redirect(_with_token("guidance:results", step.data.to_token()))
    return render(
        request,
        "guidance/explore.html",
        {**form_context(step), "breadcrumbs": [ROOT_CRUMB]},
    )


@public
@ratelimit.rate_limited("pages", ratelimit.PAGES)
@_guarded
def results(request):
    token, data = _token_data(request)
    exploration = services.explore(data)
    return render(
        request,
        "guidance/results.html",
        {
            "exploration": exploration,
            "suggestions": listed(
                exploration.suggestions,
                lambda code: _with_token("guidance:target", token, code),
            ),
            "token": token,
            "edit_url": _with_token("guidance:explore", token),
            "synthesis_url": reverse("guidance:synthesis"),
            "breadcrumbs": _crumbs(("Métiers suggérés", None)),
        },
    )


@public
@ratelimit.rate_limited("pages", ratelimit.PAGES)
@_guarded
def target(request, code):
    token, data = _token_data(request)
    exploration = services.explore(data, count=0)
    try:
        detail = services.target_detail(exploration, code)
    except UnknownCodeError as error:
        raise Http404(str(error)) from error
    return render(
        request,
        "guidance/target.html",
        {
            "detail": detail,
            "exploration": exploration,
            "token": token,
            "results_url": _with_token("guidance:results", token),
            "synthesis_url": _with_token("guidance:synthesis", token, **{TARGET: code}),
            "breadcrumbs": _crumbs(
                ("Métiers suggérés", _with_token("guidance:results", token)),
                (detail.suggestion.label, None),
            ),
        },
    )


def _synthesis(request):
    token, data = _token_data(request)
    codes = request.GET.getlist(TARGET)
    exploration = services.explore(data)
    unknown = [code for code in codes if code not in exploration.catalogue.position]
    if unknown:
        raise UnknownCodeError("métier", unknown)
    return token, codes, exploration, services.synthesis(exploration, codes)


@public
@ratelimit.rate_limited("pages", ratelimit.PAGES)
@_guarded
def synthesis(request):
    token, codes, exploration, synthesis = _synthesis(request)
    query = {TOKEN: token, TARGET: codes}
    return render(
        request,
        "guidance/synthesis.html",
        {
            "synthesis": synthesis,
            "pdf_url": f"{reverse('guidance:synthesis_pdf')}?{urlencode(query, doseq=True)}",
            "contact_url": f"{reverse('guidance:contact')}?{urlencode(query, doseq=True)}",
            "results_url": _with_token("guidance:results", token),
            "breadcrumbs": _crumbs(
                ("Métiers suggérés", _with_token("guidance:results", token)),
                ("Ma synthèse", None),
            ),
        },
    )


@public
@ratelimit.rate_limited("pdf", ratelimit.PDF)
@_guarded
def synthesis_pdf(request):
    _, _, _, synthesis = _synthesis(request)
    return pdf.pdf_response(pdf.synthesis_pdf(synthesis, request), "synthese-orientation.pdf")


@public
@ratelimit.rate_limited("pages", ratelimit.PAGES)
@_guarded
def contact(request):
    """Ask to be contacted: the only thing the public pages store, with the consent."""
    params = request.POST if request.method == "POST" else request.GET
    token = params.get(TOKEN, "")
    codes = params.getlist(TARGET)
    exploration = services.explore(ProfileData.from_token(token)) if token else None
    form = ContactRequestForm(
        request.POST if request.method == "POST" else None, consent_text=services.CONSENT_TEXT
    )
    refusal = ""
    if request.method == "POST" and form.is_valid():
        refusal = ratelimit.contact_refusal(request, form.cleaned_data)
        if refusal:
            form.add_error(None, refusal)
    if request.method == "POST" and form.is_valid():
        ratelimit.count_contact_request(request, form.cleaned_data)
        shared = ""
        if exploration is not None and form.cleaned_data["share_profile"]:
            shared = services.profile_text(exploration, codes)
        services.create_contact_request(form.cleaned_data, shared)
        return render(
            request,
            "guidance/contact_sent.html",
            {"breadcrumbs": _crumbs(("Demande envoyée", None))},
        )
    return render(
        request,
        "guidance/contact.html",
        {
            "form": form,
            "token": token,
            "codes": codes,
            "has_profile": exploration is not None,
            "structure": services.receiving_structure(),
            "breadcrumbs": _crumbs(("Être contacté(e)", None)),
        },
        status=429 if refusal else 200,
    )


@public
@ratelimit.rate_limited("picker", ratelimit.PICKER)
def public_picker(request, name):
    """Proposals of a public picker (job titles, communes, skills) for visitors."""
    if name not in PUBLIC_NAMES:
        raise Http404("Sélecteur inconnu.")
    return core_views.picker_options_response(request, get_picker(name))
