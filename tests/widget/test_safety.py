"""Safety: text is never HTML, a strict CSP holds, no third-party requests, no cookies."""
from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.widget.chat import Chat

PROBE = '<img src=x onerror="window.__widgetPwned=1"><b>fet</b>'


def test_html_in_a_message_is_shown_as_characters(page):
    chat = Chat(page).open()
    chat.ask(PROBE)
    bubble = chat.user.last.locator("p")
    expect(bubble).to_have_text(PROBE)
    assert chat.dialog.locator("img, b").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__widgetPwned") is None
    # Still text after a reload from sessionStorage.
    page.reload()
    expect(Chat(page).user.last.locator("p")).to_have_text(PROBE)
    assert Chat(page).dialog.locator("img, b").count() == 0


def test_page_runs_under_a_strict_csp_without_refusals_or_foreign_requests(page, demo_url):
    headers = requests.get(demo_url, timeout=10).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "Set-Cookie" not in headers
    chat = Chat(page).open()
    chat.ask("Koster det noe?")
    chat.dialog.get_by_role("button", name="Nyttig svar", exact=True).last.click()
    assert page.problems.csp == []
    assert page.problems.errors == []
    assert page.problems.foreign_requests == []
    assert page.context.cookies() == []


def test_bundle_is_served_for_other_origins_without_cookies(demo_url):
    r = requests.get(demo_url + "barnekoordinator-widget.js", timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/javascript")
    assert r.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in r.headers
