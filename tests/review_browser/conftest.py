"""Browser-test fixtures for the review app: real conversations through the running assistant,
the review app on that tracker store, two staff accounts, and Chromium."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

from tests.support.browser import launched_chromium
from tests.support.review import Filled, RunningReview, fill_tracker, running_review
from tests.support.servers import ROOT, RunningAssistant

ARTIFACTS = ROOT / "test-artifacts" / "review"
ADMIN, REVIEWER, LOCKED = "admin-anne", "rita", "lasse"


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def review(assistant: RunningAssistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[RunningReview, Filled]]:
    filled = fill_tracker(assistant, extra_rest=26)  # more than one page of 25
    with running_review(f"sqlite:///{assistant.tracker_db}", tmp_path_factory.mktemp("review")) as app:
        for name, role in ((ADMIN, "admin"), (REVIEWER, "reviewer"), (LOCKED, "reviewer")):
            app.add_user(name, role)
        yield app, filled


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with launched_chromium() as chromium:
        yield chromium


class Problems:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.csp: List[str] = []
        self.foreign: List[str] = []

    def on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.csp.append(message.text)

    def on_request(self, request) -> None:
        if not request.url.startswith(self.origin):
            self.foreign.append(request.url)


def _tab(browser, app: RunningReview, request, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nb-NO")
    tab = context.new_page()
    tab.problems = Problems(app.url)  # type: ignore[attr-defined]
    tab.on("console", tab.problems.on_console)
    tab.on("request", tab.problems.on_request)
    return context, tab


@pytest.fixture
def anon(browser, review, request):
    """A tab without a session."""
    app, _ = review
    context, tab = _tab(browser, app, request)
    yield tab
    _finish(tab, request)
    context.close()


def login(tab, app: RunningReview, username: str, password: str):
    from tests.support.review import PASSWORD
    if not tab.url.startswith(app.url + "/login"):
        tab.goto(app.url + "/login")
    tab.get_by_label("Brukernavn").fill(username)
    tab.get_by_label("Passord").fill(password or PASSWORD)
    tab.get_by_role("button", name="Logg inn").click()
    return tab


@pytest.fixture
def admin(browser, review, request):
    app, _ = review
    context, tab = _tab(browser, app, request)
    login(tab, app, ADMIN, "")
    yield tab
    _finish(tab, request)
    context.close()


@pytest.fixture
def reviewer(browser, review, request):
    app, _ = review
    context, tab = _tab(browser, app, request)
    login(tab, app, REVIEWER, "")
    yield tab
    _finish(tab, request)
    context.close()


def _finish(tab, request) -> None:
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
