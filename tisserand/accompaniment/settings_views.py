"""The « Paramétrage » pages of the accompaniment: the programmes the network runs and the
actions suggested per barrier theme in the plans.

They are for the administrator of a Maison de l'Emploi only (``perms.can_configure_lists``);
counsellors meet these lists in the accompaniment forms and have no read-only view of them.
Both lists share the same edit and delete pages, described by a ``ConfigurableList``.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tisserand.accompaniment import perms, settings_services
from tisserand.accompaniment.models import Programme, SuggestedAction
from tisserand.accompaniment.services import AccompanimentError
from tisserand.accompaniment.settings_forms import ProgrammeForm, SuggestedActionForm
from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.forms import model_values
from tisserand.core.permissions import rule
from tisserand.referentials.vocabularies import api as vocabularies

TEMPLATES = "accompaniment/settings/"


@dataclass(frozen=True)
class ConfigurableList:
    """What the shared pages need to know of one configurable list."""

    model: type
    form_class: type
    url_name: str
    title: str
    template: str
    # « le programme », « l'action suggérée »: for titles and messages.
    noun: str

    def crumbs(self, *more):
        if not more:
            return [(f"Paramétrage : {self.title.lower()}", None)]
        return [(f"Paramétrage : {self.title.lower()}", reverse(self.url_name)), *more]


PROGRAMMES = ConfigurableList(
    Programme,
    ProgrammeForm,
    "accompaniment:settings_programmes",
    "Programmes",
    "programmes.html",
    "le programme",
)
SUGGESTED_ACTIONS = ConfigurableList(
    SuggestedAction,
    SuggestedActionForm,
    "accompaniment:settings_suggested_actions",
    "Actions suggérées",
    "suggested_actions.html",
    "l'action suggérée",
)


def _list_page(request, config, rows):
    """A list with its « add » form and its history; ``rows()`` gives the list's context."""
    form = config.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = settings_services.add(form.save(commit=False), actor=Actor.from_request(request))
        messages.success(request, f"Ajout enregistré : « {item} ».")
        return redirect(config.url_name)
    context = {
        "form": form,
        "events": settings_services.history(config.model),
        "breadcrumbs": config.crumbs(),
        **rows(),
    }
    return render(request, TEMPLATES + config.template, context)


def _edit_page(request, config, item, **form_options):
    name = str(item)
    form = config.form_class(request.POST or None, instance=item, **form_options)
    if request.method == "POST" and form.is_valid():
        try:
            settings_services.update(
                item, data=model_values(form), actor=Actor.from_request(request)
            )
        except AccompanimentError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Modification enregistrée : « {item} ».")
            return redirect(config.url_name)
    return _item_page(request, config, "edit.html", f"Modifier {config.noun} « {name} »", form=form)


def _delete_page(request, config, item, refusal=""):
    """A confirmation page (GET); the deletion itself is a POST."""
    name = str(item)
    if request.method == "POST":
        try:
            settings_services.delete(item, actor=Actor.from_request(request))
        except AccompanimentError as error:
            report(error, request=request)
        else:
            messages.success(request, f"Suppression enregistrée : « {name} ».")
        return redirect(config.url_name)
    title = f"Supprimer {config.noun} « {name} »"
    return _item_page(request, config, "delete.html", title, refusal=refusal)


def _item_page(request, config, template, title, **context):
    """A page about one row of the list, with a way back to the list."""
    context.update(
        title=title, list_url=reverse(config.url_name), breadcrumbs=config.crumbs((title, None))
    )
    return render(request, TEMPLATES + template, context)


# --- Programmes -------------------------------------------------------------------------------


@rule(perms.can_configure_lists)
def programmes(request):
    return _list_page(
        request,
        PROGRAMMES,
        lambda: {"programmes": settings_services.programmes_with_usage()},
    )


@rule(perms.can_configure_lists)
def programme_edit(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    code_locked = settings_services.is_used(programme)
    return _edit_page(request, PROGRAMMES, programme, code_locked=code_locked)


@require_POST
@rule(perms.can_configure_lists)
def programme_offer(request, pk):
    """Offers the programme again (``proposer=oui``) or stops offering it."""
    programme = get_object_or_404(Programme, pk=pk)
    offered = request.POST.get("proposer") == "oui"
    settings_services.set_offered(programme, offered, actor=Actor.from_request(request))
    state = "est de nouveau proposé" if offered else "n'est plus proposé"
    messages.success(request, f"Le programme « {programme} » {state}.")
    return redirect(PROGRAMMES.url_name)


@rule(perms.can_configure_lists)
def programme_delete(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    in_use = settings_services.is_used(programme)
    refusal = settings_services.PROGRAMME_IN_USE if in_use else ""
    return _delete_page(request, PROGRAMMES, programme, refusal)


# --- Suggested actions ------------------------------------------------------------------------


@rule(perms.can_configure_lists)
def suggested_actions(request):
    return _list_page(request, SUGGESTED_ACTIONS, _suggestions_by_theme)


def _suggestions_by_theme():
    """(theme label, suggestions) for every active theme in the vocabulary's order, then the
    themes no longer offered that still have suggestions; and the action types' labels."""
    grouped = {}
    for suggestion in SuggestedAction.objects.all():
        grouped.setdefault(suggestion.theme, []).append(suggestion)
    active = [term.code for term in vocabularies.terms(vocabularies.BARRIER_THEME)]
    codes = active + sorted(set(grouped) - set(active))
    labels = vocabularies.labels(vocabularies.BARRIER_THEME)
    return {
        "themes": [(labels.get(code, code), grouped.get(code, [])) for code in codes],
        "action_labels": vocabularies.labels(vocabularies.ACTION_TYPE),
    }


@rule(perms.can_configure_lists)
def suggested_action_edit(request, pk):
    suggestion = get_object_or_404(SuggestedAction, pk=pk)
    return _edit_page(request, SUGGESTED_ACTIONS, suggestion)


@rule(perms.can_configure_lists)
def suggested_action_delete(request, pk):
    suggestion = get_object_or_404(SuggestedAction, pk=pk)
    return _delete_page(request, SUGGESTED_ACTIONS, suggestion)
