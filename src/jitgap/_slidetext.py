"""The deck's source as text: slides, their line numbers, titles and presenter notes.

Landslide splits an RST deck on transitions (a ``----`` line with blank lines around it);
the first heading of a slide is its title; a ``Presenter Notes`` heading starts its notes.
"""

import re

TRANSITION_RE = re.compile(r"^-{4,}\s*$")


def slide_numbers(rst_text):
    """{line number (1-based): slide number (1-based)} for every line of the deck."""
    numbers = {}
    slide = 1
    lines = rst_text.splitlines()
    for i, line in enumerate(lines, 1):
        blank_around = (i == 1 or not lines[i - 2].strip()) and (
            i == len(lines) or not lines[i].strip())
        if TRANSITION_RE.match(line) and blank_around:
            slide += 1
        numbers[i] = slide
    return numbers


def split_slides(rst_text):
    """``[(first line number, [lines])]``, one per slide (split on landslide's
    transitions: a ``----`` line with blank lines around it)."""
    lines = rst_text.splitlines()
    slides, current, first = [], [], 1
    for i, line in enumerate(lines):
        if TRANSITION_RE.match(line) and (i == 0 or not lines[i - 1].strip()) and (
                i + 1 == len(lines) or not lines[i + 1].strip()):
            slides.append((first, current))
            current, first = [], i + 2
            continue
        current.append(line)
    slides.append((first, current))
    return slides


def add_notes(slide_text, lines):
    """Append bullet ``lines`` to a slide's presenter notes (made if it has none)."""
    bullets = "\n".join("- " + line.replace("*", r"\*") for line in lines)
    if "\nPresenter Notes\n---------------" not in slide_text:
        return slide_text.rstrip("\n") + "\n\nPresenter Notes\n---------------\n\n" + bullets
    return slide_text.rstrip("\n") + "\n\n" + bullets


def slide_titles(rst_text):
    """The title of every slide, in order (its first heading)."""
    titles = {}
    lines = rst_text.splitlines()
    numbers = slide_numbers(rst_text)
    for i in range(1, len(lines)):
        underline = lines[i].rstrip()
        if underline and len(set(underline)) == 1 and underline[0] in "=-~^*+#" \
                and lines[i - 1].strip() and len(underline) >= len(lines[i - 1].strip()) \
                and not TRANSITION_RE.match(underline):
            titles.setdefault(numbers[i + 1], lines[i - 1].strip())
    return [titles.get(n, "") for n in range(1, max(numbers.values() or [0]) + 1)]
