"""Install the masking log filter (bot/privacy/log_filter.py) in this process; light to import."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def install_log_filter() -> None:
    """Mask personal data in every log line of this process (idempotent)."""
    try:
        from bot.privacy import log_filter
    except ImportError:
        # The server still answers families; tests/stores/test_privacy_e2e.py fails.
        logger.error("bot/privacy/log_filter.py is missing: log lines are NOT masked")
        return
    log_filter.install()
