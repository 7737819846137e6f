"""A real browser on the built site: headless Debian Chromium driven by Playwright.

It loads the site from a server on 127.0.0.1, searches, opens an incident page
and the stats page, saves screenshots under test-output/screenshots/, and
asserts that no request left localhost and no script from page content ran.
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import REPO
from site_fixture import build, make_site_playbook

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "test-output" / "screenshots"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = make_site_playbook(tmp_path_factory.mktemp("browser-playbook"))
    result = build(root)
    assert result.returncode == 0, result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_search_incident_and_stats_in_chromium(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does it)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, empty user-data-dir of its own.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        page.goto(f"{served}/", wait_until="networkidle")
        assert "Layer 1: stop the bleeding" in page.content()
        page.screenshot(path=str(SHOTS / "home.png"), full_page=True)

        search = page.locator("input.md-search__input")
        search.click()
        page.keyboard.type("migration")  # typed, as a person does: the search reacts to key events
        page.locator(".md-search-result__item").first.wait_for(timeout=15000)
        results = page.locator(".md-search-result").inner_text()
        assert "matching documents" in results and "Checkout down after a migration" in results
        page.screenshot(path=str(SHOTS / "search.png"))
        search.fill("")
        page.keyboard.type("onerror")  # the hostile title, through the search results
        page.wait_for_timeout(1500)

        page.goto(f"{served}/incidents/INC-0001-checkout-down/", wait_until="networkidle")
        card = page.locator(".ik-card").inner_text()
        assert "INC-0001: Checkout down" in card and "time to mitigate 20m" in card
        page.screenshot(path=str(SHOTS / "incident.png"), full_page=True)

        page.goto(f"{served}/incidents/INC-0004-hostile/", wait_until="networkidle")
        assert "<img src=x onerror=alert(1)>" in page.locator(".ik-card h1").inner_text()
        page.screenshot(path=str(SHOTS / "hostile.png"), full_page=True)

        page.goto(f"{served}/stats/", wait_until="networkidle")
        assert page.locator(".ik-chart svg").count() == 2
        page.screenshot(path=str(SHOTS / "stats.png"), full_page=True)
        browser.close()

    assert dialogs == [], "a script from page content ran"
    outside = [url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")
               and urlparse(url).hostname not in ("127.0.0.1", "localhost")]
    assert outside == [], outside
    assert len(requests) > 10
    for name in ("home", "search", "incident", "hostile", "stats"):
        assert (SHOTS / f"{name}.png").stat().st_size > 5000
