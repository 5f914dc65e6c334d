"""The HTML page of `ninjagen report --html`: self-contained, escaped, readable without JS, drawn by a real browser.

The fast tests read the page as text and through html.parser.  The slow one opens
it in headless Chromium (Debian's, installed by tests/devtools/setup.sh): the
dumped DOM proves the inline script drew one rect per step and per extension,
and the screenshot proves a person would see something (not a blank page).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from browser import chromium, near

from ninjagen.report_html import embed_json, render_html

HOSTILE = "</script><img src=x onerror=alert(1)>"
#: the page's colours of a compile step and of a step on the critical path (its CSS)
COMPILE_RGB = (0x4E, 0x79, 0xA7)
CRITICAL_RGB = (0xD6, 0x27, 0x28)

# (output, kind, extension, source, lane, start, end): two extensions, two lanes; the
# critical path is regenerate -> cython -> the generated C's compile -> pkg._b's link.
STEPS = [
    ("build.ninja", "regenerate", None, None, 0, 0.00, 0.04),
    ("build/cython/pkg/_b.c", "cython", "pkg._b", "src/pkg/_b.pyx", 0, 0.05, 0.45),
    ("build/obj/1f/build/cython/pkg/_b.o", "compile", "pkg._b", "build/cython/pkg/_b.c", 0, 0.46, 1.30),
    ("src/pkg/_b.cpython-311-x86_64-linux-gnu.so", "link", "pkg._b", None, 0, 1.31, 1.42),
    ("build/obj/a0/src/a/a0.o", "compile", "pkg._a", "src/a/a0.c", 1, 0.05, 0.25),
    ("build/obj/a0/src/a/a1.o", "compile", "pkg._a", "src/a/a1.c", 1, 0.26, 0.50),
    ("build/obj/a0/src/a/a2.o", "compile", "pkg._a", "src/a/a2.c", 1, 0.51, 0.70),
    ("build/obj/a0/src/a/a3.o", "compile", "pkg._a", "src/a/a3.c", 1, 0.71, 0.85),
    ("build/obj/a0/src/a/a4.o", "compile", "pkg._a", "src/a/a4.c", 1, 0.86, 1.00),
    ("src/pkg/_a.cpython-311-x86_64-linux-gnu.so", "link", "pkg._a", None, 1, 1.01, 1.10),
    ("build/obj/1f/src/b/b1.o", "compile", "pkg._b", "src/b/b1.c", 1, 1.11, 1.25),
    ("build/obj/1f/src/b/b2.o", "compile", "pkg._b", "src/b/b2.c", 1, 1.26, 1.30),
]
CRITICAL = ["build.ninja", "build/cython/pkg/_b.c", "build/obj/1f/build/cython/pkg/_b.o",
            "src/pkg/_b.cpython-311-x86_64-linux-gnu.so"]
RULES = {"compile": "cc", "link": "link_so", "cython": "cython", "regenerate": "regenerate"}


def make_report(steps=STEPS, critical=CRITICAL, rename: dict[str, str] | None = None) -> dict:
    """A report dict as the report model writes it, built from *steps* (outputs renamed by *rename*)."""
    rename = rename or {}
    out = [{"output": rename.get(o, o), "outputs": [rename.get(o, o)], "kind": kind, "rule": RULES[kind],
            "extension": ext, "source": src, "start_s": start, "end_s": end, "duration_s": round(end - start, 6),
            "lane": lane, "critical": o in critical} for o, kind, ext, src, lane, start, end in steps]
    wall = max((s["end_s"] for s in out), default=0.0)
    busy = sum(s["duration_s"] for s in out)
    jobs = 2
    counts = dict.fromkeys(["compile", "link", "archive", "cython", "swig", "regenerate", "other"], 0)
    for s in out:
        counts[s["kind"]] += 1
    extensions = []
    for name in sorted({s["extension"] for s in out if s["extension"]}):
        mine = [s for s in out if s["extension"] == name]
        compiles = sorted((s for s in mine if s["kind"] == "compile"), key=lambda s: -s["duration_s"])
        link = next(s for s in mine if s["kind"] == "link")
        extensions.append({"name": name, "output": link["output"], "compile_s": sum(s["duration_s"] for s in compiles),
                           "link_s": link["duration_s"], "objects": len(compiles),
                           "slowest": [{"source": s["source"], "output": s["output"], "duration_s": s["duration_s"]}
                                       for s in compiles[:3]]})
    path = [s for s in out if s["critical"]]
    path_s = sum(s["duration_s"] for s in path)
    dominant = max(path, key=lambda s: s["duration_s"], default=None)
    return {
        "format": 1, "project": "/abs/proj", "build_ninja": "build.ninja",
        "wall_s": wall, "busy_s": busy, "jobs": jobs,
        "parallelism": busy / wall if wall else 0.0, "utilization": busy / wall / jobs if wall else 0.0,
        "counts": counts, "steps": out, "extensions": extensions,
        "slowest": [{"output": s["output"], "source": s["source"], "kind": s["kind"], "extension": s["extension"],
                     "duration_s": s["duration_s"]}
                    for s in sorted(out, key=lambda s: -s["duration_s"])[:10]],
        "critical_path": {"duration_s": path_s, "steps": [s["output"] for s in path],
                          "dominant": dominant and {"output": dominant["output"], "source": dominant["source"],
                                                    "kind": dominant["kind"],
                                                    "duration_s": dominant["duration_s"],
                                                    "share": dominant["duration_s"] / path_s},
                          "advice": "The compile of the Cython-generated C dominates: split the module or use -O1."},
        "cache": {"launcher": "sccache", "hits": 7, "misses": 2},
    }


VOID = {"meta", "br", "img", "input", "link", "hr", "col", "wbr", "source", "area", "base", "embed", "param", "track"}


class Page(HTMLParser):
    """A page read by html.parser: balanced tags, the embedded report, the text of every table cell."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: dict[str, str] = {}
        self.cells: list[str] = []
        self._script: str | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()
        assert self.open == [], f"elements never closed: {self.open}"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in VOID:
            return
        self.open.append(tag)
        if tag == "script":
            self._script = attrs.get("id", "")
            self.scripts[self._script] = ""
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()
        if tag == "script":
            self._script = None
        if tag in ("td", "th"):
            self.cells.append("".join(self._cell or []).strip())
            self._cell = None

    def handle_data(self, data):
        if self._script is not None:
            self.scripts[self._script] += data
        if self._cell is not None:
            self._cell.append(data)


def first_table(html: str) -> Page:
    return Page(re.search(r"<table>.*?</table>", html, re.S).group(0))


def test_page_loads_nothing_from_the_network():
    page = render_html(make_report())
    for reference in ("http://", "https://", "//cdn", "<link", "@import", "url(", "<iframe", "<img"):
        assert reference not in page
    assert [t for t, a in Page(page).tags if t == "script" and "src" in a] == []


def test_page_parses_and_carries_the_report():
    report = make_report()
    page = Page(render_html(report))
    assert [t for t, _ in page.tags[:3]] == ["html", "head", "meta"]
    assert json.loads(page.scripts["report-data"]) == report
    assert [a.get("type") for t, a in page.tags if t == "script"] == ["application/json", None]
    assert {a["id"] for t, a in page.tags if t == "svg"} == {"timeline", "extensions"}


def test_tables_are_in_the_page_without_javascript():
    report = make_report()
    page = render_html(report)
    before, slowest = page.split("<h2>Slowest steps</h2>")
    critical = before.split("<h2>Critical path</h2>")[1]
    shown = {s["output"]: s["source"] or s["output"] for s in report["steps"]}  # a compile by its source
    names = set(shown.values())
    # the critical path in build order, the slowest steps slowest first, each with its duration
    assert [c for c in first_table(critical).cells if c in names] == [shown[o] for o in CRITICAL]
    assert [c for c in first_table(slowest).cells if c in names] == [shown[s["output"]] for s in report["slowest"]]
    assert report["critical_path"]["advice"] in critical
    assert "<noscript>" in page
    for text in ("1.42 s", "7 hits", "2 misses", "sccache", "pkg._a", "pkg._b", "840 ms", "60 %"):
        assert text in page, text


def test_a_hostile_output_name_stays_text():
    report = make_report(rename={"src/pkg/_b.cpython-311-x86_64-linux-gnu.so": HOSTILE,
                                 "build.ninja": "a & b \u2028 \"q\""})
    page = render_html(report)
    assert HOSTILE not in page
    assert "<img" not in page and "</script><" not in page
    parsed = Page(page)
    assert json.loads(parsed.scripts["report-data"]) == report
    assert HOSTILE in parsed.cells  # shown, as text, in the tables
    assert not [t for t, _ in parsed.tags if t == "img"]


def test_embedded_json_cannot_close_the_script():
    text = embed_json({"x": "</script><!-- & -->", "y": "\u2028"})
    assert not set("<>&") & set(text)
    assert json.loads(text) == {"x": "</script><!-- & -->", "y": "\u2028"}


def test_an_empty_report_says_nothing_ran():
    report = make_report(steps=[], critical=[])
    report["cache"] = None
    page = render_html(report)
    parsed = Page(page)
    assert "Nothing ran" in page
    assert not [t for t, _ in parsed.tags if t == "svg"]
    assert json.loads(parsed.scripts["report-data"]) == report


# ---- a real browser ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_chromium_draws_the_page(tmp_path):
    from PIL import Image

    report = make_report(rename={"build/obj/a0/src/a/a2.o": HOSTILE})
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    url = page.resolve().as_uri()

    dom = chromium(["--dump-dom", url], tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    steps = re.findall(r'<rect class="(step[^"]*)"', dom.stdout)
    assert len(steps) == len(report["steps"])
    assert sorted(steps) == sorted("step critical" if s["critical"] else "step" for s in report["steps"])
    assert len(re.findall(r'<rect class="ext-bar"', dom.stdout)) == len(report["extensions"])
    assert dom.stdout.count('class="critical-line"') == 1
    assert "<img" not in dom.stdout  # the hostile name reached the tooltips as text

    png = tmp_path / "report.png"
    shot = chromium([f"--screenshot={png}", url], tmp_path / "profile-shot")
    assert shot.returncode == 0 and png.is_file(), shot.stderr[-2000:]
    with Image.open(png) as image:
        image = image.convert("RGB")
        assert image.size == (1400, 1000)
        colours = image.getcolors(maxcolors=1 << 20)
    pixels = sum(n for n, _ in colours)
    ink = sum(n for n, rgb in colours if min(rgb) < 235)
    assert len(colours) > 50, "the screenshot has almost no colours: blank page?"
    assert ink / pixels > 0.05, f"only {ink / pixels:.1%} of the screenshot is not white"
    for name, want in (("critical path", CRITICAL_RGB), ("compile", COMPILE_RGB)):
        assert sum(n for n, rgb in colours if near(rgb, want)) > 200, f"no {name} colour {want} in the screenshot"
