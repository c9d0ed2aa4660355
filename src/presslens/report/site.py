"""The story browser's pages, rendered from report-shaped dicts.

The same templates serve two masters: the local web app (``presslens serve``, links like
``/stories/{id}``) and the static report folder written by ``analyze`` (links like
``stories/3.html``), so both look the same.  Every value is untrusted and autoescaped; only
``http(s)`` URLs become links.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from presslens.report.html import safe_url


class Links(Protocol):
    """Where pages live: differs between the server and the static folder."""

    def index(self) -> str:
        """The story list."""

    def story(self, story_id: str) -> str:
        """One story's page."""

    def article(self, article_id: str) -> str:
        """One article's page."""

    def asset(self, name: str) -> str:
        """A static asset (CSS, JS)."""


@dataclass(frozen=True)
class ServerLinks:
    """Links of ``presslens serve``."""

    def index(self) -> str:
        """The story list."""
        return "/"

    def story(self, story_id: str) -> str:
        """One story's page."""
        return "/stories/" + quote(story_id, safe="")

    def article(self, article_id: str) -> str:
        """One article's page."""
        return "/articles/" + quote(article_id, safe="")

    def asset(self, name: str) -> str:
        """A static asset."""
        return "/static/" + name


@dataclass(frozen=True)
class StaticLinks:
    """Links inside the static report folder; ``depth`` is how deep the current page is."""

    story_files: Mapping[str, str]
    article_files: Mapping[str, str]
    depth: int = 0

    def _up(self) -> str:
        return "../" * self.depth

    def index(self) -> str:
        """The story list."""
        return self._up() + "index.html"

    def story(self, story_id: str) -> str:
        """One story's page."""
        return self._up() + "stories/" + self.story_files.get(story_id, "missing.html")

    def article(self, article_id: str) -> str:
        """One article's page."""
        return self._up() + "articles/" + self.article_files.get(article_id, "missing.html")

    def asset(self, name: str) -> str:
        """A static asset."""
        return self._up() + "assets/" + name


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment shared by the server and the static writer."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("presslens.report", "templates"),
        autoescape=True,
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.globals["csp"] = content_security_policy(scripts=False, header=False)
    env.globals["marked_html"] = marked_html
    return env


#: a highlight: start, end, class ("quote", "entity", ...) and its title
Mark = tuple[int, int, str, str]
#: article id → (quote marks, entity marks) of one story (:func:`story_marks`)
StoryMarks = dict[str, tuple[list[Mark], list[Mark]]]


def paragraphs_with_marks(
    text: str, spans: Sequence[Mark]
) -> list[list[tuple[str, str | None, str]]]:
    """Split ``text`` into paragraphs of (segment, css class or None, title) runs.

    ``spans`` are (start, end, css class, title) over ``text``; overlapping spans keep the first.
    """
    marks: list[Mark] = []
    last_end = -1
    for s, e, cls, title in sorted(spans):
        if 0 <= s < e <= len(text) and s >= last_end:
            marks.append((s, e, cls, title))
            last_end = e
    cuts = sorted({0, len(text)} | {p for s, e, _, _ in marks for p in (s, e)})
    starts = [m[0] for m in marks]
    runs: list[tuple[str, str | None, str]] = []
    for a, b in itertools.pairwise(cuts):
        i = bisect.bisect_right(starts, a) - 1
        mark = marks[i] if i >= 0 and marks[i][0] <= a < marks[i][1] else None
        runs.append((text[a:b], mark[2] if mark else None, mark[3] if mark else ""))
    paras: list[list[tuple[str, str | None, str]]] = [[]]
    for seg, run_cls, run_title in runs:
        for j, piece in enumerate(seg.split("\n\n")):
            if j:
                paras.append([])
            if piece:
                paras[-1].append((piece, run_cls, run_title))
    return [p for p in paras if any(seg.strip() for seg, _, _ in p)]


def marked_html(text: str, spans: Sequence[Mark]) -> Markup:
    """``text`` as HTML paragraphs with ``spans`` marked (see :func:`paragraphs_with_marks`):
    quotes as ``<mark>``, other spans as ``<span>`` with their class, every piece escaped.

    Built here rather than in the template: a page of a long article has thousands of pieces,
    and the template's per-piece calls were most of the static site's time.
    """
    out: list[str] = []
    for para in paragraphs_with_marks(text, spans):
        out.append("<p>")
        for seg, cls, title in para:
            if cls == "quote":
                out.append(f'<mark class="quote" title="{escape(title)}">{escape(seg)}</mark>')
            elif cls:
                out.append(
                    f'<span class="{escape(cls)}" title="{escape(title)}">{escape(seg)}</span>'
                )
            else:
                out.append(str(escape(seg)))
        out.append("</p>\n")
    return Markup("".join(out))


def story_row(
    story: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The list page's view of a story, filling what a story without clustering fields lacks."""
    arts = [articles[a] for a in story.get("article_ids", []) if a in articles]
    sources = story.get("sources") or sorted({a.get("source") or "unknown" for a in arts})
    dates = sorted(a["published"][:10] for a in arts if a.get("published"))
    return {
        "id": story["id"],
        "title": story.get("title") or next((a.get("title") for a in arts if a.get("title")), None),
        "sources": sources,
        "independent_sources": story.get("independent_sources", len(sources)),
        "first_published": (story.get("first_published") or (dates[0] if dates else ""))[:10]
        or None,
        "last_published": (story.get("last_published") or (dates[-1] if dates else ""))[:10]
        or None,
        "n_articles": len(story.get("article_ids", [])),
    }


def coverage_chart(articles: Iterable[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Articles per day per outlet, laid out for an inline SVG (no script, no library)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        if a.get("published"):
            counts[a.get("source") or "unknown"][a["published"][:10]] += 1
    days = sorted({d for c in counts.values() for d in c})
    if not days:
        return None
    outlets = sorted(counts)
    col_w, row_h, label_w = 44, 22, 160
    cells = [
        {
            "x": label_w + i * col_w,
            "y": 20 + j * row_h,
            "n": counts[o][d],
            "r": min(10, 3 + 2 * counts[o][d]),
            "day": d,
            "outlet": o,
        }
        for j, o in enumerate(outlets)
        for i, d in enumerate(days)
        if counts[o][d]
    ]
    return {
        "width": label_w + col_w * len(days) + 10,
        "height": 30 + row_h * len(outlets),
        "outlets": [{"name": o, "y": 24 + j * row_h} for j, o in enumerate(outlets)],
        "days": [{"day": d, "x": label_w + i * col_w} for i, d in enumerate(days)],
        "cells": cells,
    }


def story_marks(story: Mapping[str, Any]) -> StoryMarks:
    """Article id → (quote marks, entity marks) of one story, in one pass over the story
    (a page per article asking the whole story again cost time growing with its square)."""
    out: StoryMarks = defaultdict(lambda: ([], []))
    for q in story.get("quotes") or []:
        if isinstance(q.get("start"), int):
            who = q.get("speaker_canonical") or q.get("speaker") or "unattributed"
            label = f"{q.get('kind', 'quote')}: {who}"
            out[q.get("article_id")][0].append((q["start"], q["end"], "quote", label))
    for e in story.get("entities") or []:
        label = f"{e.get('type', 'entity')}: {e.get('name', '')}"
        for sp in e.get("spans") or []:
            if isinstance(sp.get("start"), int):
                out[sp.get("article_id")][1].append((sp["start"], sp["end"], "entity", label))
    return dict(out)


def _outside(marks: list[Mark], quotes: list[Mark]) -> list[Mark]:
    """``marks`` that overlap none of ``quotes``."""
    if not quotes:
        return marks
    spans = sorted((q[0], q[1]) for q in quotes)
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))
    kept = []
    for m in marks:
        # the quotes starting before the mark ends; one of them overlaps when the furthest
        # end among them passes the mark's start
        n = bisect.bisect_left(starts, m[1])
        if n == 0 or reach[n - 1] <= m[0]:
            kept.append(m)
    return kept


def article_marks(
    article: Mapping[str, Any],
    stories: Iterable[Mapping[str, Any]],
    indexed: Mapping[str, StoryMarks] | None = None,
) -> list[Mark]:
    """Highlights for ``article``: its quotes, then entity mentions outside those quotes.

    ``indexed`` maps a story id to its :func:`story_marks`, when they were worked out already.
    """
    quotes: list[Mark] = []
    entities: list[Mark] = []
    for story in stories:
        known = indexed.get(story["id"]) if indexed is not None else None
        q, e = (known if known is not None else story_marks(story)).get(article["id"], ([], []))
        quotes.extend(q)
        entities.extend(e)
    return quotes + _outside(entities, quotes)


def brief_evidence(story: Mapping[str, Any]) -> list[dict[str, str]]:
    """For each brief sentence, the sentence of each cited article that carries it, as the
    brief stage found it (a story stored before brief sentences carried their evidence
    shows none)."""
    return [
        {e["article_id"]: e["text"] for e in b.get("evidence") or []}
        for b in story.get("brief") or []
    ]


def render(template: str, links: Links, **context: Any) -> str:
    """Render one page template with ``links`` and ``context``."""
    return environment().get_template(template).render(links=links, **context)


@cache
def stylesheet() -> str:
    """The one stylesheet, inlined into every page (so a static page is one self-contained file)."""
    from importlib import resources

    return resources.files("presslens.report").joinpath("templates/style.css").read_text("utf-8")


@cache
def style_hash() -> str:
    """CSP source expression allowing exactly the inlined stylesheet."""
    import base64
    import hashlib

    digest = hashlib.sha256(stylesheet().encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(*, scripts: bool, header: bool = True) -> str:
    """A strict CSP: nothing remote; our inline stylesheet by hash; our own script if any.

    ``header=False`` gives the ``<meta>`` form, which may not carry ``frame-ancestors``.
    """
    script = "script-src 'self'" if scripts else "script-src 'none'"
    policy = (
        f"default-src 'none'; style-src {style_hash()}; img-src 'self' data:; {script}; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'"
    )
    return policy + "; frame-ancestors 'none'" if header else policy


def _syndication_groups(
    story: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Originals with their copies folded under them; articles outside any group stand alone."""
    ids = [a for a in story.get("article_ids", []) if a in articles]
    groups: list[dict[str, Any]] = []
    placed: set[str] = set()
    for g in story.get("syndication") or []:
        orig = g.get("original")
        if orig not in articles or orig in placed:
            continue
        copies = [c for c in g.get("copies", []) if c in articles and c != orig]
        groups.append(
            {
                "original": orig,
                "copies": copies,
                "similarity": g.get("similarity"),
                "shared": g.get("shared"),
            }
        )
        placed.update([orig, *copies])
    groups += [
        {"original": a, "copies": [], "similarity": None, "shared": None}
        for a in ids
        if a not in placed
    ]
    return groups


def _support_marks(story: Mapping[str, Any]) -> dict[str, list[Mark]]:
    """Sentence shading: support by independent sources from ``alignment``, and ``unique``."""
    marks: dict[str, list[Mark]] = defaultdict(list)

    def add(sent: Mapping[str, Any], cls: str, title: str) -> None:
        aid, s, e = sent.get("article_id"), sent.get("start"), sent.get("end")
        if isinstance(aid, str) and isinstance(s, int) and isinstance(e, int):
            marks[aid].append((s, e, cls, title))

    for group in story.get("alignment") or []:
        support = int(group.get("support", 1))
        cls = "s1" if support <= 1 else "s2" if support == 2 else "s3"
        title = f"carried by {support} independent source{'s' if support != 1 else ''}"
        for sent in group.get("sentences", []):
            add(sent, cls, title)
    for info in story.get("unique") or []:
        for sent in info.get("sentences", []):
            add(sent, "unique", "only this outlet reports this")
    return marks


def _holds(text: str, figure: str) -> bool:
    """Whether ``text`` (case-folded) holds ``figure`` as a whole token ("15", not "150")."""
    return re.search(rf"(?<![\w.,]){re.escape(figure.casefold())}(?![\w]|[.,]\d)", text) is not None


def corrected_values(story: Mapping[str, Any]) -> dict[str, str]:
    """Notes for the discrepancy values that an outlet reached by correcting its article,
    keyed ``"d.v"`` (discrepancy and value positions): "corrected from 12 on 2026-03-05".

    A value is noted when one of its articles has a figure change whose new figure is in
    the value and whose old one is not: the outlet changed its mind, and the page says so
    instead of showing a plain disagreement.
    """
    figures: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for c in story.get("corrections") or []:
        for ch in c.get("changes") or []:
            if ch.get("kind") == "figure" and ch.get("before") and ch.get("after"):
                figures[str(c.get("article_id"))].append({**ch, "at": c.get("at")})
    notes: dict[str, str] = {}
    if not figures:
        return notes
    for di, d in enumerate(story.get("discrepancies") or []):
        for vi, v in enumerate(d.get("values") or []):
            shown = f"{v.get('value') or ''} {v.get('normalised') or ''}".casefold()
            for aid in v.get("article_ids") or []:
                for ch in figures.get(str(aid), []):
                    if _holds(shown, str(ch["after"])) and not _holds(shown, str(ch["before"])):
                        when = str(ch.get("at") or "")[:10]
                        notes[f"{di}.{vi}"] = f"corrected from {ch['before']} on {when}"
    return notes


def story_context(
    story: Mapping[str, Any],
    articles: Mapping[str, Mapping[str, Any]],
    indexed: Mapping[str, StoryMarks] | None = None,
) -> dict[str, Any]:
    """Everything the story page needs (``indexed`` as for :func:`article_marks`)."""
    arts = {a: articles[a] for a in story.get("article_ids", []) if a in articles}
    marks = _support_marks(story)
    if indexed is None or story["id"] not in indexed:
        indexed = {story["id"]: story_marks(story)}
    for art in arts.values():
        marks[art["id"]] = marks[art["id"]] + article_marks(art, [story], indexed)
    by_speaker: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for q in story.get("quotes") or []:
        by_speaker[q.get("speaker_canonical") or q.get("speaker") or "unattributed"].append(q)
    return {
        "story": story,
        "row": story_row(story, articles),
        "articles": arts,
        "cite_numbers": {aid: i + 1 for i, aid in enumerate(arts)},
        "groups": _syndication_groups(story, arts),
        "marks": marks,
        "has_support": bool(story.get("alignment")),
        "quotes_by_speaker": sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0])),
        "chart": coverage_chart(arts.values()),
        "evidence": brief_evidence(story),
        "corrected": corrected_values(story),
    }


def article_context(
    article: Mapping[str, Any],
    stories: Sequence[Mapping[str, Any]],
    indexed: Mapping[str, StoryMarks] | None = None,
) -> dict[str, Any]:
    """Everything the article page needs: its text, marks, stories and entities
    (``indexed`` as for :func:`article_marks`)."""
    entities: list[dict[str, Any]] = []
    for story in stories:
        for e in story.get("entities") or []:
            per = e.get("mentions")
            n = per.get(article["id"]) if isinstance(per, Mapping) else None
            if n:
                entities.append(
                    {
                        "name": e.get("name") or e.get("canonical"),
                        "type": e.get("type"),
                        "mentions": n,
                        "aliases": [x for x in e.get("aliases", []) if isinstance(x, str)],
                    }
                )
    return {
        "a": article,
        "marks": article_marks(article, stories, indexed),
        "story_links": [(s["id"], s.get("title")) for s in stories],
        "entities": sorted(entities, key=lambda e: -int(e["mentions"])),
    }


#: above this many articles the static index lists articles without their full text
FULL_TEXT_LIMIT = 200


def write_static_site(doc: Mapping[str, Any], out_dir: Any) -> dict[str, Any]:
    """Write ``index.html``, ``stories/N.html`` and ``articles/N.html`` for a report document."""
    from pathlib import Path

    out = Path(out_dir)
    articles = {a["id"]: a for a in doc["articles"]}
    stories = list(doc.get("stories") or [])
    story_files = {s["id"]: f"{i + 1}.html" for i, s in enumerate(stories)}
    article_files = {aid: f"{i + 1}.html" for i, aid in enumerate(articles)}
    top = StaticLinks(story_files, article_files, 0)
    deep = StaticLinks(story_files, article_files, 1)
    common = {"static": True, "script": False, "css": stylesheet()}
    rows = [story_row(s, articles) for s in stories]
    index = out / "index.html"
    index.write_text(
        render(
            "list.html.j2",
            top,
            rows=rows,
            articles=list(articles.values()),
            full_text=len(articles) <= FULL_TEXT_LIMIT,
            skipped=doc["run"]["skipped"],
            warnings=doc["run"].get("warnings", []),
            **common,
        ),
        "utf-8",
    )
    if stories:
        (out / "stories").mkdir(exist_ok=True)
    indexed = {s["id"]: story_marks(s) for s in stories}
    for s in stories:
        (out / "stories" / story_files[s["id"]]).write_text(
            render("story.html.j2", deep, **story_context(s, articles, indexed), **common),
            "utf-8",
        )
    (out / "articles").mkdir(exist_ok=True)
    in_stories: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for s in stories:
        for aid in s.get("article_ids", []):
            in_stories[aid].append(s)
    for aid, a in articles.items():
        (out / "articles" / article_files[aid]).write_text(
            render(
                "article.html.j2", deep, **article_context(a, in_stories[aid], indexed), **common
            ),
            "utf-8",
        )
    return {"index": index, "stories": len(stories), "articles": len(articles)}
