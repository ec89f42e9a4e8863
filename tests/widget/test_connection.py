"""Typing indicator and a dropped connection: the family sees what happens and loses nothing."""
from __future__ import annotations

import json
import sqlite3

from playwright.sync_api import expect

from tests.widget.chat import ANSWER_TIMEOUT_MS, Chat


def test_typing_indicator_shows_while_the_assistant_answers(page, assistant_proxy):
    chat = Chat(page).open()
    chat.ask("Hei")  # connected first: on a loaded machine the delayed handshake alone takes seconds
    assistant_proxy.delay = 1.5  # a slow network makes the wait visible
    chat.input.fill("Koster det noe?")
    chat.send_button.click()
    expect(chat.typing).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(chat.dialog.locator("li.msg.bot")).to_contain_text(["gratis"], timeout=ANSWER_TIMEOUT_MS)
    expect(chat.typing).to_be_hidden(timeout=ANSWER_TIMEOUT_MS)


def test_dropped_connection_is_shown_and_recovers_without_losing_anything(page, assistant_proxy):
    chat = Chat(page).open()
    chat.ask("Koster det noe?")

    assistant_proxy.drop()
    expect(chat.status).to_contain_text("Forbindelsen er brutt", timeout=15_000)
    expect(chat.live).to_contain_text("Forbindelsen er brutt")

    # The family keeps writing: one message sent while offline, one still being typed.
    chat.input.fill("Hva gjør en barnekoordinator?")
    chat.send_button.click()
    expect(chat.user.last).to_contain_text("Hva gjør en barnekoordinator?")
    expect(chat.user.last).to_contain_text("Ikke sendt ennå")
    chat.input.fill("Dette skriver jeg mens nettet er borte")
    answers_before = chat.bot.count()
    page.wait_for_timeout(1500)
    assert chat.bot.count() == answers_before

    assistant_proxy.restore()
    expect(chat.status).to_contain_text("Forbindelsen er tilbake", timeout=20_000)
    chat.wait_for_answer(answers_before)
    expect(chat.user.last).not_to_contain_text("Ikke sendt ennå")
    expect(chat.input).to_have_value("Dette skriver jeg mens nettet er borte")
    # Every message was sent once: one answer group per question, nothing doubled.
    assert chat.user.count() == 2
    texts = chat.user.all_inner_texts()
    assert len(set(texts)) == 2
    # And it keeps working.
    chat.input.fill("")
    chat.ask("Koster det noe?")


def test_an_answer_lost_in_a_drop_arrives_after_reconnect_and_the_question_counts_once(
    page, assistant_proxy, assistant
):
    chat = Chat(page).open()
    chat.ask("Koster det noe?")
    answers_before = chat.bot.count()

    # The answer is on its way back when the network goes: it never reaches the browser.
    assistant_proxy.delay = 4.0
    chat.input.fill("Hva gjør en barnekoordinator?")
    chat.send_button.click()
    expect(chat.typing).to_be_visible()
    page.wait_for_timeout(2500)
    assistant_proxy.drop()
    expect(chat.status).to_contain_text("Forbindelsen er brutt", timeout=15_000)
    assert chat.bot.count() == answers_before

    assistant_proxy.delay = 0.0
    assistant_proxy.restore()
    chat.wait_for_answer(answers_before)
    page.wait_for_timeout(1000)  # room for a doubled answer to show up, if there were one
    texts = chat.bot.all_inner_texts()
    assert len(texts) == len(set(texts)), texts

    session_id = page.evaluate(
        "() => JSON.parse(Object.entries(sessionStorage).find(([k]) => k.startsWith('barnekoordinator-widget'))[1]).sessionId"
    )
    with sqlite3.connect(assistant.tracker_db) as db:
        asked = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (session_id,)
        ).fetchall()
    questions = [json.loads(d)["text"] for (d,) in asked]
    assert questions == ["Koster det noe?", "Hva gjør en barnekoordinator?"]
