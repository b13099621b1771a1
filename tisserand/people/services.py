"""What the people app does to persons: follow-up, creation, changes, consent, merge."""

from django.db import transaction
from django.utils import timezone

from tisserand.core import documents, timeline
from tisserand.core.access_log import log_record_access
from tisserand.core.models import TimelineEvent
from tisserand.people.consent_rules import check_consent
from tisserand.people.derived_statuses import derived_statuses
from tisserand.people.models import (
    Consent,
    FollowUpMember,
    FollowUpRole,
    Person,
    QpvAttestation,
    QpvBasis,
    QpvResidence,
    QpvStatusChange,
)
from tisserand.structures.roles import Capability, Role, has_capability


@transaction.atomic
def set_follow_up(person, *, user, structure, role, actor, since=None):
    """Makes ``user`` follow ``person`` for ``structure`` with ``role`` (replacing their seat).

    Returns the active ``FollowUpMember``; records the change on the person's timeline.
    """
    since = since or timezone.localdate()
    current = FollowUpMember.objects.filter(
        person=person, user=user, structure=structure, is_active=True
    ).first()
    if current is not None and current.role == role:
        return current
    if current is not None:
        _close(current, since)
    member = FollowUpMember.objects.create(
        person=person, user=user, structure=structure, role=role, since=since
    )
    label = FollowUpRole(role).label
    timeline.record(
        person,
        TimelineEvent.Verb.ACTION,
        f"{user} ({structure}) rejoint le suivi : {label}",
        actor=actor.user,
        structure=structure,
    )
    return member


@transaction.atomic
def end_follow_up(person, *, user, structure, actor, until=None):
    """Ends ``user``'s active follow-up of ``person`` for ``structure``; returns it or None."""
    current = FollowUpMember.objects.filter(
        person=person, user=user, structure=structure, is_active=True
    ).first()
    if current is None:
        return None
    _close(current, until or timezone.localdate())
    timeline.record(
        person,
        TimelineEvent.Verb.ACTION,
        f"{user} ({structure}) quitte le suivi ({current.get_role_display()})",
        actor=actor.user,
        structure=structure,
    )
    return current


def _close(member, until):
    member.is_active = False
    member.until = max(until, member.since)
    member.save(update_fields=["is_active", "until"])


# --- Person records --------------------------------------------------------------------------

FOLLOW_UP_ROLE_OF_CREATOR = {Role.REFERENT: FollowUpRole.REFERENT}


@transaction.atomic
def create_person(*, data, actor):
    """Creates the person of ``data`` (cleaned fields) for the actor's structure; its creator
    follows it.

    A counsellor (référent) becomes the person's référent, other roles join the team; the
    administrator and the director see the person through their structure anyway.
    """
    person = Person(**data, owner_structure=actor.structure, created_by=actor.user)
    person.save()
    _note_qpv_status(person, actor)
    timeline.record_creation(
        person,
        actor=actor.user,
        structure=actor.structure,
        summary=f"Fiche créée par {actor.structure}",
    )
    if has_capability(actor.membership, Capability.JOIN_CREATED_FOLLOW_UP):
        role = FOLLOW_UP_ROLE_OF_CREATOR.get(actor.role, FollowUpRole.TEAM)
        set_follow_up(person, user=actor.user, structure=actor.structure, role=role, actor=actor)
    return person


@transaction.atomic
def update_person(person, *, data, actor):
    """Changes ``person`` to ``data`` (cleaned fields) and records on its timeline what changed
    from the stored record."""
    before = timeline.stored_snapshot(person, Person.TRACKED_FIELDS)
    qpv_before = _qpv_state(Person.objects.get(pk=person.pk))
    timeline.assign(person, data).save()
    timeline.record_changes(person, before, actor=actor.user, structure=actor.structure)
    if _qpv_state(person) != qpv_before:
        _note_qpv_status(person, actor)
    return person


# --- QPV status: its dated history and the attestations that prove it -----------------------

QPV_STATE_FIELDS = ("qpv_status", "qpv_code", "qpv_precision", "qpv_valid_until")


def _qpv_state(person):
    return tuple(getattr(person, name) for name in QPV_STATE_FIELDS)


def _note_qpv_status(person, actor):
    """Keeps the person's QPV status, as it now stands, in its dated history."""
    return QpvStatusChange.objects.create(
        person=person,
        status=person.qpv_status,
        qpv_code=person.qpv_code,
        qpv_name=person.qpv_name,
        basis=person.qpv_precision,
        determined_on=person.qpv_determined_on,
        valid_until=person.qpv_valid_until,
        changed_by=actor.user,
    )


def qpv_change(person, new_values, on=None):
    """``(label before, label after)`` when saving ``new_values`` would change the QPV status
    that holds today, else None: the page shows it and asks for a confirmation first."""
    if "qpv_status" not in new_values:
        return None
    on = on or timezone.localdate()
    before = _qpv_holding(person.qpv_status_on(on), person.qpv_code, person.qpv_name)
    after = _qpv_holding(
        new_values["qpv_status"], new_values.get("qpv_code", ""), new_values.get("qpv_name", "")
    )
    if before[:2] == after[:2]:
        return None
    return _qpv_label(*before), _qpv_label(*after)


def _qpv_holding(status, code, name):
    return (status, code, name) if status == QpvResidence.IN_QPV else (status, "", "")


def _qpv_label(status, code, name):
    label = QpvResidence(status).label
    return f"{label} ({name}, {code})" if status == QpvResidence.IN_QPV else label


@transaction.atomic
def record_qpv_attestation(person, *, data, actor):
    """Records an official attestation of residence in a QPV with its document: it sets the
    person's QPV status from its date to the end of its validity."""
    qpv = data["qpv"]
    attestation = QpvAttestation.objects.create(
        person=person,
        qpv_code=qpv.code,
        qpv_name=qpv.name,
        issued_on=data["issued_on"],
        valid_until=data["valid_until"],
        issuer=data["issuer"],
        recorded_by=actor.user,
    )
    documents.attach(
        attestation,
        data["document"],
        actor=actor,
        label=f"Attestation de résidence en QPV ({qpv.name})",
        issued_on=attestation.issued_on,
        issuer=attestation.issuer,
    )
    update_person(
        person,
        data={
            "qpv_status": QpvResidence.IN_QPV,
            "qpv_code": qpv.code,
            "qpv_name": qpv.name,
            "qpv_determined_on": attestation.issued_on,
            "qpv_precision": QpvBasis.ATTESTATION,
            "qpv_valid_until": attestation.valid_until,
        },
        actor=actor,
    )
    timeline.record(
        person,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Attestation de résidence en QPV enregistrée : {qpv.name} ({qpv.code}), "
        f"valable du {attestation.issued_on:%d/%m/%Y} au {attestation.valid_until:%d/%m/%Y}",
        actor=actor.user,
        structure=actor.structure,
    )
    return attestation


# --- Public statuses -------------------------------------------------------------------------


def _status_label(status):
    """What the timeline says of a status: never the nature of special-category data."""
    return "donnée sensible" if status.is_special_category else status.get_kind_display()


def _attach_proof(status, document, actor):
    if document is not None:
        documents.attach(
            status,
            document,
            actor=actor,
            label=f"Justificatif : {status.get_kind_display()}",
            issued_on=status.valid_from,
            issuer=status.proof,
        )


@transaction.atomic
def add_status(status, *, actor, document=None):
    """Stores ``status``, with its supporting ``document`` (an uploaded file) if any."""
    status.recorded_by = actor.user
    status.save()
    _attach_proof(status, document, actor)
    timeline.record(
        status.person,
        TimelineEvent.Verb.ACTION,
        f"Statut ajouté : {_status_label(status)}",
        actor=actor.user,
        structure=actor.structure,
    )
    return status


@transaction.atomic
def update_status(status, *, actor, document=None):
    status.save()
    _attach_proof(status, document, actor)
    timeline.record(
        status.person,
        TimelineEvent.Verb.ACTION,
        f"Statut modifié : {_status_label(status)}",
        actor=actor.user,
        structure=actor.structure,
    )
    return status


def statuses_of(person, *, with_special_category):
    statuses = person.public_statuses.select_related("recorded_by").prefetch_related("documents")
    return statuses if with_special_category else statuses.filter(is_special_category=False)


def statuses_shown(person, *, with_special_category):
    """What a page lists: the statuses derived from the record that hold today, then the stored
    ones (expired ones included). Derived statuses cost no query."""
    derived = derived_statuses(person, timezone.localdate())
    return [*derived, *statuses_of(person, with_special_category=with_special_category)]


def log_special_category_display(request, person):
    """Each display of RQTH, health or justice data is written in the access log."""
    log_record_access(
        request,
        person,
        owner_structure=person.owner_structure,
        label=f"{person} — données sensibles (santé, handicap, justice)",
    )


# --- Consent ---------------------------------------------------------------------------------


@transaction.atomic
def record_consent(consent, *, actor, document=None):
    """Records a consent; an active consent to the same structure is replaced (withdrawn).
    A consent no rule would honour is refused (``ConsentRefused``)."""
    check_consent(consent)
    now = timezone.now()
    for previous in Consent.objects.filter(
        person=consent.person, structure=consent.structure, withdrawn_at__isnull=True
    ):
        previous.withdrawn_at = max(now, previous.given_at)
        previous.save(update_fields=["withdrawn_at"])
    consent.recorded_by = actor.user
    consent.save()
    if document is not None:
        documents.attach(
            consent,
            document,
            actor=actor,
            label=f"Consentement signé (partage avec {consent.structure})",
            issued_on=timezone.localdate(consent.given_at),
        )
    timeline.record(
        consent.person,
        TimelineEvent.Verb.ACTION,
        f"Consentement au partage avec {consent.structure} : {', '.join(consent.scope_labels())}",
        actor=actor.user,
        structure=actor.structure,
    )
    return consent


@transaction.atomic
def withdraw_consent(consent, *, actor, at=None):
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = max(at or timezone.now(), consent.given_at)
    consent.save(update_fields=["withdrawn_at"])
    timeline.record(
        consent.person,
        TimelineEvent.Verb.ACTION,
        f"Consentement retiré : plus de partage avec {consent.structure}",
        actor=actor.user,
        structure=actor.structure,
    )
    return consent


# --- Supporting documents of the person ------------------------------------------------------


@transaction.atomic
def add_person_document(person, *, data, actor):
    """Attaches a document to the person's record (an eligibility proof…)."""
    document = documents.attach(
        person,
        data["document"],
        actor=actor,
        label=data["label"],
        issued_on=data["issued_on"],
        issuer=data.get("issuer", ""),
    )
    timeline.record(
        person,
        TimelineEvent.Verb.ACTION,
        f"Pièce justificative ajoutée : {document.label}",
        actor=actor.user,
        structure=actor.structure,
    )
    return document


def documents_seen(person, access):
    """The documents of the person ``access`` may open: the record's own, its statuses'
    (sensitive ones to the référent and team only) and its consents'."""
    statuses = statuses_of(person, with_special_category=access.cares)
    groups = [
        ("Pièces de la fiche", person.documents.select_related("uploaded_by")),
        ("Statuts publics", _documents_of_items(statuses)),
        ("Consentements", _documents_of_items(person.consents.prefetch_related("documents"))),
    ]
    return [(title, list(found)) for title, found in groups]


def _documents_of_items(items):
    return [document for item in items for document in item.documents.all()]


# --- Journal notes ---------------------------------------------------------------------------


@transaction.atomic
def add_note(note, *, actor):
    note.author = actor.user
    note.structure = actor.structure
    note.save()
    timeline.record(
        note.person,
        TimelineEvent.Verb.ACTION,
        f"Note ajoutée au journal (visible : {note.get_visibility_display().lower()})",
        actor=actor.user,
        structure=actor.structure,
    )
    return note


def notes_for(person, levels):
    return person.notes.filter(visibility__in=levels).select_related("author", "structure")
