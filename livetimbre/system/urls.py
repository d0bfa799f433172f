"""Addresses of outside services: a render server's URL, checked before it is used."""

from __future__ import annotations

__all__ = ["check_server_url"]

import urllib.parse

MAX_URL = 2000


def check_server_url(text: str, where: str) -> str:
    """`text` as a server's base URL (http or https, a host, an optional port and path;
    no user, password, query or fragment: a token comes from the environment only),
    without a trailing slash; ValueError naming `where` otherwise (never the text, which
    may hold a password)."""
    try:
        parsed = urllib.parse.urlsplit(text.strip())
        port = parsed.port  # a bad port raises here
    except ValueError:
        raise ValueError(f"{where}: the render server's URL is not a URL, e.g. "
                         "http://render-box:8000") from None
    problem = ""
    if len(text) > MAX_URL:
        problem = f"is longer than {MAX_URL} characters"
    elif parsed.scheme not in ("http", "https"):
        problem = "must start with http:// or https://"
    elif not parsed.hostname:
        problem = "names no host"
    elif parsed.username is not None or parsed.password is not None:
        problem = "must hold no user or password (the token goes in LIVETIMBRE_SERVER_TOKEN)"
    elif parsed.query or parsed.fragment:
        problem = "must have no query (?) or fragment (#)"
    elif port == 0:
        problem = "names port 0"
    if problem:
        raise ValueError(f"{where}: the render server's URL {problem}, e.g. "
                         "http://render-box:8000")
    return urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, parsed.path.rstrip("/"),
                                    "", ""))
