"""What changed in a store since a time: new stories, stories that grew, new discrepancies,
corrected articles, who has not covered a story yet, and the health of the sources.

Everything is read from the store's ``story_log`` (one row each time a story is written),
``article_versions`` and ``sources``, so it works for a store filled by ``watch``,
``ingest`` or ``analyze --db`` alike.

"Not covered yet" lists, for each new or grown story, the outlets of the story's thread (its
``thread`` when the story carries one: the other stories of the same ongoing matter) that
have no article in it.  A story without a thread is measured against the outlets that
published anything since the same time: they were writing, but not about this.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from presslens.codec import to_jsonable
from presslens.errors import ConfigError
from presslens.report.markdown import md_escape
from presslens.store import Store
from presslens.store.history import discrepancy_key
from presslens.store.watch import SourceRow, StoryState, utc_iso, utc_now

#: JSON document kind of ``changes --format json`` and ``/api/changes``
CHANGES_SCHEMA = "presslens.changes/1"

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> timedelta:
    """``90s``, ``15m``, ``2h30m``, ``1d`` or ``1w`` as a duration; a bare number is minutes.
    :class:`ConfigError` for anything else or zero."""
    raw = text.strip()
    seconds = 0.0
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        seconds = float(raw) * 60
    else:
        pos = 0
        for m in _DURATION.finditer(raw):
            if raw[pos : m.start()].strip():
                break
            seconds += float(m.group(1)) * _UNIT_SECONDS[m.group(2).lower()]
            pos = m.end()
        if pos == 0 or raw[pos:].strip():
            raise ConfigError(f"not a duration: {text!r} (say 90s, 15m, 2h30m, 1d or 1w)")
    if seconds <= 0:
        raise ConfigError(f"a duration must be longer than zero, got {text!r}")
    return timedelta(seconds=seconds)


def parse_since(text: str, now: datetime | None = None) -> str:
    """A ``--since`` value as the store writes times: an ISO date or time (without a zone:
    the local time of this machine) or a duration ago (``24h``, ``2d``)."""
    moment = now or datetime.now(UTC)
    raw = text.strip()
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        try:
            return utc_iso(moment - parse_duration(raw))
        except ConfigError:
            raise ConfigError(
                f"--since must be an ISO date or time (2026-03-01T06:00) or a duration ago"
                f" (24h, 2d), got {text!r}"
            ) from None
    if when.tzinfo is None:
        when = when.astimezone()
    return utc_iso(when)


def _story(state: StoryState) -> dict[str, Any]:
    return {
        "id": state.story_id,
        "title": state.title,
        "articles": state.articles,
        "sources": list(state.sources),
        "independent_sources": state.independent_sources,
    }


def _peers(
    store: Store,
    thread: Sequence[str],
    active: Sequence[str],
    known: dict[str, tuple[str, ...]],
) -> tuple[list[str], str]:
    """The outlets a story is measured against, and which basis gave them.  ``known`` holds
    the latest outlets of the stories looked up so far: stories of one thread share their
    thread-mates, so each is read once per :func:`changes_since`."""
    if thread:
        missing = [s for s in thread if s not in known]
        if missing:
            known.update(dict.fromkeys(missing, ()))
            known.update(store.latest_sources(missing))
        return sorted({o for other in thread for o in known[other]}), "thread"
    return list(active), "active"


def _values(
    discrepancy: Mapping[str, Any], sources: Mapping[str, str | None]
) -> list[dict[str, Any]]:
    out = []
    for v in discrepancy.get("values") or ():
        if not isinstance(v, Mapping):
            continue
        ids = [str(a) for a in v.get("article_ids") or ()]
        outlets = sorted({s for a in ids if (s := sources.get(a))})
        out.append({"value": v.get("value"), "normalised": v.get("normalised"), "sources": outlets})
    return out


def _health(row: SourceRow, now: str) -> dict[str, Any]:
    if row.checked_at is None:
        status = "not checked yet"
    elif row.failures == 0:
        status = "ok"
    elif row.next_check_at is not None and row.next_check_at > now:
        status = "backed off"
    else:
        status = "failing"
    return {
        "url": row.url,
        "name": row.name,
        "kind": row.kind,
        "status": status,
        "checked_at": row.checked_at,
        "ok_at": row.ok_at,
        "failures": row.failures,
        "next_check_at": row.next_check_at,
        "last_error": row.last_error,
        "entries": row.entries,
        "articles": row.articles,
    }


def source_health(store: Store, now: str | None = None) -> list[dict[str, Any]]:
    """Every source with its status (``ok``, ``failing``, ``backed off`` or ``not checked
    yet``), failures in a row, last error and when it is tried again."""
    moment = now or utc_now()
    return [_health(r, moment) for r in store.list_sources()]


def changes_since(store: Store, since: str, *, now: str | None = None) -> dict[str, Any]:
    """What changed in ``store`` at or after ``since`` (a time as the store writes them),
    as a JSON document (see the module and the README's ``changes`` section)."""
    moment = now or utc_now()
    active = store.outlets_added_since(since)
    new_stories: list[dict[str, Any]] = []
    grown: list[dict[str, Any]] = []
    discrepancies: list[dict[str, Any]] = []
    bases: set[str] = set()
    known: dict[str, tuple[str, ...]] = {}
    for story_id in store.stories_logged_since(since):
        before, latest = store.story_states(story_id, since)
        if latest.removed:
            continue
        thread, found = store.story_extract(story_id)
        peers, basis = _peers(store, thread, active, known)
        entry = _story(latest)
        entry["not_covered_by"] = [p for p in peers if p not in latest.sources]
        if entry["not_covered_by"]:
            bases.add(basis)
        if before is None:
            new_stories.append(entry)
        else:
            new_sources = sorted(set(latest.sources) - set(before.sources))
            more = (latest.independent_sources or 0) > (before.independent_sources or 0)
            if new_sources or more:
                entry["new_sources"] = new_sources
                entry["before"] = {
                    "articles": before.articles,
                    "sources": list(before.sources),
                    "independent_sources": before.independent_sources,
                }
                grown.append(entry)
        old = {} if before is None else before.discrepancies
        fresh = {
            k: v for k, v in latest.discrepancies.items() if k not in old or set(v) - set(old[k])
        }
        if not fresh:
            continue
        article_ids = [
            str(a)
            for d in found
            for v in d.get("values") or ()
            if isinstance(v, Mapping)
            for a in v.get("article_ids") or ()
        ]
        sources = store.article_sources(article_ids)
        for d in found:
            key = discrepancy_key(d)
            if key not in fresh:
                continue
            discrepancies.append(
                {
                    "story_id": story_id,
                    "story_title": latest.title,
                    "kind": d.get("kind"),
                    "quantity": d.get("quantity"),
                    "subject": d.get("subject"),
                    "values": _values(d, sources),
                    "new_values": sorted(set(fresh[key]) - set(old.get(key, ()))),
                    "new": key not in old,
                }
            )
    corrected = []
    for article_id, version, at in store.versions_since(since):
        article = store.get_article(article_id)
        if article is None:
            continue
        revision = next((r for r in article.revisions if r.version == version), None)
        corrected.append(
            {
                "article_id": article_id,
                "title": article.title,
                "source": article.source,
                "url": article.url,
                "version": version,
                "at": at,
                "stories": store.stories_for_article(article_id),
                "changes": to_jsonable(revision.changes if revision is not None else ()),
            }
        )
    new_stories.sort(key=lambda s: (-(s["independent_sources"] or 0), -s["articles"], s["id"]))
    grown.sort(key=lambda s: (-len(s["new_sources"]), -(s["independent_sources"] or 0), s["id"]))
    return {
        "schema": CHANGES_SCHEMA,
        "since": since,
        "generated": moment,
        "not_covered_basis": (
            "thread" if bases == {"thread"} else "active" if bases == {"active"} else "mixed"
        )
        if bases
        else None,
        "outlets_active": active,
        "new_stories": new_stories,
        "grown_stories": grown,
        "new_discrepancies": discrepancies,
        "corrected_articles": corrected,
        "sources": source_health(store, moment),
    }


def _when(at: str | None) -> str:
    """A stored time as ``YYYY-MM-DD HH:MM UTC``."""
    if not at:
        return "never"
    return at[:16].replace("T", " ") + " UTC"


def _outlets(names: Sequence[str]) -> str:
    return md_escape(", ".join(names)) if names else "none"


def _change_text(change: Mapping[str, Any]) -> str:
    kind = str(change.get("kind"))
    before, after = change.get("before"), change.get("after")
    if kind in ("headline", "figure", "date"):
        text = f"{kind} {md_escape(before)} → {md_escape(after)}"
        if change.get("context"):
            text += f" (“{md_escape(change['context'])}”)"
        return text
    if kind in ("paragraph added", "correction notice"):
        return f"{kind}: “{md_escape(after)}”"
    if kind == "paragraph removed":
        return f"{kind}: “{md_escape(before)}”"
    if kind == "more":
        return md_escape(after)
    return kind


def render_changes_markdown(doc: Mapping[str, Any]) -> str:
    """The changes document as Markdown (every value from the store escaped)."""
    out = [f"# What changed since {_when(doc['since'])}", ""]
    basis = {
        "thread": "among the outlets covering the story's thread",
        "active": "among the outlets that published since then",
        "mixed": "among the outlets of the story's thread, else those that published since then",
    }.get(str(doc.get("not_covered_basis")), "")

    def story_line(s: Mapping[str, Any]) -> str:
        title = md_escape(s.get("title") or s["id"])
        line = (
            f"- **{title}**: {s['articles']} articles from {len(s['sources'])} outlets"
            f" ({s.get('independent_sources') or 0} independent): {_outlets(s['sources'])}"
        )
        if s.get("new_sources") is not None:
            before = s["before"]
            line += (
                f"; new: {_outlets(s['new_sources'])} (independent sources"
                f" {before.get('independent_sources') or 0} → {s.get('independent_sources') or 0})"
            )
        if s.get("not_covered_by"):
            line += f". Not covered yet by: {_outlets(s['not_covered_by'])}"
        return line

    sections: list[tuple[str, list[str]]] = [
        ("New stories", [story_line(s) for s in doc["new_stories"]]),
        ("Stories that grew", [story_line(s) for s in doc["grown_stories"]]),
    ]
    lines = []
    for d in doc["new_discrepancies"]:
        values = "; ".join(
            f"{md_escape(v['value'])} ({_outlets(v['sources'])})" for v in d["values"]
        )
        what = md_escape(" ".join(str(x) for x in (d.get("quantity"), d.get("subject")) if x))
        title = md_escape(d.get("story_title") or d["story_id"])
        tag = "new" if d.get("new") else "new values " + md_escape(", ".join(d["new_values"]))
        lines.append(f"- **{title}**: {what}: {values} ({tag})")
    sections.append(("New discrepancies", lines))
    lines = []
    for c in doc["corrected_articles"]:
        title = md_escape(c.get("title") or c["article_id"])
        what = "; ".join(_change_text(ch) for ch in c["changes"]) or "text changed"
        lines.append(
            f"- **{title}** ({md_escape(c.get('source') or 'unknown outlet')},"
            f" {_when(c['at'])}, version {c['version'] + 1}): {what}"
        )
    sections.append(("Corrected articles", lines))
    for heading, items in sections:
        out.append(f"## {heading} ({len(items)})")
        out.append("")
        out.extend(items or ["None."])
        out.append("")
    if basis and (doc["new_stories"] or doc["grown_stories"]):
        out.append(f"“Not covered yet” is measured {basis}.")
        out.append("")
    sources = doc["sources"]
    if sources:
        ok = sum(1 for s in sources if s["status"] == "ok")
        out.append(f"## Sources ({len(sources)}: {ok} ok)")
        out.append("")
        for s in sources:
            if s["status"] == "ok":
                continue
            name = md_escape(s.get("name") or s["url"])
            line = f"- {name} <{md_escape(s['url'])}>: {s['status']}"
            if s["failures"]:
                line += f", {s['failures']} failures in a row"
            if s.get("last_error"):
                line += f"; last error: {md_escape(s['last_error'])}"
            if s["status"] == "backed off":
                line += f"; next try {_when(s['next_check_at'])}"
            out.append(line)
        out.append("")
    return "\n".join(out)
