"""SMS gateway interface and the Twilio-compatible gateway: verify the signature, parse, reply.

Adding another gateway (a Norwegian one with its own webhook format) means writing one class
with the three methods of `SmsGateway` and naming it in `bot/credentials.yml`:

    bot.channels.sms.SmsInput:
      gateway: mypackage.mygateway:MyGateway

The class is built with the auth token (`SMS_AUTH_TOKEN`) as its only argument. It sees the
request as a plain `WebhookRequest` (no web framework), so it can be unit-tested on its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Type
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class WebhookRequest:
    """What a gateway needs from an HTTP request, independent of the web framework."""

    url: str  # the URL the request arrived at (scheme, host, path and query)
    headers: Mapping[str, str]  # keys in lower case
    form: Mapping[str, List[str]]  # form fields; a field may repeat
    body: bytes = b""
    content_type: str = ""

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())

    def field(self, name: str) -> Optional[str]:
        values = self.form.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class InboundSms:
    """One incoming SMS. `sender` is E.164 ("+4712345678") and must never be logged or stored."""

    sender: str
    text: str
    message_id: Optional[str] = None
    recipient: Optional[str] = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GatewayResponse:
    """The HTTP answer the gateway expects: status, body and content type."""

    status: int
    body: str
    content_type: str


class InvalidSms(ValueError):
    """The request is not a usable SMS; `reason` is shown to the gateway with HTTP 400."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SmsGateway(ABC):
    """One SMS gateway's webhook format. Implement these three methods to add a gateway."""

    #: Short name used in logs and in `gateway:` in credentials.yml.
    name: str = "gateway"

    def __init__(self, auth_token: str) -> None:
        self.auth_token = auth_token

    @abstractmethod
    def verify(self, request: WebhookRequest, public_url: Optional[str] = None) -> bool:
        """True only if the request provably comes from the gateway (signature, shared secret).

        `public_url` is the webhook URL as the gateway knows it (behind a proxy it differs
        from `request.url`); None means use `request.url`.
        """

    @abstractmethod
    def parse(self, request: WebhookRequest) -> InboundSms:
        """The SMS in the request; raise `InvalidSms` with a clear reason if it is unusable."""

    @abstractmethod
    def reply(self, text: Optional[str]) -> GatewayResponse:
        """The HTTP response that makes the gateway send `text` back (None: send nothing)."""


# ---------------------------------------------------------------------------------------------
# Phone numbers

_NUMBER_JUNK = re.compile(r"[\s\-().]")


def to_e164(raw: Optional[str], default_country_code: str = "47") -> Optional[str]:
    """Normalise a phone number to E.164 so one phone is always one conversation.

    "+47 12 34 56 78", "004712345678" and "4712345678" (a Norwegian 10-digit form some gateways
    use) all become "+4712345678"; an 8-digit number gets the default country code. Anything
    that is not a phone number gives None.
    """
    if not raw:
        return None
    number = _NUMBER_JUNK.sub("", raw.strip())
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+"):
        if not number.isdigit():
            return None
        if len(number) == 8:
            number = "+" + default_country_code + number
        elif number.startswith(default_country_code) and len(number) == 8 + len(
            default_country_code
        ):
            number = "+" + number
        else:
            number = "+" + number
    digits = number[1:]
    if not digits.isdigit() or not 6 <= len(digits) <= 15:
        return None
    return number


# ---------------------------------------------------------------------------------------------
# Twilio-compatible gateway

_XML_INVALID = re.compile(r"[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TWIML_CONTENT_TYPE = "text/xml; charset=utf-8"


def twilio_signature(auth_token: str, url: str, form: Mapping[str, List[str]]) -> str:
    """X-Twilio-Signature: base64(HMAC-SHA1(token, url + each field name and value, sorted))."""
    payload = url
    for name in sorted(set(form)):
        for value in sorted(set(form[name])):
            payload += name + value
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _url_variants(url: str) -> List[str]:
    """The URL with and without its default port; Twilio signs either form."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        without = urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]))
        return [url, without]
    port = 443 if parts.scheme == "https" else 80
    userinfo = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    with_port = urlunsplit(parts._replace(netloc=f"{userinfo}{host}:{port}"))
    return [url, with_port]


def twiml(text: Optional[str]) -> str:
    """TwiML that sends `text` as one SMS, or an empty response that sends nothing."""
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    if not text:
        return head + "<Response></Response>"
    clean = _XML_INVALID.sub("", text)
    return f"{head}<Response><Message>{escape(clean)}</Message></Response>"


class TwilioGateway(SmsGateway):
    """Twilio and the gateways that copy its webhook: form post, X-Twilio-Signature, TwiML."""

    name = "twilio"

    def verify(self, request: WebhookRequest, public_url: Optional[str] = None) -> bool:
        signature = request.header("X-Twilio-Signature")
        if not signature or not self.auth_token:
            return False
        url = request.url
        if public_url:
            query = urlsplit(request.url).query
            url = public_url + ("?" + query if query and "?" not in public_url else "")
        for candidate in _url_variants(url):
            expected = twilio_signature(self.auth_token, candidate, request.form)
            if hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8")):
                return True
        return False

    def parse(self, request: WebhookRequest) -> InboundSms:
        missing = [name for name in ("From", "Body") if request.field(name) is None]
        if missing:
            raise InvalidSms(
                "Missing form field(s): " + ", ".join(missing) + ". Expected a Twilio-style "
                "form post (application/x-www-form-urlencoded) with From and Body."
            )
        sender = to_e164(request.field("From"))
        if sender is None:
            raise InvalidSms("From is not a phone number.")
        return InboundSms(
            sender=sender,
            text=request.field("Body") or "",
            message_id=(request.field("MessageSid") or request.field("SmsSid") or None),
            recipient=request.field("To"),
        )

    def reply(self, text: Optional[str]) -> GatewayResponse:
        return GatewayResponse(200, twiml(text), TWIML_CONTENT_TYPE)


GATEWAYS: Dict[str, Type[SmsGateway]] = {"twilio": TwilioGateway}


def gateway_class(name: str) -> Type[SmsGateway]:
    """A gateway by short name ("twilio") or import path ("package.module:ClassName")."""
    if name in GATEWAYS:
        return GATEWAYS[name]
    module_name, _, class_name = name.partition(":")
    if not class_name:
        raise ValueError(
            f"Unknown SMS gateway {name!r}: use one of {sorted(GATEWAYS)} or 'module:ClassName'."
        )
    cls = getattr(importlib.import_module(module_name), class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, SmsGateway)):
        raise ValueError(f"{name!r} is not an SmsGateway subclass.")
    return cls
