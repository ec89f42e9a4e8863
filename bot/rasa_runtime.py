"""Run-time fixes for the Rasa server that change speed, never what the assistant says.

Installed once when the Rasa server loads our channels (bot/channels/rest.py and socketio.py
call install()); RASA_RUNTIME_FIXES=0 leaves Rasa as it is (for side-by-side measurements).
Each fix is measured in docs/performance.md:

- Rasa checks every action server reply with `jsonschema.validate(reply, schema)`, which first
  re-checks the constant schema itself against the JSON Schema meta-schema (`check_schema`) and
  builds a new validator. Under load that was a third of the Rasa server's time. The fix checks
  the schema once, keeps one validator, and raises the same error `validate()` would raise.
- Rasa opens a new aiohttp session (and TCP connection) for each action server call. The fix
  keeps one session per action endpoint and event loop (RASA_REUSE_ACTION_SESSION=0 turns it off).
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Dict, Optional, Text

logger = logging.getLogger(__name__)

_installed = False


def _validator_for(schema: Dict[Text, Any]):
    from jsonschema.validators import validator_for

    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _install_cached_response_validation() -> None:
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    cache: Dict[int, Any] = {}

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        key = id(type(self))
        validator = cache.get(key)
        if validator is None:
            validator = cache[key] = _validator_for(self.action_response_format_spec())
        error: Optional[ValidationError] = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = _validate_action_result


def _install_reused_action_session() -> None:
    """One aiohttp session per EndpointConfig and event loop, instead of one per request."""
    import aiohttp
    from rasa.utils.endpoints import EndpointConfig

    original_session = EndpointConfig.session

    class _SharedSession:
        """Behaves like `async with aiohttp.ClientSession()` but does not close the session."""

        def __init__(self, session: aiohttp.ClientSession) -> None:
            self._session = session

        async def __aenter__(self) -> aiohttp.ClientSession:
            return self._session

        async def __aexit__(self, *exc: Any) -> None:
            return None

    def session(self: EndpointConfig):  # type: ignore[no-untyped-def]
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return original_session(self)
        sessions = self.__dict__.setdefault("_shared_sessions", {})
        shared = sessions.get(loop)
        if shared is None or shared.closed:
            shared = sessions[loop] = original_session(self)
        return _SharedSession(shared)

    EndpointConfig.session = session


def install() -> None:
    """Apply the fixes once per process."""
    global _installed
    if _installed or os.environ.get("RASA_RUNTIME_FIXES", "1") == "0":
        return
    _installed = True
    _install_cached_response_validation()
    if os.environ.get("RASA_REUSE_ACTION_SESSION", "1") != "0":
        _install_reused_action_session()
    logger.debug("rasa_runtime: cached action reply validation installed")
