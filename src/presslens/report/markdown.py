"""The Markdown report: the same content as the HTML page, for terminals and diffs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md_escape(text: object) -> str:
    """Escape Markdown metacharacters, and ``& < >`` as entities, so text renders as text."""
    s = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s).replace("\n", " ")


def render_markdown(doc: Mapping[str, Any]) -> str:
    """Render a report document (``Report.to_dict()``) as Markdown."""
    run = doc["run"]
    out = [
        "# presslens report",
        "",
        f"{run['counts']['kept']} articles kept of {run['counts']['articles_in']} read; "
        f"{run['counts']['skipped']} inputs skipped.",
        "",
    ]
    if "stories" in doc:
        out += [f"## Stories ({len(doc['stories'])})", ""]
        for s in doc["stories"]:
            out.append(f"### {md_escape(s.get('title') or s['id'])}")
            if "sources" in s:
                out.append(f"Outlets: {md_escape(', '.join(s['sources']))}  ")
            if "independent_sources" in s:
                out.append(f"Independent sources: {s['independent_sources']}  ")
            out.append("Articles: " + ", ".join(md_escape(a) for a in s["article_ids"]))
            thread = s.get("thread") or {}
            if len(thread.get("stories") or []) > 1:
                out.append(f"Thread: {md_escape(thread.get('title') or thread['id'])}")
                for ts in thread["stories"]:
                    day = md_escape((ts.get("first_published") or "undated")[:10])
                    here = " (this story)" if ts["story_id"] == s["id"] else ""
                    title = md_escape(ts.get("title") or ts["story_id"])
                    out.append(f"- {day} · {title}{here}")
            for b in s.get("brief") or []:
                out.append(f"- {md_escape(b['text'])} [{md_escape(', '.join(b['cites']))}]")
            out.append("")
    out += [f"## Articles ({len(doc['articles'])})", ""]
    for a in doc["articles"]:
        out.append(f"### {md_escape(a['title'] or a['id'])}")
        meta = [md_escape(a["source"] or "unknown outlet")]
        if a["published"]:
            meta.append(md_escape(a["published"]))
        meta.append(f"{a['word_count']} words")
        meta.append(f"id {md_escape(a['id'])}")
        out += [" · ".join(meta), ""]
        for para in a["text"].split("\n\n"):
            if para.strip():
                out += [md_escape(para.strip()), ""]
        if a["removed"]:
            out.append("Removed by cleaning:")
            out += [
                f"- ~~{md_escape(r['line'])}~~ ({md_escape(r['reason'])})" for r in a["removed"]
            ]
            out.append("")
    for title, rows, what in (
        ("Skipped inputs", run["skipped"], "reason"),
        ("Read with a warning", run.get("warnings", []), "message"),
    ):
        if rows:
            out += [f"## {title}", "", f"| path | where | {what} |", "|---|---|---|"]
            for s in rows:
                where = md_escape(_where(s))
                out.append(f"| {md_escape(s['path'])} | {where} | {md_escape(s[what])} |")
            out.append("")
    return "\n".join(out)


def _where(row: dict[str, Any]) -> str:
    """Where in its file a skip or warning row points: line, location, or both."""
    parts = [] if row["line"] is None else [f"line {row['line']}"]
    return ", ".join([*parts, *([row["location"]] if row.get("location") else [])])
