"""Issue 9, point 16: the pluggable SMS backend; the HTTP provider tested against recorded
responses (respx), never the real service."""

import json
from pathlib import Path
from unittest import mock

import httpx
import pytest
import respx

from tisserand.core import sms

RECORDED = Path(__file__).parent / "recorded"


def recorded(name):
    data = json.loads((RECORDED / f"{name}.json").read_text())
    return httpx.Response(data["status"], json=data["body"])


@pytest.fixture
def brevo(settings):
    settings.TISSERAND_SMS_BACKEND = "tisserand.core.sms.BrevoBackend"
    settings.TISSERAND_SMS_API_KEY = "cle-de-test"
    settings.TISSERAND_SMS_SENDER = "MDERoubaix"


@respx.mock
def test_brevo_sends_and_returns_its_message_id(brevo):
    route = respx.post(sms.BrevoBackend.url).mock(return_value=recorded("brevo_sms_sent"))
    sent = sms.send_sms("+33639980001", "Rappel : rendez-vous demain à 10 h 00.")
    assert sent.reference == "1511882900176220"
    request = route.calls.last.request
    assert request.headers["api-key"] == "cle-de-test"
    assert json.loads(request.content) == {
        "type": "transactional",
        "sender": "MDERoubaix",
        "recipient": "33639980001",
        "content": "Rappel : rendez-vous demain à 10 h 00.",
        "unicodeEnabled": True,
    }


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("brevo_sms_no_credit", "Le crédit SMS est épuisé"),
        ("brevo_sms_bad_key", "refuse la clé d'accès"),
        ("brevo_sms_invalid_recipient", r"a refusé le message \(erreur 400\)"),
    ],
)
@respx.mock
def test_brevo_refusals_are_french_errors(brevo, answer, message):
    respx.post(sms.BrevoBackend.url).mock(return_value=recorded(answer))
    with pytest.raises(sms.SmsError, match=message):
        sms.send_sms("+33639980001", "x")


@respx.mock
def test_an_unreachable_provider_is_a_french_error(brevo):
    respx.post(sms.BrevoBackend.url).mock(side_effect=httpx.ConnectTimeout("timeout"))
    with pytest.raises(sms.SmsError, match="ne répond pas"):
        sms.send_sms("+33639980001", "x")


def test_the_console_backend_writes_the_message_and_sends_nothing(settings):
    settings.TISSERAND_SMS_BACKEND = "tisserand.core.sms.ConsoleBackend"
    with (
        respx.mock(assert_all_called=False) as network,
        mock.patch.object(sms.logger, "warning") as written,
    ):
        sent = sms.send_sms("+33639980001", "Bonjour")
        assert not network.calls
    assert sent.reference == "console"
    assert written.call_args.args[1:] == ("+33639980001", "Bonjour")


def test_tests_use_the_in_memory_outbox():
    before = len(sms.outbox)
    sms.send_sms("+33639980001", "Bonjour")
    assert sms.outbox[before:] == [sms.SentSms("+33639980001", "Bonjour", f"locmem-{before + 1}")]
