"""Twilio-compatible gateway: signatures made by the real twilio library, parsing, TwiML."""

import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator

from bot.channels.sms_gateway import (
    InvalidSms,
    SmsGateway,
    TwilioGateway,
    WebhookRequest,
    gateway_class,
    to_e164,
    twiml,
)

TOKEN = "test-auth-token-not-a-secret"
URL = "https://assistent.example.kommune.no/webhooks/sms/webhook"
FORM = {"From": "+4712345678", "To": "+4787654321", "Body": "Hei æøå", "MessageSid": "SM1"}


def signed(url=URL, form=FORM, token=TOKEN, arrived_at=None):
    signature = RequestValidator(token).compute_signature(url, form)
    return WebhookRequest(
        url=arrived_at or url,
        headers={"x-twilio-signature": signature},
        form={k: [v] for k, v in form.items()},
    )


def test_signature_from_twilio_library_is_accepted():
    assert TwilioGateway(TOKEN).verify(signed())


@pytest.mark.parametrize(
    "request_",
    [
        signed(token="another-token"),
        WebhookRequest(
            url=URL,
            headers={"x-twilio-signature": RequestValidator(TOKEN).compute_signature(URL, FORM)},
            form={**{k: [v] for k, v in FORM.items()}, "Body": ["endret tekst"]},
        ),
        WebhookRequest(url=URL, headers={}, form={k: [v] for k, v in FORM.items()}),
        WebhookRequest(url=URL, headers={"x-twilio-signature": ""}, form={}),
    ],
    ids=["wrong-token", "tampered-body", "missing-header", "empty-header"],
)
def test_forged_or_missing_signature_is_rejected(request_):
    assert not TwilioGateway(TOKEN).verify(request_)


def test_behind_a_proxy_the_public_url_is_what_counts():
    arrived = signed(arrived_at="http://127.0.0.1:5005/webhooks/sms/webhook")
    assert not TwilioGateway(TOKEN).verify(arrived)
    assert TwilioGateway(TOKEN).verify(arrived, public_url=URL)


def test_default_port_written_or_not_both_verify():
    with_port = "https://assistent.example.kommune.no:443/webhooks/sms/webhook"
    assert TwilioGateway(TOKEN).verify(signed(url=with_port, arrived_at=URL))
    assert TwilioGateway(TOKEN).verify(signed(url=URL, arrived_at=with_port))


def test_no_token_never_verifies():
    assert not TwilioGateway("").verify(signed(token=""))


def test_parse_gives_e164_sender_and_text():
    sms = TwilioGateway(TOKEN).parse(signed())
    assert (sms.sender, sms.text, sms.message_id) == ("+4712345678", "Hei æøå", "SM1")


@pytest.mark.parametrize("missing", ["From", "Body"])
def test_missing_field_is_a_clear_error(missing):
    form = {k: [v] for k, v in FORM.items() if k != missing}
    with pytest.raises(InvalidSms) as error:
        TwilioGateway(TOKEN).parse(WebhookRequest(url=URL, headers={}, form=form))
    assert missing in error.value.reason


def test_sender_that_is_not_a_number_is_refused():
    form = {**{k: [v] for k, v in FORM.items()}, "From": ["<script>"]}
    with pytest.raises(InvalidSms):
        TwilioGateway(TOKEN).parse(WebhookRequest(url=URL, headers={}, form=form))


@pytest.mark.parametrize(
    "raw, e164",
    [("+47 123 45 678", "+4712345678"), ("004712345678", "+4712345678"),
     ("4712345678", "+4712345678"), ("12345678", "+4712345678"), ("+46701234567", "+46701234567"),
     ("abc", None), ("", None), ("+12", None)],
)
def test_numbers_normalise_to_one_conversation_per_phone(raw, e164):
    assert to_e164(raw) == e164


def test_twiml_escapes_and_keeps_norwegian_letters():
    body = TwilioGateway(TOKEN).reply("Svar 1 for <Ja> & «æøå»\x07").body
    message = ET.fromstring(body.encode("utf-8")).find("Message")
    assert message.text == "Svar 1 for <Ja> & «æøå»"


def test_empty_twiml_sends_nothing():
    root = ET.fromstring(twiml(None).encode("utf-8"))
    assert root.tag == "Response" and list(root) == []


class JsonGateway(SmsGateway):
    """A gateway with another webhook format, as a kommune could add one."""

    name = "json-example"

    def verify(self, request, public_url=None):
        return request.header("Authorization") == f"Bearer {self.auth_token}"

    def parse(self, request):
        import json

        data = json.loads(request.body or b"{}")
        from bot.channels.sms_gateway import InboundSms

        return InboundSms(sender=to_e164(data["msisdn"]), text=data["text"], message_id=data["id"])

    def reply(self, text):
        from bot.channels.sms_gateway import GatewayResponse

        return GatewayResponse(200, text or "", "text/plain; charset=utf-8")


def test_another_gateway_is_one_class_named_by_import_path():
    cls = gateway_class("tests.channels.test_sms_gateway:JsonGateway")
    gateway = cls(TOKEN)
    request = WebhookRequest(
        url=URL, headers={"authorization": f"Bearer {TOKEN}"},
        form={}, body=b'{"msisdn": "4712345678", "text": "Hei", "id": "1"}',
    )
    assert gateway.verify(request)
    assert gateway.parse(request).sender == "+4712345678"


def test_unknown_gateway_names_fail_clearly():
    with pytest.raises(ValueError):
        gateway_class("nosuch")
    with pytest.raises(ValueError):
        gateway_class("bot.channels.sms_gateway:WebhookRequest")
