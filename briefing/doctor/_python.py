"""Python and the installed packages: the Python briefing supports, its requirements in range, and
article pages readable (trafilatura with ``lxml_html_clean``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib import metadata

from ..errors import BriefingError
from ._check import Check, fail, ok

_ARTICLE = (
    "<html><head><title>A grid line enters service</title></head><body><article><h1>A grid line enters service</h1>"
    + "<p>The ultra-high-voltage line carries hydropower from the west to the coast, the operator said on Monday.</p>"
    * 4
    + "</article></body></html>"
)


def check_python() -> Check:
    """This Python is one briefing supports (its Requires-Python)."""
    from packaging.specifiers import SpecifierSet

    version = ".".join(map(str, sys.version_info[:3]))
    try:
        needed = metadata.metadata("briefing")["Requires-Python"] or ""
    except (metadata.PackageNotFoundError, KeyError):
        needed = ""
    if needed and not SpecifierSet(needed).contains(version):
        return fail(
            "python",
            f"Python {version}: briefing needs {needed}",
            f"install a Python {needed} and reinstall briefing with it",
        )
    return ok("python", f"Python {version} at {sys.executable}" + (f" (briefing needs {needed})" if needed else ""))


def check_packages(extras: Sequence[str] = ()) -> Check:
    """Every requirement of the installed briefing (and of ``extras``) present at a version in its range."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        dist = metadata.distribution("briefing")
    except metadata.PackageNotFoundError:
        return fail(
            "packages",
            "briefing is imported from source but not installed",
            "pip install . (or the wheel) into this Python",
        )
    problems: list[str] = []
    wanted_reqs: list[str] = []
    count = 0
    for line in dist.requires or []:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in ("", *extras)):
            continue
        count += 1
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{req.name} is missing")
        else:
            if not req.specifier or req.specifier.contains(installed, prereleases=True):
                continue
            problems.append(f"{req.name} {installed} is installed, {req.specifier} is needed")
        wanted_reqs.append(f"'{req.name}{req.specifier}'")
    if problems:
        return fail(
            "packages", f"briefing {dist.version}: " + "; ".join(problems), "pip install " + " ".join(wanted_reqs)
        )
    return ok("packages", f"briefing {dist.version}: its {count} requirements are installed in range")


def check_articles() -> Check:
    """Article pages can be read: trafilatura with lxml's HTML cleaner (the package lxml_html_clean)."""
    from ..fetch import extract_article

    try:
        article = extract_article(_ARTICLE, "http://doctor.invalid/article")
    except ImportError as e:
        return fail(
            "articles",
            f"article pages cannot be read: {e}",
            "pip install lxml_html_clean (lxml 5.2 and later no longer carry lxml.html.clean)",
        )
    except BriefingError as e:
        return fail(
            "articles",
            f"article pages cannot be read: {e}",
            "reinstall briefing's dependencies: pip install --force-reinstall trafilatura lxml lxml_html_clean",
        )
    if "hydropower" not in article.text:
        return fail(
            "articles",
            "trafilatura found no text in a sample article page",
            "reinstall trafilatura and lxml_html_clean",
        )
    return ok(
        "articles",
        f"article pages are read (trafilatura {metadata.version('trafilatura')}, lxml {metadata.version('lxml')})",
    )
