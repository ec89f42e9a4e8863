"""Universal design: keyboard only, focus, live region, labels, axe-core, 320 px and 200 % zoom."""
from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.widget.chat import Chat
from tests.widget.conftest import artifact

# WCAG 2.0/2.1 A and AA plus axe's best practices, i.e. everything axe runs by default.
AXE_OPTIONS = {"resultTypes": ["violations"]}


def axe_violations(page) -> list:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
    ]


def tab_until(page, chat: Chat, wanted: str, limit: int = 60, key: str = "Tab") -> None:
    for _ in range(limit):
        if chat.active_element_description().split("|")[-1] == wanted:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{wanted!r} never got focus; last: {chat.active_element_description()}")


def test_whole_conversation_with_the_keyboard_only(page):
    chat = Chat(page)
    # Open: Tab through the page to the launcher, press Enter; focus lands in the text field.
    tab_until(page, chat, "Spør om barnekoordinator")
    page.keyboard.press("Enter")
    expect(chat.dialog).to_be_visible()
    expect(chat.input).to_be_focused()

    # Type and send with Enter.
    page.keyboard.type("Koster det noe?")
    page.keyboard.press("Enter")
    expect(chat.dialog.locator("li.msg.bot")).to_contain_text(["gratis"], timeout=30_000)
    expect(chat.input).to_be_focused()
    expect(chat.input).to_have_value("")

    # Choose a quick reply: start the check with typing, then reach the answer buttons with
    # Shift+Tab from the text field and press Space.
    page.keyboard.type("Sjekk om dere kan ha rett")
    page.keyboard.press("Enter")
    expect(chat.choices.get_by_role("button", name="Vi venter barn")).to_be_visible(timeout=30_000)
    expect(chat.typing).to_be_hidden(timeout=30_000)
    tab_until(page, chat, "Vi venter barn", key="Shift+Tab")
    before = chat.bot.count()
    page.keyboard.press("Space")
    chat.wait_for_answer(before)
    expect(chat.user.last).to_contain_text("Vi venter barn")
    expect(chat.input).to_be_focused()

    # Rate the answer with the keyboard.
    tab_until(page, chat, "Nyttig svar", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(chat.dialog.get_by_role("button", name="Nyttig svar", exact=True).last).to_have_attribute("aria-pressed", "true")

    # Close with Escape; focus goes back to the launcher.
    page.keyboard.press("Escape")
    expect(chat.dialog).to_be_hidden()
    expect(chat.launcher).to_be_focused()
    expect(chat.launcher).to_have_attribute("aria-expanded", "false")


def test_new_answers_are_announced_in_a_live_region(page):
    chat = Chat(page).open()
    live = chat.live
    expect(live).to_have_attribute("aria-live", "polite")
    chat.ask("Koster det noe?")
    expect(live).to_contain_text("gratis")


def test_every_control_has_a_name_and_messages_say_who_wrote_them(page):
    chat = Chat(page).open()
    chat.ask("Koster det noe?")
    for control in chat.dialog.locator("button, textarea").all():
        name = control.evaluate(
            "el => el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].textContent) || el.textContent"
        )
        assert name and name.strip(), control.evaluate("el => el.outerHTML")
    expect(chat.user.last.locator(".sr-only")).to_have_text("Du skrev:")
    expect(chat.bot.last.locator(".sr-only").first).to_have_text("Assistenten skrev:")


def test_axe_finds_no_violations_with_the_widget_open_desktop_and_320px(page):
    chat = Chat(page).open()
    chat.ask("Sjekk om dere kan ha rett")  # quick replies, thumbs and links on screen
    chat.dialog.get_by_role("button", name="Nyttig svar", exact=True).last.click()
    chat.input.fill("Et utkast")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert axe_violations(page) == []
    # The launcher state (widget closed) is checked too.
    chat.dialog.get_by_role("button", name="Lukk chatten").click()
    assert axe_violations(page) == []


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def inside_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


def test_works_at_320px_width(page):
    page.set_viewport_size({"width": 320, "height": 640})
    chat = Chat(page)
    assert inside_viewport(page, chat.launcher)
    chat.open()
    answer = chat.ask("Koster det noe?")
    for part in (chat.dialog, chat.input, chat.send_button, answer):
        assert inside_viewport(page, part), part
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(artifact("widget-320.png")))


def test_full_screen_chat_on_a_phone_keeps_keyboard_focus_inside(page):
    page.set_viewport_size({"width": 320, "height": 640})
    chat = Chat(page).open()
    chat.ask("Koster det noe?")
    expect(chat.dialog).to_have_attribute("aria-modal", "true")
    chat.input.focus()
    seen = set()
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        page.keyboard.press(key)
        assert page.evaluate("() => document.activeElement.id") == "barnekoordinator-widget", key
        seen.add(chat.active_element_description())
    assert any("Lukk chatten" in s for s in seen) and any("bk-input" in s for s in seen)
    # On a wide screen the page stays usable beside the chat.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(chat.dialog).to_have_attribute("aria-modal", "false")


def test_works_at_200_percent_zoom(browser, demo_url):
    # 200 % zoom on a 1280 x 720 screen leaves 640 x 360 CSS pixels at twice the density.
    context = browser.new_context(viewport={"width": 640, "height": 360}, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(demo_url)
        chat = Chat(page).open()
        answer = chat.ask("Koster det noe?")
        for part in (chat.dialog, chat.input, chat.send_button, chat.dialog.get_by_role("button", name="Lukk chatten")):
            assert inside_viewport(page, part), part
        answer.scroll_into_view_if_needed()
        expect(answer).to_be_in_viewport()
        assert no_horizontal_scroll(page)
        page.screenshot(path=str(artifact("widget-zoom-200.png")))
    finally:
        context.close()


def test_character_limit_with_visible_counter(page):
    chat = Chat(page).open()
    expect(chat.counter).to_have_text("0 av 500 tegn")
    chat.input.fill("Hei")
    expect(chat.counter).to_have_text("3 av 500 tegn")
    chat.input.fill("")
    chat.input.press_sequentially("a" * 20)
    chat.input.fill("a" * 499)
    chat.input.press_sequentially("bcd")  # only one more character fits
    expect(chat.input).to_have_value("a" * 499 + "b")
    expect(chat.counter).to_have_text("500 av 500 tegn")
    expect(chat.live).to_contain_text("Du har brukt alle tegnene.")
