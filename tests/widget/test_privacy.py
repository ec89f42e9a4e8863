"""'Slett samtalen' and the storage notice in the widget, in real Chromium against the real assistant."""
from __future__ import annotations

import sqlite3

from playwright.sync_api import expect

from tests.widget.chat import Chat
from tests.widget.conftest import artifact, wait_until

STORAGE_KEY_JS = "Object.keys(sessionStorage).filter((k) => k.startsWith('barnekoordinator-widget'))"


def session_id_of(page) -> str:
    return page.evaluate(
        "() => JSON.parse(Object.entries(sessionStorage).find(([k]) => k.startsWith('barnekoordinator-widget'))[1]).sessionId"
    )


def stored_rows(assistant, session_id: str) -> int:
    with sqlite3.connect(assistant.tracker_db) as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (session_id,)).fetchone()[0]


def test_greeting_tells_how_long_the_conversation_is_kept_and_how_to_delete_it(page):
    chat = Chat(page).open()
    expect(chat.greeting).to_contain_text("lagres uten navn og nummer i 30 dager")
    expect(chat.greeting).to_contain_text("«Slett samtalen»")
    # Tromsø has no privacy page in its profile yet: no link is invented.
    expect(chat.greeting.get_by_role("link")).to_have_count(0)


def test_slett_samtalen_by_keyboard_deletes_here_and_on_the_server_and_nothing_else(page, browser, demo_url, assistant):
    # Another family's conversation in another tab, which must stay.
    other_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
    other = other_context.new_page()
    try:
        other.goto(demo_url)
        Chat(other).open().ask("Hva gjør en barnekoordinator?")
        other_id = session_id_of(other)

        chat = Chat(page).open()
        chat.ask("Jeg heter Kari Nordmann. Koster det noe?")
        mine = session_id_of(page)
        assert wait_until(lambda: stored_rows(assistant, mine) > 0, timeout=10)

        delete = chat.dialog.get_by_role("button", name="Slett samtalen")
        delete.focus()
        page.keyboard.press("Enter")
        question = chat.dialog.get_by_role("alertdialog", name="Slette samtalen?")
        expect(question).to_be_visible()
        expect(question).to_contain_text("kan ikke hentes tilbake")
        # Focus starts on the harmless choice; Escape cancels and nothing is deleted.
        expect(question.get_by_role("button", name="Avbryt")).to_be_focused()
        page.keyboard.press("Escape")
        expect(question).to_be_hidden()
        expect(chat.dialog).to_be_visible()  # Escape in the question does not close the chat
        expect(delete).to_be_focused()
        assert stored_rows(assistant, mine) > 0
        expect(chat.user).to_have_count(1)

        page.keyboard.press("Enter")
        expect(question).to_be_visible()
        page.keyboard.press("Shift+Tab")  # from "Avbryt" back to "Ja, slett"
        expect(question.get_by_role("button", name="Ja, slett")).to_be_focused()
        page.screenshot(path=str(artifact("widget-delete-question.png")))
        page.keyboard.press("Enter")

        expect(chat.status).to_contain_text("Samtalen er slettet")
        expect(chat.live).to_contain_text("Samtalen er slettet")
        expect(chat.user).to_have_count(0)
        expect(chat.bot).to_have_count(0)
        expect(chat.input).to_be_focused()
        # Gone on the server ...
        assert wait_until(lambda: stored_rows(assistant, mine) == 0, timeout=10)
        # ... and in the browser: no trace of the old id or text in sessionStorage.
        storage = page.evaluate("() => JSON.stringify(Object.entries(sessionStorage))")
        assert mine not in storage and "Kari" not in storage
        page.reload()
        expect(Chat(page).user).to_have_count(0)

        # The other family's conversation is untouched, and a new conversation works.
        assert stored_rows(assistant, other_id) > 0
        Chat(page).ask("Koster det noe?")  # the chat is still open after the reload
        assert session_id_of(page) != mine
    finally:
        other_context.close()


def test_delete_while_offline_says_it_failed_and_keeps_the_conversation(page, assistant, assistant_proxy):
    chat = Chat(page).open()
    chat.ask("Koster det noe?")
    mine = session_id_of(page)
    assistant_proxy.drop()
    expect(chat.status).to_be_visible()
    chat.dialog.get_by_role("button", name="Slett samtalen").click()
    chat.dialog.get_by_role("button", name="Ja, slett").click()
    expect(chat.status).to_contain_text("ble ikke slettet")
    expect(chat.user).to_have_count(1)  # nothing pretended: the conversation is still here
    assert stored_rows(assistant, mine) > 0
