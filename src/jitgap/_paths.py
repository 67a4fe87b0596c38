"""Where things are: the project's folders, and how a path is shown."""

import os
from pathlib import Path


def project_root():
    """The folder holding ``benchmarks/`` (the source checkout jitgap is installed from).

    ``JITGAP_ROOT`` overrides it; otherwise the current directory or one of its parents
    with a ``benchmarks`` folder, then the checkout this package lives in.
    """
    env = os.environ.get("JITGAP_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here,) + tuple(here.parents):
        if (folder / "benchmarks").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "benchmarks").is_dir():
        return checkout
    return here


def benchmarks_dir():
    return project_root() / "benchmarks"


def results_dir(directory=None):
    """``directory``, else ``$JITGAP_RESULTS``, else the project's ``results/``."""
    if directory:
        return Path(directory)
    env = os.environ.get("JITGAP_RESULTS")
    return Path(env) if env else project_root() / "results"


def live_results_dir():
    """Where notebooks' live measurements go: ``$JITGAP_LIVE_RESULTS`` or build/live/."""
    env = os.environ.get("JITGAP_LIVE_RESULTS")
    return Path(env) if env else project_root() / "build" / "live"


def notebooks_dir():
    return project_root() / "notebooks"


def shown(path):
    """``path`` relative to the project (as captions name files), else as it is."""
    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)
