"""The relationship journal of a company: its interactions (visit, call, e-mail, meeting at
an event…), each with its date, author, summary and the contact met, and a next action whose
date reminds its author (``reminders``, sent by a background task).

Every interaction is on the company's timeline (``about=establishment``).
"""

from django.db import transaction
from django.utils import timezone

from tisserand.companies.models import Interaction
from tisserand.companies.services import CompanyError
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent

INTERACTION_FIELDS = ("kind", "occurred_on", "summary", "contact", "next_action", "next_action_on")


def _check(establishment, data):
    contact = data.get("contact")
    if contact is not None and contact.establishment_id != establishment.pk:
        raise CompanyError("Ce contact n'appartient pas à cet établissement.")
    occurred_on = data.get("occurred_on")
    if occurred_on is not None and occurred_on > timezone.localdate():
        raise CompanyError("La date de l'échange ne peut pas être dans le futur.")
    next_on = data.get("next_action_on")
    if next_on is not None and occurred_on is not None and next_on < occurred_on:
        raise CompanyError("La prochaine action ne peut pas précéder l'échange.")
    if next_on is not None and not (data.get("next_action") or "").strip():
        raise CompanyError("Décrivez la prochaine action prévue à cette date.")


@transaction.atomic
def log_interaction(establishment, *, data, actor):
    """Adds an interaction to ``establishment``'s journal, authored by ``actor``."""
    _check(establishment, data)
    interaction = Interaction(
        establishment=establishment, author=actor.user, author_structure=actor.structure
    )
    timeline.assign(interaction, {k: data[k] for k in INTERACTION_FIELDS if k in data})
    interaction.save()
    next_step = (
        f" ; prochaine action le {interaction.next_action_on:%d/%m/%Y}"
        if interaction.next_action_on
        else ""
    )
    timeline.record(
        interaction,
        "interaction_logged",
        f"{interaction.get_kind_display()} du {interaction.occurred_on:%d/%m/%Y}{next_step}",
        actor=actor.user,
        structure=actor.structure,
        about=establishment,
    )
    return interaction


@transaction.atomic
def mark_next_action_done(interaction, *, actor):
    """The next action of ``interaction`` is done: it leaves the reminders."""
    if interaction.next_action_on is None:
        raise CompanyError("Cet échange ne prévoit pas de prochaine action.")
    if interaction.next_action_done_at is not None:
        raise CompanyError("Cette action est déjà faite.")
    interaction.next_action_done_at = timezone.now()
    interaction.save(update_fields=["next_action_done_at"])
    timeline.record(
        interaction,
        TimelineEvent.Verb.ACTION,
        f"Action faite : {interaction.next_action}",
        actor=actor.user,
        structure=actor.structure,
        about=interaction.establishment,
    )
    return interaction


def journal_of(establishment):
    """The establishment's interactions, newest first, with what a row shows."""
    return (
        Interaction.objects.filter(establishment=establishment)
        .select_related("author", "author_structure", "contact")
        .order_by("-occurred_on", "-id")
    )
