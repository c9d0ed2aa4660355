"""Synthetic articles for the store tests, and a script that ingests them into a store.

``python ingest_child.py STORE N`` adds the first N generated articles to STORE (one
transaction each) and prints the counts as JSON; the crash test kills it part way.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator

from presslens.model import Article, Removed
from presslens.store import Store

OUTLETS = ("wire", "daily", "herald", "gazette", "courier")
_PROSE = (
    "the minister said talks on grain exports resumed after the ceasefire held overnight while "
    "officials in Zürich and Αθήνα confirmed that shipments of wheat and maize would leave the "
    "port of Odesa Москва denied claims that convoys were attacked near the border analysts "
    "expect prices to fall by ten percent within weeks according to a report published today"
)
WORDS = _PROSE.split()


def article(i: int) -> Article:
    """The ``i``-th synthetic article: deterministic, distinct record, some ids reused."""
    rng = random.Random(i)
    source = OUTLETS[i % len(OUTLETS)]
    words = [rng.choice(WORDS) for _ in range(rng.randint(40, 160))]
    # Every 50th article reuses its predecessor's id with other content (an id collision);
    # every 7th repeats its predecessor's text under another outlet (syndication).
    ident = f"a{i - 1:05d}" if i % 50 == 49 else f"a{i:05d}"
    text = " ".join(words) + f". Dispatch {i}."
    if i % 7 == 6:
        text = " ".join(random.Random(i - 1).choice(WORDS) for _ in range(5))
    return Article(
        id=ident,
        text=text,
        source=source,
        url=f"https://{source}.example/{i}",
        title=f"Grain talks, part {i}",
        published=f"2024-03-{i % 28 + 1:02d}",
        author=rng.choice(("A. Writer", None)),
        origin=f"synthetic/{i}",
        source_from="jsonl",
        removed=(Removed(line="Subscribe now", reason="boilerplate"),) if i % 3 == 0 else (),
        cleaned=True,
        extra={"n": i, "tags": ["grain", source]},
    )


def articles(n: int) -> Iterator[Article]:
    """The first ``n`` synthetic articles."""
    return (article(i) for i in range(n))


def main(argv: list[str]) -> int:
    """Ingest ``argv[1]`` articles into the store at ``argv[0]``."""
    path, n = argv[0], int(argv[1])
    with Store(path) as store:
        counts = store.add_articles(articles(n))
    print(json.dumps({"inserted": counts.inserted, "existing": counts.existing}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
