"""Counsellor mode: the guidance of a person of the caseload, saved in their record.

The profile is saved on the person (``GuidanceProfile``); each retained target is recorded on
the person's timeline and added to the professional project of their open accompaniment with
the counsellor's structure, when there is one.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tisserand.core.access_log import log_record_access
from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.permissions import rule
from tisserand.guidance import pdf, perms, services
from tisserand.guidance.engine.errors import GuidanceError, UnknownCodeError
from tisserand.guidance.loading import ReferentialMissing
from tisserand.guidance.models import GuidanceTarget
from tisserand.guidance.views.common import error_page, form_context, listed, profile_step
from tisserand.people.breadcrumbs import person_trail
from tisserand.people.models import Person
from tisserand.referentials.rome.models import Appellation


def _person(request, public_id, **_other_url_kwargs):
    """The person the URL designates (404 when absent): the rules' loader."""
    return get_object_or_404(Person.objects.select_related("commune"), public_id=public_id)


def _opened(request, person):
    log_record_access(request, person, owner_structure=person.owner_structure)
    return person


def _crumbs(person, *steps):
    return person_trail(
        person, ("Orientation", reverse("guidance:person", args=[person.public_id])), *steps
    )


def _guarded(view):
    @wraps(view)
    def wrapped(request, public_id, *args, **kwargs):
        try:
            return view(request, public_id, *args, **kwargs)
        except ReferentialMissing as error:
            return error_page(request, str(error), status=503)
        except GuidanceError as error:
            return error_page(
                request, str(error), back_url=reverse("guidance:person_profile", args=[public_id])
            )

    return wrapped


@rule(perms.can_view_person_guidance, load=_person)
@_guarded
def person_suggestions(request, public_id, record):
    person = _opened(request, record)
    data = services.stored_profile_data(person)
    can_edit = perms.can_edit_person_guidance(request.membership, person)
    if not services.has_profile(person):
        if can_edit:
            return redirect("guidance:person_profile", public_id=public_id)
        return error_page(request, "Aucun profil d'orientation n'a encore été construit.", 404)
    exploration = services.explore(data)
    targets = services.active_targets(person)
    retained = {target.fiche.code for target in targets}
    return render(
        request,
        "guidance/person.html",
        {
            "person": person,
            "exploration": exploration,
            "summary": services.profile_summary(exploration),
            "suggestions": listed(
                exploration.suggestions,
                lambda code: reverse("guidance:person_target", args=[public_id, code]),
            ),
            "targets": targets,
            "retained": retained,
            "can_edit": can_edit,
            "breadcrumbs": _crumbs(person),
        },
    )


@rule(perms.can_edit_person_guidance, load=_person)
@_guarded
def person_profile(request, public_id, record):
    person = _opened(request, record)
    params = request.POST if request.method == "POST" else {}
    data = None if request.method == "POST" else services.stored_profile_data(person)
    step = profile_step(params, public=False, data=data)
    if step.wants_results:
        try:
            services.save_profile(person, data=step.data, actor=Actor.from_request(request))
        except GuidanceError as error:
            report(error, form=step.form)
        else:
            messages.success(request, "Le profil d'orientation est enregistré.")
            return redirect("guidance:person", public_id=public_id)
    return render(
        request,
        "guidance/person_profile.html",
        {
            **form_context(step),
            "person": person,
            "breadcrumbs": _crumbs(person, ("Profil", None)),
        },
    )


@rule(perms.can_view_person_guidance, load=_person)
@_guarded
def person_target(request, public_id, code, record):
    person = _opened(request, record)
    exploration = services.explore(services.stored_profile_data(person), count=0)
    try:
        detail = services.target_detail(exploration, code)
    except UnknownCodeError as error:
        raise Http404(str(error)) from error
    return render(
        request,
        "guidance/person_target.html",
        {
            "person": person,
            "detail": detail,
            "exploration": exploration,
            "appellation_choices": Appellation.objects.filter(
                fiche=detail.fiche, is_obsolete=False
            ).order_by("is_rarely_used", "label"),
            "is_retained": GuidanceTarget.objects.filter(
                person=person, fiche=detail.fiche, withdrawn_at__isnull=True
            ).exists(),
            "can_edit": perms.can_edit_person_guidance(request.membership, person),
            "breadcrumbs": _crumbs(person, (detail.suggestion.label, None)),
        },
    )


@rule(perms.can_edit_person_guidance, load=_person)
@require_POST
@_guarded
def person_retain(request, public_id, record):
    person = _opened(request, record)
    code = request.POST.get("code", "").strip().upper()
    appellation = request.POST.get("intitule", "").strip()
    exploration = services.explore(services.stored_profile_data(person), count=0)
    if code not in exploration.catalogue.position:
        raise UnknownCodeError("métier", [code or "—"])
    target = services.retain_target(
        person,
        exploration=exploration,
        code=code,
        actor=Actor.from_request(request),
        appellation_code=int(appellation) if appellation.isdigit() else None,
    )
    messages.success(request, f"« {target} » est retenu dans le projet de la personne.")
    return redirect("guidance:person", public_id=public_id)


@rule(perms.can_edit_person_guidance, load=_person)
@require_POST
def person_withdraw(request, public_id, target_id, record):
    person = _opened(request, record)
    target = get_object_or_404(
        GuidanceTarget, person=person, public_id=target_id, withdrawn_at__isnull=True
    )
    services.withdraw_target(target, actor=Actor.from_request(request))
    messages.success(request, f"« {target} » n'est plus une cible retenue.")
    return redirect("guidance:person", public_id=public_id)


@rule(perms.can_view_person_guidance, load=_person)
@_guarded
def person_synthesis_pdf(request, public_id, record):
    person = _opened(request, record)
    exploration = services.explore(services.stored_profile_data(person))
    codes = [target.fiche.code for target in services.active_targets(person)]
    synthesis = services.synthesis(exploration, codes, person=person)
    counsellor = services.counsellor_of(person, actor=Actor.from_request(request))
    return pdf.pdf_response(
        pdf.synthesis_pdf(synthesis, request, counsellor),
        f"synthese-orientation-{person.last_name}.pdf",
    )
