"""Shared fixtures: the real running assistant for end-to-end tests."""
from __future__ import annotations

import uuid
from typing import Dict, Iterator

import pytest

from tests.support.servers import RunningAssistant, running_assistant

# Environment for the Rasa server under test. Test-only values, never real secrets.
TEST_SERVER_ENV: Dict[str, str] = {
    # SMS channel (bot/channels/sms.py): gateway auth token and the key for hashing phone numbers.
    "SMS_AUTH_TOKEN": "test-sms-auth-token",
    "SMS_SENDER_KEY": "test-sms-sender-key",
}


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    """The action server and Rasa server, started once per test session."""
    with running_assistant(tmp_path_factory.mktemp("assistant"), TEST_SERVER_ENV) as running:
        yield running


@pytest.fixture
def sender() -> str:
    """A fresh conversation id per test."""
    return f"test-{uuid.uuid4().hex[:12]}"
