"""Web links people type into an item: checked lightly, made clickable."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from smarketing_desktop.errors import UserError

_BARE_HOST = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)*\.[a-z]{2,}([/?#:].*)?$", re.IGNORECASE)
_SCHEMES = ("http", "https", "mailto")


def normalise_link(text: str) -> str:
    """The link as it is stored: ``example.com/x`` becomes ``https://example.com/x``.

    Blank text is no link (``""``).

    Raises:
        UserError: ``text`` is not something a browser or mail program can open.
    """
    link = text.strip()
    if not link:
        return ""
    problem = f"“{link[:60]}” is not a web address; use one like https://example.com/page."
    if any(character.isspace() for character in link) or "\x00" in link:
        raise UserError(problem)
    if "://" not in link and not link.lower().startswith("mailto:"):
        if not _BARE_HOST.match(link):
            raise UserError(problem)
        link = f"https://{link}"
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 - reading it checks the port is a number
    except ValueError:
        raise UserError(problem) from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise UserError(f"Links must start with http://, https:// or mailto:, not “{scheme}:”.")
    if scheme == "mailto":
        if "@" not in parts.path:
            raise UserError(problem)
    elif not parts.hostname or ("." not in parts.hostname and parts.hostname != "localhost"):
        raise UserError(problem)
    return link
