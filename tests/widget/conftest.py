"""Browser-test fixtures: the demo page served by widget.serve in front of the real assistant, and Chromium."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator, List, Optional, Set

import pytest

from tests.support.browser import launched_chromium
from tests.support.servers import ROOT, RunningAssistant, free_port, wait_for

ARTIFACTS = ROOT / "test-artifacts" / "widget"


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


class DroppableProxy:
    """A TCP proxy between the browser and the Rasa server that a test can cut, like a bad network.

    `drop()` closes every open connection and refuses new ones until `restore()`;
    `delay` holds back data from the server to the browser, so a slow answer can be seen.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.blocked = False
        self.delay = 0.0
        self._writers: Set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="droppable-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "DroppableProxy":
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("proxy did not start")
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.port)
        )
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if self.blocked:
            client_w.close()
            return
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_w.close()
            return
        self._writers.update((client_w, server_w))

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, slow: bool) -> None:
            try:
                while True:
                    data = await reader.read(65536)
                    if not data:
                        break
                    if slow and self.delay:
                        await asyncio.sleep(self.delay)
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError, asyncio.CancelledError):
                pass  # the connection was cut: that is what a drop is
            finally:
                writer.close()
                self._writers.discard(writer)

        await asyncio.gather(
            pipe(client_r, server_w, False), pipe(server_r, client_w, True), return_exceptions=True
        )

    def drop(self) -> None:
        """Cut every connection now and refuse new ones."""
        done = threading.Event()

        def cut() -> None:
            self.blocked = True
            for writer in list(self._writers):
                transport = writer.transport
                transport.abort()
            self._writers.clear()
            done.set()

        self._loop.call_soon_threadsafe(cut)
        done.wait(5)

    def restore(self) -> None:
        self.blocked = False

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


@pytest.fixture(scope="session")
def assistant_proxy(assistant: RunningAssistant) -> Iterator[DroppableProxy]:
    port = int(assistant.rasa_url.rsplit(":", 1)[1])
    proxy = DroppableProxy(port).start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def demo_url(assistant_proxy: DroppableProxy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo page from `python -m widget.serve`, talking to the assistant through the proxy."""
    port = free_port()
    log = tmp_path_factory.mktemp("widget-serve") / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "widget.serve", "--port", str(port), "--assistant-url", assistant_proxy.url]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url, [proc], [log], timeout=30)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with launched_chromium() as chromium:
        yield chromium


class PageProblems:
    """What went wrong in the page: script errors, CSP refusals, requests to other hosts."""

    def __init__(self, allowed_hosts: List[str]) -> None:
        self.allowed_hosts = allowed_hosts
        self.errors: List[str] = []
        self.csp: List[str] = []
        self.foreign_requests: List[str] = []

    def on_console(self, message: "object") -> None:
        text = message.text  # type: ignore[attr-defined]
        if "Content Security Policy" in text or "Refused to" in text:
            self.csp.append(text)

    def on_request(self, request: "object") -> None:
        url = request.url  # type: ignore[attr-defined]
        if not any(url.startswith(host) or url.startswith(host.replace("http", "ws", 1)) for host in self.allowed_hosts):
            self.foreign_requests.append(url)


@pytest.fixture
def page(browser, demo_url: str, assistant_proxy: DroppableProxy, request: pytest.FixtureRequest):
    """A fresh browser tab (own sessionStorage) on the demo page, desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
    tab = context.new_page()
    problems = PageProblems([demo_url.rstrip("/"), assistant_proxy.url])
    tab.on("console", problems.on_console)
    tab.on("pageerror", lambda exc: problems.errors.append(str(exc)))
    tab.on("request", problems.on_request)
    tab.problems = problems  # type: ignore[attr-defined]
    tab.goto(demo_url)
    yield tab
    assistant_proxy.restore()
    assistant_proxy.delay = 0.0
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"))
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: "object"):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def wait_until(check, timeout: float = 15.0, interval: float = 0.2) -> Optional[object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    return None
