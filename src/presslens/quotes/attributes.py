"""The attribute ruler's rules, applied through lookup tables instead of spaCy's Matcher.

spaCy's ``attribute_ruler`` (in the English pipelines, the tag map: part of speech and
morphology from the fine tag, plus exceptions keyed on the word and its dependency) runs a
Matcher of some 180 patterns over every token: about a tenth of the whole pipeline's time.
Its patterns only test one token, or two neighbours, on four values: the fine tag, the
lower-case form, the dependency label and whether the token is space.  What the ruler does to
a token is therefore a function of those values; it is worked out once per distinct
combination (the lower-case form counted only by which of the patterns' word tests it passes)
and cached, and a document is then a few array lookups.

The result is the ruler's own, token for token: the rules that match a token are applied in
the order the ruler applies them (by rule, a later rule winning), from the same normalised
values.  :func:`compile_ruler` returns None for a ruler whose patterns test anything else or
use other operators, quantifiers or longer patterns; the stock component then stays.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

#: the token attributes the patterns may test, in the column order of the lookups
_TESTED = ("TAG", "LOWER", "DEP", "IS_SPACE")
#: the token attributes a rule may set, in the column order of the output
_SET = ("POS", "TAG", "MORPH", "LEMMA", "DEP")


class _Predicate:
    """A test of one attribute's value (a string, or a bool for IS_SPACE) against a pattern
    value: equal to it, one of a list (IN), none of a list (NOT_IN) or matching a REGEX."""

    def __init__(self, op: str, values: frozenset[Any], pattern: str = "") -> None:
        self.op = op
        #: the values an equality, IN or NOT_IN test names
        self.values = values
        self._search = re.compile(pattern).search if op == "REGEX" else None

    def __call__(self, value: Any) -> bool:
        if self._search is not None:
            return self._search(value) is not None
        return (value in self.values) != (self.op == "NOT_IN")


def _predicate(value: Any) -> _Predicate | None:
    """The test a pattern value stands for, or None when it is not supported."""
    if isinstance(value, (bool, str)):
        return _Predicate("IN", frozenset([value]))
    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op == "REGEX" and isinstance(arg, str):
        return _Predicate(op, frozenset(), arg)
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
        return _Predicate(op, frozenset(arg))
    return None


def _token_tests(spec: Any) -> dict[str, _Predicate] | None:
    """The tests of one pattern token by attribute, or None when one is not supported."""
    if not isinstance(spec, Mapping) or not spec:
        return None
    tests: dict[str, _Predicate] = {}
    for key, value in spec.items():
        if key not in _TESTED or (key == "IS_SPACE") != isinstance(value, bool):
            return None
        test = _predicate(value)
        if test is None:
            return None
        tests[key] = test
    return tests


class CompiledRuler:
    """An attribute ruler's rules as lookup tables (see the module docstring)."""

    def __init__(
        self,
        tests: Sequence[Mapping[str, _Predicate]],
        singles: Sequence[tuple[int, int]],
        pairs: Sequence[tuple[int, int, int, int]],
        attrs: Sequence[Mapping[int, Any]],
    ) -> None:
        from spacy.attrs import IDS

        #: per distinct pattern token, its tests by attribute
        self._tests = tests
        #: (token test, rule) of the one-token patterns
        self._singles = singles
        #: (first token test, second token test, rule, position set) of the two-token patterns
        self._pairs = pairs
        self._attrs = attrs
        self._tested_ids = [IDS[a] for a in _TESTED]
        self._set_ids = [IDS[a] for a in _SET]
        self._column = {IDS[a]: k for k, a in enumerate(_SET)}
        #: the token tests that look at the lower-case form
        self._word_tests = [k for k, t in enumerate(tests) if "LOWER" in t]
        #: the words those tests name: any other word fails their IN tests and passes their
        #: NOT_IN tests, so only their REGEX tests need running on it
        self._named = frozenset().union(*(tests[k]["LOWER"].values for k in self._word_tests))
        self._unnamed_bits = sum(
            1 << k for k in self._word_tests if tests[k]["LOWER"].op == "NOT_IN"
        )
        self._regex_tests = [k for k in self._word_tests if tests[k]["LOWER"].op == "REGEX"]
        #: lower-case form (hash) → its class: the word tests it passes, numbered
        self._word_class: dict[int, int] = {}
        #: word tests passed (a bit set) → class number, and back
        self._classes: dict[int, int] = {}
        self._class_bits: list[int] = []
        #: (tag, word class, dep, is_space) → the token tests passed, as a bit set
        self._bits: dict[tuple[int, int, int, int], int] = {}
        #: token tests passed → (values, which columns the rules set) of the one-token rules
        self._singles_out: dict[int, tuple[list[int], list[bool]]] = {}

    def _word(self, lower: int, strings: Any) -> int:
        word = strings[lower]
        if word in self._named:
            bits = 0
            for k in self._word_tests:
                if self._tests[k]["LOWER"](word):
                    bits |= 1 << k
        else:
            bits = self._unnamed_bits
            for k in self._regex_tests:
                if self._tests[k]["LOWER"](word):
                    bits |= 1 << k
        if bits not in self._classes:
            self._classes[bits] = len(self._class_bits)
            self._class_bits.append(bits)
        self._word_class[lower] = self._classes[bits]
        return self._classes[bits]

    def _passed(self, key: tuple[int, int, int, int], strings: Any) -> int:
        tag, word_class, dep, space = key
        words = self._class_bits[word_class]
        view = {"TAG": strings[tag], "DEP": strings[dep], "IS_SPACE": bool(space)}
        bits = 0
        for k, tests in enumerate(self._tests):
            if all(
                words >> k & 1 if attr == "LOWER" else test(view[attr])
                for attr, test in tests.items()
            ):
                bits |= 1 << k
        self._bits[key] = bits
        return bits

    def _apply(self, rules: Sequence[int], values: list[int], set_: list[bool]) -> None:
        """Apply ``rules`` in order to one token's output row."""
        for rule in rules:
            for attr, value in self._attrs[rule].items():
                col = self._column[attr]
                values[col] = value
                set_[col] = True

    def _single_row(self, bits: int) -> tuple[list[int], list[bool]]:
        values = [0] * len(_SET)
        set_ = [False] * len(_SET)
        self._apply([rule for test, rule in self._singles if bits >> test & 1], values, set_)
        self._singles_out[bits] = (values, set_)
        return values, set_

    def __call__(self, doc: Any) -> Any:
        """Set the ruler's attributes on every token of ``doc``."""
        import numpy as np

        n = len(doc)
        if not n:
            return doc
        strings = doc.vocab.strings
        tested = doc.to_array(self._tested_ids)
        lowers, at_lower = np.unique(tested[:, 1], return_inverse=True)
        known = self._word_class
        words = []
        for w in lowers.tolist():
            c = known.get(w)
            words.append(self._word(w, strings) if c is None else c)
        keys = np.stack(
            [tested[:, 0], np.array(words, dtype=np.uint64)[at_lower.ravel()], *tested[:, 2:].T],
            axis=1,
        )
        combos, at_combo = np.unique(keys, axis=0, return_inverse=True)
        at_combo = at_combo.ravel()
        passed = []
        for key in map(tuple, combos.tolist()):
            bits = self._bits.get(key)
            passed.append(self._passed(key, strings) if bits is None else bits)
        rows = [self._singles_out.get(b) or self._single_row(b) for b in passed]
        out = doc.to_array(self._set_ids)
        values = np.array([r[0] for r in rows], dtype=np.uint64)[at_combo]
        chosen = np.array([r[1] for r in rows], dtype=bool)[at_combo]
        out = np.where(chosen, values, out)
        if self._pairs and n > 1:
            self._apply_pairs(passed, at_combo, out)
        doc.from_array(self._set_ids, out)
        return doc

    def _apply_pairs(self, passed: Sequence[int], at_combo: Any, out: Any) -> None:
        """Apply the two-token rules on top of the one-token ones, in rule order."""
        import numpy as np

        extra: dict[int, list[int]] = {}
        for first, second, rule, index in self._pairs:
            ok_first = np.array([b >> first & 1 for b in passed], dtype=bool)[at_combo]
            ok_second = np.array([b >> second & 1 for b in passed], dtype=bool)[at_combo]
            for i in np.flatnonzero(ok_first[:-1] & ok_second[1:]).tolist():
                extra.setdefault(i + index, []).append(rule)
        for i, pair_rules in extra.items():
            singles = [r for t, r in self._singles if passed[at_combo[i]] >> t & 1]
            values = [0] * len(_SET)
            set_ = [False] * len(_SET)
            self._apply(sorted(set(singles).union(pair_rules)), values, set_)
            for col, is_set in enumerate(set_):
                if is_set:
                    out[i, col] = values[col]


def compile_ruler(ruler: Any) -> CompiledRuler | None:
    """The rules of spaCy's ``AttributeRuler`` ``ruler`` as a :class:`CompiledRuler`, or None
    when a pattern uses something the tables do not reproduce."""
    from spacy.attrs import IDS

    settable = {IDS[a] for a in _SET}
    tests: list[dict[str, _Predicate]] = []
    seen: dict[str, int] = {}
    singles: list[tuple[int, int]] = []
    pairs: list[tuple[int, int, int, int]] = []

    def test_id(spec: Any) -> int | None:
        key = repr(spec)
        if key not in seen:
            found = _token_tests(spec)
            if found is None:
                return None
            seen[key] = len(tests)
            tests.append(found)
        return seen[key]

    attrs = list(ruler.attrs)
    patterns = ruler.patterns
    if len(patterns) != len(attrs) or any(set(a) - settable for a in attrs):
        return None
    # the ruler numbers its rules in the order they were added and lists its patterns so
    for rule, entry in enumerate(patterns):
        index = entry["index"]
        for pattern in entry["patterns"]:
            ids = [test_id(spec) for spec in pattern]
            if len(ids) == 1 and ids[0] is not None and index in (0, -1):
                singles.append((ids[0], rule))
            elif len(ids) == 2 and None not in ids and index in (0, 1, -1, -2):
                pairs.append((ids[0], ids[1], rule, index % 2))  # type: ignore[arg-type]
            else:
                return None
    return CompiledRuler(tests, singles, pairs, attrs)
