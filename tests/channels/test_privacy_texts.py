"""The storage notice and the delete keyword, from knowledge/privacy/notices.yml and the kommune profile."""

from __future__ import annotations

import pytest

from bot.channels import privacy_texts
from bot.channels.sms_text import KEYWORD_DELETE, count_segments, detect_keyword


def with_url(monkeypatch, url: str) -> None:
    """The active kommune profile, with `privacy_url` set as a kommune would set it."""
    profile = {**privacy_texts.knowledge().profile(), "privacy_url": url}

    class Profiles:
        def profile(self, kommune=None):
            return profile

    monkeypatch.setattr(privacy_texts, "knowledge", Profiles)


def test_sms_notice_names_the_days_and_how_to_delete(monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "21")
    notice = privacy_texts.sms_notice()
    assert "21 dager" in notice and "SLETT" in notice
    assert privacy_texts.sms_notice(days=1).count("1 dag") == 1
    assert count_segments(notice).segments == 1 and count_segments(notice).encoding == "GSM-7"


def test_without_a_privacy_url_there_is_no_link_and_with_one_there_is(monkeypatch):
    assert privacy_texts.privacy_url() == ""  # Tromsø has not given us one
    assert "http" not in privacy_texts.sms_notice()
    with_url(monkeypatch, "https://kommune.example/personvern")
    assert privacy_texts.sms_notice().endswith("https://kommune.example/personvern")
    assert privacy_texts.widget_privacy_info()["privacy_url"] == "https://kommune.example/personvern"


def test_a_privacy_url_that_is_not_a_web_address_is_ignored(monkeypatch):
    with_url(monkeypatch, "javascript:alert(1)")
    assert privacy_texts.privacy_url() == ""


@pytest.mark.parametrize("text", ["SLETT", "slett", " Slett. ", "slett meg", "Glem meg!"])
def test_slett_is_a_keyword_in_any_case(text):
    assert detect_keyword(text) == KEYWORD_DELETE


def test_slett_inside_a_question_is_not_the_keyword():
    assert detect_keyword("hvordan sletter jeg søknaden?") is None
