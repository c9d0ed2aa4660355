"""The cheaper pipeline gives what spaCy's own gives, and an article's result does not depend
on the other articles of its batch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from presslens.config import QuotesConfig
from presslens.model import Article, Story, StoryArticles
from presslens.quotes.analyze import analyze_stories
from presslens.quotes.attributes import compile_ruler
from presslens.quotes.load import (
    PARAGRAPH_PIPE,
    _block_ops_class,
    _numpy_uses_openblas,
    _WordList,
    lemma_of,
    load_nlp,
    resolve_model_name,
)

#: invented text with the attribute ruler's special cases: contractions, "there is",
#: pronouns as subjects and objects, "been"/"being", "'d", plural nouns, spaces and breaks
TEXT = (
    "Harbour Board Says Ferries Will Run\n\n"
    "The board's chairwoman, Dana Whitcombe, said on Monday that the ferries would run "
    'again.  "We ain\'t gonna wait, and y\'all know it," she told reporters. "Let\'s go."\n'
    "There is no timetable yet, and officials have been cautious: it's being reviewed.\n\n"
    "I'd say you gotta trust them, a captain told me. C'mon, he added, it has hoped for this. "
    "Allegations that the inspectors' reports were altered were denied by the agency."
)
OTHERS = (
    "Rain closed the coast road on Sunday, police said, and it may stay shut until Friday.",
    "“We will rebuild the pier,” Mayor Tomas Eckley told the council.\n\nHe gave no date.",
)


def _token_view(tok: Any, lemma: str) -> tuple[Any, ...]:
    return (
        tok.text,
        tok.tag_,
        tok.pos_,
        str(tok.morph),
        tok.dep_,
        tok.head.i,
        tok.ent_iob_,
        tok.ent_type_,
        tok.is_sent_start,
        lemma,
    )


def test_model_loads_once(nlp: Any) -> None:
    assert load_nlp(None) is nlp


def test_same_annotations_as_spacys_own_pipeline(nlp: Any) -> None:
    import spacy

    stock = spacy.load(resolve_model_name(None))
    stock.add_pipe(PARAGRAPH_PIPE, before="parser")
    assert "lemmatizer" in stock.pipe_names and "lemmatizer" not in nlp.pipe_names
    ours, theirs = nlp(TEXT), stock(TEXT)
    assert [_token_view(t, lemma_of(t)) for t in ours] == [_token_view(t, t.lemma_) for t in theirs]
    # the stock doc's lemmas come from its lemmatizer; ours were never set by one
    assert any(t.lemma == 0 for t in ours)


def test_an_articles_result_does_not_depend_on_its_batch(nlp: Any) -> None:
    alone = nlp(TEXT)
    batched = list(nlp.pipe([OTHERS[0], TEXT, OTHERS[1]], batch_size=3))[1]
    assert [_token_view(t, lemma_of(t)) for t in alone] == [
        _token_view(t, lemma_of(t)) for t in batched
    ]
    assert np.array_equal(alone.tensor, batched.tensor)

    def story(aid: str, text: str) -> StoryArticles:
        return StoryArticles(Story(aid, (aid,)), (Article(id=aid, text=text),))

    config = QuotesConfig(batch_size=3)
    solo = list(analyze_stories([story("a", TEXT)], config))
    mixed = list(
        analyze_stories([story("x", OTHERS[0]), story("a", TEXT), story("y", OTHERS[1])], config)
    )
    assert solo[0][1:] == mixed[1][1:]
    assert solo[0][2], "the text has quotes"


@pytest.mark.skipif(not _numpy_uses_openblas(), reason="numpy is not built with OpenBLAS")
def test_block_products_are_the_same_row_by_row() -> None:
    ops = _block_ops_class()()
    rng = np.random.default_rng(7)
    x = rng.standard_normal((700, 96), dtype=np.float32)
    w = rng.standard_normal((288, 96), dtype=np.float32)
    whole = ops.gemm(x, w, trans2=True)
    assert whole.shape == (700, 288)
    assert np.allclose(whole, x @ w.T, rtol=1e-4, atol=1e-3)
    for start, end in ((0, 1), (3, 17), (250, 300), (699, 700), (1, 700)):
        assert np.array_equal(ops.gemm(x[start:end], w, trans2=True), whole[start:end])
    out = np.full((700, 288), np.nan, dtype=np.float32)
    assert ops.gemm(x, w, out=out, trans2=True) is out
    assert np.array_equal(out, whole)


def _doc(vocab: Any, words: list[str], tags: list[str], deps: list[str]) -> Any:
    from spacy.tokens import Doc

    return Doc(vocab, words=words, tags=tags, deps=deps, heads=[1] * len(words))


def test_compiled_ruler_applies_rules_as_spacy_does() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add([[{"TAG": {"IN": ["VBD", "VBN"]}}]], {"POS": "VERB"})
    # a later rule wins for the attributes it sets, the earlier one keeps the others
    ruler.add([[{"TAG": "NN", "LOWER": {"REGEX": "^ferr"}}]], {"MORPH": "Number=Plur"})
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=1)
    ruler.add([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], {"POS": "AUX"}, index=-1)
    ruler.add([[{"DEP": {"NOT_IN": ["nsubj", ""]}, "TAG": "PRP"}]], {"LEMMA": "them"})
    ruler.add([[{"IS_SPACE": True}]], {"TAG": "_SP", "POS": "SPACE", "DEP": "dep"})
    compiled = compile_ruler(ruler)
    assert compiled is not None
    words = ["There", "was", "ferry", "gon", "na", "them", "it", "sailed", "\n"]
    tags = ["EX", "VBD", "NN", "VBG", "TO", "PRP", "PRP", "VBD", "XX"]
    deps = ["expl", "ROOT", "attr", "aux", "aux", "dobj", "nsubj", "conj", ""]
    theirs = ruler(_doc(nlp.vocab, words, tags, deps))
    ours = compiled(_doc(nlp.vocab, words, tags, deps))

    def view(doc: Any) -> list[tuple[str, str, str, str, str]]:
        return [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in doc]

    assert view(ours) == view(theirs)
    assert view(ours)[1][0] == "AUX" and view(ours)[7][0] == "VERB"
    assert view(ours)[4][3] == "to" and view(ours)[3][3] == ""
    assert view(ours)[2][2] == "Number=Plur" and view(ours)[2][0] == "NOUN"
    assert view(ours)[5][3] == "them" and view(ours)[6][3] == ""
    assert view(ours)[8] == ("SPACE", "_SP", "", "", "dep")


def test_ruler_with_other_patterns_is_left_to_spacy() -> None:
    import spacy

    for pattern in (
        [{"ORTH": "ferry"}],
        [{"TAG": "NN", "OP": "+"}],
        [{"LENGTH": {">=": 3}}],
        [{"LOWER": "a"}, {"LOWER": "b"}, {"LOWER": "c"}],
    ):
        ruler = spacy.blank("en").add_pipe("attribute_ruler")
        ruler.add([pattern], {"POS": "NOUN"})
        assert compile_ruler(ruler) is None, pattern


def test_word_list_answers_membership_from_a_set() -> None:
    words = _WordList(["ferry", "pier"])
    assert "pier" in words and "harbour" not in words
    assert words == ["ferry", "pier"] and isinstance(words, list)
