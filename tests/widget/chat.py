"""What a family sees and does in the widget, as Playwright locators (they pierce the shadow root)."""
from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

LAUNCHER = "Spør om barnekoordinator"
ANSWER_TIMEOUT_MS = 30_000


class Chat:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.get_by_role("button", name=LAUNCHER)
        self.dialog = page.get_by_role("dialog", name=LAUNCHER)
        self.input = self.dialog.get_by_role("textbox", name="Skriv spørsmålet ditt")
        self.send_button = self.dialog.get_by_role("button", name="Send", exact=True)
        self.bot = self.dialog.locator("li.msg.bot:not(.info)")
        self.user = self.dialog.locator("li.msg.user")
        self.greeting = self.dialog.locator("li.msg.info")
        self.choices = self.dialog.get_by_role("group", name="Svaralternativer")
        self.typing = self.dialog.get_by_text("Assistenten skriver …")
        self.status = self.dialog.locator("p.status")
        self.counter = self.dialog.locator("#bk-counter")
        self.live = page.locator("#barnekoordinator-widget [aria-live]")

    def open(self) -> "Chat":
        self.launcher.click()
        expect(self.dialog).to_be_visible()
        return self

    def ask(self, text: str) -> Locator:
        """Type a question, send it, and return the first new answer bubble."""
        before = self.bot.count()
        self.input.fill(text)
        self.send_button.click()
        return self.wait_for_answer(before)

    def choose(self, title: str) -> Locator:
        before = self.bot.count()
        self.choices.get_by_role("button", name=title, exact=True).click()
        return self.wait_for_answer(before)

    def wait_for_answer(self, before: int) -> Locator:
        expect(self.bot).not_to_have_count(before, timeout=ANSWER_TIMEOUT_MS)
        answer = self.bot.nth(before)
        expect(answer).to_be_visible()
        # The reply is complete when the typing indicator is gone (the server acknowledged).
        expect(self.typing).to_be_hidden(timeout=ANSWER_TIMEOUT_MS)
        return answer

    def choice_titles(self) -> list:
        return [b.inner_text().strip() for b in self.choices.get_by_role("button").all()]

    def active_element_description(self) -> str:
        """The focused element, looking inside the widget's shadow root."""
        return self.page.evaluate(
            """() => {
                let el = document.activeElement;
                while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
                if (!el) return "";
                const name = el.getAttribute("aria-label") || el.textContent || "";
                return `${el.tagName.toLowerCase()}|${el.id}|${name.trim()}`;
            }"""
        )
