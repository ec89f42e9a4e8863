"""The REST channel for production: the same as SafeRestInput, but only with a bearer token.

deploy/credentials.production.yml uses this class. REST_TOKEN (a long random secret, e.g.
`openssl rand -hex 32`) must be set or the server refuses to start; a request without
`Authorization: Bearer <REST_TOKEN>` gets 401. The widget and SMS do not use REST.
"""
from __future__ import annotations

import hmac
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.rest import SafeRestInput


class TokenRestInput(SafeRestInput):
    """POST /webhooks/rest/webhook with `Authorization: Bearer <REST_TOKEN>`."""

    def __init__(self, token: str) -> None:
        self.token = token

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        token = os.environ.get("REST_TOKEN", "").strip()
        if len(token) < 16:
            raise RasaException(
                "REST channel: REST_TOKEN must be set to a random secret of at least 16 "
                "characters (or remove the REST channel from the credentials)."
            )
        return cls(token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = super().blueprint(on_new_message)
        expected = f"Bearer {self.token}".encode("utf-8")

        @bp.middleware("request")
        async def require_token(request: Request) -> Any:
            if request.method == "POST":
                given = (request.headers.get("authorization") or "").encode("utf-8")
                if not hmac.compare_digest(given, expected):
                    return response.json({"error": "A valid bearer token is required."},
                                         status=401)
            return None

        return bp
