"""The relationship journal's pages: a company's journal with its form, and « action faite »."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tisserand.companies import journal, needs_perms
from tisserand.companies.relations_forms import InteractionForm
from tisserand.companies.relations_urls import company_url
from tisserand.companies.services import CompanyError
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.feedback import report
from tisserand.core.forms import model_values
from tisserand.core.permissions import rule
from tisserand.core.timeline import events_about


def _page(request, establishment, form):
    return render(
        request,
        "companies/journal/journal.html",
        {
            "establishment": establishment,
            "interactions": journal.journal_of(establishment)[:100],
            "form": form,
            "events": events_about(establishment)[:20],
            "company_url": company_url(establishment),
            "breadcrumbs": trail(
                (str(establishment), company_url(establishment)), ("Journal de la relation", None)
            ),
        },
    )


@require_GET
@rule(needs_perms.may_read_journal, load=needs_perms.company)
def journal_page(request, public_id, record):
    membership = request.membership
    form = (
        InteractionForm(establishment=record)
        if needs_perms.may_log_interaction(membership, record)
        else None
    )
    return _page(request, record, form)


@require_POST
@rule(needs_perms.may_log_interaction, load=needs_perms.company)
def interaction_create(request, public_id, record):
    form = InteractionForm(request.POST, establishment=record)
    if form.is_valid():
        try:
            journal.log_interaction(
                record, data=model_values(form), actor=Actor.from_request(request)
            )
        except CompanyError as error:
            report(error, form=form)
        else:
            messages.success(request, "Échange enregistré dans le journal.")
            return redirect("companies:journal", public_id=record.public_id)
    return _page(request, record, form)


@require_POST
@rule(needs_perms.may_close_next_action, load=needs_perms.interaction_record)
def next_action_done(request, public_id, record):
    try:
        journal.mark_next_action_done(record, actor=Actor.from_request(request))
    except CompanyError as error:
        report(error, request=request)
    else:
        messages.success(request, "Action marquée comme faite.")
    return redirect("companies:journal", public_id=record.establishment.public_id)
