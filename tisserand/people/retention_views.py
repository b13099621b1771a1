"""The legal hold of a person's record (« gel de conservation »): placed and lifted by the
administrator of the structure that owns the record; while it stands, no retention rule
touches the record."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tisserand.core import retention
from tisserand.core.permissions import rule
from tisserand.core.timeline import record as record_on_timeline
from tisserand.people import perms


class HoldForm(forms.Form):
    reason = forms.CharField(
        label="Motif du gel",
        max_length=300,
        help_text="Par exemple : contentieux en cours, contrôle d'un financeur, réquisition.",
        error_messages={"required": "Indiquez le motif du gel."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Indiquez le motif du gel.")
        return reason


@rule(perms.may_hold, load=perms.person_record)
def hold_place(request, public_id, record):
    person = record.record
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        retention.place_hold(person, reason=reason, user=request.user)
        record_on_timeline(
            person,
            "action",
            "Gel de conservation posé",
            actor=request.user,
            structure=request.membership.structure,
        )
        messages.success(request, "Gel posé : aucune règle de conservation ne touchera ce dossier.")
        return redirect("people:detail", public_id=person.public_id)
    return render(request, "people/retention_hold.html", {"person": person, "form": form})


@require_POST
@rule(perms.may_hold, load=perms.person_record)
def hold_lift(request, public_id, record):
    person = record.record
    if retention.lift_holds(person):
        record_on_timeline(
            person,
            "action",
            "Gel de conservation levé",
            actor=request.user,
            structure=request.membership.structure,
        )
        messages.success(request, "Gel levé : les durées de conservation s'appliquent de nouveau.")
    else:
        messages.info(request, "Aucun gel n'était posé sur ce dossier.")
    return redirect("people:detail", public_id=person.public_id)
