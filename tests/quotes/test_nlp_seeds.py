"""The seed story: entities canonicalised across outlets, one quote followed across both."""

from __future__ import annotations

from typing import Any

from presslens.model import Entity, QuoteVariant


def person(entities: tuple[Entity, ...], name: str) -> Entity:
    hits = [e for e in entities if e.type == "person" and e.name == name]
    assert len(hits) == 1, [e.name for e in entities if e.type == "person"]
    return hits[0]


def test_spokesman_is_one_person_with_titles_and_roles(seed_story: Any) -> None:
    entities, _, _ = seed_story
    ghafoor = person(entities, "Asif Ghafoor")
    assert {"Major General Asif Ghafoor", "Major-General Asif Ghafoor"} <= set(ghafoor.aliases)
    assert any("spokesman" in r or "spokesperson" in r for r in ghafoor.roles)
    assert any("General" in r for r in ghafoor.roles)
    assert len(ghafoor.mentions) == 2
    assert not [e for e in entities if e.name in ("Ghafoor", "Major-General Asif Ghafoor")]


def test_prime_minister_aliases_and_mention_counts(
    seed_story: Any, seed_texts: dict[str, str]
) -> None:
    entities, _, _ = seed_story
    khan = person(entities, "Imran Khan")
    assert "PM Khan" in khan.aliases
    assert "the premier" in khan.aliases
    assert sum(khan.mentions.values()) == len(khan.spans)
    for m in khan.spans:
        assert seed_texts[m.article_id][m.start : m.end] == m.text


def test_entity_types(seed_story: Any) -> None:
    entities, _, _ = seed_story
    types = {e.name: e.type for e in entities}
    assert types.get("Islamabad") == "place"
    assert types.get("Zalmay Khalilzad") == "person"
    assert "date" in set(types.values())
    assert "organisation" in set(types.values())


def test_speakers_resolve_to_canonical_entities(seed_story: Any) -> None:
    _, quotes, _ = seed_story
    by_text = {q.text[:30]: q for q in quotes}
    stakeholders = next(v for k, v in by_text.items() if k.startswith("All stakeholders"))
    assert stakeholders.speaker == "he"
    assert stakeholders.speaker_canonical == "Mohammad Faisal"
    talks = next(q for q in quotes if q.text.startswith("Talks with the US"))
    assert talks.speaker_canonical == "Mohammad Faisal"
    premier = next(q for q in quotes if q.text.startswith("We have been saying"))
    assert premier.speaker_canonical == "Imran Khan"


def friend_group(variants: tuple[QuoteVariant, ...]) -> QuoteVariant:
    hits = [v for v in variants if "not as a failure" in v.reference]
    assert len(hits) == 1
    return hits[0]


def test_friend_not_failure_quote_is_grouped_across_outlets(
    seed_story: Any, seed_texts: dict[str, str]
) -> None:
    _, quotes, variants = seed_story
    group = friend_group(variants)
    assert {r.article_id for r in group.renderings} == set(seed_texts)
    for r in group.renderings:
        assert seed_texts[r.article_id][r.start : r.end] == r.text
        assert "as a failure" in r.text
    assert group.speaker == "Asif Ghafoor"
    assert not group.speaker_conflict
    assert group.kind == "direct"
    members = [q for q in quotes if q.group == group.group]
    assert len(members) == 2


def test_friend_not_failure_differences_are_shown(seed_story: Any) -> None:
    _, _, variants = seed_story
    group = friend_group(variants)
    other = next(d for d in group.diff if any(op.op != "equal" for op in d.ops))
    assert other.classification == "minor wording"
    changed = {(op.reference, op.rendering) for op in other.ops if op.op != "equal"}
    assert any(ref == "to" and ren == "of" for ref, ren in changed)
    assert any("[and]" in ref for ref, _ in changed)
    assert group.classification == "minor wording"
