"""The closed vocabularies of a fact file (kinds, statuses, certainties) and its collections.

Shared by the schema, which validates a file, and the records that queries read, so that reading a
store never needs the schema's validation machinery.
"""

from __future__ import annotations

from enum import StrEnum


class SourceKind(StrEnum):
    """What kind of document a source is."""

    NEWS_REPORT = "news_report"
    OFFICIAL_RELEASE = "official_release"
    SPEECH = "speech"
    READOUT = "readout"
    SOCIAL_MEDIA_POST = "social_media_post"
    INDUSTRY_REPORT = "industry_report"
    LEGAL_ANALYSIS = "legal_analysis"
    TRADE_NEWS = "trade_news"


class Certainty(StrEnum):
    """How a source qualifies a fact."""

    STATED = "stated"
    REPORTED = "reported"
    CLAIMED = "claimed"
    ALLEGED = "alleged"
    WIDELY_SEEN_AS = "widely_seen_as"
    SCHEDULED = "scheduled"
    EXPECTED = "expected"


class OrganisationKind(StrEnum):
    """What kind of body an organisation is."""

    COMPANY = "company"
    STATE_BODY = "state_body"
    GOVERNMENT = "government"
    INTERNATIONAL = "international"
    MEDIA = "media"


class Ownership(StrEnum):
    """Who owns an organisation, where a source says."""

    STATE_OWNED = "state_owned"
    PRIVATE = "private"
    PUBLIC = "public"


class PlaceKind(StrEnum):
    """What kind of place a place is."""

    COUNTRY = "country"
    PROVINCE = "province"
    CITY = "city"
    BUILDING = "building"
    REGION = "region"


class EventCategory(StrEnum):
    """Whether an event is the visit, a meeting of it, or background."""

    VISIT = "visit"
    MEETING = "meeting"
    BACKGROUND = "background"


class EventStatus(StrEnum):
    """Whether an event took place."""

    HELD = "held"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Weekday(StrEnum):
    """A weekday as a source writes it."""

    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"


class MeasureKind(StrEnum):
    """What kind of trade measure a tariff entry is."""

    TARIFF = "tariff"
    SURTAX = "surtax"
    ANTI_DUMPING_DUTY = "anti_dumping_duty"
    ANTI_DISCRIMINATION_TARIFF = "anti_discrimination_tariff"
    TARIFF_RATE_QUOTA = "tariff_rate_quota"
    INVESTIGATION = "investigation"


class MeasureStatus(StrEnum):
    """Where a measure stands in its lifecycle."""

    ANNOUNCED = "announced"
    IN_FORCE = "in_force"
    CHANGED = "changed"
    EXPECTED = "expected"
    LIFTED = "lifted"
    OPENED = "opened"
    EXTENDED = "extended"
    CONCLUDED = "concluded"


class Channel(StrEnum):
    """How words reached the public."""

    IN_PERSON = "in_person"
    SOCIAL_MEDIA = "social_media"
    READOUT = "readout"
    REMARKS = "remarks"


class StatementKind(StrEnum):
    """What a statement asserts."""

    FIGURE = "figure"
    RANKING = "ranking"
    GOAL = "goal"
    CHARACTERISATION = "characterisation"
    AGREEMENT = "agreement"
    EXPECTATION = "expectation"
    REACTION = "reaction"
    CONTEXT = "context"


COLLECTIONS: tuple[str, ...] = (
    "sources",
    "people",
    "organisations",
    "places",
    "events",
    "tariffs",
    "quotes",
    "statements",
    "conflicts",
)

ENTITY_COLLECTIONS: tuple[str, ...] = ("people", "organisations", "places")

# Fields that name a fact; search weighs a hit in them above a hit elsewhere.
NAME_FIELDS = frozenset({"id", "name", "aliases", "title", "topic"})
