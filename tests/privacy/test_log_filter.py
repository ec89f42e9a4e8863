"""The log filter masks personal data in Rasa's own debug lines (bot/privacy/log_filter.py)."""
import io
import logging

import pytest
import structlog

from bot.privacy import log_filter
from bot.privacy.settings import MaskingSettings

MESSAGE = "jeg heter Bjørn Nordmann, fnr 01017012345, tlf 912 34 567, sønnen min Ola har autisme"
RAW_VALUES = ["Bjørn", "Nordmann", "01017012345", "912 34 567", "Ola", "autisme"]


@pytest.fixture
def root_stream():
    """A handler on the root logger like the one Rasa's logging set-up adds (stdout)."""
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        # install() touched every root handler (pytest's too): take the filter off again
        for h in root.handlers:
            for f in [f for f in h.filters if isinstance(f, log_filter.MaskingFilter)]:
                h.removeFilter(f)


def test_rasa_structlog_debug_line_is_masked(root_stream):
    """The exact call rasa/core/processor.py makes for every message, with Rasa's config.

    In a fresh process this is also where the NER loads, inside the filter, while the
    libraries it imports log at debug level: that must not deadlock.
    """
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.DEBUG)  # Rasa's own set-up: JSON lines through stdlib logging
    try:
        log_filter.install(MaskingSettings())
        structlog.get_logger().debug(
            "processor.message.parse",
            parse_data_text=MESSAGE,
            parse_data_intent={"name": "greet", "confidence": 0.9},
            parse_data_entities=[{"entity": "name", "value": "Bjørn Nordmann"}],
        )
    finally:
        structlog.reset_defaults()
    out = root_stream.getvalue()
    assert "processor.message.parse" in out and "greet" in out
    for value in RAW_VALUES:
        assert value not in out, out
    assert "[NAVN]" in out and "[FØDSELSNUMMER]" in out and "[TELEFON]" in out
    assert "[HELSE]" in out


def test_stdlib_debug_call_with_args_and_traceback_is_masked(root_stream):
    log_filter.install(MaskingSettings())
    logger = logging.getLogger("rasa.core.processor")
    logger.debug("Received user message '%s' from %s", MESSAGE, "kari@example.com")
    logger.info("User %(name)s called", {"name": "Kari Nordmann"})
    try:
        raise ValueError(f"could not parse {MESSAGE!r}")
    except ValueError:
        logger.exception("Failed for 912 34 567")
    out = root_stream.getvalue()
    for value in RAW_VALUES + ["kari@example.com", "Kari"]:
        assert value not in out, out
    assert "Received user message '" in out and "ValueError" in out and "Traceback" in out


def test_install_is_idempotent_and_covers_every_root_handler(root_stream):
    root = logging.getLogger()
    second = logging.StreamHandler(io.StringIO())
    root.addHandler(second)
    try:
        first = log_filter.install(MaskingSettings())
        again = log_filter.install(MaskingSettings())
        assert first is again
        for handler in root.handlers:
            assert sum(isinstance(f, log_filter.MaskingFilter) for f in handler.filters) == 1
    finally:
        root.removeHandler(second)


def test_masking_off_leaves_log_lines_as_they_are(root_stream):
    logger = logging.getLogger("test.privacy.off")
    handler = logging.StreamHandler(io.StringIO())
    handler.addFilter(log_filter.MaskingFilter(MaskingSettings(enabled=False)))
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("tlf %s", "912 34 567")
        assert "tlf 912 34 567" in handler.stream.getvalue()
    finally:
        logger.removeHandler(handler)
