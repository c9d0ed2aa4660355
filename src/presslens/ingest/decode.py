"""Bytes to text.

Order of trust: a byte-order mark (UTF-8, UTF-16, UTF-32), then strict UTF-8, then a charset
the container declared (HTTP header, ``<meta charset>``), then Windows-1252 when the bytes read
as Western text, then charset-normalizer's best guess.  Binary data is refused up front.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from presslens.errors import InputError

# UTF-32 LE's mark starts with UTF-16 LE's, so the longer marks are tried first.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How much of the start of the data the binary and Western checks look at.
_SAMPLE = 64 * 1024

# Control bytes other than tab, newlines, form feed, escape: text files have next to none,
# compiled or compressed files have many.  Above this share of the sample the data is binary.
_CONTROL = bytes(sorted((set(range(32)) - {9, 10, 11, 12, 13, 27}) | {127}))
_MAX_CONTROL_SHARE = 0.1

# Share of NUL bytes above which the data is binary.  Compressed or random bytes hold one NUL
# in 256 (0.39 %) and UTF-16 text without a byte-order mark one in two, while a saved news page
# of trafilatura's evaluation set (lostiempos.com) carries 22 stray NULs in 194 KB (0.01 %) and
# was refused whole for them; a tenth of a percent lies between, by a margin of four either
# way.  The NULs of text that passes are dropped.
_MAX_NUL_SHARE = 0.001

# Codecs whose labels (every alias: latin1, l1, us-ascii, ...) browsers read as Windows-1252
# (WHATWG Encoding Standard): pages labelled Latin-1 routinely carry 1252's curly quotes and
# dashes in 0x80-0x9F.
_AS_CP1252 = frozenset({"iso8859-1", "ascii"})

# Non-ASCII characters that Western European text decoded as Windows-1252 is made of.  Left
# out on purpose: Ð Ý Þ ð ý þ ² ³ ¹ ¤ ¦ ¨ ¬ ¯ × ÷, which appear when Turkish, Polish or other
# 125x text is misread as 1252.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜßàáâãäåæçèéêëìíîïñòóôõöøùúûüÿ"
    "ŒœŠšŽžŸƒ€‚„…†‡ˆ‰‹›‘’“”•–—˜™\u00a0¡¢£¥§©ª«®°±´µ¶·¸º»¼½¾¿"
)
# Share of letters that may be non-ASCII in Western text (French and Portuguese run at about
# 3-5 %); Cyrillic or Greek bytes read as 1252 come out near 100 %.
_MAX_ACCENTED_SHARE = 0.25


def looks_binary(data: bytes) -> bool:
    """True when ``data`` holds more than a stray NUL byte or many control bytes (and no
    UTF-16/32 mark)."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    sample = data[:_SAMPLE]
    if sample.count(b"\x00") > _MAX_NUL_SHARE * len(sample):
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL))
    return control > _MAX_CONTROL_SHARE * len(sample)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` to text; raise :class:`InputError` for binary or undecodable data.

    ``declared`` is a charset label the container gave (HTTP ``Content-Type``, ``<meta>``);
    it is trusted only after strict UTF-8 fails, because mislabelled UTF-8 is common.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as e:
                raise InputError(
                    f"cannot decode: not valid {encoding.upper()} despite its byte-order mark"
                ) from e
    if looks_binary(data):
        raise InputError("binary file")
    # The few NULs that text may carry (see _MAX_NUL_SHARE) are never part of it.
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        text = _decode_declared(data, declared)
        if text is not None:
            return text
    western = _as_western(data)
    if western is not None:
        return western
    for match in from_bytes(data):
        # Without a byte-order mark UTF-16/32 would show NUL bytes, refused above; a guess of
        # either is charset-normalizer reading pairs of single-byte characters.
        if match.encoding.startswith(("utf_16", "utf_32")):
            continue
        try:
            return data.decode(match.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError("cannot decode: not UTF-8, and no known text encoding fits")


def _decode_declared(data: bytes, declared: str) -> str | None:
    label = declared.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _AS_CP1252:
        return _strict(data, "cp1252") or _strict(data, "latin-1")
    return _strict(data, name)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _as_western(data: bytes) -> str | None:
    """``data`` as Windows-1252 when it reads as Western European text, else None."""
    sample = _strict(data[:_SAMPLE], "cp1252")
    if sample is None:
        return None
    letters = accented = 0
    for ch in sample:
        if ch.isalpha():
            letters += 1
        if ord(ch) > 127:
            if ch not in _WESTERN:
                return None
            if ch.isalpha():
                accented += 1
    if letters == 0 or accented > _MAX_ACCENTED_SHARE * letters:
        return None
    return _strict(data, "cp1252")


def mime_of(content_type: str | None) -> str:
    """The media type of a Content-Type header value, lower-cased (``""`` when absent)."""
    return (content_type or "").split(";")[0].strip().lower()


def charset_of(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value, if any."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
