"""What real calendars mean by their words: kinds and teams in CATEGORIES, STATUS, HTML.

Calendar programs let people type categories freely and Google writes HTML into
DESCRIPTION; this module turns both into the app's vocabulary and plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from html.parser import HTMLParser

from smarketing_desktop.domain.words import Kind, Status, Team

# What real calendars write in CATEGORIES, normalised (lower case, "-" and "_" as spaces).
KIND_SYNONYMS: dict[str, str] = {
    **{k.value.replace("_", " "): k.value for k in Kind},
    **{k.label.lower(): k.value for k in Kind},
    **{
        name: Kind.EMAIL_CAMPAIGN.value
        for name in ("email", "e mail", "emails", "mailing", "newsletter", "email blast",
                     "mail", "e mail campaign", "edm")
    },
    **{
        name: Kind.TRADESHOW.value
        for name in ("trade show", "trade shows", "tradeshows", "trade fair", "fair", "expo",
                     "exhibition", "conference", "trade event", "messe", "booth")
    },
    **{
        name: Kind.PROMOTION.value
        for name in ("promo", "promotions", "sale", "sales promotion", "discount", "offer",
                     "special offer", "campaign promotion")
    },
    **{name: Kind.BLOG_POST.value for name in ("blog", "blogpost", "article", "blog article")},
    **{
        name: Kind.SOCIAL_POST.value
        for name in ("social", "social media", "social media post", "linkedin", "twitter",
                     "x post", "facebook", "instagram", "tweet")
    },
    **{
        name: Kind.AD_CAMPAIGN.value
        for name in ("ad", "ads", "advert", "advertising", "advertisement", "paid media",
                     "ppc", "paid ads", "ad campaigns")
    },
    **{
        name: Kind.WEBINAR.value
        for name in ("webinars", "webcast", "online seminar", "web seminar")
    },
    **{
        name: Kind.PRODUCT_LAUNCH.value
        for name in ("launch", "release", "product release", "go live")
    },
    **{
        name: Kind.MEETING.value
        for name in ("meetings", "call", "appointment", "review", "sync", "conference call")
    },
    **{
        name: Kind.HOLIDAY.value
        for name in ("holidays", "blackout", "blackout day", "blackout days", "public holiday",
                     "public holidays", "bank holiday", "vacation", "day off", "closed",
                     "feiertag", "out of office")
    },
}  # fmt: skip
TEAM_SYNONYMS: dict[str, str] = {
    **{t.value: t.value for t in Team},
    "sales team": Team.SALES.value,
    "marketing team": Team.MARKETING.value,
    "sales and marketing": Team.JOINT.value,
    "marketing and sales": Team.JOINT.value,
    "sales & marketing": Team.JOINT.value,
    "marketing & sales": Team.JOINT.value,
    "smarketing": Team.JOINT.value,
    "both teams": Team.JOINT.value,
}
STATUS_FROM_ICAL = {
    "TENTATIVE": Status.PLANNED.value,
    "CONFIRMED": Status.APPROVED.value,
    "CANCELLED": Status.CANCELLED.value,
}
_HTML_TAG = re.compile(
    r"<\s*/?\s*(br|p|div|span|a|b|i|u|em|strong|ul|ol|li|html|body|font|h[1-6]|table|tr|td|"
    r"img|hr|blockquote|pre|code|sup|sub)\b[^>]*>",
    re.IGNORECASE,
)
_HTML_ENTITY = re.compile(r"&(nbsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", re.IGNORECASE)


def normal_name(name: str) -> str:
    """A category name as the synonym tables spell it (lower case, ``-``/``_`` as spaces)."""
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


def kind_of(categories: Iterable[str]) -> str | None:
    """The first kind any of ``categories`` names, or None."""
    return next(
        (KIND_SYNONYMS[n] for n in map(normal_name, categories) if n in KIND_SYNONYMS), None
    )


def team_of(categories: Iterable[str]) -> str | None:
    """The first team any of ``categories`` names, or None."""
    return next(
        (TEAM_SYNONYMS[n] for n in map(normal_name, categories) if n in TEAM_SYNONYMS), None
    )


class _PlainText(HTMLParser):
    """HTML (as Google writes it into DESCRIPTION) as readable plain text."""

    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                         "ul", "ol", "table", "blockquote", "pre", "hr"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._href: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n- ")
        elif tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "a":
            self._href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href:
            href = self._href.pop()
            if href and href not in "".join(self.parts[-3:]):
                self.parts.append(f" ({href})")
        elif tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\xa0", " "))

    def text(self) -> str:
        joined = "".join(self.parts)
        lines = [" ".join(line.split()) for line in joined.split("\n")]
        text = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, breaks kept, links spelt out."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return parser.text()


def looks_like_html(text: str) -> bool:
    return bool(_HTML_TAG.search(text) or (_HTML_ENTITY.search(text) and "<" in text))


def plain_description(text: str) -> str:
    """A DESCRIPTION from another program as plain text (HTML converted, entities decoded)."""
    if looks_like_html(text):
        return html_to_text(text)
    if _HTML_ENTITY.search(text) and "<" not in text:
        text = unescape(text)
    # Outlook ends every description with a line break nobody typed.
    return text.rstrip()
