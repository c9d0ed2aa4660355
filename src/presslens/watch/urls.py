"""Canonical URLs: one article, one URL, whatever link a feed or a front page gave.

Feeds and share buttons decorate links with tracking parameters (``utm_source``, ``fbclid``,
...), hosts are written in any case, default ports and fragments come and go.  A page is read
once per canonical URL, and an article is stored under it.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

#: query parameters that say how a reader arrived, never which page they read (campaign
#: tags of analytics and ad platforms, newsletter and social-share markers)
TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "ocid",
        "cmpid",
        "smid",
        "xtor",
        "at_medium",
        "at_campaign",
        "sr_share",
        "ref_src",
        "ref_url",
        "spm",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING or low.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """``url`` with the scheme and host in lower case, no default port, no fragment, no
    tracking parameters (the others keep their order), and ``/`` for an empty path.

    A URL that cannot be parsed is returned stripped of surrounding space, unchanged.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if not host:
        return text
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        auth = parts.username or ""
        if parts.password:
            auth += ":" + parts.password
        host = f"{auth}@{host}"
    # the kept parameters stay exactly as written: servers differ on "+" and "%20"
    query = "&".join(
        p for p in parts.query.split("&") if p and not _tracking(unquote_plus(p.split("=")[0]))
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def host_of(url: str) -> str:
    """The host (and port, when not the default) a request to ``url`` goes to, lower case;
    empty for a URL without a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if host and port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def same_site(a: str, b: str) -> bool:
    """Whether two hosts are one site (equal, ignoring a leading ``www.``)."""
    return a.removeprefix("www.") == b.removeprefix("www.")
