"""Syndication: MinHash accuracy, lineage, order independence and bad input."""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash

from presslens.config import DedupConfig
from presslens.dedup import SyndicationIndex, exact_jaccard, find_syndication, shingle_hashes
from presslens.dedup.stage import SyndicationStage
from presslens.errors import ConfigError
from presslens.model import Article

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
    index = SyndicationIndex(DedupConfig(seed=5))
    errors = []
    for share in (0.0, 0.05, 0.1, 0.2, 0.4):
        base = _text(rnd)
        a = shingle_hashes(base.split(), 5)
        b = shingle_hashes(_edit(base, share, rnd).split(), 5)
        sig_a, sig_b = index._signature(a), index._signature(b)
        est = index._minhash(sig_a).jaccard(index._minhash(sig_b))
        errors.append(abs(est - exact_jaccard(a, b)))
    assert max(errors) < 0.12
    assert float(np.mean(errors)) < 0.06


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
    result = find_syndication(arts, DedupConfig(max_words=20_000))
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


def test_stage_marks_every_article() -> None:
    stage = SyndicationStage.from_config(__import__("presslens.config").config.Config())
    out = list(stage.run(_corpus()))
    assert [a.id for a in out] == [a.id for a in _corpus()]
    assert all(isinstance(a, Article) and a.syndication_group for a in out)
    assert sum(1 for a in out if isinstance(a, Article) and a.original) == 2


def test_config_is_validated() -> None:
    with pytest.raises(ConfigError, match="min_jaccard"):
        DedupConfig(min_jaccard=1.5).validate()
    with pytest.raises(ConfigError, match="shingle_size"):
        SyndicationIndex(DedupConfig(shingle_size=0))


def test_datasketch_agrees_on_identical_signatures() -> None:
    index = SyndicationIndex()
    sig = index._signature(shingle_hashes(["one", "two", "three", "four", "five", "six"], 5))
    assert isinstance(index._minhash(sig), MinHash)
    assert index._minhash(sig).jaccard(index._minhash(sig.copy())) == 1.0
