"""The data- settings a kommune uses: colour (with a contrast guard), language, kommune name."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.widget.chat import Chat


def embed(page, demo_url: str, assistant_url: str, **data: str) -> None:
    """A bare kommune page with only the script tag, served from the widget server's origin."""
    attrs = " ".join(f'data-{k.replace("_", "-")}="{v}"' for k, v in data.items())
    page.goto(demo_url + "kommune-side")  # any same-origin URL (a 404); its content is replaced
    page.set_content(
        f'<!doctype html><html lang="nb"><head><title>Kommune</title></head><body><main><h1>Kommune</h1></main>'
        f'<script src="{demo_url}barnekoordinator-widget.js" data-assistant-url="{assistant_url}" {attrs}></script>'
        "</body></html>"
    )


def launcher_colour(chat: Chat) -> str:
    return chat.launcher.evaluate("el => getComputedStyle(el).backgroundColor")


def test_kommune_colour_is_used_when_it_has_enough_contrast(page, demo_url, assistant_proxy):
    embed(page, demo_url, assistant_proxy.url, color="#6b2c91", kommune="Bodø kommune")
    chat = Chat(page)
    assert launcher_colour(chat) == "rgb(107, 44, 145)"
    chat.open()
    expect(chat.dialog).to_contain_text("Automatisk assistent for Bodø kommune")
    chat.ask("Koster det noe?")


def test_a_colour_with_too_little_contrast_falls_back_to_the_default(page, demo_url, assistant_proxy):
    embed(page, demo_url, assistant_proxy.url, color="#ffdd00")
    assert launcher_colour(Chat(page)) == "rgb(0, 90, 156)"


def test_nynorsk_interface(page, demo_url, assistant_proxy):
    embed(page, demo_url, assistant_proxy.url, lang="nn")
    chat = Chat(page).open()
    expect(chat.greeting).to_contain_text("Eg er ein automatisk assistent")
    expect(chat.counter).to_have_text("0 av 500 teikn")
    assert page.locator("#barnekoordinator-widget aside").get_attribute("lang") == "nn"
