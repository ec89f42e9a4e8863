"""Rasa input channel `sms`: signed gateway webhooks in, TwiML (or the gateway's format) out.

Webhook: POST /webhooks/sms/webhook. What it adds to stock Rasa's Twilio channel: signature
check (403), clear 400s, numbered choices instead of buttons, replies kept within a few SMS
segments ("MER" for the rest), hashed sender ids, the keywords STOPP/HJELP/NY/SLETT, at-most-once
processing of a retried MessageSid, and a storage notice in the first reply of a conversation. The rules live in sms_text.py, the gateway formats in
sms_gateway.py and the database state in sms_state.py; this module only wires them to Rasa.

Configuration (environment; see README.md, "SMS"):
  SMS_AUTH_TOKEN      gateway auth token used to check signatures (required; without it every
                      webhook call gets 503)
  SMS_SENDER_KEY      secret for the keyed hash of phone numbers (required when
                      ASSISTANT_ENV=production; otherwise derived from SMS_AUTH_TOKEN with a warning)
  SMS_PUBLIC_URL      the webhook URL exactly as configured at the gateway (behind a proxy)
  SMS_STATE_DB_URL    SQLAlchemy URL of the SMS state database (default: sms_state.db beside
                      TRACKER_DB)
  SMS_MAX_SEGMENTS    segments per reply, default 3
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
from collections import defaultdict
from dataclasses import replace
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.knowledge import channel_texts
from bot.channels import server_hooks
from bot.channels.privacy_texts import sms_deleted_text, sms_notice
from bot.channels.replies import no_answer_text
from bot.channels.sanitize import MAX_MESSAGE_CHARS, clean_user_text
from bot.channels.sms_gateway import (
    InvalidSms,
    SmsGateway,
    WebhookRequest,
    gateway_class,
)
from bot.channels.sms_state import ConversationState, SmsStateStore
from bot.channels.sms_text import (
    DEFAULT_MAX_SEGMENTS,
    KEYWORD_DELETE,
    KEYWORD_HELP,
    KEYWORD_MORE,
    KEYWORD_RESTART,
    KEYWORD_STOP,
    choices_from_buttons,
    detect_keyword,
    fit_reply,
    numbered_choices,
    payload_for_reply,
    sms_reply,
)

logger = logging.getLogger(__name__)

# A concatenated SMS is at most about 1600 characters (Twilio's limit). Longer text can only
# come from something that is not a phone; it gets the same limit as the other channels.
MAX_BODY_BYTES = 64 * 1024

# What the channel itself says (knowledge/channels.yml). Everything about the scheme comes from
# the assistant.
_TEXTS = channel_texts()["sms"]
STOP_TEXT = _TEXTS["unsubscribed"]
TOO_LONG_TEXT = _TEXTS["too_long"]
EMPTY_TEXT = _TEXTS["empty"]
NO_MORE_TEXT = _TEXTS["no_more"]
NO_ANSWER_TEXT = _TEXTS["no_answer"]
STALE_TEXT = _TEXTS["stale"]

# Intents the keywords stand for; the user's own word is what the conversation log shows.
INTENT_RESTART = "restart"
INTENT_HUMAN = "request_human"
INTENT_GREET = "greet"
INTENT_STOP = "stop"
INTENT_CHECK = "check_eligibility"
CHECK_FORM = "eligibility_form"

# Whether a conversation is inside the eligibility check (looked up in the tracker store).
InCheck = Callable[[str], Awaitable[bool]]


async def _never_in_check(_: str) -> bool:
    return False


def tracker_in_check(app: Any) -> InCheck:
    """InCheck reading the Rasa server's tracker store: is the check's form active?"""

    async def in_check(sender_id: str) -> bool:
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return False
        tracker = await agent.tracker_store.retrieve(sender_id)
        return bool(tracker and tracker.active_loop_name == CHECK_FORM)

    return in_check


def sender_id_for(number: str, key: bytes) -> str:
    """The conversation id of a phone number: a keyed hash, so the log never holds the number."""
    return "sms-" + hmac.new(key, number.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def sender_key_from_env(auth_token: Optional[str]) -> Optional[bytes]:
    """SMS_SENDER_KEY; outside production a key derived from the auth token, with a warning."""
    key = os.environ.get("SMS_SENDER_KEY", "").strip()
    if key:
        return key.encode("utf-8")
    if os.environ.get("ASSISTANT_ENV", "").strip().lower() == "production":
        raise RasaException(
            "SMS channel: SMS_SENDER_KEY is not set. In production it must be a long random "
            "secret (for example `openssl rand -hex 32`); it keys the hash that replaces phone "
            "numbers in the conversation log. Changing it later starts new conversations."
        )
    if not auth_token:
        return None
    logger.warning(
        "SMS channel: SMS_SENDER_KEY is not set; deriving the phone-number hash key from "
        "SMS_AUTH_TOKEN. Set SMS_SENDER_KEY to a random secret before going live: rotating the "
        "auth token would otherwise start new conversations for every phone."
    )
    return hmac.new(auth_token.encode("utf-8"), b"sms-sender-key", hashlib.sha256).digest()


class SenderLocks:
    """One asyncio lock per sender id, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: Dict[str, asyncio.Lock] = {}
        self._users: Dict[str, int] = defaultdict(int)

    def __len__(self) -> int:
        return len(self._locks)

    def __call__(self, sender_id: str) -> "_HeldLock":
        return _HeldLock(self, sender_id)


class _HeldLock:
    def __init__(self, owner: SenderLocks, sender_id: str) -> None:
        self.owner, self.sender_id = owner, sender_id

    async def __aenter__(self) -> None:
        lock = self.owner._locks.setdefault(self.sender_id, asyncio.Lock())
        self.owner._users[self.sender_id] += 1
        try:
            await lock.acquire()
        except BaseException:
            self._release_user()
            raise

    async def __aexit__(self, *exc: Any) -> None:
        self.owner._locks[self.sender_id].release()
        self._release_user()

    def _release_user(self) -> None:
        self.owner._users[self.sender_id] -= 1
        if self.owner._users[self.sender_id] <= 0:
            self.owner._users.pop(self.sender_id, None)
            self.owner._locks.pop(self.sender_id, None)


class SmsCollectingOutput(CollectingOutputChannel):
    """Collects the assistant's messages for one SMS reply. Named "sms" so a response can have
    an SMS-only variant in the domain (`channel: sms`)."""

    @classmethod
    def name(cls) -> Text:
        return "sms"

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message({"recipient_id": recipient_id, "text": text, "hints": kwargs})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._persist_message(
            {"recipient_id": recipient_id, "text": text, "buttons": buttons, "hints": kwargs}
        )

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._persist_message({"recipient_id": recipient_id, "text": image})

    async def send_attachment(self, recipient_id: Text, attachment: Any, **kwargs: Any) -> None:
        if isinstance(attachment, str):
            await self._persist_message({"recipient_id": recipient_id, "text": attachment})

    async def send_custom_json(self, recipient_id: Text, json_message: Any, **kwargs: Any) -> None:
        # Custom payloads are for rich clients; an SMS shows only a text they may carry.
        if isinstance(json_message, dict) and isinstance(json_message.get("text"), str):
            await self._persist_message({"recipient_id": recipient_id, "text": json_message["text"]})


def _wants_letters(message: Dict[str, Any]) -> bool:
    """Offer choices as A, B, ... when a number is itself a possible answer.

    The domain can say so in response metadata (`sms_choice_keys: letters|digits`). Otherwise a
    form question or its re-ask (`utter_ask_*`, `utter_reask_*`) that shows a number in its text
    ("Skriv for eksempel «5 år»") gets letters, so that "2" answers "how old" and never picks
    the second button by accident.
    """
    hints = message.get("hints") or {}
    for source in (hints, hints.get("metadata") or {}):
        if isinstance(source, dict) and source.get("sms_choice_keys") in ("letters", "digits"):
            return source["sms_choice_keys"] == "letters"
    asks = str(hints.get("utter_action") or "").startswith(("utter_ask_", "utter_reask_"))
    return asks and any(ch.isdigit() for ch in message.get("text") or "")


class SmsInput(InputChannel):
    """The `sms` channel. Options in credentials.yml: gateway, public_url, max_segments."""

    @classmethod
    def name(cls) -> Text:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        auth_token = os.environ.get("SMS_AUTH_TOKEN", "").strip() or None
        max_segments = int(
            os.environ.get("SMS_MAX_SEGMENTS") or credentials.get("max_segments") or DEFAULT_MAX_SEGMENTS
        )
        return cls(
            auth_token=auth_token,
            sender_key=sender_key_from_env(auth_token),
            gateway=str(credentials.get("gateway") or "twilio"),
            public_url=(os.environ.get("SMS_PUBLIC_URL") or credentials.get("public_url") or None),
            state=SmsStateStore(os.environ.get("SMS_STATE_DB_URL") or credentials.get("state_db_url")),
            max_segments=max_segments,
        )

    def __init__(
        self,
        auth_token: Optional[str],
        sender_key: Optional[bytes],
        gateway: str = "twilio",
        public_url: Optional[str] = None,
        state: Optional[SmsStateStore] = None,
        max_segments: int = DEFAULT_MAX_SEGMENTS,
    ) -> None:
        self.gateway: SmsGateway = gateway_class(gateway)(auth_token or "")
        self.configured = bool(auth_token and sender_key)
        self.sender_key = sender_key or b""
        self.public_url = public_url
        self.state = state or SmsStateStore()
        self.max_segments = max(1, max_segments)
        self.locks = SenderLocks()
        self._app: Any = None
        if not self.configured:
            logger.warning(
                "SMS channel: SMS_AUTH_TOKEN is not set, so /webhooks/sms/webhook answers 503. "
                "Set it to the gateway's auth token to receive SMS."
            )

    # -- HTTP ---------------------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms_webhook = Blueprint("sms_webhook", __name__)

        @sms_webhook.listener("before_server_start")
        async def keep_app(app: Any, _loop: Any) -> None:
            self._app = app

        server_hooks.attach(sms_webhook, conversation_store=self.state)

        @sms_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(
                {"status": "ok" if self.configured else "not configured", "gateway": self.gateway.name}
            )

        @sms_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.text("SMS channel is not configured (SMS_AUTH_TOKEN).", status=503)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.text("Request body too large.", status=413)
            incoming = _webhook_request(request)
            if not self.gateway.verify(incoming, self.public_url):
                logger.warning("SMS webhook: rejected a request with a bad or missing signature.")
                return response.text("Invalid or missing signature.", status=403)
            try:
                sms = self.gateway.parse(incoming)
            except InvalidSms as error:
                return response.text(error.reason, status=400)
            reply = await self.handle(sms.text, sender_id_for(sms.sender, self.sender_key),
                                      sms.message_id, on_new_message,
                                      tracker_in_check(request.app))
            answer = self.gateway.reply(reply)
            return response.text(answer.body, status=answer.status, content_type=answer.content_type)

        return sms_webhook

    # -- one message ----------------------------------------------------------------------------

    async def handle(
        self,
        raw_text: str,
        sender_id: str,
        message_id: Optional[str],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        in_check: InCheck = _never_in_check,
    ) -> Optional[str]:
        """The SMS reply to one incoming message (None: answer nothing, it was answered before)."""
        async with self.locks(sender_id):
            if detect_keyword(clean_user_text(raw_text or "")) == KEYWORD_DELETE:
                # Nothing of the conversation may remain, not even this message's id: a retry
                # of it simply deletes (nothing) again and confirms again.
                return await self._delete(sender_id)
            if message_id:
                try:
                    claim = await _in_thread(self.state.claim_message, message_id, sender_id)
                except Exception:
                    logger.exception("SMS channel: the SMS state database did not answer.")
                    return no_answer_text()
                if claim.status == "done":
                    return claim.reply
                if claim.status == "processing":
                    return None
                if claim.status == "stale":
                    return STALE_TEXT
            try:
                # The family waits on the gateway: past the deadline it gets the apology.
                reply = await asyncio.wait_for(self._answer(raw_text, sender_id, on_new_message, in_check),
                                               _reply_deadline_s())
            except Exception:
                logger.exception("SMS channel: could not answer a message.")
                reply = no_answer_text()
            if message_id:
                try:
                    await _in_thread(
                        self.state.finish_message, message_id, reply, clean_user_text(raw_text or "")
                    )
                except Exception:
                    logger.exception("SMS channel: could not store the reply of a message.")
            return reply

    async def _answer(
        self, raw_text: str, sender_id: str, on_new_message: Callable[[UserMessage], Awaitable[Any]],
        in_check: InCheck = _never_in_check,
    ) -> str:
        """Keywords behave as on the web: inside the eligibility check, STOPP stops the check
        and NY starts it over; outside it STOPP unsubscribes and NY greets. HJELP gives the
        human contact and ends the check, and its old numbered choices with it."""
        text = clean_user_text(raw_text or "")
        if len(text) > MAX_MESSAGE_CHARS:
            return TOO_LONG_TEXT
        keyword = detect_keyword(text)
        state = await _in_thread(self.state.load, sender_id)
        checking = keyword in (KEYWORD_STOP, KEYWORD_RESTART) and await in_check(sender_id)

        if keyword == KEYWORD_STOP and checking:
            out = await self._tell(on_new_message, sender_id, text, INTENT_STOP, keyword)
            return await self._reply(sender_id, out, user_text=text)
        if keyword == KEYWORD_STOP:
            await self._tell(on_new_message, sender_id, text, INTENT_RESTART, keyword)
            await _in_thread(self.state.forget, sender_id)
            return STOP_TEXT
        if keyword == KEYWORD_RESTART:
            first = await self._tell(on_new_message, sender_id, text, INTENT_RESTART, keyword)
            await _in_thread(self.state.forget, sender_id)
            then = INTENT_CHECK if checking else INTENT_GREET
            second = await self._tell(on_new_message, sender_id, text, then, keyword)
            return await self._reply(sender_id, first + second, user_text=text,
                                     first=not state.stored)
        if keyword == KEYWORD_HELP:
            out = await self._tell(on_new_message, sender_id, text, INTENT_HUMAN, keyword)
            return await self._reply(sender_id, out, user_text=text, first=not state.stored)
        if keyword == KEYWORD_MORE:
            if not state.more:
                return NO_MORE_TEXT
            part = fit_reply(
                state.more, numbered_choices(state.choices, state.letters), self.max_segments
            )
            state.more = part.remainder
            await _in_thread(self.state.save, sender_id, state)
            return part.text
        if not text:
            return EMPTY_TEXT

        payload = payload_for_reply(text, state.choices, state.letters)
        metadata = {"sms": {"choice": text}} if payload else None
        collector = SmsCollectingOutput()
        await on_new_message(
            UserMessage(payload or text, collector, sender_id, input_channel=self.name(),
                        metadata=metadata)
        )
        return await self._reply(sender_id, collector.messages, user_text=text,
                                 first=not state.stored)

    async def _delete(self, sender_id: str) -> str:
        """SLETT: delete the conversation (tracker, SMS state) and confirm."""
        try:
            await server_hooks.delete_conversation(self._app, sender_id)
        except Exception:
            logger.exception("SMS channel: could not delete a conversation")
            return no_answer_text()  # not deleted: the family gets the apology and a person
        return sms_deleted_text()

    async def _tell(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender_id: str,
        text: str,
        intent: str,
        keyword: str,
    ) -> List[Dict[str, Any]]:
        """Send a keyword to Rasa as the intent it stands for; the log keeps the user's word."""
        collector = SmsCollectingOutput()
        parse_data = {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "intent_ranking": [{"name": intent, "confidence": 1.0}],
            "entities": [],
        }
        await on_new_message(
            UserMessage(text, collector, sender_id, parse_data=parse_data,
                        input_channel=self.name(), metadata={"sms": {"keyword": keyword}})
        )
        return collector.messages

    async def _reply(
        self,
        sender_id: str,
        messages: List[Dict[str, Any]],
        user_text: str = "",
        first: bool = False,
    ) -> str:
        """Turn the assistant's messages into one SMS and remember its choices and remainder.

        A reply without choices clears the old ones: a digit then is plain text again.
        `first`: the first reply of a conversation starts with the storage notice, which gets a
        segment of its own beyond the budget. What is
        remembered is masked against `user_text`, the family's message being answered.
        """
        texts = [m["text"] for m in messages if m.get("text")]
        with_buttons = [m for m in messages if choices_from_buttons(m.get("buttons"))]
        question_last = False
        if with_buttons:
            last = with_buttons[-1]
            choices, letters = choices_from_buttons(last.get("buttons")), _wants_letters(last)
            question_last = last is messages[-1] and bool(last.get("text"))
            shown = choices
        else:
            choices, letters, shown = [], False, []
        if not texts and not shown:
            return NO_ANSWER_TEXT
        fitted = sms_reply(texts, shown, letters, self.max_segments, keep_last=question_last)
        if first:
            # The notice comes on top of the budget (one segment), so it never pushes the
            # answer behind "MER" and is never cut itself.
            fitted = replace(fitted, text=f"{sms_notice()}\n\n{fitted.text}")
        await _in_thread(
            self.state.save, sender_id, ConversationState(choices, letters, fitted.remainder),
            user_text,
        )
        return fitted.text

    def get_output_channel(self) -> Optional[CollectingOutputChannel]:
        # Replies travel in the webhook response; there is no outbound channel to push to.
        return None


def _reply_deadline_s() -> float:
    """REPLY_DEADLINE_S (bot/runtime.py) for the whole SMS answer, state database included."""
    try:
        return float(os.environ.get("REPLY_DEADLINE_S") or 3.5)
    except ValueError:
        return 3.5


def _webhook_request(request: Request) -> WebhookRequest:
    if (request.content_type or "").startswith("application/x-www-form-urlencoded"):
        # Sanic drops blank fields, but the gateway signs them ("Body=" of a picture message).
        form = parse_qs((request.body or b"").decode("utf-8", errors="replace"),
                        keep_blank_values=True)
    else:
        form = {name: list(values) for name, values in (request.form or {}).items()}
    return WebhookRequest(
        url=request.url,
        headers={name.lower(): value for name, value in request.headers.items()},
        form=form,
        body=request.body or b"",
        content_type=request.content_type or "",
    )


async def _in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking database call without stalling other conversations."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
