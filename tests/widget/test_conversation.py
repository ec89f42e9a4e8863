"""The widget on the demo page, in real Chromium, against the real running assistant."""
from __future__ import annotations

import json
import sqlite3

from playwright.sync_api import expect

from tests.widget.chat import Chat
from tests.widget.conftest import artifact, wait_until


def test_greeting_says_it_is_automatic_and_warns_about_personal_details(page):
    chat = Chat(page).open()
    greeting = chat.greeting.inner_text()
    assert "automatisk assistent" in greeting
    assert "fødselsnummer" in greeting and "diagnoser" in greeting
    expect(chat.input).to_be_focused()


def test_asking_what_it_costs_gets_the_answer_that_it_is_free(page):
    chat = Chat(page).open()
    answer = chat.ask("Koster det noe?")
    expect(chat.user.last).to_contain_text("Koster det noe?")
    expect(chat.dialog.locator("li.msg.bot")).to_contain_text(["gratis"])
    # User and assistant bubbles look different: opposite sides and different colours.
    user_box, bot_box = chat.user.last.bounding_box(), answer.bounding_box()
    assert user_box["x"] + user_box["width"] > bot_box["x"] + bot_box["width"]
    colors = [
        loc.evaluate("el => getComputedStyle(el).backgroundColor") for loc in (chat.user.last, answer)
    ]
    assert colors[0] != colors[1]
    page.screenshot(path=str(artifact("widget-desktop.png")))


def test_eligibility_check_by_clicking_quick_replies_ends_with_contact_links(page):
    chat = Chat(page).open()
    chat.choose("Sjekk om dere kan ha rett")
    expect(chat.choices.get_by_role("button", name="Vi venter barn")).to_be_visible()
    chat.choose("Vi venter barn")
    expect(chat.user.last).to_contain_text("Vi venter barn")
    assert chat.choice_titles() == ["Ja", "Nei", "Vet ikke"]
    chat.choose("Ja")
    assert chat.choice_titles() == ["Ja", "Nei", "Vet ikke"]
    chat.choose("Ja")
    expect(chat.dialog.locator("li.msg.bot").last).to_be_visible()
    outcome = " ".join(chat.bot.all_inner_texts())
    assert "kan ha rett til barnekoordinator" in outcome

    # The phone number and e-mail in the answer are links a phone can use directly.
    phone = chat.dialog.get_by_role("link", name="90 99 17 84")
    expect(phone.first).to_have_attribute("href", "tel:+4790991784")
    mail = chat.dialog.locator("a[href^='mailto:']").first
    expect(mail).to_have_attribute("href", "mailto:" + mail.inner_text())
    assert "@" in mail.inner_text()
    page.screenshot(path=str(artifact("widget-eligibility.png")))


def _without_space(texts):
    # Without white space: a bubble not laid out yet has no line breaks in its innerText, and
    # "skrev:\n\nHei" reads "skrev:Hei".
    return ["".join(t.split()) for t in texts]


def test_conversation_survives_a_reload_in_the_same_tab_but_not_a_new_tab(page, demo_url):
    chat = Chat(page).open()
    chat.ask("Koster det noe?")
    chat.input.fill("Et utkast jeg ikke har sendt")
    bubbles = _without_space(chat.dialog.locator("li.msg").all_inner_texts())

    page.reload()
    chat = Chat(page)
    expect(chat.dialog).to_be_visible()  # it was open, so it opens again
    assert _without_space(chat.dialog.locator("li.msg").all_inner_texts()) == bubbles
    expect(chat.input).to_have_value("Et utkast jeg ikke har sendt")
    # The same conversation continues on the server: the next answer arrives as usual.
    chat.input.fill("")
    chat.ask("Hva gjør en barnekoordinator?")

    other_tab = page.context.new_page()
    other_tab.goto(demo_url)
    other = Chat(other_tab).open()
    expect(other.user).to_have_count(0)
    other_tab.close()


def test_start_again_clears_the_conversation(page):
    chat = Chat(page).open()
    chat.ask("Koster det noe?")
    chat.dialog.get_by_role("button", name="Start på nytt").click()
    expect(chat.user).to_have_count(0)
    expect(chat.bot).to_have_count(0)
    expect(chat.greeting).to_be_visible()
    expect(chat.input).to_be_focused()
    page.reload()
    expect(Chat(page).user).to_have_count(0)
    # A new conversation that works.
    Chat(page).ask("Koster det noe?")


def test_thumbs_up_and_down_are_stored_with_the_conversation(page, assistant):
    chat = Chat(page).open()
    chat.ask("Koster det noe?")
    up = chat.dialog.get_by_role("button", name="Nyttig svar", exact=True).last
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(chat.live).to_contain_text("Takk for tilbakemeldingen")
    session_id = page.evaluate(
        "() => JSON.parse(Object.entries(sessionStorage).find(([k]) => k.startsWith('barnekoordinator-widget'))[1]).sessionId"
    )

    def stored():
        with sqlite3.connect(assistant.tracker_db) as db:
            rows = db.execute(
                "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (session_id,)
            ).fetchall()
        feedback = [json.loads(d) for t, d in rows if t == "slot" and json.loads(d).get("name") == "feedback"]
        return (rows, feedback) if feedback else None

    found = wait_until(stored, timeout=10)
    assert found, "the rating never reached the tracker store"
    rows, feedback = found
    value = feedback[-1]["value"]
    assert value["value"] == "up"
    assert "gratis" in value["message"]  # the rating says which answer it is about
    # The rating is not a turn: after it there is no user message and no bot reply.
    last = max(i for i, (t, d) in enumerate(rows) if t == "slot" and '"feedback"' in d)
    assert not [t for t, _ in rows[last + 1:] if t in ("user", "bot")]

    # Changing one's mind: thumbs down replaces the pressed state and is stored as well.
    down = chat.dialog.get_by_role("button", name="Ikke nyttig svar", exact=True).last
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_attribute("aria-pressed", "false")
    changed = wait_until(lambda: (f := stored()) and len(f[1]) == 2 and f, timeout=10)
    assert changed, "the changed rating never reached the tracker store"
    assert [f["value"]["value"] for f in changed[1]] == ["up", "down"]

    # And the conversation carries on normally.
    chat.ask("Hva gjør en barnekoordinator?")
