"""The README's references stay complete, and the docs' links stay inside the repository and resolve.

Every ``[tool.ninjagen]`` key that ninjagen.config accepts, every extension and
library key, and every long option of every ``ninjagen`` command must appear in
README.md's reference.  Every link in README.md, CONTRIBUTING.md and docs/*.md is
relative and points at a file (and heading) that exists.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from conftest import ROOT

from ninjagen import config
from ninjagen.cli import build_parser

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
MARKDOWN = [README, ROOT / "CONTRIBUTING.md", *DOCS]

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_INDENTED = re.compile(r"^(?: {4}|\t).*$", re.M)  # an indented code block line
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>")
_BARE_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _prose(text: str) -> str:
    """*text* without code blocks and code spans: what a markdown renderer turns into links."""
    text = _FENCE.sub("", text)
    text = _INDENTED.sub("", text)
    return _CODE_SPAN.sub("", text)


def _links(text: str) -> list[str]:
    """Link targets: inline, reference definitions, autolinks, and bare URLs (renderers link those too)."""
    prose = _prose(text)
    links = _INLINE_LINK.findall(prose) + _REFERENCE_DEF.findall(prose) + _AUTOLINK.findall(prose)
    rest = _AUTOLINK.sub("", _INLINE_LINK.sub("", _REFERENCE_DEF.sub("", prose)))
    return links + [url.rstrip(".,;:!?)") for url in _BARE_URL.findall(rest)]


def _section(text: str, heading: str) -> str:
    """The body of the section whose heading line is *heading*, up to the next heading of its level or above."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    assert heading in lines, f"README.md has no heading {heading!r}"
    body = []
    for line in lines[lines.index(heading) + 1:]:
        match = re.match(r"^(#+) ", line)
        if match and len(match.group(1)) <= level:
            break
        body.append(line)
    return "\n".join(body)


def _first_column_names(section: str) -> set[str]:
    """The backticked names in the first cell of every table row of *section*."""
    names: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("|") or re.fullmatch(r"\|[\s|:-]+\|?", line):
            continue
        names.update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return names


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+?)\s*#*\s*$", _FENCE.sub("", _text(path)), re.M)}


# ------------------------------------------------------------ the references are complete
def test_every_tool_ninjagen_key_is_in_the_readme_reference():
    listed = _first_column_names(_section(_text(README), "### `[tool.ninjagen]`"))
    missing = sorted(set(config._TOOL_KEYS) - listed)
    assert not missing, f"[tool.ninjagen] keys missing from README.md's reference table: {missing}"


def test_every_extension_key_is_in_the_readme_reference():
    listed = _first_column_names(_section(_text(README), "### Extension keys"))
    missing = sorted(set(config._EXTENSION_KEYS) - listed)
    assert not missing, f"extension keys missing from README.md's reference table: {missing}"


def test_every_library_key_is_in_the_readme_reference():
    listed = _first_column_names(_section(_text(README), "### Library keys"))
    missing = sorted((set(config._LIBRARY_KEYS) | set(config._SHARED_LIBRARY_KEYS)) - listed)
    assert not missing, f"library keys missing from README.md's reference table: {missing}"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _long_options(parser: argparse.ArgumentParser) -> list[str]:
    return [opt for action in parser._actions for opt in action.option_strings
            if opt.startswith("--") and opt != "--help"]


def test_the_readme_has_a_section_for_every_command():
    commands = _subcommands(build_parser())
    assert commands, "build_parser() has no subcommands"
    for name in commands:
        _section(_text(README), f"### `ninjagen {name}`")


@pytest.mark.parametrize("command", sorted(_subcommands(build_parser())))
def test_every_long_option_of_a_command_is_in_its_readme_section(command):
    section = _section(_text(README), f"### `ninjagen {command}`")
    options = _long_options(_subcommands(build_parser())[command])
    missing = [opt for opt in options if not re.search(rf"`{re.escape(opt)}(?=[` \[])", section)]
    assert not missing, f"options of `ninjagen {command}` missing from its README.md section: {missing}"


def test_every_top_level_option_is_in_the_readme():
    section = _section(_text(README), "## Command reference")
    missing = [opt for opt in _long_options(build_parser()) if f"`ninjagen {opt}`" not in section]
    assert not missing, f"options of `ninjagen` missing from README.md's command reference: {missing}"


# ------------------------------------------------------------ links stay inside and resolve
def test_the_docs_folder_has_guides():
    assert len(DOCS) >= 2 and ROOT / "docs" / "architecture.md" in DOCS


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_link_points_outside_the_repository(path):
    outside = [link for link in _links(_text(path)) if _SCHEME.match(link) or link.startswith(("/", "www."))]
    assert not outside, f"{path.relative_to(ROOT)} links outside the repository: {outside}"


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file_that_exists(path):
    broken = []
    for link in _links(_text(path)):
        if _SCHEME.match(link) or link.startswith(("/", "www.")):
            continue  # the test above reports it
        target, _, anchor = link.partition("#")
        resolved = (path.parent / target).resolve() if target else path
        if ROOT not in (resolved, *resolved.parents) or not resolved.exists():
            broken.append(link)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{link} (no such heading)")
    assert not broken, f"{path.relative_to(ROOT)} has broken links: {broken}"


# ------------------------------------------------------------ the checker itself
def test_the_link_finder_sees_links_and_urls_but_not_code():
    text = ("See [a](docs/a.md), [b][ref], <https://x.org>, https://y.org and www.z.org.\n"
            "[ref]: ../b.md\n"
            "`[c](https://in-code.org)`\n"
            "    an indented https://indented.org\n"
            "```\n[d](https://fenced.org)\n```\n")
    assert sorted(_links(text)) == sorted(["docs/a.md", "../b.md", "https://x.org", "https://y.org", "www.z.org"])


def test_slugs_are_githubs():
    assert _slug("The setuptools drop-in") == "the-setuptools-drop-in"
    assert _slug("`[tool.ninjagen]` reference") == "toolninjagen-reference"
    assert _slug("Editable installs that rebuild on import: `ninjagen develop`") == \
        "editable-installs-that-rebuild-on-import-ninjagen-develop"
