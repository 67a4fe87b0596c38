"""The built deck in a real browser (Playwright driving Debian's Chromium, headless).

Walks every slide with the arrow keys: each shows a title and a body, its images are
loaded, and a slide with code or a figure links its notebook; the presenter view opens with
the notes; and the page makes no network request.  At 1280x720 (a projector), every main
slide meets the legibility floor, measured in rendered pixels; the talk has at most
MAX_MAIN_SLIDES main slides, unique titles, and says "Today" wherever a claim fails.
"""

import re
import shutil

import pytest

from conftest import ROOT

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed "
                                 "(make test installs it: apt-get install -y chromium)")]


@pytest.fixture(scope="module")
def browser_page(talk_deck):
    from playwright.sync_api import sync_playwright

    deck = talk_deck
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
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
    """Every slide fits its box: nothing below or right of the slide's box."""
    page, url, _ = browser_page
    page.goto(url)
    page.wait_for_timeout(500)
    overflow = page.evaluate("""() => Array.from(document.querySelectorAll('.slide')).map(
        (el, i) => {
            const box = el.getBoundingClientRect();
            let bottom = -Infinity, right = -Infinity;
            el.querySelectorAll('header *, section *').forEach(c => {
                if (c.closest('.presenter_notes, footer, .page_number')) return;
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


#: the talk is given in 40 minutes: title to "Questions?"
MAX_MAIN_SLIDES = 42
#: rendered pixels (CSS font size times the slide's scale) at 1280x720
FLOOR = {"body": 24, "code": 18, "any": 14, "chart": 14}
#: small text a slide may carry (captions, sources, links): only the "any" floor applies
SMALL = ".caption, .detail, .nblink, .kicker, .source, .page_number, figcaption"

_TEXT_SIZES = """(args) => {
    const [first, last, small] = args;
    const out = [];
    const slides = Array.from(document.querySelectorAll('.slide'));
    slides.slice(first - 1, last).forEach((slide, k) => {
        const number = first + k;
        const scale = slide.getBoundingClientRect().width / slide.offsetWidth;
        const seen = new Set();
        const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!node.textContent.trim() || seen.has(el)) continue;
            seen.add(el);
            if (el.closest('.presenter_notes') || !el.getClientRects().length) continue;
            const px = parseFloat(getComputedStyle(el).fontSize) * scale;
            let kind = 'any';
            if (el.closest('pre, code, tt')) kind = 'code';
            else if (el.closest('p, li') && !el.closest(small)) kind = 'body';
            out.push({slide: number, kind: kind, px: px,
                      text: node.textContent.trim().slice(0, 50)});
        }
        slide.querySelectorAll('img').forEach(img => {
            const declared = parseFloat(img.dataset.fontPx);
            const shown = img.getBoundingClientRect().width / (img.naturalWidth || 1);
            out.push({slide: number, kind: 'chart', text: img.alt.slice(0, 50),
                      px: isNaN(declared) ? -1 : declared * shown});
        });
    });
    return out;
}"""


def _titles(page):
    return page.evaluate("""() => Array.from(document.querySelectorAll('.slide')).map(
        el => { const t = el.querySelector('header h1, header h2, h1, h2');
                return t ? t.innerText.trim() : ''; })""")


def _main_slides(titles):
    """Slides 1..N of the talk: everything before the one titled "Backup"."""
    assert "Backup" in titles, "the deck has no slide titled Backup"
    return titles.index("Backup")


def test_the_talk_fits_forty_minutes(browser_page):
    """At most MAX_MAIN_SLIDES main slides, from the title to "Questions?" then "Backup";
    every title is unique."""
    page, url, _ = browser_page
    page.goto(url)
    titles = _titles(page)
    main = _main_slides(titles)
    assert main <= MAX_MAIN_SLIDES, "%d main slides (at most %d)" % (main, MAX_MAIN_SLIDES)
    assert titles[main - 1] == "Questions?", titles[main - 1]
    repeated = sorted({t for t in titles if titles.count(t) > 1})
    assert not repeated, "titles used twice: %s" % repeated


def test_every_main_slide_is_legible_from_the_back_row(browser_page):
    """Body text >= 24 px, code >= 18 px, any text >= 14 px, chart text >= 14 px (its
    data-font-px scaled to the size the image is shown at), in rendered pixels at 1280x720."""
    page, url, _ = browser_page
    page.goto(url)
    page.wait_for_timeout(300)
    main = _main_slides(_titles(page))
    sizes = page.evaluate(_TEXT_SIZES, [1, main, SMALL])
    assert any(s["kind"] == "chart" for s in sizes) and any(s["kind"] == "code" for s in sizes)
    missing = [s for s in sizes if s["kind"] == "chart" and s["px"] < 0]
    assert not missing, "charts without data-font-px: %s" % missing
    small = [s for s in sizes if s["px"] < FLOOR[s["kind"]] - 0.05]
    assert not small, "\n".join("slide %(slide)d: %(kind)s text %(px).1f px: %(text)r" % s
                                for s in small)


def test_a_claim_that_does_not_hold_says_what_happens_today(browser_page):
    """Every main slide showing a "does not hold" also says "Today" with the number."""
    page, url, _ = browser_page
    page.goto(url)
    main = _main_slides(_titles(page))
    slides = page.evaluate("""(main) => Array.from(document.querySelectorAll('.slide'))
        .slice(0, main).map((el, i) => ({slide: i + 1,
            fails: el.querySelectorAll('.badge.fails, li.fails').length,
            text: el.querySelector('.inner') ? el.querySelector('.inner').innerText
                                             : el.innerText}))""", main)
    failing = [s for s in slides if s["fails"] or "does not hold" in s["text"].lower()]
    assert failing, "no main slide shows a claim that does not hold"
    for s in failing:
        assert "today" in s["text"].lower(), "slide %d: a claim does not hold, no 'Today'" \
            % s["slide"]
        assert re.search(r"today:?\s.*\d", s["text"], re.I | re.S), s["slide"]
