"""The domain vocabulary of DESIGN.md: kinds, teams, impact, status and their labels.

The stored and exchanged values are the lower-case words; labels are for people.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    EMAIL_CAMPAIGN = "email_campaign"
    TRADESHOW = "tradeshow"
    PROMOTION = "promotion"
    BLOG_POST = "blog_post"
    SOCIAL_POST = "social_post"
    AD_CAMPAIGN = "ad_campaign"
    WEBINAR = "webinar"
    PRODUCT_LAUNCH = "product_launch"
    MEETING = "meeting"
    HOLIDAY = "holiday"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.EMAIL_CAMPAIGN: "Email campaign",
    Kind.TRADESHOW: "Tradeshow",
    Kind.PROMOTION: "Promotion",
    Kind.BLOG_POST: "Blog post",
    Kind.SOCIAL_POST: "Social post",
    Kind.AD_CAMPAIGN: "Ad campaign",
    Kind.WEBINAR: "Webinar",
    Kind.PRODUCT_LAUNCH: "Product launch",
    Kind.MEETING: "Meeting",
    Kind.HOLIDAY: "Holiday",
    Kind.OTHER: "Other",
}

# One colour per kind, shared by every view and printout so a kind looks the same everywhere.
# Told apart at a glance (no two within a "redmean" distance of 100, see the tests), and
# each dark enough for white titles.
KIND_COLOURS: dict[Kind, str] = {
    Kind.EMAIL_CAMPAIGN: "#2f6fde",
    Kind.TRADESHOW: "#d9480f",
    Kind.PROMOTION: "#d6336c",
    Kind.BLOG_POST: "#2b8a3e",
    Kind.SOCIAL_POST: "#0c8599",
    Kind.AD_CAMPAIGN: "#7048e8",
    Kind.WEBINAR: "#9c6b00",
    Kind.PRODUCT_LAUNCH: "#862e9c",
    Kind.MEETING: "#343a40",
    Kind.HOLIDAY: "#868e96",
    Kind.OTHER: "#5c940d",
}


class Team(StrEnum):
    MARKETING = "marketing"
    SALES = "sales"
    JOINT = "joint"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Impact(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    BIG = "big"

    @property
    def rank(self) -> int:
        return list(Impact).index(self)


class Status(StrEnum):
    IDEA = "idea"
    PLANNED = "planned"
    APPROVED = "approved"
    DONE = "done"
    CANCELLED = "cancelled"


class SlaStatus(StrEnum):
    DRAFT = "draft"
    OUT_FOR_SIGNATURE = "out_for_signature"
    SIGNED = "signed"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Better(StrEnum):
    """Which direction of a goal's metric counts as success."""

    HIGHER = "higher"
    LOWER = "lower"


class BuyingStage(StrEnum):
    AWARENESS = "awareness"
    CONSIDERATION = "consideration"
    DECISION = "decision"


# People belong to one of the two teams; "joint" is for work, not for people.
PERSON_TEAMS: tuple[Team, ...] = (Team.MARKETING, Team.SALES)


def words(enum: type[StrEnum]) -> list[str]:
    """The allowed lower-case words of an enumeration, in declaration order."""
    return [member.value for member in enum]
