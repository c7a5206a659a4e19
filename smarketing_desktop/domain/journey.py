"""The buyer's journey: which stage an item serves, by default from its kind."""

from __future__ import annotations

from smarketing_desktop.domain.words import BuyingStage, Kind

# What a kind of work usually does for a buyer; an item can say otherwise (``stage``).
DEFAULT_STAGE: dict[Kind, BuyingStage | None] = {
    Kind.BLOG_POST: BuyingStage.AWARENESS,
    Kind.SOCIAL_POST: BuyingStage.AWARENESS,
    Kind.AD_CAMPAIGN: BuyingStage.AWARENESS,
    Kind.TRADESHOW: BuyingStage.AWARENESS,
    Kind.EMAIL_CAMPAIGN: BuyingStage.CONSIDERATION,
    Kind.WEBINAR: BuyingStage.CONSIDERATION,
    Kind.PRODUCT_LAUNCH: BuyingStage.CONSIDERATION,
    Kind.PROMOTION: BuyingStage.DECISION,
    Kind.MEETING: None,
    Kind.HOLIDAY: None,
    Kind.OTHER: None,
}


def stage_of(kind: str, stage: str | None) -> BuyingStage | None:
    """The stage an item serves: its own choice, else its kind's default (None = none)."""
    if stage:
        return BuyingStage(stage)
    return DEFAULT_STAGE.get(Kind(kind)) if kind in Kind._value2member_map_ else None
