"""Operations on the directory and the referrals: keyword arguments ``data=`` and ``actor=``,
one transaction each, every step on the timeline, ``ReferralError`` (French) when a rule
refuses — and then nothing has changed.

The state machine of a referral: sent → accepted | refused (a reason of ``RefusalReason``) |
expired (no answer 15 days after sending, a reminder after 7). The check constraints of
``Referral`` hold the shape of each state; the conditional updates below make sure that an
answered or expired referral is never answered again, even by two answers at once.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.core.site import site_url
from tisserand.core.text import fold
from tisserand.people import consent_scopes
from tisserand.people.models import ConsentScope
from tisserand.referentials.geo import services as geo
from tisserand.referrals import zones
from tisserand.referrals.models import (
    EXPIRES_AFTER_DAYS,
    LINK_VALID_DAYS,
    REMINDER_AFTER_DAYS,
    SOURCE_TISSERAND,
    DirectoryStructure,
    Notice,
    Referral,
    ReferralState,
    ReferralStep,
    RefusalReason,
    Service,
    ServiceThematic,
    ServiceZone,
    StepKind,
    Thematic,
)
from tisserand.structures.models import Membership
from tisserand.structures.roles import Capability, roles_with


class ReferralError(DomainError):
    pass


class ServiceInvalid(ReferralError):
    pass


class AlreadyAnswered(ReferralError):
    pass


# --- Directory ---------------------------------------------------------------------------------

SERVICE_FIELDS = [
    "name",
    "description",
    "fees",
    "fees_details",
    "publics_details",
    "access_conditions",
    "address_line",
    "address_complement",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "on_site",
    "remote",
    "by_professionals",
    "by_residents",
    "mobilisation_link",
    "mobilisation_details",
    "email",
    "phone",
    "weekly_hours",
    "weeks",
    "opening_hours",
]


def publics_key(publics):
    return f"|{'|'.join(publics)}|" if publics else ""


def search_text(service, thematics, structure_name):
    parts = [service.name, service.description, structure_name, *(t.label for t in thematics)]
    if service.commune_id:
        parts.append(service.commune.name)
    return f" {fold(' '.join(parts))} "


def check_service(*, thematics, zone_codes, on_site, remote, by_professionals, by_residents):
    """The rules a service must follow, whatever its origin (form, import): at least one
    thematic, a reception mode, someone who may mobilise it, an eligibility zone whose every
    code exists. Returns the parsed zones."""
    if not thematics:
        raise ServiceInvalid("Choisissez au moins une thématique pour ce service.")
    if not (on_site or remote):
        raise ServiceInvalid("Indiquez si le service accueille sur place, à distance ou les deux.")
    if not (by_professionals or by_residents):
        raise ServiceInvalid(
            "Indiquez qui peut mobiliser le service : les professionnels, les usagers ou les deux."
        )
    if not zone_codes:
        raise ServiceInvalid(
            "Indiquez la zone d'éligibilité (communes, EPCI, départements ou « france »)."
        )
    try:
        return zones.parse(zone_codes)
    except zones.ZoneError as error:
        raise ServiceInvalid(f"Zone d'éligibilité : {error}") from error


def locate(address_line, postal_code, commune):
    """(latitude, longitude) of a service's address: geocoded, or the commune's centroid when
    the address is not found or falls in another commune; (None, None) without a commune."""
    if commune is None:
        return None, None
    try:
        result = geo.geocode(address_line, postal_code, commune.name)
    except geo.GeocodingError:
        return commune.latitude, commune.longitude
    if result.commune_insee and result.commune_insee != commune.insee_code:
        return commune.latitude, commune.longitude
    return result.lat, result.lon


def directory_entry_of(structure):
    """The directory structure of a network structure, created on first use."""
    entry = DirectoryStructure.objects.filter(network_structure=structure).first()
    if entry is not None:
        return entry
    return DirectoryStructure.objects.create(
        source=SOURCE_TISSERAND,
        source_id=f"structure-{structure.public_id}",
        name=structure.name[:150],
        siret=structure.siret or "",
        address_line=structure.address_line,
        postal_code=structure.postal_code,
        email=structure.email,
        phone=structure.phone,
        network_structure=structure,
        is_demo=structure.is_demo,
    )


@transaction.atomic
def save_service(*, data, actor, service=None):
    """Creates (``service`` None: for the actor's structure) or updates a service from cleaned
    ``data`` (the model's fields, ``thematics`` a list of ``Thematic``, ``zone_codes`` a list of
    codes, ``publics`` and ``mobilisation_modes`` lists of codes)."""
    data = dict(data)
    thematics = list(data.pop("thematics", []))
    zone_codes = list(data.pop("zone_codes", []))
    publics = list(data.pop("publics", []))
    modes = list(data.pop("mobilisation_modes", []))
    parsed = check_service(
        thematics=thematics,
        zone_codes=zone_codes,
        on_site=data.get("on_site"),
        remote=data.get("remote"),
        by_professionals=data.get("by_professionals"),
        by_residents=data.get("by_residents"),
    )
    creating = service is None
    if creating:
        entry = directory_entry_of(actor.structure)
        service = Service(structure=entry, source=SOURCE_TISSERAND)
        before = None
    else:
        before = timeline.stored_snapshot(service, SERVICE_FIELDS)
    timeline.assign(service, {key: value for key, value in data.items() if key in SERVICE_FIELDS})
    if "latitude" not in data:
        service.latitude, service.longitude = locate(
            service.address_line, service.postal_code, service.commune
        )
    service.publics = publics
    service.publics_key = publics_key(publics)
    service.mobilisation_modes = modes
    service.updated_on = timezone.localdate()
    service.stale_notified_on = None
    if creating:
        service.source_id = f"service-{service.public_id}"
    service.search_text = search_text(service, thematics, service.structure.name)
    service.save()
    _set_thematics(service, thematics)
    _set_zones(service, parsed)
    if creating:
        timeline.record_creation(
            service,
            actor=actor.user,
            structure=actor.structure,
            summary=f"Service créé : {service}",
        )
    else:
        timeline.record_changes(service, before, actor=actor.user, structure=actor.structure)
    return service


def _set_thematics(service, thematics):
    ServiceThematic.objects.filter(service=service).delete()
    ServiceThematic.objects.bulk_create(
        ServiceThematic(service=service, thematic=thematic) for thematic in thematics
    )


def _set_zones(service, parsed):
    ServiceZone.objects.filter(service=service).delete()
    ServiceZone.objects.bulk_create(
        ServiceZone(service=service, kind=zone.kind, code=zone.code, label=zone.label)
        for zone in parsed
    )


@transaction.atomic
def confirm_up_to_date(service, *, actor):
    """The structure confirms its service is still right: its date of update is today."""
    service.updated_on = timezone.localdate()
    service.stale_notified_on = None
    service.save(update_fields=["updated_on", "stale_notified_on"])
    timeline.record(
        service,
        TimelineEvent.Verb.ACTION,
        f"Service confirmé à jour : {service}",
        actor=actor.user,
        structure=actor.structure,
    )


def _service_editors(structure_id):
    return Membership.objects.active().filter(
        structure_id=structure_id, role__in=roles_with(Capability.EDIT_SERVICES)
    )


def flag_stale_services(today=None):
    """Flags once each service not updated for 180 days to its structure: an in-app notice to
    its editors (network) or an e-mail (outside). Idempotent: a flagged service is flagged
    again only after a new update. Returns how many were flagged."""
    today = today or timezone.localdate()
    due = (
        Service.objects.stale(today)
        .filter(stale_notified_on__isnull=True)
        .select_related("structure")
    )
    flagged = 0
    for service in due:
        with transaction.atomic():
            claimed = Service.objects.filter(pk=service.pk, stale_notified_on__isnull=True).update(
                stale_notified_on=today
            )
            if not claimed:
                continue
            flagged += 1
            text = (
                f"Le service « {service.name} » n'a pas été mis à jour depuis le "
                f"{service.updated_on:%d/%m/%Y} : vérifiez-le, il sera masqué des recherches "
                "240 jours après sa dernière mise à jour."
            )[:300]
            structure_id = service.structure.network_structure_id
            if structure_id:
                Notice.objects.bulk_create(
                    Notice(
                        recipient_id=m.user_id,
                        structure_id=structure_id,
                        service=service,
                        text=text,
                    )
                    for m in _service_editors(structure_id)
                )
            elif service.structure.email:
                send_mail(
                    subject="Votre service dans l'annuaire des partenaires : à mettre à jour",
                    message=text,
                    from_email=None,
                    recipient_list=[service.structure.email],
                )
    return flagged


# --- Referrals: what may be shared -------------------------------------------------------------

SHAREABLE = (ConsentScope.IDENTITY, ConsentScope.SITUATION)


def shareable_scopes():
    """(code, label) of the scopes a referral may carry: those people honours today."""
    registered = consent_scopes.labels()
    return [(scope.value, registered[scope.value]) for scope in SHAREABLE if scope in registered]


def snapshot(person, scopes):
    """The data of ``person`` a referral carries: only the consented scopes, never special
    categories (RQTH, health, justice)."""
    data = {}
    if ConsentScope.IDENTITY in scopes:
        data["Nom"] = person.full_name
        data["Date de naissance"] = f"{person.birth_date:%d/%m/%Y}"
        if person.email:
            data["Adresse e-mail"] = person.email
        if person.phone:
            data["Téléphone"] = person.phone
        if person.address_line or person.commune_id:
            commune = person.commune.name if person.commune_id else ""
            data["Adresse"] = " ".join(
                part for part in (person.address_line, person.postal_code, commune) if part
            )
    if ConsentScope.SITUATION in scopes:
        if person.situation:
            data["Situation"] = person.get_situation_display()
        if person.qualification_level:
            data["Niveau de qualification"] = person.qualification_level
        data["Permis de conduire"] = person.get_driving_licence_display()
        data["Dispose d'un véhicule"] = "oui" if person.has_vehicle else "non"
    return data


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(referral, now):
    """A new personal link for the receiving partner (valid 8 days, never past the referral's
    expiry); only its digest is stored. Returns the token."""
    token = secrets.token_urlsafe(32)
    referral.link_digest = _digest(token)
    referral.link_expires_at = min(
        now + timedelta(days=LINK_VALID_DAYS), referral.sent_at + timedelta(days=EXPIRES_AFTER_DAYS)
    )
    return token


def referral_for_link(token, now=None):
    """The referral a personal link opens, or None: unknown, expired, or already answered."""
    now = now or timezone.now()
    if not token:
        return None
    return (
        Referral.objects.select_related("person", "service__structure", "sender_structure")
        .filter(link_digest=_digest(token), link_expires_at__gt=now, state=ReferralState.SENT)
        .first()
    )


def link_url(token, base_url=None):
    return _root(base_url) + reverse("referrals:link", args=[token])


def _root(base_url=None):
    """The site's address for the links of e-mails: the request's (pages) or the one the
    scheduled command is given (``--base-url``)."""
    return (base_url or site_url()).rstrip("/")


def _answerers(structure_id):
    return (
        Membership.objects.active()
        .filter(structure_id=structure_id, role__in=roles_with(Capability.ANSWER_REFERRALS))
        .select_related("user")
    )


def _mail(subject, template, context, recipients):
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=recipients,
    )


def _step(referral, kind, *, user=None, by_name="", message="", at=None):
    return ReferralStep.objects.create(
        referral=referral,
        kind=kind,
        by=user,
        by_name=by_name,
        message=message,
        at=at or timezone.now(),
    )


def _on_timeline(referral, summary, *, user=None, structure=None):
    timeline.record(
        referral,
        TimelineEvent.Verb.ACTION,
        summary,
        actor=user,
        structure=structure,
        about=[referral.person, referral.service],
    )


@transaction.atomic
def send_referral(*, person, service, data, actor, base_url=None):
    """Refers ``person`` to ``service``: ``data`` holds ``message``, ``scopes`` (the consented
    scopes) and ``consent`` (the counsellor confirms the person agreed). Returns (referral,
    token): the token of the personal link when the receiver is outside the network."""
    now = timezone.now()
    scopes = list(dict.fromkeys(data.get("scopes") or []))
    allowed = {code for code, _ in shareable_scopes()}
    if not data.get("consent"):
        raise ReferralError(
            "Recueillez le consentement de la personne au partage de ses informations avant "
            "d'envoyer l'orientation."
        )
    if not scopes:
        raise ReferralError("Choisissez les informations que la personne accepte de partager.")
    if set(scopes) - allowed:
        raise ReferralError("Ces informations ne peuvent pas être partagées par une orientation.")
    message = (data.get("message") or "").strip()
    if not message:
        raise ReferralError("Écrivez un message pour présenter la demande au service.")
    if service.is_hidden():
        raise ReferralError(
            "Ce service n'a pas été mis à jour depuis plus de 240 jours : il n'est plus proposé."
        )
    receiving = service.structure.network_structure
    if receiving is not None and not receiving.is_active:
        receiving = None
    recipient_email = "" if receiving else (service.email or service.structure.email)
    if receiving is None and not recipient_email:
        raise ReferralError(
            "Ce service n'a pas d'adresse e-mail : mobilisez-le par téléphone ou sur place."
        )
    referral = Referral(
        person=person,
        service=service,
        sender_structure=actor.structure,
        sender=actor.user,
        receiving_structure=receiving,
        recipient_email=recipient_email,
        message=message,
        shared_scopes=scopes,
        shared_data=snapshot(person, scopes),
        consent_recorded_at=now,
        sent_at=now,
    )
    token = _new_link(referral, now) if receiving is None else None
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as error:
        raise ReferralError(
            "Une orientation de cette personne vers ce service attend déjà une réponse."
        ) from error
    _step(referral, StepKind.SENT, user=actor.user, message=message, at=now)
    labels = dict(shareable_scopes())
    _on_timeline(
        referral,
        f"Orientation envoyée vers « {service.name} » ({service.structure.name}) ; informations "
        f"partagées avec consentement : {', '.join(labels[s] for s in scopes)}",
        user=actor.user,
        structure=actor.structure,
    )
    context = {"referral": referral, "service": service, "person_name": person.full_name}
    if receiving is not None:
        context["url"] = _root(base_url) + reverse("referrals:detail", args=[referral.public_id])
        _mail(
            f"Nouvelle orientation vers « {service.name} »",
            "referrals/email/new_referral.txt",
            context,
            [m.user.email for m in _answerers(receiving.pk)],
        )
    else:
        context["url"] = link_url(token, base_url)
        context["valid_until"] = referral.link_expires_at
        _mail(
            f"Nouvelle orientation vers « {service.name} »",
            "referrals/email/new_referral.txt",
            context,
            [recipient_email],
        )
    return referral, token


def _notify_sender(referral, text, base_url=None):
    Notice.objects.create(
        recipient_id=referral.sender_id,
        structure_id=referral.sender_structure_id,
        referral=referral,
        text=text[:300],
    )
    _mail(
        text[:120],
        "referrals/email/to_sender.txt",
        {
            "referral": referral,
            "text": text,
            "url": _root(base_url) + reverse("referrals:detail", args=[referral.public_id]),
        },
        [referral.sender.email],
    )


ACCEPT, REFUSE, ASK = "accept", "refuse", "ask"


def _check_answerer(referral, actor):
    """A member answers for the receiving structure only; the link, for a partner outside."""
    if actor is not None and actor.structure != referral.receiving_structure:
        raise ReferralError("Seule la structure qui reçoit l'orientation peut y répondre.")
    if actor is None and referral.receiving_structure_id is not None:
        raise ReferralError(
            "Cette orientation se traite dans Tisserand par la structure du réseau."
        )


def answer(referral, *, data, actor=None, by_name="", base_url=None):
    """The receiving side's answer: ``data["decision"]`` accept, refuse (with ``reason``) or ask
    (for more information, with ``message``). ``actor`` for a member of the network, ``by_name``
    for a partner answering through the personal link."""
    decision = data.get("decision")
    message = (data.get("message") or "").strip()
    reason = data.get("reason") or ""
    _check_answerer(referral, actor)
    if decision == ASK:
        return ask_for_more(
            referral, message=message, actor=actor, by_name=by_name, base_url=base_url
        )
    if decision not in (ACCEPT, REFUSE):
        raise ReferralError(
            "Choisissez votre réponse : accepter, refuser ou demander des précisions."
        )
    if decision == REFUSE and reason not in RefusalReason.values:
        raise ReferralError("Choisissez le motif du refus.")
    if decision == REFUSE and reason == RefusalReason.OTHER and not message:
        raise ReferralError("Précisez le motif du refus dans le message.")
    user = actor.user if actor else None
    name = by_name.strip() or (user.get_full_name() if user else "")
    if actor is None and not name:
        raise ReferralError("Indiquez votre nom : la personne qui oriente saura qui a répondu.")
    now = timezone.now()
    state = ReferralState.ACCEPTED if decision == ACCEPT else ReferralState.REFUSED
    with transaction.atomic():
        updated = Referral.objects.filter(pk=referral.pk, state=ReferralState.SENT).update(
            state=state,
            answered_at=now,
            answered_by=user,
            answered_by_name=name[:200],
            refusal_reason=reason if state == ReferralState.REFUSED else "",
            answer_message=message,
            link_digest=None,
            link_expires_at=None,
        )
        if not updated:
            raise AlreadyAnswered(
                "Cette orientation a déjà reçu une réponse ou a expiré : elle ne peut plus "
                "être modifiée."
            )
        referral.refresh_from_db()
        _step(
            referral,
            StepKind.ACCEPTED if state == ReferralState.ACCEPTED else StepKind.REFUSED,
            user=user,
            by_name=name,
            message=message,
            at=now,
        )
        service = referral.service
        if state == ReferralState.ACCEPTED:
            summary = f"Orientation acceptée par « {service.structure.name} » ({name})"
        else:
            summary = (
                f"Orientation refusée par « {service.structure.name} » ({name}) : "
                f"{referral.get_refusal_reason_display()}"
            )
        _on_timeline(referral, summary, user=user, structure=actor.structure if actor else None)
        _notify_sender(
            referral,
            f"{summary} — {referral.person.full_name}, « {service.name} ».",
            base_url,
        )
    return referral


@transaction.atomic
def ask_for_more(referral, *, message, actor=None, by_name="", base_url=None):
    _check_answerer(referral, actor)
    if not message:
        raise ReferralError("Écrivez les précisions que vous demandez.")
    locked = Referral.objects.select_for_update().filter(pk=referral.pk).first()
    if locked is None or locked.state != ReferralState.SENT:
        raise AlreadyAnswered(
            "Cette orientation a déjà reçu une réponse ou a expiré : elle ne peut plus "
            "être modifiée."
        )
    user = actor.user if actor else None
    name = by_name.strip() or (user.get_full_name() if user else "")
    if actor is None and not name:
        raise ReferralError("Indiquez votre nom : la personne qui oriente saura qui a répondu.")
    _step(referral, StepKind.INFO_REQUESTED, user=user, by_name=name, message=message)
    _on_timeline(
        referral,
        f"Précisions demandées par « {referral.service.structure.name} » ({name})",
        user=user,
        structure=actor.structure if actor else None,
    )
    _notify_sender(
        referral,
        f"« {referral.service.structure.name} » demande des précisions sur l'orientation de "
        f"{referral.person.full_name} : {message}",
        base_url,
    )
    return referral


@transaction.atomic
def add_information(referral, *, data, actor, base_url=None):
    """The sender answers a request for more information (while the referral waits)."""
    message = (data.get("message") or "").strip()
    if actor.structure != referral.sender_structure:
        raise ReferralError("Seule la structure qui a orienté la personne apporte des précisions.")
    if not message:
        raise ReferralError("Écrivez les précisions à transmettre.")
    locked = Referral.objects.select_for_update().filter(pk=referral.pk).first()
    if locked is None or locked.state != ReferralState.SENT:
        raise AlreadyAnswered("Cette orientation n'attend plus de réponse.")
    _step(referral, StepKind.INFO_GIVEN, user=actor.user, message=message)
    _on_timeline(
        referral, "Précisions apportées au service", user=actor.user, structure=actor.structure
    )
    context = {"referral": referral, "service": referral.service, "message": message}
    if referral.receiving_structure_id:
        context["url"] = _root(base_url) + reverse("referrals:detail", args=[referral.public_id])
        recipients = [m.user.email for m in _answerers(referral.receiving_structure_id)]
    else:
        token = _new_link(referral, timezone.now())
        referral.save(update_fields=["link_digest", "link_expires_at"])
        context["url"] = link_url(token, base_url)
        recipients = [referral.recipient_email]
    _mail("Précisions sur une orientation", "referrals/email/information.txt", context, recipients)
    return referral


# --- The schedule: reminders after 7 days, expiry after 15 -------------------------------------


def process_due(now=None, base_url=None):
    """Sends the reminders due (7 days without an answer) and expires the referrals left
    without one for 15 days. Idempotent: each reminder and each expiry is claimed by a
    conditional update, so a second run (or two workers) does nothing more. Returns
    ``(reminders, expired)``."""
    now = now or timezone.now()
    expired = 0
    for referral_id in Referral.objects.filter(
        state=ReferralState.SENT, sent_at__lte=now - timedelta(days=EXPIRES_AFTER_DAYS)
    ).values_list("pk", flat=True):
        expired += _expire(referral_id, now, base_url)
    reminders = 0
    for referral_id in Referral.objects.filter(
        state=ReferralState.SENT,
        reminder_sent_at__isnull=True,
        sent_at__lte=now - timedelta(days=REMINDER_AFTER_DAYS),
    ).values_list("pk", flat=True):
        reminders += _remind(referral_id, now, base_url)
    return reminders, expired


@transaction.atomic
def _expire(referral_id, now, base_url=None):
    updated = Referral.objects.filter(pk=referral_id, state=ReferralState.SENT).update(
        state=ReferralState.EXPIRED, expired_at=now, link_digest=None, link_expires_at=None
    )
    if not updated:
        return 0
    referral = Referral.objects.select_related("person", "service__structure", "sender").get(
        pk=referral_id
    )
    _step(referral, StepKind.EXPIRED, at=now)
    _on_timeline(
        referral,
        f"Orientation vers « {referral.service.name} » expirée : pas de réponse en "
        f"{EXPIRES_AFTER_DAYS} jours",
    )
    _notify_sender(
        referral,
        f"L'orientation de {referral.person.full_name} vers « {referral.service.name} » a expiré "
        f"sans réponse.",
        base_url,
    )
    return 1


@transaction.atomic
def _remind(referral_id, now, base_url=None):
    updated = Referral.objects.filter(
        pk=referral_id, state=ReferralState.SENT, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    if not updated:
        return 0
    referral = Referral.objects.select_related("person", "service__structure").get(pk=referral_id)
    context = {"referral": referral, "service": referral.service, "expires_at": referral.expires_at}
    if referral.receiving_structure_id:
        context["url"] = _root(base_url) + reverse("referrals:detail", args=[referral.public_id])
        recipients = [m.user.email for m in _answerers(referral.receiving_structure_id)]
    else:
        token = _new_link(referral, now)
        referral.save(update_fields=["link_digest", "link_expires_at"])
        context["url"] = link_url(token, base_url)
        recipients = [referral.recipient_email]
    _mail(
        f"Relance : une orientation vers « {referral.service.name} » attend votre réponse",
        "referrals/email/reminder.txt",
        context,
        recipients,
    )
    _step(referral, StepKind.REMINDER, at=now)
    _on_timeline(referral, f"Relance envoyée à « {referral.service.structure.name} »")
    return 1


def mark_notices_read(membership):
    Notice.objects.filter(
        recipient_id=membership.user_id, structure_id=membership.structure_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def thematics_by_code(codes):
    found = {t.code: t for t in Thematic.objects.filter(code__in=codes)}
    return [found[code] for code in codes if code in found]
