"""Socket.io channel for the web widget: cleaned input, resendable messages, stored feedback, delete."""
import asyncio
import logging
import re
import uuid
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import rasa_runtime
from bot.channels import server_hooks
from bot.channels.privacy_texts import widget_privacy_info
from bot.channels.origins import widget_allowed_origins
from bot.channels.replies import EMPTY_MESSAGE, no_answer_text
from bot.channels.sanitize import clean_user_text

rasa_runtime.install()  # speed fixes for the Rasa server this channel runs in (docs/performance.md)

logger = logging.getLogger(__name__)

FEEDBACK_EVENT = "feedback"
# "Slett samtalen": deletes the session's own conversation on the server (never another id).
DELETE_EVENT = "delete_conversation"
# Sent after session_confirm: what the widget needs for its storage notice.
PRIVACY_EVENT = "privacy_notice"
FEEDBACK_SLOT = "feedback"
FEEDBACK_VALUES = ("up", "down")
# The widget stops at 500 characters; longer messages from other clients are refused.
MAX_MESSAGE_CHARS = 1000
MAX_FEEDBACK_QUOTE_CHARS = 500
# Session ids become Rasa sender ids. Only accept the random hex ids that Rasa's own
# session_request hands out, so a web client cannot claim another channel's sender id
# (an SMS conversation is keyed by a phone number).
SESSION_ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
MESSAGE_ID_PATTERN = re.compile(r"^[0-9A-Za-z_-]{8,64}$")
# More ratings than this in one conversation is a script, not a family; refuse the rest.
MAX_FEEDBACK_PER_CONVERSATION = 100
REPLY_CACHE_SIZE = 2000


class _Reply:
    """Replies the assistant gave to one user message, kept so a resend can be answered."""

    def __init__(self) -> None:
        self.done = asyncio.Event()
        self.messages: List[Dict[Text, Any]] = []


class ReplyCache:
    """Bounded map (session id, message id) -> reply; oldest entries are dropped first."""

    def __init__(self, size: int = REPLY_CACHE_SIZE) -> None:
        self._size = size
        self._entries: "OrderedDict[Tuple[Text, Text], _Reply]" = OrderedDict()

    def get(self, session_id: Text, message_id: Text) -> Optional[_Reply]:
        return self._entries.get((session_id, message_id))

    def forget_session(self, session_id: Text) -> None:
        """Drop the replies kept for a deleted conversation."""
        for key in [k for k in self._entries if k[0] == session_id]:
            del self._entries[key]

    def start(self, session_id: Text, message_id: Text) -> _Reply:
        reply = _Reply()
        self._entries[(session_id, message_id)] = reply
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return reply


class WidgetOutput(SocketIOOutput):
    """Emits bot messages with an id so the widget can drop the copy a resend brings back."""

    def __init__(
        self, sio: AsyncServer, bot_message_evt: Text, reply: _Reply, reply_to: Optional[Text]
    ) -> None:
        super().__init__(sio, bot_message_evt)
        self._reply = reply
        self._reply_to = reply_to or uuid.uuid4().hex

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        message = dict(response)
        message["id"] = f"{self._reply_to}.{len(self._reply.messages)}"
        message["reply_to"] = self._reply_to
        self._reply.messages.append(message)
        await super()._send_message(socket_id, message)


def valid_session_id(value: Any) -> bool:
    return isinstance(value, str) and bool(SESSION_ID_PATTERN.match(value))


def feedback_payload(data: Dict[Text, Any]) -> Optional[Dict[Text, Any]]:
    """What is stored for one thumbs up/down, or None if the request is not valid."""
    value = data.get("value")
    if value not in FEEDBACK_VALUES:
        return None
    index = data.get("message_index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        index = None
    message_id = data.get("message_id")
    if not (isinstance(message_id, str) and MESSAGE_ID_PATTERN.match(message_id.split(".")[0])):
        message_id = None
    quote = data.get("message")
    quote = clean_user_text(quote)[:MAX_FEEDBACK_QUOTE_CHARS] if isinstance(quote, str) else ""
    return {
        "value": value,
        "message": quote,
        "message_index": index,
        "message_id": message_id[:80] if message_id else None,
    }


async def store_feedback(agent: Any, sender_id: Text, payload: Dict[Text, Any]) -> bool:
    """Append the rating to the conversation's tracker without starting a new turn."""
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.processor.get_tracker(sender_id)
        if not any(isinstance(event, BotUttered) for event in tracker.events):
            return False  # nothing was answered in this conversation, so nothing to rate
        ratings = sum(
            1 for e in tracker.events if isinstance(e, SlotSet) and e.key == FEEDBACK_SLOT
        )
        if ratings >= MAX_FEEDBACK_PER_CONVERSATION:
            logger.warning("socket.io channel: too many ratings in one conversation; refused")
            return False
        tracker.update(SlotSet(FEEDBACK_SLOT, payload), agent.domain)
        await agent.tracker_store.save(tracker)
    return True


async def stored_replies(agent: Any, sender_id: Text, message_id: Text) -> Optional[List[Dict]]:
    """The replies stored for a message with this id (None: not answered yet).

    The reply cache is per server; when a widget resends after its server died, the other
    server finds the answered message in the tracker store and must not run the turn again.
    """
    if agent is None or agent.tracker_store is None:
        return None
    try:
        tracker = await agent.tracker_store.retrieve(sender_id)
    except Exception:
        return None
    found: Optional[List[Dict]] = None
    for event in tracker.events if tracker else []:
        if found is None:
            if isinstance(event, UserUttered) and (event.metadata or {}).get("message_id") == message_id:
                found = []
        elif isinstance(event, UserUttered):
            break
        elif isinstance(event, BotUttered):
            message: Dict[Text, Any] = {"text": event.text or ""}
            buttons = (event.data or {}).get("buttons")
            if buttons:
                message["quick_replies"] = [
                    {"content_type": "text", "title": b.get("title"), "payload": b.get("payload")}
                    for b in buttons
                ]
            message["id"] = f"{message_id}.{len(found)}"
            message["reply_to"] = message_id
            found.append(message)
    return found


class WidgetSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, hardened for the widget.

    Differences from the stock channel: user text goes through `clean_user_text`; the
    `session_request` awaits `enter_room` (python-socketio 5 made it a coroutine, and the
    stock channel's missing `await` means replies never reach a persistent session); only
    random hex session ids are accepted; a message may carry a `message_id` so the widget can
    resend it after a dropped connection and get the replies once; a `feedback` event stores a
    thumbs up/down in the conversation's tracker; a `delete_conversation` event deletes the
    session's own conversation everywhere it is stored ("Slett samtalen" in the widget).
    """

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.replies = ReplyCache()
        self._app: Optional[Sanic] = None

    def _agent(self) -> Any:
        return self._app.ctx.agent if self._app is not None else None

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=widget_allowed_origins())
        bp = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        namespace = self.namespace

        @bp.listener("before_server_start")
        async def keep_app(app: Sanic, _loop: Any) -> None:
            self._app = app

        server_hooks.attach(bp)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if valid_session_id(requested) else uuid.uuid4().hex
            await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            try:
                await sio.emit(PRIVACY_EVENT, widget_privacy_info(), room=sid, namespace=namespace)
            except Exception:  # the chat works without the notice; the log says why
                logger.exception("socket.io channel: could not send the privacy notice")

        async def sender_of(sid: Text) -> Optional[Text]:
            session = await sio.get_session(sid, namespace=namespace)
            session_id = session.get("session_id") if session else None
            if session_id:
                return session_id
            return None if self.session_persistence else sid

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any) -> Dict[Text, Any]:
            sender_id = await sender_of(sid)
            if sender_id is None or not isinstance(data, dict):
                logger.warning("socket.io message without a session; send session_request first")
                return {"ok": False, "error": "no_session"}
            raw = data.get("message")
            if not isinstance(raw, str) or len(raw) > MAX_MESSAGE_CHARS:
                return {"ok": False, "error": "too_long" if isinstance(raw, str) else "no_text"}
            text = clean_user_text(raw)

            message_id = data.get("message_id")
            if not (isinstance(message_id, str) and MESSAGE_ID_PATTERN.match(message_id)):
                message_id = None
            if message_id:
                earlier = self.replies.get(sender_id, message_id)
                if earlier is not None:
                    # A resend after a dropped connection: answer from what was already said.
                    await earlier.done.wait()
                    for message in earlier.messages:
                        await sio.emit(self.bot_message_evt, message, room=sid, namespace=namespace)
                    return {"ok": True, "duplicate": True}
                stored = await stored_replies(self._agent(), sender_id, message_id)
                if stored is not None:
                    # A resend of a message another server answered before it went away.
                    for message in stored:
                        await sio.emit(self.bot_message_evt, message, room=sid, namespace=namespace)
                    return {"ok": True, "duplicate": True}
                reply = self.replies.start(sender_id, message_id)
            else:
                reply = _Reply()

            output = WidgetOutput(sio, self.bot_message_evt, reply, message_id)
            metadata = {"message_id": message_id} if message_id else {}
            try:
                if not text:
                    await output.send_text_message(sender_id, EMPTY_MESSAGE)
                    return {"ok": True}
                failed = False
                try:
                    await on_new_message(
                        UserMessage(
                            text, output, sender_id, input_channel=self.name(), metadata=metadata
                        )
                    )
                except Exception:
                    logger.exception("socket.io channel: the message could not be handled")
                    failed = True  # even after streamed replies: the turn may not be stored
                if failed or not reply.messages:
                    # Never leave a family waiting in silence.
                    await output.send_text_message(sender_id, no_answer_text())
            finally:
                reply.done.set()
            return {"ok": True}

        @sio.on(FEEDBACK_EVENT, namespace=namespace)
        async def feedback(sid: Text, data: Any) -> Dict[Text, Any]:
            sender_id = await sender_of(sid)
            payload = feedback_payload(data) if isinstance(data, dict) else None
            agent = self._agent()
            if sender_id is None or payload is None or agent is None:
                return {"ok": False}
            stored = await store_feedback(agent, sender_id, payload)
            return {"ok": stored}

        @sio.on(DELETE_EVENT, namespace=namespace)
        async def delete_conversation(sid: Text, _data: Any = None) -> Dict[Text, Any]:
            # Only the id this connection's session_request set: whatever the client sends
            # with the event is ignored.
            session = await sio.get_session(sid, namespace=namespace)
            session_id = session.get("session_id") if session else None
            if not valid_session_id(session_id):
                return {"ok": False, "error": "no_session"}
            try:
                deleted = await server_hooks.delete_conversation(self._app, session_id)
            except Exception:
                logger.exception("socket.io channel: could not delete a conversation")
                return {"ok": False, "error": "failed"}
            self.replies.forget_session(session_id)
            await sio.save_session(sid, {}, namespace=namespace)
            if self.session_persistence:
                await sio.leave_room(sid, session_id, namespace=namespace)
            return {"ok": True, "deleted": deleted}

        return bp
