"""Story clustering: same-kind events stay apart, order independence, bad input, reasons."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from presslens.cluster import StoryIndex, cluster_articles
from presslens.cluster.features import entity_terms, published_day, word_counts
from presslens.cluster.stage import ClusterStage
from presslens.config import ClusterConfig, Config
from presslens.errors import ConfigError
from presslens.model import Article, StoryArticles
from presslens.syndication.stage import SyndicationStage

QUAKES = [
    # place, magnitude, deaths, official, date, agency
    ("Sumatra", "7.6", "1,100", "Rizal Nasution", "2009-09-30", "Jakarta"),
    ("Haiti", "7.0", "230,000", "Rene Preval", "2010-01-12", "Port-au-Prince"),
]
LEADS = [
    "A powerful earthquake of magnitude {mag} struck {place} on {day}, killing at least {dead}"
    " people and flattening homes, officials in {city} said.",
    "Rescuers in {place} searched through rubble after the magnitude {mag} earthquake; the death"
    " toll rose to {dead}, {who} told reporters in {city}.",
    "{who} appealed for help as {place} counted {dead} dead after a {mag} quake shook the region"
    " and hospitals in {city} overflowed.",
    "Aftershocks rattled {place} a day after the {mag} earthquake. {who} said {dead} people were"
    " confirmed dead and thousands were homeless around {city}.",
]
FILLERS = [
    "Aid groups sent tents, water and medical teams to the earthquake zone.",
    "Roads were blocked by landslides and power was cut after the earthquake.",
    "The earthquake was felt hundreds of kilometres away, witnesses recalled.",
    "Schools stayed shut while engineers inspected cracked earthquake-damaged buildings.",
]


def _quake_articles() -> tuple[list[Article], dict[str, int]]:
    arts, gold = [], {}
    for e, (place, mag, dead, who, day, city) in enumerate(QUAKES):
        for k, lead in enumerate(LEADS):
            text = lead.format(place=place, mag=mag, dead=dead, who=who, day="Tuesday", city=city)
            aid = f"q{e}-{k}"
            arts.append(
                Article(
                    id=aid,
                    text=text + " " + FILLERS[k],
                    title=f"Quake hits {place}" if k % 2 == 0 else None,
                    source=f"outlet{k}",
                    published=day,
                )
            )
            gold[aid] = e
    return arts, gold


def _syndicated(arts: list[Article]) -> list[Article]:
    """The articles as the syndication stage hands them to the cluster stage."""
    return [a for a in SyndicationStage().run(arts) if isinstance(a, Article)]


def _partition(index: StoryIndex) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid, sid in index.assignments().items():
        groups.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def test_two_earthquakes_do_not_merge() -> None:
    arts, gold = _quake_articles()
    parts = _partition(cluster_articles(arts))
    for part in parts:
        assert len({gold[a] for a in part}) == 1
    assert len(parts) == 2


def test_two_earthquakes_apart_even_without_dates() -> None:
    arts, gold = _quake_articles()
    undated = [Article(id=a.id, text=a.text, title=a.title) for a in arts]
    parts = _partition(cluster_articles(undated))
    for part in parts:
        assert len({gold[a] for a in part}) == 1
    # apart, and each quake one story: every report on its own would be "apart" too
    assert len(parts) == 2


def _pair(published: str | None) -> list[Article]:
    """Two reports of one harbour strike that share a few names and little else, among the
    quake reports (which give the words their weights)."""
    quakes, _ = _quake_articles()
    return [
        *quakes,
        Article(
            id="strike-a",
            text="Dockers at the port of Valdoria walked out over pensions on Monday. Lorries"
            " queued on the coast road, fishermen blocked the bridge and Mayor Anna Pekkala"
            " called for calm as shops ran short of bread.",
            published=published,
        ),
        Article(
            id="strike-b",
            text="The union said talks with the employers had failed again as the Valdoria dock"
            " strike went on. Airlines added flights to the islands for stranded tourists and"
            " hotel owners in Kessel counted cancelled bookings.",
            published=published,
        ),
    ]


def test_an_unknown_date_is_weaker_evidence_than_the_same_day() -> None:
    same_day = cluster_articles(_pair("2020-03-02"))
    assert same_day.story_of("strike-a") == same_day.story_of("strike-b")
    # Undated, the pair must be twice as alike: an unknown gap weighs as one time scale.
    undated = cluster_articles(_pair(None))
    assert undated.story_of("strike-a") != undated.story_of("strike-b")
    loose = cluster_articles(_pair(None), ClusterConfig(threshold=0.05))
    assert loose.story_of("strike-a") == loose.story_of("strike-b")


def _aftershocks(published: str) -> list[Article]:
    """Two reports of a smaller quake in the same place: alike to the first event, not the same."""
    return [
        Article(
            id=f"after{k}",
            text=LEADS[k].format(
                place="Sumatra", mag="6.2", dead="12", who="Andi Arief", day="Sunday", city="Padang"
            )
            + " "
            + FILLERS[(k + 1) % len(FILLERS)],
            published=published,
        )
        for k in range(2)
    ]


def test_a_gap_of_weeks_weighs_against_merging() -> None:
    arts, _ = _quake_articles()
    same_event = [a for a in arts if a.id.startswith("q0")]
    together = cluster_articles(same_event + _aftershocks("2009-09-30"))
    assert together.story_of("q0-0") == together.story_of("after0")
    index = cluster_articles(same_event + _aftershocks("2009-10-21"))
    assert index.story_of("q0-0") != index.story_of("after0")
    assert index.story_of("after0") == index.story_of("after1")


def _strikes(first: str | None, second: str | None) -> list[Article]:
    """Two dock strikes at one port, three reports each, told in the same words and names:
    only their figures (2,000 and 3,500 dockers) and their dates tell them apart."""
    quakes, _ = _quake_articles()
    leads = [
        "Dockers at the port of Valdoria walked out over pensions, and lorries queued on the"
        " coast road as the strike closed the harbour.",
        "The Valdoria dock strike shut the harbour; the union said talks with the port"
        " employers over pensions had failed.",
        "Ferries to the islands were cancelled as Valdoria dockers struck over pensions and"
        " the port stood idle.",
    ]
    details = [
        "Mayor Anna Pekkala called for calm as {n} dockers marched.",
        "Mayor Anna Pekkala said {n} dockers had stopped work.",
        "Anna Pekkala met the union leaders of the {n} dockers.",
    ]
    out = list(quakes)
    for k in range(3):
        out.append(
            Article(
                id=f"first{k}", text=f"{leads[k]} {details[k].format(n='2,000')}", published=first
            )
        )
        out.append(
            Article(
                id=f"second{k}",
                text=f"{leads[(k + 1) % 3]} {details[k].format(n='3,500')}",
                published=second,
            )
        )
    return out


def test_a_story_is_cut_where_its_dates_part() -> None:
    # Linked by their words even three weeks apart, the two strikes are cut apart by the split
    # check only because it weighs their dates; on one day, or undated, the words alone keep
    # them one story.
    apart = _partition(cluster_articles(_strikes("2020-03-02", "2020-03-23")))
    assert frozenset({"first0", "first1", "first2"}) in apart
    assert frozenset({"second0", "second1", "second2"}) in apart
    for first, second in (("2020-03-02", "2020-03-02"), (None, None)):
        index = cluster_articles(_strikes(first, second))
        assert len({index.story_of(f"{w}{k}") for w in ("first", "second") for k in range(3)}) == 1


def _follow_ups() -> list[Article]:
    return [
        Article(
            id="months-later",
            text="Three months after the magnitude 7.6 earthquake that killed 1,100 people in"
            " Sumatra, Rizal Nasution told reporters in Jakarta that rebuilding the flattened"
            " homes would take years.",
            published="2009-12-30",
        ),
        Article(
            id="year-later",
            text="Rizal Nasution said in Jakarta that survivors of the 7.6 Sumatra earthquake,"
            " which killed 1,100, still live in tents; aid groups sent more tents and water.",
            published="2010-10-04",
        ),
    ]


def test_a_follow_up_months_later_is_another_story_of_the_same_thread() -> None:
    arts, _ = _quake_articles()
    index = cluster_articles([*arts, *_follow_ups()])
    first = index.story_of("q0-0")
    assert index.story_of("months-later") != first
    assert index.story_of("year-later") != first
    threads = index.threads()
    thread = threads[first]
    linked = {ts.story_id for ts in thread.stories}
    assert {index.story_of("months-later"), index.story_of("year-later")} <= linked
    # the other earthquake, in another country and with other names, is not of this matter
    assert index.story_of("q1-0") not in linked
    assert threads[index.story_of("q1-0")].id != thread.id
    dated = [ts.first_published for ts in thread.stories]
    assert dated == sorted(dated) and dated[0] == "2009-09-30"
    follow_up = next(ts for ts in thread.stories if ts.story_id == index.story_of("year-later"))
    assert 0 < follow_up.score < 1
    assert "nasution" in follow_up.shared_entities or "rizal nasution" in follow_up.shared_entities


def test_years_apart_the_same_names_are_another_story_and_no_thread() -> None:
    arts, _ = _quake_articles()
    same_event = [a for a in arts if a.id.startswith("q0")]
    far = [replace(a, id=a.id + "-2016", published="2016-09-30") for a in same_event]
    index = cluster_articles(same_event + far)
    assert index.story_of("q0-0") != index.story_of("q0-0-2016")
    assert index.story_of("q0-1-2016") == index.story_of("q0-0-2016")
    # seven years apart the texts (identical here) are not even one matter any more
    threads = index.threads()
    assert threads[index.story_of("q0-0")].id != threads[index.story_of("q0-0-2016")].id


# News of the same days that is about something else: it dilutes a lone article's links.
_ELSEWHERE = (
    " The central bank cut interest rates to support the rupiah as bond markets wavered."
    " Palm oil exporters counted losses and shipping firms rerouted tankers."
    " Tourism ministers met hotel owners about cancelled bookings."
)
# a lone article close to the first of the two quakes (see _quake_articles)
_NEAR_ONE = Article(
    id="lone", text="Rizal Nasution visited camps in Sumatra." + _ELSEWHERE, published="2009-10-01"
)


def test_a_lone_article_joins_the_story_it_is_clearly_closest_to() -> None:
    arts, _ = _quake_articles()
    # undated, so time does not say which of the two quakes (months apart) it follows
    near_both = Article(
        id="lone",
        text="Rizal Nasution visited camps in Sumatra and Rene Preval visited camps in Haiti."
        + _ELSEWHERE,
    )
    # a threshold too strict for the lone article to join on its own links
    strict = ClusterConfig(threshold=0.45)
    index = cluster_articles([*arts, _NEAR_ONE], strict)
    assert index.story_of("lone") == index.story_of("q0-0")
    assert len(index.stories()) == 2
    # a fragment needs threshold / fragment_ratio: with a ratio of 1 that is the threshold
    alone = cluster_articles([*arts, _NEAR_ONE], replace(strict, fragment_ratio=1.0))
    assert alone.story_of("lone") not in {alone.story_of("q0-0"), alone.story_of("q1-0")}
    torn = cluster_articles([*arts, near_both], strict)
    assert torn.story_of("lone") not in {torn.story_of("q0-0"), torn.story_of("q1-0")}


def test_a_lone_article_does_not_attach_to_another_fragment() -> None:
    arts, _ = _quake_articles()
    pair = [a for a in arts if a.id.startswith("q0")][:2]
    strict = ClusterConfig(threshold=0.45)
    # clearly closest to the quake, but two articles are a fragment, not a story to join
    index = cluster_articles([*pair, _NEAR_ONE], strict)
    assert index.story_of(pair[0].id) == index.story_of(pair[1].id)
    assert index.story_of("lone") != index.story_of(pair[0].id)
    # the same article beside the whole story joins it
    whole = cluster_articles([*arts, _NEAR_ONE], strict)
    assert whole.story_of("lone") == whole.story_of(pair[0].id)


def test_story_ids_stay_unique_when_a_founder_leaves_its_story() -> None:
    ferry = "the ministry of transport in Ostrava called the ferry strike illegal"
    arts = [
        Article(
            id="a",
            text="Harbour workers in Valdoria went on strike on Monday over pay and pensions,"
            " unions in Dorval said, as talks with the employers failed and lorries queued.",
            published="2020-03-02",
        ),
        Article(
            id="b",
            text=f"The port of Menzel stayed closed as Valdoria dockers struck; {ferry} and"
            " Captain Ilse Brandt rerouted ferries to Kessel.",
            published="2020-03-03",
        ),
        Article(
            id="c",
            text=f"{ferry.capitalize()}, and Captain Ilse Brandt rerouted the ferries to Kessel"
            " while talks stalled.",
            published="2020-03-03",
        ),
        Article(
            id="d",
            text=f"Captain Ilse Brandt rerouted the ferries to Kessel after {ferry}.",
            published="2020-03-04",
        ),
    ]
    # strict enough that "a" founds the story that "b" joins first and then leaves
    index = cluster_articles(arts, ClusterConfig(threshold=0.15))
    stories = index.stories()
    assert len({s.id for s in stories}) == len(stories)
    assert len(set(index.assignments().values())) == len(stories)
    assert index.story_of("a") != index.story_of("b")
    assert index.story_of("b") == index.story_of("c") == index.story_of("d")


def test_result_does_not_depend_on_input_order() -> None:
    arts, _ = _quake_articles()
    first = _partition(cluster_articles(arts))
    assert len(first) == 2  # the two quakes: an order-free result that says something
    ids = cluster_articles(arts).assignments()
    for seed in range(3):
        shuffled = arts[:]
        random.Random(seed).shuffle(shuffled)
        index = cluster_articles(shuffled)
        assert _partition(index) == first
        assert index.assignments() == ids


def test_story_record_carries_sources_syndication_and_reasons() -> None:
    arts, _ = _quake_articles()
    copy = Article(id="q0-copy", text=arts[0].text, source="reprinter", published="2009-10-01")
    index = cluster_articles(_syndicated([*arts, copy]))
    story = next(s for s in index.stories() if "q0-copy" in s.article_ids)
    assert story.independent_sources == len(story.article_ids) - 1
    assert story.sources is not None and "reprinter" in story.sources
    assert story.first_published == "2009-09-30" and story.last_published == "2009-10-01"
    assert story.syndication is not None and len(story.syndication) == 1
    group = story.syndication[0]
    assert group.original == "q0-0" and group.copies == ("q0-copy",)
    assert story.title == "Quake hits Sumatra"
    assert story.memberships is not None
    reasons = {m.article_id: m for m in story.memberships}
    assert set(reasons) == set(story.article_ids)
    assert all(0 < m.score <= 1 for m in reasons.values())
    assert "sumatra" in reasons["q0-1"].shared_entities
    assert reasons["q0-1"].shared_terms


def test_bad_input_is_handled_and_counted() -> None:
    rnd = random.Random(2)
    huge = " ".join(
        rnd.choice(["storm", "river", "Budapest", "flood", "bridge"]) for _ in range(200_000)
    )
    arts = [
        Article(id="empty", text=""),
        Article(id="nodate", text="Floods hit Budapest as the Danube rises."),
        Article(
            id="nosource", text="Floods hit Budapest as the Danube rises.", published="2024-05-01"
        ),
        Article(id="dup1", text="The same words twice over here.", published="2024-05-01"),
        Article(id="dup2", text="The same words twice over here.", published="2024-05-01"),
        Article(id="bad-date", text="Odd date here.", published="not a date"),
        Article(id="huge", text=huge, published="2024-05-02"),
    ] + [Article(id=f"tiny{i}", text=f"Tiny {i}.", published="2024-05-03") for i in range(2000)]
    marked = _syndicated(arts)
    index = cluster_articles([*marked, marked[1]])
    assert len(index.assignments()) == len(arts)
    assert index.counts["no_text"] == 1
    assert index.counts["no_date"] == 3
    assert index.counts["no_source"] == len(arts)
    assert index.counts["repeated_id"] == 1
    group = {a.id: a.syndication_group for a in marked}
    assert group["dup1"] == group["dup2"] != group["nodate"]
    stories = index.stories()
    assert sum(len(s.article_ids) for s in stories) == len(arts)


def test_empty_input_gives_no_stories() -> None:
    index = cluster_articles([])
    assert index.stories() == [] and index.assignments() == {}


def test_stage_yields_story_docs_with_annotated_articles() -> None:
    arts, _ = _quake_articles()
    out = list(ClusterStage.from_config(Config()).run(_syndicated(arts)))
    assert len(out) == 2 and all(isinstance(bundle, StoryArticles) for bundle in out)
    assert sorted(a.id for bundle in out for a in bundle.articles) == sorted(a.id for a in arts)
    assert all(a.syndication_group for bundle in out for a in bundle.articles)
    for bundle in out:
        assert tuple(a.id for a in bundle.articles) == bundle.story.article_ids


def test_features() -> None:
    text = "Police said. The Fulton County courthouse in Atlanta saw 4 deaths. Atlanta mourned."
    ents = entity_terms(text)
    assert "fulton county" in ents and "#4" in ents
    # a capitalised word that only opens sentences is not a name; one seen mid-sentence is
    assert "police" not in ents
    assert ents.count("atlanta") == 2
    assert "said" not in word_counts(text) and "courthouse" in word_counts(text)
    assert published_day("1970-01-02T10:00:00Z") == 1
    assert published_day("garbage") is None and published_day(None) is None


def test_names_do_not_start_inside_words_and_hyphened_numbers_belong_to_them() -> None:
    ents = entity_terms("Admins of vCenter and iPhone users met ex-President Obama on COVID-19.")
    assert "center" not in ents and "phone" not in ents
    assert "president obama" in ents and "obama" in ents
    assert "covid-19" in ents and "#19" not in ents
    assert "#26" in entity_terms("A 7.1-magnitude quake killed 26 people.")


def test_config_is_validated() -> None:
    with pytest.raises(ConfigError, match="threshold"):
        ClusterConfig(threshold=2.0).validate()
    with pytest.raises(ConfigError, match="time_scale_days"):
        StoryIndex(ClusterConfig(time_scale_days=0))
    with pytest.raises(ConfigError, match="thread_threshold"):
        ClusterConfig(thread_threshold=-0.1).validate()
    with pytest.raises(ConfigError, match="thread_time_scale_days"):
        ClusterConfig(thread_time_scale_days=0).validate()
    with pytest.raises(ConfigError, match="fragment_ratio"):
        ClusterConfig(fragment_ratio=0).validate()


@pytest.mark.usefixtures("without_embed_extra")
def test_embed_without_its_extra_names_the_install() -> None:
    from presslens.cluster import embed
    from presslens.errors import MissingDependencyError

    with pytest.raises(MissingDependencyError, match=r"presslens\[embed\]"):
        embed.Embedder()
