"""Syndication: MinHash accuracy, lineage, order independence and bad input."""

from __future__ import annotations

import pickle
import random
from typing import Any

import numpy as np
import pytest
from datasketch import MinHashLSH

from presslens.config import SyndicationConfig
from presslens.errors import ConfigError
from presslens.model import Article
from presslens.syndication import SyndicationIndex, exact_jaccard, find_syndication, shingle_hashes
from presslens.syndication.index import (
    bucket_pairs,
    estimate_jaccard,
    minhash_signatures,
    sample_pairs,
    text_features,
)
from presslens.syndication.stage import SyndicationStage

VOCAB = [f"w{i}" for i in range(400)]


def _text(rnd: random.Random, n: int = 200) -> str:
    return " ".join(rnd.choice(VOCAB) for _ in range(n))


def _edit(text: str, share: float, rnd: random.Random) -> str:
    words = text.split()
    for _ in range(int(len(words) * share)):
        words[rnd.randrange(len(words))] = rnd.choice(VOCAB)
    return " ".join(words)


def test_minhash_estimate_tracks_exact_jaccard() -> None:
    rnd = random.Random(3)
    errors = []
    for share in (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6):
        for _ in range(4):
            base = _text(rnd)
            a = shingle_hashes(base.split(), 5)
            b = shingle_hashes(_edit(base, share, rnd).split(), 5)
            sig_a, sig_b = minhash_signatures([a, b], 128, seed=5)
            errors.append(abs(estimate_jaccard(sig_a, sig_b) - exact_jaccard(a, b)))
    assert max(errors) < 0.12
    assert float(np.mean(errors)) < 0.04


def test_signatures_of_a_batch_equal_those_computed_one_by_one() -> None:
    rnd = random.Random(4)
    sets = [shingle_hashes(_text(rnd, n).split(), 5) for n in (1, 7, 300, 9000, 40)]
    together = minhash_signatures(sets, 64, seed=2)
    alone = np.concatenate([minhash_signatures([s], 64, seed=2) for s in sets])
    assert np.array_equal(together, alone)
    assert not np.array_equal(together, minhash_signatures(sets, 64, seed=3))


def test_shingles_are_stable_and_exact_jaccard_is_a_set_measure() -> None:
    words = ["a", "b", "c", "d", "e", "f", "g"]
    h = shingle_hashes(words, 3)
    assert len(h) == 5 and np.all(np.diff(h.astype(np.float64)) > 0)
    assert np.array_equal(h, shingle_hashes(list(words), 3))
    assert exact_jaccard(h, h) == 1.0
    assert exact_jaccard(h, shingle_hashes(["x", "y", "z"], 3)) == 0.0
    assert len(shingle_hashes(["one"], 3)) == 1
    assert exact_jaccard(shingle_hashes([], 3), h) == 0.0


def _corpus(seed: int = 1) -> list[Article]:
    rnd = random.Random(seed)
    base = _text(rnd, 300)
    other = _text(rnd, 300)
    return [
        Article(id="orig", text=base, published="2024-03-01", source="wire"),
        Article(id="copy-footer", text=base + " subscribe now", published="2024-03-02"),
        Article(id="copy-edit", text=_edit(base, 0.05, rnd), published="2024-03-01T18:00:00"),
        Article(id="copy-trim", text=" ".join(base.split()[:250]), published=None),
        Article(id="unrelated", text=other, published="2024-02-01"),
    ]  # fmt: skip


def test_copies_grouped_and_earliest_is_original() -> None:
    result = find_syndication(_corpus())
    groups = {g.original: g for g in result.groups}
    assert set(groups) == {"orig", "unrelated"}
    g = groups["orig"]
    assert set(g.copies) == {"copy-footer", "copy-edit", "copy-trim"}
    assert all(0.3 <= s <= 1.0 for s in g.similarity.values())
    assert result.original["orig"] and not result.original["copy-edit"]
    assert result.group_of["copy-trim"] == g.id


def test_ties_go_to_smallest_id_and_undated_rank_last() -> None:
    text = "the same wire text " * 20
    arts = [
        Article(id="b", text=text, published="2024-01-01"),
        Article(id="a", text=text, published="2024-01-01"),
        Article(id="0", text=text, published=None),
    ]
    (group,) = find_syndication(arts).groups
    assert group.original == "a"
    assert group.copies == ("b", "0")


def test_result_does_not_depend_on_input_order() -> None:
    arts = _corpus(4)
    first = find_syndication(arts)
    assert any(g.copies for g in first.groups)  # groups to keep, not only lone texts
    for seed in range(3):
        shuffled = arts[:]
        random.Random(seed).shuffle(shuffled)
        again = find_syndication(shuffled)
        assert again.groups == first.groups
        assert again.group_of == first.group_of


def test_bad_input_is_counted_never_fatal() -> None:
    rnd = random.Random(9)
    huge = _text(rnd, 60_000)
    arts = [
        Article(id="empty1", text=""),
        Article(id="empty2", text="   \n "),
        Article(id="same1", text="Identical short text."),
        Article(id="same2", text="identical   SHORT text."),
        Article(id="huge", text=huge),
        Article(id="huge-copy", text=huge),
    ] + [Article(id=f"tiny{i}", text=f"tiny {i}") for i in range(3000)]
    result = find_syndication(arts, SyndicationConfig(max_words=20_000))
    assert result.group_of["empty1"] != result.group_of["empty2"]
    assert result.group_of["same1"] == result.group_of["same2"]
    assert result.group_of["huge"] == result.group_of["huge-copy"]
    assert result.group_of["tiny1"] != result.group_of["tiny2"]
    assert result.counts["no_text"] == 2
    assert result.counts["exact_duplicate"] == 2
    assert result.counts["truncated"] == 2
    assert result.counts["short_text"] >= 3000
    assert len(result.group_of) == len(arts)


def test_state_round_trip_keeps_groups_and_goes_on() -> None:
    arts = _corpus(5)
    index = SyndicationIndex()
    index.add_all(arts[:3])
    restored = SyndicationIndex.from_state(index.state())
    restored.add_all(arts[3:])
    direct = find_syndication(arts)
    assert restored.result().groups == direct.groups
    # the copy added after the round trip joins the group kept through it
    assert restored.result().group_of["copy-trim"] == restored.result().group_of["orig"]


def test_stage_marks_every_article() -> None:
    stage = SyndicationStage.from_config(__import__("presslens.config").config.Config())
    out = list(stage.run(_corpus()))
    assert [a.id for a in out] == [a.id for a in _corpus()]
    assert all(isinstance(a, Article) and a.syndication_group for a in out)
    assert sum(1 for a in out if isinstance(a, Article) and a.is_original) == 2


def test_a_reprint_of_the_first_paragraphs_is_a_copy() -> None:
    rnd = random.Random(21)
    story = _text(rnd, 1200)
    lead = " ".join(story.split()[:200])
    arts = [
        Article(id="wire", text=story, published="2024-05-01"),
        # a regional paper runs the first sixth, lightly edited, under its own footer
        Article(id="brief", text=_edit(lead, 0.03, rnd) + " Local news since 1870."),
        # another outlet quotes one sentence of the wire story inside its own report
        Article(id="quoting", text=_text(rnd, 250) + " " + " ".join(story.split()[500:530])),
    ]
    a, b = shingle_hashes(story.split(), 5), shingle_hashes(lead.split(), 5)
    assert exact_jaccard(a, b) < SyndicationConfig().min_jaccard
    result = find_syndication(arts)
    assert result.group_of["brief"] == result.group_of["wire"]
    assert result.group_of["quoting"] != result.group_of["wire"]
    (group,) = [g for g in result.groups if g.copies]
    assert group.original == "wire" and group.copies == ("brief",)
    # the reported similarity stays the Jaccard with the original; the shared share says
    # that nearly all of the brief is in it
    assert group.similarity["brief"] < SyndicationConfig().min_jaccard
    assert group.shared["brief"] > 0.8
    # a containment threshold above what the brief reaches keeps it apart
    strict = find_syndication(arts, SyndicationConfig(min_containment=0.99))
    assert strict.group_of["brief"] != strict.group_of["wire"]


def test_a_reprint_added_after_a_restore_is_still_found() -> None:
    rnd = random.Random(22)
    story = _text(rnd, 1000)
    index = SyndicationIndex()
    index.add_all([Article(id="wire", text=story)])
    restored = SyndicationIndex.from_state(index.state())
    restored.add_all([Article(id="brief", text=" ".join(story.split()[:150]))])
    result = restored.result()
    assert result.group_of["brief"] == result.group_of["wire"]


def test_a_news_in_brief_page_joins_none_of_its_stories() -> None:
    rnd = random.Random(23)
    # five stories: each is a fifth of the page, too little of it for the Jaccard test
    stories = [_text(rnd, 150) for _ in range(5)]
    arts = [Article(id=f"story{k}", text=t) for k, t in enumerate(stories)]
    arts.append(Article(id="briefs", text="News in brief. " + " ".join(stories)))
    result = find_syndication(arts)
    assert len(set(result.group_of.values())) == 6
    assert result.counts["roundup"] == 1
    # without the round-up test the page would have made one source of three stories
    alone = find_syndication([arts[0], arts[-1]])
    assert alone.group_of["story0"] == alone.group_of["briefs"]


def test_a_later_unrelated_text_inside_a_container_is_not_linked() -> None:
    rnd = random.Random(24)
    first, second, *rest = (_text(rnd, 300) for _ in range(4))
    page = Article(id="page", text=" ".join([first, second, *rest]))
    index = SyndicationIndex()
    index.add_all([page, Article(id="first", text=first)])
    restored = SyndicationIndex.from_state(index.state())
    restored.add_all([Article(id="second", text=second)])
    result = restored.result()
    assert result.group_of["first"] == result.group_of["page"]
    assert result.group_of["second"] != result.group_of["page"]
    assert result.counts["roundup"] == 1


def test_linking_spread_over_tasks_groups_exactly_as_in_place() -> None:
    rnd = random.Random(25)
    story = _text(rnd, 1200)
    stories = [_text(rnd, 150) for _ in range(3)]
    arts = [
        *_corpus(3),
        Article(id="wire", text=story, published="2024-05-01"),
        Article(id="lead", text=" ".join(story.split()[:200])),
        *(Article(id=f"short{k}", text=t) for k, t in enumerate(stories)),
        Article(id="briefs", text="News in brief. " + " ".join(stories)),
    ]
    tasks: list[str] = []

    def mapper(fn: Any, items: Any) -> list[Any]:
        # a stand-in for a cluster: every job must survive being sent to a worker
        tasks.extend([fn.__name__] * len(items))
        return [fn(pickle.loads(pickle.dumps(x))) for x in items]

    here, spread = SyndicationIndex(), SyndicationIndex()
    features = text_features(arts, SyndicationConfig())
    here.add_features(arts, features)
    spread.add_features(arts, features, mapper)
    assert spread.result().group_of == here.result().group_of
    assert spread.result().groups == here.result().groups
    assert spread.counts == here.counts and here.counts["roundup"] == 1
    assert tasks.count("_band_candidates") == here.bands and "_pair_scores" in tasks


def test_sample_pairs_need_enough_shared_samples_and_skip_boilerplate() -> None:
    # texts 0 and 1 share three samples of their three; text 2 shares one with text 0
    samples = np.array([8, 16, 24, 8, 16, 24, 8, 40], dtype=np.uint64)
    docs = np.array([0, 0, 0, 1, 1, 1, 2, 2], dtype=np.int64)
    fresh = np.ones(len(docs), dtype=bool)
    assert sample_pairs(samples, docs, fresh, 0.3).tolist() == [[0, 1]]
    assert len(sample_pairs(samples, docs, docs >= 2, 0.3)) == 0
    # one sample held by a hundred texts (a footer) proposes nothing
    crowd = np.full(100, 64, dtype=np.uint64)
    owners = np.arange(100, dtype=np.int64)
    assert len(sample_pairs(crowd, owners, np.ones(100, dtype=bool), 0.0)) == 0


def test_config_is_validated() -> None:
    with pytest.raises(ConfigError, match="min_jaccard"):
        SyndicationConfig(min_jaccard=1.5).validate()
    with pytest.raises(ConfigError, match="min_containment"):
        SyndicationConfig(min_containment=0).validate()
    with pytest.raises(ConfigError, match="containment_min_shingles"):
        SyndicationConfig(containment_min_shingles=0).validate()
    with pytest.raises(ConfigError, match="shingle_size"):
        SyndicationIndex(SyndicationConfig(shingle_size=0))


def test_lsh_bands_are_datasketchs_choice() -> None:
    index = SyndicationIndex(SyndicationConfig(lsh_threshold=0.4, num_perm=64))
    lsh = MinHashLSH(threshold=0.4, num_perm=64)
    assert (index.bands, index.rows) == (lsh.b, lsh.r)


def test_a_crowded_bucket_still_groups_every_copy() -> None:
    rnd = random.Random(12)
    base = _text(rnd, 200)
    arts = [Article(id=f"c{k:03d}", text=_edit(base, 0.02, rnd)) for k in range(400)]
    result = find_syndication(arts)
    assert len(set(result.group_of.values())) == 1
    index = SyndicationIndex()
    index.add_all(arts)
    # a candidate already in the group is not verified: one kept pair per joined copy
    assert len(index.jaccard) == len(arts) - 1


def test_bucket_pairs_are_bounded_and_complete_in_small_buckets() -> None:
    n = 1000
    keys = np.zeros((n, 1), dtype=np.uint64)
    keys[:10, 0] = 7
    order = np.arange(n, dtype=np.uint64)[::-1].copy()
    pairs = bucket_pairs(keys, order, np.ones(n, dtype=bool))
    small = {(int(a), int(b)) for a, b in pairs if a < 10 and b < 10}
    assert len(small) == 45
    assert len(pairs) - 45 <= (n - 10) * 16
    none_fresh = bucket_pairs(keys, order, np.zeros(n, dtype=bool))
    assert len(none_fresh) == 0


def test_cluster_stage_keeps_the_groups_of_the_syndication_stage() -> None:
    from dataclasses import replace

    from presslens.cluster.stage import ClusterStage
    from presslens.config import Config
    from presslens.model import StoryArticles

    marked = [a for a in SyndicationStage().run(_corpus()) if isinstance(a, Article)]
    assert len({a.syndication_group for a in marked if a.id != "unrelated"}) == 1
    out = list(ClusterStage.from_config(Config()).run(marked))
    kept = {
        a.id: a.syndication_group
        for bundle in out
        if isinstance(bundle, StoryArticles)
        for a in bundle.articles
    }
    assert kept == {a.id: a.syndication_group for a in marked}
    # a group set upstream is trusted, not recomputed: an unrelated text stays in it
    planted = [replace(a, syndication_group="g-up") if a.id == "unrelated" else a for a in marked]
    planted = [replace(a, syndication_group="g-up") if a.id == "orig" else a for a in planted]
    regrouped = list(ClusterStage.from_config(Config()).run(planted))
    groups = {a.id: a.syndication_group for bundle in regrouped for a in bundle.articles}
    assert groups["unrelated"] == groups["orig"]
    assert groups["copy-edit"] != groups["orig"]
