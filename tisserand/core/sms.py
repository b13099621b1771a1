"""Text messages (SMS) through a pluggable backend, chosen by the ``TISSERAND_SMS_BACKEND``
setting (a dotted path): ``ConsoleBackend`` in development (the message is written to the log),
``LocmemBackend`` in tests (``outbox``), ``BrevoBackend`` in production (Brevo's transactional
SMS API, key in ``TISSERAND_SMS_API_KEY``). Numbers are E.164 (``core.validators``)."""

import logging
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from tisserand.core.errors import DomainError

logger = logging.getLogger("tisserand.sms")


class SmsError(DomainError, RuntimeError):
    code = "sms_not_sent"


@dataclass(frozen=True)
class SentSms:
    recipient: str
    text: str
    reference: str


def send_sms(recipient, text):
    """Sends ``text`` to the E.164 number ``recipient``; returns a ``SentSms`` or raises
    ``SmsError`` (French message)."""
    backend = import_string(settings.TISSERAND_SMS_BACKEND)()
    sent = backend.send(recipient, text)
    logger.info("sms sent", extra={"sms_reference": sent.reference, "backend": backend.name})
    return sent


class ConsoleBackend:
    name = "console"

    def send(self, recipient, text):
        logger.warning("SMS (console, non envoyé) à %s : %s", recipient, text)
        return SentSms(recipient, text, reference="console")


outbox: list[SentSms] = []


class LocmemBackend:
    name = "locmem"

    def send(self, recipient, text):
        sent = SentSms(recipient, text, reference=f"locmem-{len(outbox) + 1}")
        outbox.append(sent)
        return sent


class BrevoBackend:
    """Brevo's transactional SMS (POST /v3/transactionalSMS/sms)."""

    name = "brevo"
    url = "https://api.brevo.com/v3/transactionalSMS/sms"

    def send(self, recipient, text):
        payload = {
            "type": "transactional",
            "sender": settings.TISSERAND_SMS_SENDER,
            "recipient": recipient.lstrip("+"),
            "content": text,
            "unicodeEnabled": True,
        }
        headers = {"api-key": settings.TISSERAND_SMS_API_KEY, "accept": "application/json"}
        try:
            response = httpx.post(
                self.url, json=payload, headers=headers, timeout=settings.TISSERAND_SMS_TIMEOUT
            )
        except httpx.HTTPError as error:
            raise SmsError("Le service d'envoi des SMS ne répond pas.") from error
        if response.status_code in (200, 201):
            return SentSms(recipient, text, reference=str(response.json().get("messageId", "")))
        raise SmsError(_refusal(response))


def _refusal(response):
    try:
        detail = response.json().get("code", "")
    except ValueError:
        detail = ""
    if response.status_code in (401, 403):
        return "Le service d'envoi des SMS refuse la clé d'accès : vérifiez la configuration."
    if response.status_code == 402 or detail == "not_enough_credits":
        return "Le crédit SMS est épuisé : le SMS n'est pas parti."
    return f"Le service d'envoi des SMS a refusé le message (erreur {response.status_code})."
