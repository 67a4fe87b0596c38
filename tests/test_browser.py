"""The built deck in a real browser (Playwright driving Debian's Chromium, headless).

Walks every slide with the arrow keys: each shows a title and a body, its images are
loaded, and a slide with code or a figure links its notebook; the presenter view opens with
the notes; and the page makes no network request.
"""

import shutil

import pytest

from conftest import ROOT
from jitgap._deck import build_deck

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed "
                                "(make test installs it: apt-get install -y chromium)")


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    deck = build_deck(ROOT / "slides" / "speed_of_pypy.rst",
                      tmp_path_factory.mktemp("deck") / "speed_of_pypy.html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        yield page, deck.as_uri(), requests
        browser.close()


def _current(page):
    return page.evaluate("""() => {
        const el = document.querySelector('.slide.current');
        if (!el) return null;
        const title = el.querySelector('header h1, header h2, h1, h2');
        const body = el.querySelector('section');
        const imgs = Array.from(el.querySelectorAll('img'));
        return {
            cls: el.className,
            title: title ? title.innerText.trim() : '',
            body: body ? body.innerText.trim() : '',
            images: imgs.length,
            measured: !!el.querySelector('img.gap, div.highlight, pre'),
            notebook: !!el.querySelector('a[href*="notebooks/"]'),
            loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
        };
    }""")


def test_walk_every_slide_with_the_arrow_keys(browser_page):
    page, url, requests = browser_page
    page.goto(url)
    total = page.evaluate("document.querySelectorAll('.slide').length")
    assert total >= 10
    seen = []
    for number in range(1, total + 1):
        state = _current(page)
        assert state and "slide-%d" % number in state["cls"].split(), (number, state)
        assert state["title"], "slide %d has no title" % number
        assert state["body"] or state["images"], "slide %d is empty" % number
        assert state["loaded"] == state["images"], "slide %d: an image did not load" % number
        if state["measured"]:
            assert state["notebook"], "slide %d shows code or a figure but links no notebook" \
                % number
        seen.append(state["title"])
        page.keyboard.press("ArrowRight")
    assert len(set(seen)) > total // 2


def test_no_slide_content_runs_past_the_slide(browser_page):
    """Every slide fits the 1280x800 window: nothing below or right of the slide's box."""
    page, url, _ = browser_page
    page.goto(url)
    page.wait_for_timeout(500)
    overflow = page.evaluate("""() => Array.from(document.querySelectorAll('.slide')).map(
        (el, i) => {
            const box = el.getBoundingClientRect();
            let bottom = -Infinity, right = -Infinity;
            el.querySelectorAll('header *, section *').forEach(c => {
                if (c.closest('.presenter_notes, aside')) return;
                const r = c.getBoundingClientRect();
                if (r.height > 0) { bottom = Math.max(bottom, r.bottom);
                                    right = Math.max(right, r.right); }
            });
            const t = el.querySelector('h1, h2');
            return {slide: i + 1, title: t ? t.innerText : '',
                    below: Math.round(bottom - box.bottom), right: Math.round(right - box.right)};
        }).filter(s => s.below > 0 || s.right > 0)""")
    assert not overflow, overflow


def test_presenter_view_shows_the_notes(browser_page):
    page, url, _ = browser_page
    page.goto(url + "#presenter2")
    page.reload()
    assert page.evaluate("document.body.classList.contains('presenter_view')")
    notes = page.evaluate(
        "document.getElementById('current_presenter_notes').innerText.trim()")
    assert len(notes) > 40, notes


def test_the_page_makes_no_network_request(browser_page):
    page, url, requests = browser_page
    page.goto(url)
    page.keyboard.press("ArrowRight")
    outside = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
    assert not outside, outside
