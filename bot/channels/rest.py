"""REST channel for the kommune's own integrations and tests: validates input, never answers with silence."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_runtime
from bot.channels import server_hooks
from bot.channels.replies import EMPTY_MESSAGE, no_answer_text
from bot.channels.sanitize import MAX_MESSAGE_CHARS, clean_user_text
from bot.limits import RateLimited, rate_limited_text

rasa_runtime.install()  # speed fixes for the Rasa server this channel runs in (docs/performance.md)

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128


def _error(status: int, reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


class SafeRestInput(InputChannel):
    """POST {"sender": "...", "message": "..."} to /webhooks/rest/webhook; get the replies as JSON."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("safe_rest_webhook", __name__)
        server_hooks.attach(bp)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                body = None
            if not isinstance(body, dict):
                return _error(400, "The body must be a JSON object with 'sender' and 'message'.")
            sender, raw = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
                return _error(400, f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters.")
            if not isinstance(raw, str):
                return _error(400, "'message' must be a string.")
            if len(raw) > MAX_MESSAGE_CHARS:
                return _error(413, f"'message' is longer than {MAX_MESSAGE_CHARS} characters.")
            metadata: Optional[Dict[str, Any]] = body.get("metadata")
            if metadata is not None and not isinstance(metadata, dict):
                return _error(400, "'metadata' must be a JSON object.")

            text = clean_user_text(raw)
            if not text:
                return response.json([{"recipient_id": sender, "text": EMPTY_MESSAGE}])

            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                )
            except RateLimited:
                return response.json(
                    [{"recipient_id": sender, "text": rate_limited_text()}], status=429
                )
            except Exception:
                logger.exception("rest channel: the message could not be handled")
                return response.json(
                    [{"recipient_id": sender, "text": no_answer_text()}], status=503
                )
            if not collector.messages:
                logger.error("rest channel: the assistant gave no reply to a message")
                return response.json([{"recipient_id": sender, "text": no_answer_text()}])
            return response.json(collector.messages)

        return bp
