"""The review app in real Chromium against real conversations: login, filters, transcript,
corrections and export, delete, roles, CSRF, lockout, accessibility and the strict CSP."""
from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.review_browser.conftest import ADMIN, ARTIFACTS, LOCKED, login
from tests.support.review import PERSONAL_PHONE, PASSWORD
from tests.support.servers import ROOT


def listed(tab) -> list:
    hrefs = tab.locator("table.list a[href^='/samtale?id=']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [parse_qs(urlparse(h).query)["id"][0] for h in hrefs]


def events_of(db: Path, sender: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_a_page_without_a_session_sends_to_login_and_back(anon, review):
    app, _ = review
    anon.goto(app.url + "/oversikt")
    assert urlparse(anon.url).path == "/login"
    expect(anon.get_by_role("heading", name="Logg inn")).to_be_visible()
    login(anon, app, ADMIN, PASSWORD)
    expect(anon.get_by_role("heading", name="Oversikt", exact=True)).to_be_visible()
    cookie = next(c for c in anon.context.cookies() if c["name"] == "review_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > 0


def test_the_list_shows_every_conversation_newest_first_in_pages(admin, review):
    app, filled = review
    admin.goto(app.url + "/")
    heading = admin.locator("#result-title").inner_text()
    total = int(heading.split()[0])
    assert total >= 33 and "side 1 av 2" in heading
    first_page = listed(admin)
    assert len(first_page) == 25
    # The widget conversation was the last one: it is on top, marked with its channel and thumbs down.
    assert first_page[0] == filled.senders["widget_down"]
    top = admin.locator("table.list tbody tr").first
    expect(top).to_contain_text("Nettprat")
    expect(top).to_contain_text("Tommel ned: 1")
    admin.get_by_role("link", name="Neste side").click()
    assert len(listed(admin)) == total - 25


def test_filter_by_fallback(admin, review):
    app, filled = review
    admin.goto(app.url + "/")
    admin.get_by_label("assistenten ikke forsto").check()
    admin.get_by_role("button", name="Vis samtaler").click()
    ids = listed(admin)
    assert filled.senders["fallback"] in ids
    assert filled.senders["cost"] not in ids and filled.senders["likely"] not in ids
    expect(admin.locator("table.list tbody tr").first).to_contain_text("Forsto ikke")


def test_filter_by_negative_feedback(admin, review):
    app, filled = review
    admin.goto(app.url + "/")
    admin.get_by_label("familien ga tommel ned").check()
    admin.get_by_role("button", name="Vis samtaler").click()
    assert listed(admin) == [filled.senders["widget_down"]]


def test_filter_by_text_and_combined_filters(admin, review):
    app, filled = review
    admin.goto(app.url + "/")
    admin.get_by_label("Søk i teksten").fill("ASDKJH QWE")
    admin.get_by_role("button", name="Vis samtaler").click()
    assert listed(admin) == [filled.senders["fallback"]]
    # Combined with a filter it does not match: nothing.
    admin.get_by_label("familien ble satt over til et menneske").check()
    admin.get_by_role("button", name="Vis samtaler").click()
    assert listed(admin) == []
    expect(admin.get_by_text("Ingen samtaler passer til filtrene.")).to_be_visible()
    admin.goto(app.url + "/?" + "outcome=abandoned")
    assert filled.senders["abandoned"] in listed(admin) and filled.senders["likely"] not in listed(admin)
    admin.goto(app.url + "/?" + "intent=faq/cost")
    assert filled.senders["cost"] in listed(admin) and filled.senders["fallback"] not in listed(admin)


def test_a_conversation_shows_the_masked_transcript_with_intents_and_buttons(admin, review):
    app, filled = review
    admin.goto(app.url + "/")
    admin.get_by_label("Søk i teksten").fill("hvem har rett")
    admin.get_by_role("button", name="Vis samtaler").click()
    assert filled.senders["personal"] in listed(admin)
    admin.locator(f"a[href*='{filled.senders['personal']}']").click()
    expect(admin.get_by_role("heading", name="Samtalen", exact=True)).to_be_visible()
    body = admin.locator("main").inner_text()
    assert "Hvem har rett?" in body
    assert "Kari" not in body and "Nordmann" not in body, "a name reached staff unmasked"
    assert PERSONAL_PHONE not in body and "91234567" not in body, "a phone number reached staff unmasked"
    family = admin.locator(".turn.family").first
    expect(family).to_contain_text("Tolket som")
    expect(family).to_contain_text("sikkerhet")
    admin.goto(app.url + "/samtale?id=" + filled.senders["cost"])
    expect(admin.locator(".turn.family").nth(1)).to_contain_text("Tema: Koster det noe?")
    expect(admin.locator(".turn.assistant").first).to_contain_text("Knapper:")
    admin.goto(app.url + "/samtale?id=" + filled.senders["widget_down"])
    expect(admin.locator(".turn.feedback")).to_contain_text("Tommel ned")


def test_correct_an_intent_undo_and_export_yaml_that_rasa_validates(admin, reviewer, review, tmp_path):
    app, filled = review
    # A reviewer corrects the message the assistant did not understand.
    reviewer.goto(app.url + "/samtale?id=" + filled.senders["fallback"])
    first = reviewer.locator(".turn.family").first
    first.get_by_text("Rett tolkningen").click()
    first.get_by_label("Riktig tema eller intensjon").select_option("out_of_scope")
    first.get_by_role("button", name="Lagre rettelse").click()
    expect(reviewer.get_by_role("status")).to_have_text("Rettelsen er lagret.")
    expect(reviewer.locator(".turn.family").first).to_contain_text("Rettet til out_of_scope")
    # And a second one, which is then undone.
    second = reviewer.locator(".turn.family").nth(1)
    second.get_by_text("Rett tolkningen").click()
    second.get_by_label("Riktig tema eller intensjon").select_option("faq/cost")
    second.get_by_role("button", name="Lagre rettelse").click()
    reviewer.goto(app.url + "/rettelser")
    rows = reviewer.locator("table.list tbody tr")
    expect(rows.first).to_contain_text("Tema: Koster det noe?")
    rows.first.get_by_role("button", name="Angre").click()
    expect(reviewer.locator("table.list tbody tr").first).to_contain_text("Angret av rita")
    # Reviewers cannot export; the admin can.
    assert reviewer.get_by_role("button", name="Last ned treningsdata").count() == 0
    admin.goto(app.url + "/rettelser")
    with admin.expect_download() as dl:
        admin.get_by_role("button", name="Last ned treningsdata").click()
    exported = tmp_path / "review_corrections.yml"
    dl.value.save_as(exported)
    doc = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert doc["version"] == "3.1"
    by_intent = {item["intent"]: item["examples"] for item in doc["nlu"]}
    assert "asdkjh qwe zzz" in by_intent["out_of_scope"]
    assert "faq/cost" not in by_intent  # undone
    # `make review-export` writes the same file.
    out = app.cli("export")
    assert out.returncode == 0, out.stderr
    assert Path(app.env["REVIEW_EXPORT_FILE"]).read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")
    # Rasa accepts the training data with the file added.
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(exported, data / "nlu" / "review_corrections.yml")
    result = subprocess.run([str(Path(sys.executable).parent / "rasa"), "data", "validate", "--config",
                             str(ROOT / "bot" / "config.yml"), "--domain", str(ROOT / "bot" / "domain"),
                             "--data", str(data)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    admin.goto(app.url + "/logg")
    expect(admin.locator("table.list tbody tr").first).to_contain_text("eksporterte rettelser")


def test_an_admin_deletes_a_conversation_and_it_is_gone_from_the_store(admin, review, assistant):
    app, filled = review
    sender = filled.senders["cost"]
    assert events_of(assistant.tracker_db, sender) > 0
    admin.goto(app.url + "/samtale?id=" + sender)
    admin.get_by_role("link", name="Slett samtalen …").click()
    admin.get_by_role("button", name="Ja, slett samtalen").click()
    assert urlparse(admin.url).path == "/"
    assert events_of(assistant.tracker_db, sender) == 0
    assert sender not in listed(admin)
    response = admin.goto(app.url + "/samtale?id=" + sender)
    assert response.status == 404
    admin.goto(app.url + "/logg")
    expect(admin.locator("table.list tbody")).to_contain_text(sender)
    expect(admin.locator("table.list tbody tr").first).to_contain_text("slettet")


def test_a_reviewer_cannot_delete_or_manage_users(reviewer, review, assistant):
    app, filled = review
    sender = filled.senders["likely"]
    reviewer.goto(app.url + "/samtale?id=" + sender)
    assert reviewer.get_by_role("link", name="Slett samtalen …").count() == 0
    assert reviewer.get_by_role("link", name="Brukere").count() == 0
    token = reviewer.locator("input[name=csrf]").first.get_attribute("value")
    r = reviewer.request.post(app.url + "/samtale/slett", form={"csrf": token, "id": sender}, max_redirects=0)
    assert r.status == 403
    assert events_of(assistant.tracker_db, sender) > 0
    assert reviewer.request.get(app.url + "/samtale/slett?id=" + sender).status == 403
    assert reviewer.request.get(app.url + "/brukere").status == 403
    r = reviewer.request.post(app.url + "/brukere", form={"csrf": token, "action": "save", "username": "ny",
                                                          "role": "admin", "password": "x" * 20}, max_redirects=0)
    assert r.status == 403
    assert reviewer.request.get(app.url + "/logg").status == 403


def test_a_form_post_without_a_valid_csrf_token_is_refused(admin, review):
    app, filled = review
    sender = filled.senders["handoff"]
    for form in ({"id": sender, "what": "reviewed"}, {"id": sender, "what": "reviewed", "csrf": "forged"}):
        r = admin.request.post(app.url + "/samtale/merk", form=form, max_redirects=0)
        assert r.status == 403
        assert "Skjemaet kunne ikke sendes" in r.text()
    admin.goto(app.url + "/samtale?id=" + sender)
    expect(admin.get_by_role("button", name="Merk som gjennomgått")).to_be_visible()
    # With the page's own token it works.
    admin.get_by_role("button", name="Merk som gjennomgått").click()
    expect(admin.get_by_role("button", name="Merk som ikke gjennomgått")).to_be_visible()
    admin.goto(app.url + "/?status=reviewed")
    assert listed(admin) == [sender]


def test_five_wrong_passwords_lock_the_account_for_a_while(anon, admin, review):
    app, _ = review
    for _ in range(4):
        login(anon, app, LOCKED, "wrong-password-here")
        expect(anon.get_by_role("alert")).to_have_text("Feil brukernavn eller passord.")
    login(anon, app, LOCKED, "wrong-password-here")
    expect(anon.get_by_role("alert")).to_contain_text("Kontoen er låst i 15 minutter")
    login(anon, app, LOCKED, PASSWORD)  # the right password does not help while locked
    expect(anon.get_by_role("alert")).to_contain_text("Kontoen er låst")
    assert urlparse(anon.url).path == "/login"
    admin.goto(app.url + "/brukere")
    row = admin.locator("tr", has_text=LOCKED)
    expect(row).to_contain_text("Låst")
    row.get_by_role("button", name=f"Lås opp {LOCKED}").click()
    login(anon, app, LOCKED, PASSWORD)
    expect(anon.get_by_role("heading", name="Samtaler", exact=True)).to_be_visible()


def axe_violations(tab) -> list:
    results = Axe().run(tab, options={"resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]]


# 640 px is a 1280 px screen at 200 % zoom.
@pytest.mark.parametrize("width", [1280, 640, 320])
def test_axe_finds_no_violations_and_nothing_leaves_the_app(browser, review, width):
    app, filled = review
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nb-NO")
    tab = context.new_page()
    csp, foreign = [], []
    tab.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    tab.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(app.url) else None)
    try:
        tab.goto(app.url + "/login")
        assert axe_violations(tab) == [], "login"
        login(tab, app, ADMIN, PASSWORD)
        pages = {"list": "/?fallback=1", "conversation": "/samtale?id=" + filled.senders["likely"],
                 "overview": "/oversikt"}
        for name, path in pages.items():
            tab.goto(app.url + path)
            assert axe_violations(tab) == [], name
            assert tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), \
                f"{name} scrolls sideways at {width} px"
            if width == 1280 and name in ("list", "overview"):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                tab.goto(app.url + ("/" if name == "list" else path))
                shot = {"full_page": True} if name == "overview" else {
                    "full_page": True, "clip": {"x": 0, "y": 0, "width": 1280, "height": 1250}}
                tab.screenshot(path=str(ARTIFACTS / f"review-{name}.png"), **shot)
        assert csp == [] and foreign == []
    finally:
        context.close()


def test_the_overview_has_charts_tables_and_a_csv_with_the_same_numbers(admin, review):
    app, _ = review
    admin.goto(app.url + "/oversikt")
    charts = admin.locator("svg.chart[role=img]")
    assert charts.count() == 5
    shares = admin.locator("section", has=admin.get_by_role("heading", name="«Forsto ikke» og overføring til menneske"))
    cells = shares.locator("table tbody tr").nth(1).locator("td").all_inner_texts()
    fallback_n = int(cells[1])
    assert fallback_n >= 1
    with admin.expect_download() as dl:
        admin.get_by_role("link", name="Last ned tallene (CSV)").click()
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert re.search(rf"^totalt;med «forsto ikke»;{fallback_n}$", text, re.M)
    down = int(admin.locator("section", has=admin.get_by_role("heading", name="Tilbakemeldinger"))
               .locator("table tbody tr").nth(1).locator("td").nth(1).inner_text())
    assert down >= 1 and f"tilbakemelding;tommel ned;{down}" in text
