"""Word forms shared by the stages that compare texts (clustering, outlet comparison)."""

from __future__ import annotations


def light_stem(word: str) -> str:
    """A deliberately light stem: lower case, possessive and plural endings removed.

    Enough to match "talks"/"talk" and "Pakistan's"/"Pakistan" across outlets while keeping
    distinct words distinct; heavier stemming merged unrelated terms on the seeds.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w
