"""The deck's own landslide theme (slides/theme) in Chromium, and `jitgap screens` / `pdf`.

The slide is a 16:9 box scaled to the window with nothing of its neighbours showing, at
any window size and after resizes; #slideN and #presenterN open where they say; the
presenter view shows the next slide, the notes, a running clock and the planned minute;
the HTML carries no path of the machine that built it; the PDF has one searchable page per
slide and the screenshots one 1280x720 PNG per slide.  One browser for the module; the
deck is built once into a temporary folder (its content changes: only its structure is
tested here).
"""

import datetime
import re
import shutil
import struct
import zlib

import pytest

from conftest import ROOT
from jitgap._deck import build_deck

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = [(1280, 720), (1920, 1080), (1024, 768)]

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed "
                                "(make test installs it: apt-get install -y chromium)")

# a small deck with every slide class the theme styles
SMALL_DECK = """\
Speed of Something
==================

.fx: title

A subtitle line

Speaker Name

----

Part one
========

.fx: divider

Where we start

Presenter Notes
---------------

- first cue
- second cue

----

Some code
=========

- A point with ``inline code``

.. code-block:: python

    def f(x):
        return x + 1

.. class:: detail

Small print under the code

----

Backup
======

- what follows is for questions

----

An extra slide
==============

.fx: backup

- only if asked
"""

# a plan for SMALL_DECK, fixed here so that ahead / behind can be checked
FAKE_PLAN = """{"total_minutes": 10, "main_slides": 3, "slides": [
    {"start": 0, "minutes": 0}, {"start": 2, "minutes": 3}, {"start": 5, "minutes": 5},
    null, null]}"""


def _plan_script(plan_json):
    """An init script pinning window.JITGAP_PLAN (the deck's own assignment is ignored)."""
    return ("(() => { const plan = %s; Object.defineProperty(window, 'JITGAP_PLAN', "
            "{configurable: true, get: () => plan, set: () => {}}); })()" % plan_json)


@pytest.fixture(scope="module")
def decks(tmp_path_factory, talk_deck):
    folder = tmp_path_factory.mktemp("theme")
    deck = talk_deck
    small_src = folder / "small.rst"
    small_src.write_text(SMALL_DECK, encoding="utf-8")
    small = build_deck(small_src, folder / "small" / "small.html")
    return deck, small


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width=1280, height=720, init_script=None):
        context = browser.new_context(viewport={"width": width, "height": height})
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


GEOMETRY = """() => {
    const W = window.innerWidth, H = window.innerHeight;
    const slides = Array.from(document.querySelectorAll('.slide'));
    const cur = document.querySelector('.slide.current');
    const r = cur.getBoundingClientRect();
    const shown = el => { const s = getComputedStyle(el);
                          return s.display !== 'none' && s.visibility === 'visible'
                                 && Number(s.opacity) > 0; };
    const others = slides.filter(el => el !== cur && shown(el)).filter(el => {
        const b = el.getBoundingClientRect();
        return b.width > 0 && b.height > 0 && b.right > 0 && b.bottom > 0
               && b.left < W && b.top < H;
    }).map(el => el.className);
    // what is actually on top, on a grid of points
    const hits = [];
    for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) {
        const el = document.elementFromPoint(W * i / 8, H * j / 8);
        const slide = el && el.closest('.slide');
        if (slide && slide !== cur) hits.push(slide.className);
    }
    return {W: W, H: H, box: [r.left, r.top, r.right, r.bottom], others: others,
            hits: hits, cls: cur.className};
}"""


def _check_fit(page):
    g = page.evaluate(GEOMETRY)
    left, top, right, bottom = g["box"]
    W, H = g["W"], g["H"]
    assert left >= -0.5 and top >= -0.5 and right <= W + 0.5 and bottom <= H + 0.5, g
    width, height = right - left, bottom - top
    assert abs(width - W) <= 2 or abs(height - H) <= 2, g            # fills one direction
    assert abs(width / height - 16 / 9) < 0.01, g
    assert abs(left - (W - right)) <= 1.5 and abs(top - (H - bottom)) <= 1.5, g   # centred
    assert not g["others"], g
    assert not g["hits"], g
    return g


def _current_number(page):
    cls = page.evaluate("document.querySelector('.slide.current').className")
    return int(re.search(r"\bslide-(\d+)\b", cls).group(1))


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES, ids=["%dx%d" % s for s in SIZES])
def test_the_slide_fills_the_window_and_hides_its_neighbours(decks, new_page, size):
    page = new_page(*size)
    page.goto(decks[0].as_uri())
    total = page.evaluate("document.querySelectorAll('.slide').length")
    for number in sorted({1, 2, total // 2, total}):
        page.goto(decks[0].as_uri() + "#slide%d" % number)
        assert _current_number(page) == number
        g = _check_fit(page)
        if size == (1024, 768):   # scale 0.8: bars above and below
            assert abs(g["box"][1] - 96) <= 1 and abs(g["box"][3] - 672) <= 1, g


@pytest.mark.browser
def test_a_resize_recomputes_the_scale(decks, new_page):
    page = new_page(1280, 720)
    page.goto(decks[0].as_uri() + "#slide3")
    _check_fit(page)
    for width, height in [(1024, 768), (1920, 1080), (1600, 900), (800, 600), (1280, 720)]:
        page.set_viewport_size({"width": width, "height": height})
        # the theme rescales on the resize event: wait for it (50 ms was not always
        # enough with the other tests busy on both cores), then check the fit
        page.wait_for_function("""([w, h]) => Math.abs(document.querySelector('.slide.current')
            .getBoundingClientRect().width - Math.min(w, h * 16 / 9)) <= 2""",
                               arg=[width, height], timeout=10000)
        g = _check_fit(page)
        assert abs((g["box"][2] - g["box"][0]) - min(width, height * 16 / 9)) <= 2, g


@pytest.mark.browser
def test_the_title_is_in_the_flow_above_the_body(decks, new_page):
    page = new_page(1280, 720)
    page.goto(decks[0].as_uri())
    bad = page.evaluate("""() => Array.from(document.querySelectorAll('.slide')).map((el, i) => {
        const h = el.querySelector('header'), s = el.querySelector('.inner > section');
        if (!h || !s) return null;
        const pos = getComputedStyle(h).position;
        const gap = s.getBoundingClientRect().top - h.getBoundingClientRect().bottom;
        return (pos === 'static' || pos === 'relative') && gap >= -0.5 ? null
               : {slide: i + 1, pos: pos, gap: gap};
    }).filter(x => x)""")
    assert not bad, bad


@pytest.mark.browser
def test_hash_and_keys_move_between_slides(decks, new_page):
    page = new_page(1280, 720)
    page.goto(decks[0].as_uri() + "#slide5")
    assert _current_number(page) == 5
    title = page.evaluate("document.querySelector('.slide-5 header').textContent.trim()")
    assert page.title() == title
    page.keyboard.press("ArrowRight")
    assert _current_number(page) == 6 and page.evaluate("location.hash") == "#slide6"
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowLeft")
    assert _current_number(page) == 4
    page.keyboard.press("Space")
    assert _current_number(page) == 5
    total = page.evaluate("document.querySelectorAll('.slide').length")
    page.keyboard.press("End")
    assert _current_number(page) == total
    page.keyboard.press("Home")
    assert _current_number(page) == 1
    for key in ("1", "2", "Enter"):
        page.keyboard.press(key)
    assert _current_number(page) == 12
    page.keyboard.press("b")
    assert page.evaluate("getComputedStyle(document.getElementById('blank')).display") == "block"
    page.keyboard.press("b")
    assert page.evaluate("getComputedStyle(document.getElementById('blank')).display") == "none"
    page.keyboard.press("Escape")     # the overview must not break the scaling
    page.keyboard.press("Escape")
    _check_fit(page)


def _presenter_state(page):
    return page.evaluate("""() => {
        const box = document.getElementById('presenter_next').getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        const preview = hit && hit.closest('.slide');
        const cur = document.querySelector('.slide.current');
        const curBox = cur.getBoundingClientRect();
        const slot = document.getElementById('presenter_current').getBoundingClientRect();
        const notes = document.getElementById('current_presenter_notes');
        const text = id => document.getElementById(id).innerText.trim();
        return {
            presenter: document.body.classList.contains('presenter_view'),
            current: cur.className,
            preview: preview ? preview.className : null,
            previewTitle: preview && preview.querySelector('header')
                          ? preview.querySelector('header').textContent.trim() : null,
            nextTitle: text('presenter_next_title'),
            inSlot: curBox.left >= slot.left - 0.5 && curBox.right <= slot.right + 0.5
                    && curBox.top >= slot.top - 0.5 && curBox.bottom <= slot.bottom + 0.5,
            notes: notes.innerText.trim(),
            notesPx: parseFloat(getComputedStyle(notes.querySelector('li, p') || notes).fontSize),
            elapsed: text('presenter_elapsed'),
            plan: text('presenter_plan'),
            status: text('presenter_status'),
            statusClass: document.getElementById('presenter_status').className,
            counter: text('presenter_counter'),
            end: getComputedStyle(document.getElementById('presenter_end')).display,
        };
    }""")


def _title_of(page, number):
    return page.evaluate("n => document.querySelector('.slide-' + n + ' header')"
                         ".textContent.trim()", number)


def _pause_clock(page):
    """The page's time becomes Playwright's fake clock, paused: it moves only by
    page.clock.run_for, so a loaded machine cannot make the presenter's clock read
    seconds more than the test let pass."""
    start = datetime.datetime(2026, 1, 1, 9, 0, 0)
    page.clock.install(time=start)
    page.clock.pause_at(start + datetime.timedelta(seconds=1))


@pytest.mark.browser
def test_presenter_view_shows_next_slide_notes_clock_and_plan(decks, new_page):
    page = new_page(1280, 720)
    _pause_clock(page)
    page.goto(decks[0].as_uri() + "#presenter3")
    s = _presenter_state(page)
    assert s["presenter"] and "slide-3" in s["current"].split() and s["inSlot"], s
    assert s["preview"] and "slide-4" in s["preview"].split(), s
    assert s["previewTitle"] == _title_of(page, 4) and _title_of(page, 4) in s["nextTitle"]
    assert s["notes"] and s["notesPx"] >= 20, s
    assert re.match(r"planned \d+:\d\d\u2013\d+:\d\d$", s["plan"]), s
    assert re.match(r"(\d+:\d\d ahead|\+\d+:\d\d behind|on time)$", s["status"]), s
    main = page.evaluate("window.JITGAP_PLAN.main_slides")
    assert s["counter"] == "3 / %d" % main
    assert s["elapsed"].split()[0] == "00:00", s
    page.clock.run_for(65_000)
    assert _presenter_state(page)["elapsed"].split()[0] == "01:05"
    page.click("#presenter_elapsed")
    assert _presenter_state(page)["elapsed"].split()[0] == "00:00"
    page.clock.run_for(3_000)
    assert _presenter_state(page)["elapsed"].split()[0] == "00:03"
    page.keyboard.press("ArrowRight")
    s = _presenter_state(page)
    assert "slide-4" in s["current"].split() and "slide-5" in s["preview"].split(), s
    page.keyboard.press("End")
    s = _presenter_state(page)
    assert s["end"] != "none" and s["preview"] is None, s


@pytest.mark.browser
def test_presenter_view_ahead_behind_and_backup(decks, new_page):
    page = new_page(1280, 720, init_script=_plan_script(FAKE_PLAN))
    _pause_clock(page)
    page.goto(decks[1].as_uri() + "#presenter2")
    s = _presenter_state(page)
    assert s["plan"] == "planned 2:00\u20135:00", s
    assert s["status"] == "2:00 ahead" and s["statusClass"] == "ahead", s
    assert s["counter"] == "2 / 3"
    assert "first cue" in s["notes"]
    page.keyboard.press("Home")           # planned 0:00-0:00: behind after a second
    page.clock.run_for(1_200)
    s = _presenter_state(page)
    assert s["status"] == "+0:01 behind" and s["statusClass"] == "behind", s
    page.keyboard.press("End")
    s = _presenter_state(page)
    assert s["counter"] == "backup 2" and "planned" not in s["plan"], s


@pytest.mark.browser
def test_presenter_view_without_a_plan(decks, new_page):
    page = new_page(1280, 720, init_script=_plan_script("undefined"))
    page.goto(decks[1].as_uri() + "#presenter2")
    s = _presenter_state(page)
    assert s["presenter"] and "slide-3" in s["preview"].split(), s
    assert s["plan"] == "" and s["status"] == "" and re.match(r"\d\d:\d\d$", s["elapsed"]), s
    assert s["counter"] == "2 / 4"    # slides before the first .fx: backup one


@pytest.mark.browser
def test_audience_and_presenter_windows_follow_each_other(decks, new_page):
    page = new_page(1280, 720)
    page.goto(decks[0].as_uri() + "#slide2")
    with page.expect_popup() as popup:
        page.keyboard.press("p")
    presenter = popup.value
    presenter.wait_for_selector("body.presenter_view .slide-2.current", state="attached")
    presenter.keyboard.press("ArrowRight")
    page.wait_for_selector(".slide-3.current", state="attached", timeout=3000)
    page.keyboard.press("ArrowRight")
    presenter.wait_for_selector(".slide-4.current", state="attached", timeout=3000)
    presenter.keyboard.press("b")
    page.wait_for_selector("body.blanked", state="attached", timeout=3000)
    presenter.close()


@pytest.mark.browser
def test_slide_classes_of_the_small_deck(decks, new_page):
    page = new_page(1280, 720)
    page.goto(decks[1].as_uri())
    sizes = page.evaluate("""() => {
        const px = (sel, pseudo) => { const el = document.querySelector(sel);
            return el ? parseFloat(getComputedStyle(el, pseudo || null).fontSize) : null; };
        const backup = getComputedStyle(document.querySelector('.slide.backup'), '::after');
        return {
            title: px('.slide.title header h1'), titleLines: px('.slide.title section p'),
            divider: px('.slide.divider header h1'),
            dividerBand: getComputedStyle(document.querySelector('.slide.divider header'))
                         .backgroundColor,
            h1: px('.slide-3 header h1'), li: px('.slide-3 section li'),
            pre: px('.slide-3 pre'), preFont: getComputedStyle(document.querySelector(
                '.slide-3 pre')).fontFamily, preShadow: getComputedStyle(
                document.querySelector('.slide-3 pre')).textShadow,
            detail: px('.slide-3 .detail'), page: px('.slide-3 .page_number'),
            backup: parseFloat(backup.fontSize), backupText: backup.content,
        };
    }""")
    assert sizes["title"] >= 60 and sizes["titleLines"] >= 28, sizes
    assert sizes["divider"] >= 48 and sizes["dividerBand"] not in ("rgba(0, 0, 0, 0)",
                                                                    "transparent"), sizes
    assert sizes["h1"] == 42 and sizes["li"] == 26 and sizes["pre"] == 20, sizes
    assert "mono" in sizes["preFont"].lower() and sizes["preShadow"] == "none", sizes
    assert sizes["detail"] == 16 and sizes["page"] >= 14, sizes
    assert sizes["backup"] >= 14 and "backup" in sizes["backupText"], sizes


def test_html_carries_no_path_of_the_build_machine(decks):
    for deck in decks:
        html = deck.read_text(encoding="utf-8")
        text = re.sub(r"data:[^\"')\s]+", "data:", html)     # embedded images: base64
        for leak in (str(ROOT), str(deck.parent), "/root/", "/home/", "file://"):
            assert leak not in text, leak
        assert "slide source" not in text and 'class="source"' not in text


def _pdf_objects(data):
    """The PDF's bytes followed by every zlib stream decompressed (object streams too)."""
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompressobj().decompress(m.group(1)))
        except zlib.error:
            pass
    return chunks


@pytest.mark.browser
def test_pdf_has_one_searchable_page_per_slide(decks, tmp_path):
    from jitgap._browser import pdf

    deck = decks[0]
    slides = len(re.findall(r'<div class="slide[ "]', deck.read_text(encoding="utf-8")))
    out = pdf(deck, tmp_path / "deck.pdf")
    assert out == tmp_path / "deck.pdf" and out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pdf"]       # no temp file left
    chunks = _pdf_objects(out.read_bytes())
    pages = sum(len(re.findall(rb"/Type\s*/Page(?!s)\b", c)) for c in chunks)
    if pages != slides:    # page objects hidden somewhere: the root /Pages /Count
        pages = max(int(n) for c in chunks for n in re.findall(rb"/Count\s+(\d+)", c))
    assert pages == slides
    assert any(re.search(rb"\bT[jJ]\b", c) for c in chunks[1:]), "no text in the PDF"


@pytest.mark.browser
def test_screens_writes_one_png_per_slide(decks, tmp_path):
    from jitgap._browser import screens

    deck = decks[1]
    out = tmp_path / "screens"
    out.mkdir()
    (out / "99.png").write_bytes(b"old")
    paths = screens(deck, out)
    slides = len(re.findall(r'<div class="slide[ "]', deck.read_text(encoding="utf-8")))
    assert [p.name for p in paths] == ["%02d.png" % n for n in range(1, slides + 1)]
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in paths]
    for path in paths:
        head = path.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
        assert struct.unpack(">II", head[16:24]) == (1280, 720)


def test_missing_deck_says_run_make_slides(tmp_path):
    from jitgap._browser import pdf, screens
    from jitgap._errors import JitgapError

    for make in (pdf, screens):
        with pytest.raises(JitgapError, match="run make slides"):
            make(tmp_path / "nothing.html")


def test_missing_chromium_says_how_to_install_it(decks, monkeypatch):
    import jitgap._browser as browser
    from jitgap._errors import JitgapError

    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    for make in (browser.pdf, browser.screens):
        with pytest.raises(JitgapError, match=r"apt-get install -y chromium"):
            make(decks[1])


@pytest.mark.slow
def test_cli_names_the_missing_deck_and_a_bad_size(tmp_path):
    from conftest import run_cli

    done = run_cli("pdf", "--deck", tmp_path / "none.html", "-o", tmp_path / "x.pdf")
    assert done.returncode == 2 and "run make slides" in done.stderr, done.stderr
    done = run_cli("screens", "--deck", tmp_path / "none.html", "--size", "big")
    assert done.returncode == 2 and "WIDTHxHEIGHT" in done.stderr, done.stderr
