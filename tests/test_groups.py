from __future__ import annotations

from presslens.groups import DisjointSets


def test_linked_items_share_a_root_and_others_stay_apart() -> None:
    sets = DisjointSets(range(6))
    sets.union(0, 1)
    sets.union(3, 1)
    sets.union(4, 5)
    assert sets.find(0) == sets.find(3) == sets.find(1) == 1
    assert sets.find(4) == sets.find(5) != sets.find(0)
    assert sets.groups() == {1: [0, 1, 3], 2: [2], 5: [4, 5]}


def test_items_are_known_from_first_naming_in_that_order() -> None:
    sets: DisjointSets[tuple[int, int]] = DisjointSets()
    sets.find((2, 0))
    sets.union((1, 1), (0, 5))
    sets.union((2, 0), (1, 1))
    assert sets.groups() == {(0, 5): [(2, 0), (0, 5), (1, 1)]}
