"""Threads: average linkage over stories, thread records, and the thread in every report format."""

from __future__ import annotations

import json
import random
from pathlib import Path

from test_story_clustering import _follow_ups, _quake_articles

from presslens.cluster import cluster_articles
from presslens.cluster.graph import average_linkage
from presslens.model import Article
from presslens.report import Report, RunInfo, validate_report

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'


def _graph(pairs: dict[tuple[int, int], float], n: int) -> list[dict[int, float]]:
    edges: list[dict[int, float]] = [{} for _ in range(n)]
    for (a, b), s in pairs.items():
        edges[a][b] = s
        edges[b][a] = s
    return edges


def test_average_linkage_joins_on_the_mean_over_all_cross_pairs() -> None:
    # 0-1 are alike; 2 is alike to 1 only: its mean link to {0, 1} is (0 + 0.5) / 2
    pairs = {(0, 1): 0.9, (1, 2): 0.5, (3, 4): 0.2}
    roots = average_linkage(5, _graph(pairs, 5), 0.3, lambda i: i)
    assert roots[0] == roots[1] == 0
    assert roots[2] == 2
    assert roots[3] != roots[4]
    loose = average_linkage(5, _graph(pairs, 5), 0.2, lambda i: -i)
    # the root is the member that sorts first
    assert loose[0] == loose[1] == loose[2] == 2
    assert loose[3] == loose[4] == 4


def test_average_linkage_does_not_depend_on_edge_order() -> None:
    rnd = random.Random(5)
    pairs = {(a, b): round(rnd.random(), 2) for a in range(12) for b in range(a + 1, 12)}
    pairs = {k: v for k, v in pairs.items() if v > 0.6}
    first = average_linkage(12, _graph(pairs, 12), 0.4, lambda i: i)
    items = list(pairs.items())
    for _ in range(3):
        rnd.shuffle(items)
        assert average_linkage(12, _graph(dict(items), 12), 0.4, lambda i: i) == first


def test_every_story_has_a_thread_and_a_lone_story_is_its_only_member() -> None:
    arts, _ = _quake_articles()
    stories = cluster_articles(arts).stories()
    assert len(stories) == 2
    for story in stories:
        assert story.thread is not None
        assert [ts.story_id for ts in story.thread.stories] == [story.id]
        assert story.thread.stories[0].score == 1.0
        assert story.thread.title == story.title
    assert stories[0].thread is not None and stories[1].thread is not None
    assert stories[0].thread.id != stories[1].thread.id


def _threaded_report() -> tuple[Report, str, str]:
    arts, _ = _quake_articles()
    follow_ups = _follow_ups()
    follow_ups[0] = Article(
        id=follow_ups[0].id,
        text=follow_ups[0].text,
        title="Rebuilding " + HOSTILE,
        published=follow_ups[0].published,
    )
    index = cluster_articles([*arts, *follow_ups])
    run = RunInfo(inputs=("in",), articles_in=len(arts) + 2, timings={}, stages=("cluster",))
    report = Report(articles=(*arts, *follow_ups), run=run, stories=tuple(index.stories()))
    return report, index.story_of("q0-0") or "", index.story_of("months-later") or ""


def test_the_thread_is_in_report_json_and_validates() -> None:
    report, quake, later = _threaded_report()
    doc = report.to_dict()
    validate_report(doc)
    story = next(s for s in doc["stories"] if s["id"] == quake)
    thread = story["thread"]
    assert thread["id"].startswith("thread-") and thread["title"] == "Quake hits Sumatra"
    ids = [ts["story_id"] for ts in thread["stories"]]
    assert ids[0] == quake and later in ids and len(ids) == 3
    other = next(s for s in doc["stories"] if s["id"] == later)
    assert other["thread"] == thread
    assert all(ts["shared_entities"] or ts["shared_terms"] for ts in thread["stories"])


def test_the_story_page_shows_the_thread_as_a_dated_list(tmp_path: Path) -> None:
    report, quake, later = _threaded_report()
    paths = report.write(tmp_path, ("html", "md"))
    doc = json.loads(json.dumps(report.to_dict()))
    files = {s["id"]: f"{i + 1}.html" for i, s in enumerate(doc["stories"])}
    page = (tmp_path / "stories" / files[quake]).read_text(encoding="utf-8")
    assert 'id="thread"' in page and "(this story)" in page
    thread = page[page.index('id="thread"') : page.index("</ol>", page.index('id="thread"'))]
    assert f'href="../stories/{files[later]}"' in thread
    dates = [thread.index(d) for d in ("2009-09-30", "2009-12-30", "2010-10-04")]
    assert dates == sorted(dates)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    md = Path(paths["md"]).read_text(encoding="utf-8")
    assert "Thread: Quake hits Sumatra" in md and "2009\\-12\\-30 · Rebuilding" in md
    assert "<script>" not in md


def _matter_articles() -> list[Article]:
    """Two people who share a surname and nothing else, and a fire with its trial months later.

    Each event has three outlets; the names are invented.
    """
    khan_mayor = (
        "Mayor Orla Khan of Brackwater rejected the offer of an exemption from the visa rule."
        " Khan said Orla Khan would not accept the exemption. Khan spoke at the town hall.",
        "Orla Khan, mayor of Brackwater, turned down an exemption from the visa rule on Monday."
        " Khan told the council that Khan would stay at home this summer.",
        "Brackwater's mayor Orla Khan will not take the visa exemption, Khan said. Orla Khan"
        " called the rule divisive and Khan asked the council to reject it.",
    )
    khan_father = (
        "Tomas Khan, whose son served in the navy, spoke at the convention in Pellham. Khan held"
        " up a pocket booklet. Tomas Khan said Khan had lost his son.",
        "At the Pellham convention Tomas Khan told delegates about his son; Khan raised a"
        " booklet. Khan and his wife received letters from veterans.",
        "Tomas Khan, a retired engineer, addressed the Pellham convention. Khan said Tomas Khan"
        " and his wife grieve for their son. Khan thanked the veterans.",
    )
    fire = (
        "A fire destroyed the Dunmore grain warehouse overnight; police arrested Victor Halloran"
        " on suspicion of arson. The warehouse fire burned for nine hours.",
        "Victor Halloran was charged with arson after the blaze at the Dunmore grain warehouse."
        " Firefighters fought the warehouse fire for nine hours.",
        "Police say Victor Halloran started the fire that gutted the Dunmore grain warehouse;"
        " Halloran faces an arson charge. The fire burned all night.",
    )
    trial = (
        "The arson trial of Victor Halloran opened in Dunmore; prosecutors told jurors Halloran"
        " set the grain warehouse fire. The trial is expected to last two weeks.",
        "Jurors in the Victor Halloran arson trial heard how the Dunmore grain warehouse fire"
        " began; Halloran denies setting the fire.",
        "Victor Halloran went on trial for arson over the Dunmore warehouse fire. Witnesses told"
        " the jury the grain warehouse burned for nine hours.",
    )
    events = (
        ("mayor", "2016-05-10", khan_mayor),
        ("father", "2016-08-01", khan_father),
        ("fire", "2016-03-04", fire),
        ("trial", "2016-10-12", trial),
    )
    return [
        Article(id=f"{name}-{k}", text=text, source=f"outlet{k}", published=day)
        for name, day, texts in events
        for k, text in enumerate(texts)
    ]


def test_a_shared_surname_is_no_thread_and_a_trial_joins_its_fire() -> None:
    index = cluster_articles(_matter_articles())
    story = {name: index.story_of(f"{name}-0") for name in ("mayor", "father", "fire", "trial")}
    for name, sid in story.items():
        assert sid is not None
        assert all(index.story_of(f"{name}-{k}") == sid for k in range(3))
    assert len(set(story.values())) == 4
    threads = index.threads()
    # the two Khans share their surname and nothing of one matter
    assert threads[story["mayor"] or ""].id != threads[story["father"] or ""].id
    # the trial shares the accused's full name, the place and the words of the event
    fire = threads[story["fire"] or ""]
    assert fire.id == threads[story["trial"] or ""].id
    assert {ts.story_id for ts in fire.stories} == {story["fire"], story["trial"]}
    assert fire.stories[0].story_id == story["fire"]
