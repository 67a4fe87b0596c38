"""The talk's own facts, ``slides/talk.cfg``: speaker, event, date and the minute plan
(when each main slide should start), computed from the deck's source."""

import configparser
import datetime

from ._errors import JitgapError
from ._slidetext import slide_titles, split_slides

TALK_DEFAULTS = {
    "speaker": "The Speed of PyPy kit",
    "event": "",
    "date": "",
    "minutes": "40",
    "kit": "this talk's repository: make slides, then make lab",
}


def read_talk(path):
    """``slides/talk.cfg``: ``[talk]`` speaker, event, date, minutes, kit and ``[plan]``
    minutes per part.  A missing file gives the defaults (no invented speaker or event;
    the date is the day the deck is built)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    if path is not None and path.exists():
        try:
            parser.read(str(path), encoding="utf-8")
        except configparser.Error as exc:
            raise JitgapError("%s: %s" % (path, exc))
    talk = dict(TALK_DEFAULTS)
    if parser.has_section("talk"):
        talk.update({k: v.strip() for k, v in parser.items("talk")})
    if not talk["date"]:
        talk["date"] = datetime.date.today().strftime("%-d %B %Y")
    try:
        talk["minutes"] = float(talk["minutes"])
    except ValueError:
        raise JitgapError("%s: [talk] minutes must be a number, not %r" % (path, talk["minutes"]))
    plan = {}
    if parser.has_section("plan"):
        for part, value in parser.items("plan"):
            try:
                plan[part] = float(value)
            except ValueError:
                raise JitgapError("%s: [plan] %s must be minutes, not %r" % (path, part, value))
    talk["plan"] = plan
    return talk


def talk_lines(talk):
    """The title slide's speaker, event and date lines."""
    lines = [talk["speaker"], " · ".join(x for x in (talk["event"], talk["date"]) if x)]
    return "\n\n".join(".. class:: byline\n\n%s" % line.replace("*", r"\*")
                       for line in lines if line)


def kit_line(talk):
    return ".. class:: kit\n\nGet the kit: %s" % talk["kit"].replace("*", r"\*")


WEIGHTS = {"title": 0.5, "divider": 0.25}


def slide_kinds(rst_text):
    """The ``.fx:`` classes of every slide, in order."""
    kinds = []
    for _, lines in split_slides(rst_text):
        fx = next((ln.split(":", 1)[1].split() for ln in lines if ln.startswith(".fx:")), [])
        kinds.append(fx)
    return kinds


def plan(rst_text, talk):
    """When each main slide should start, from the minutes per part in ``talk["plan"]``:
    a part starts at a ``divider`` slide (named by its title; "Opening" before the first),
    its minutes are shared by its slides (a divider weighs 1/4, the title slide 1/2)."""
    titles = slide_titles(rst_text)
    kinds = slide_kinds(rst_text)
    main = titles.index("Backup") if "Backup" in titles else len(titles)
    parts, current = [], ("Opening", [])
    for k in range(main):
        if "divider" in kinds[k] and current[1]:
            parts.append(current)
            current = (titles[k], [])
        elif "divider" in kinds[k]:
            current = (titles[k], [])
        current[1].append(k)
    parts.append(current)
    budget = talk.get("plan") or {}
    missing = [name for name, _ in parts if budget and name not in budget]
    unknown = [name for name in budget if name not in [n for n, _ in parts]]
    if missing or unknown:
        raise JitgapError("slides/talk.cfg [plan]: %s" % "; ".join(
            (["no minutes for part(s) %s" % ", ".join(map(repr, missing))] if missing else [])
            + (["no divider slide titled %s" % ", ".join(map(repr, unknown))]
               if unknown else [])))
    slides = [None] * len(titles)
    start = 0.0
    table = []
    for name, members in parts:
        minutes = budget.get(name, talk["minutes"] * len(members) / max(main, 1))
        weights = [min([WEIGHTS.get(kind, 1.0) for kind in kinds[k]] or [1.0])
                   for k in members]
        for k, w in zip(members, weights):
            share = minutes * w / sum(weights)
            slides[k] = {"start": round(start, 2), "minutes": round(share, 2)}
            start += share
        table.append({"part": name, "first": members[0] + 1, "last": members[-1] + 1,
                      "slides": len(members), "minutes": minutes})
    return {"total_minutes": round(start, 2), "main_slides": main, "slides": slides,
            "parts": table}


def plan_markdown(the_plan):
    """The minute plan as a Markdown table (the README shows it)."""
    rows = ["| part | slides | minutes | starts at |", "|---|---|---|---|"]
    start = 0.0
    for part in the_plan["parts"]:
        rows.append("| %s | %d–%d (%d) | %g | %d:%02d |" % (
            part["part"], part["first"], part["last"], part["slides"], part["minutes"],
            int(start), round((start % 1) * 60)))
        start += part["minutes"]
    rows.append("| **total** | %d main slides | %g | |" % (the_plan["main_slides"],
                                                       the_plan["total_minutes"]))
    return "\n".join(rows)
