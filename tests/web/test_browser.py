"""The story browser in a real headless Chromium (Debian's /usr/bin/chromium via Playwright).

Opens the story list, a story, follows a citation, opens a quote's variants; asserts no console
error, no request leaving 127.0.0.1, and that the hostile article's script never ran.  Also
checks the static report pages the same way.  Screenshots are saved in the test's tmp dir.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail("CI needs Debian's chromium for the browser tests", pytrace=False)
    pytest.skip(
        "needs Debian's chromium package (make test installs it: apt-get install chromium)",
        allow_module_level=True,
    )
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(web_db: Path) -> Iterator[str]:
    import uvicorn

    from presslens.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(web_db), host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[tuple[Page, list[str], list[str]]]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        errors: list[str] = []
        outside: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append("dialog opened: " + d.message), d.dismiss()))

        def guard(route: Route) -> None:
            url = route.request.url
            host = urlsplit(url).hostname
            if url.startswith(("file:", "data:", "about:")) or host in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        page.route("**/*", guard)
        yield page, errors, outside
        browser.close()


def test_server_pages_in_chromium(
    server: str, browser_page: tuple[Page, list[str], list[str]], tmp_path: Path
) -> None:
    page, errors, outside = browser_page
    p = page
    p.goto(server + "/")
    p.screenshot(path=str(tmp_path / "list.png"), full_page=True)
    assert "Dockers strike" in p.inner_text("#story-list")
    # JavaScript enhancement: typing filters the list without a reload
    p.fill('input[name="q"]', "dockers")
    assert p.locator("#story-list li:visible").count() == 1
    p.fill('input[name="q"]', "")
    p.click("text=Flood")
    p.wait_for_url("**/stories/s-flood")
    p.screenshot(path=str(tmp_path / "story.png"), full_page=True)
    # a citation shows its outlet on focus, and leads to the article
    cite = p.locator("ol.brief a.cite").first
    cite.focus()
    assert cite.locator(".tip").is_visible()
    tip = cite.locator(".tip").inner_text()
    assert "Meridian Wire" in tip and "Floodwater reached the old bridge on Thursday." in tip
    cite.click()
    p.wait_for_url("**/articles/wire-1")
    assert "We will rebuild" in p.inner_text("article.text")
    p.go_back()
    # the quote variants open and show each outlet's rendering
    variant = p.locator("details.variant").first
    variant.locator("summary").click()
    variant.locator("summary").click()
    assert variant.locator("table").is_visible()
    assert variant.locator("tr").count() == 3
    p.goto(server + "/articles/hostile-1")
    p.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert "<script>alert(1)</script>" in p.inner_text("h1")
    assert p.locator("img").count() == 0
    p.set_viewport_size({"width": 375, "height": 800})
    p.goto(server + "/stories/s-flood")
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"story page overflows a phone-width screen ({width}px)"
    p.keyboard.press("Tab")
    focused = p.evaluate("document.activeElement.tagName")
    assert focused == "A"
    assert errors == []
    assert outside == []
    assert sorted(x.name for x in tmp_path.glob("*.png")) == [
        "hostile.png",
        "list.png",
        "story.png",
    ]


def test_static_pages_in_chromium(
    web_db: Path, browser_page: tuple[Page, list[str], list[str]], tmp_path: Path
) -> None:
    from presslens.api import export

    page, errors, outside = browser_page
    index = export(web_db, "html", tmp_path / "site")
    p = page
    p.goto(index.as_uri())
    p.click("text=Flood")
    assert "Brief" in p.inner_text("main")
    p.locator("ol.brief a.cite").first.click()
    assert "Floodwater" in p.inner_text("article.text")
    p.goto((tmp_path / "site" / "articles" / "3.html").as_uri())
    p.screenshot(path=str(tmp_path / "static-hostile.png"), full_page=True)
    assert p.locator("img").count() == 0
    assert errors == []
    assert outside == []
