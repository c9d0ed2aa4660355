"""Plain-text normalisation: the same words, in a predictable shape.

What changes: line ends (CRLF, CR, Unicode line and paragraph separators) become ``\\n``;
Unicode is composed (NFC, not NFKC, so curly quotes, ligature-free letters and ``½`` stay as
written); no-break and other Unicode spaces and tabs become plain spaces; zero-width spaces,
byte-order marks, word joiners, soft hyphens and control characters go; runs of spaces collapse;
lines are stripped; a hard line wrap inside a sentence is joined back; and paragraphs are
separated by exactly one blank line at most.

What does not change: any letter, digit or punctuation mark.  Words run together in the source
(``saidthat``) stay run together, because telling a typo from a name is not this module's job.
ZWJ and ZWNJ are kept: they shape Persian, Indic and emoji text.
"""

from __future__ import annotations

import re
import unicodedata

_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Zero-width and invisible format characters that only ever leak in from markup or word
# processors, plus every C0/C1 control except tab and newline.
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
)
# Tab and every Unicode space separator (NBSP, narrow NBSP, en/em spaces, ideographic space).
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_RUN_OF_SPACES = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")
# A line that ends a sentence (or a heading-like label) ends with one of these, possibly
# followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")


def normalise_chars(text: str) -> str:
    """Line ends to ``\\n``, invisible characters removed, spaces unified, then NFC."""
    text = _NEWLINES.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def _continues(previous: str, line: str) -> bool:
    """True when ``line`` carries on the sentence that ``previous`` broke off."""
    return (
        bool(previous)
        and bool(line)
        and line[0].islower()
        and _SENTENCE_END.search(previous) is None
    )


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: one that ends mid-sentence and a next one starting lower-case.

    A line ending in a hyphen glued to a letter (``well-``) is joined without a space, keeping
    the hyphen: it is either a compound or a broken word, and the hyphen is the source's.
    """
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line):
            prev = out[-1]
            glue = "" if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() else " "
            out[-1] = prev + glue + line
        else:
            out.append(line)
    return out


def normalise_text(text: str) -> str:
    """The normalised form of a plain-text article (see the module docstring)."""
    text = normalise_chars(text)
    lines = [_RUN_OF_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    joined = "\n".join(join_wrapped_lines(lines))
    return _BLANK_RUN.sub("\n\n", joined).strip("\n")
