"""The built deck in Chromium: one PNG per slide (``jitgap screens``) and a PDF
(``jitgap pdf``), with Playwright driving Debian's Chromium headless.

Playwright is imported inside the functions: this module is part of the package that PyPy
imports too, and only the CPython venv has Playwright.
"""

import contextlib
import shutil
import threading
from pathlib import Path

from ._atomic import atomic_path
from ._errors import JitgapError
from ._paths import project_root

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SLIDE_SIZE = (1280, 720)


def default_deck():
    return project_root() / "build" / "slides" / "speed_of_pypy.html"


def chromium():
    """The path of Debian's Chromium; JitgapError saying how to install it if missing."""
    path = shutil.which("chromium")
    if not path:
        raise JitgapError("Chromium is missing: apt-get install -y chromium "
                          "(make screens / make pdf install it when run as root)")
    return path


def _outside_event_loop(function, *args):
    """``function(*args)``, in a thread of its own when this one runs an asyncio loop
    (Jupyter, or another Playwright session), where Playwright's sync API refuses to work."""
    import asyncio      # only for Playwright: not worth its import time elsewhere
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:   # re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="jitgap-chromium")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _deck_path(deck):
    path = Path(deck) if deck else default_deck()
    if not path.is_file():
        raise JitgapError("no deck at %s: run make slides" % path)
    return path.resolve()


@contextlib.contextmanager
def _deck_page(deck, size=SLIDE_SIZE):
    """A Chromium page showing ``deck`` (a path) in a window of ``size`` (w, h)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise JitgapError("Playwright is missing from this Python: make setup "
                          "(it is in requirements.txt)")
    executable = chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                    headless=True)
        try:
            page = browser.new_page(viewport={"width": int(size[0]), "height": int(size[1])})
            page.goto(deck.as_uri())
            page.evaluate("() => document.fonts ? document.fonts.ready.then(() => true) : true")
            yield page
        finally:
            browser.close()


def _show(page, number):
    """Make slide ``number`` the current one and wait until it is."""
    page.evaluate("n => window.jitgapSlides ? window.jitgapSlides.go(n)"
                  " : (window.location.hash = '#slide' + n)", number)
    page.wait_for_selector(".slide.slide-%d.current" % number, state="attached", timeout=5000)


def screens(deck=None, out_dir=None, size=SLIDE_SIZE):
    """One PNG per slide, ``NN.png`` (numbered from 1, zero-padded to the slide count's
    width, at least two digits), of a ``size`` window; returns their paths.

    ``deck`` defaults to build/slides/speed_of_pypy.html, ``out_dir`` to ``screens/``
    beside the deck (build/slides/screens/); old PNGs there are removed first."""
    deck = _deck_path(deck)
    out = Path(out_dir) if out_dir else deck.parent / "screens"
    chromium()
    return _outside_event_loop(_screens, deck, out, size)


def _screens(deck, out, size):
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    written = []
    with _deck_page(deck, size) as page:
        count = page.evaluate("document.querySelectorAll('.slide').length")
        if not count:
            raise JitgapError("%s has no slides" % deck)
        width = max(2, len(str(count)))
        for number in range(1, count + 1):
            _show(page, number)
            path = out / ("%0*d.png" % (width, number))
            page.screenshot(path=str(path))
            written.append(path)
    return written


def pdf(deck=None, destination=None):
    """The deck as a PDF, one 1280x720 page per slide (the theme's print.css), written
    atomically; returns its path.  ``destination`` defaults to the deck's path with
    ``.pdf`` (build/slides/speed_of_pypy.pdf)."""
    deck = _deck_path(deck)
    destination = Path(destination) if destination else deck.with_suffix(".pdf")
    chromium()
    return _outside_event_loop(_pdf, deck, destination)


def _pdf(deck, destination):
    with _deck_page(deck) as page:
        with atomic_path(destination) as tmp:
            page.pdf(path=tmp, width="%dpx" % SLIDE_SIZE[0], height="%dpx" % SLIDE_SIZE[1],
                     print_background=True,
                     margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
    return destination
